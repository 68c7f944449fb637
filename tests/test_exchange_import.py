"""reader import of REFI-QDA projects and brat folders: other tools' real files, round trips.

The projects under ``tests/data/qdpx/`` were written by NVivo and qc (see its README):
each must import with every coded text selection. The counts are taken from the XML
here, independently of the importer; NVivo's UTF-16 positions are checked by slicing
the source as UTF-16.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from exchange_support import DATA, NS
from export_support import build_store, load_data

from reader.cli import main
from reader.errors import StoreError
from reader.export import export_to_path
from reader.export.records import ExportData
from reader.store import Annotation, Store, load_themes

FIXTURES = sorted(DATA.glob("*.qdpx"))


def coded_text_selections(path: Path) -> dict[str, list[str]]:
    """selection GUID → code GUIDs, for every coded PlainTextSelection of a TextSource."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
    found = {}
    for sel in root.iterfind("q:Sources/q:TextSource/q:PlainTextSelection", NS):
        refs = sel.iterfind("q:Coding/q:CodeRef", NS)
        codes = [ref.get("targetGUID", "").lower() for ref in refs]
        if codes:
            found[sel.get("guid", "").lower()] = codes
    return found


def annotations(store_dir: Path) -> dict[str, Annotation]:
    store = Store(store_dir, read_only=True)
    try:
        return {a.id: a for a in store.all_annotations()}
    finally:
        store.close()


def run(*argv: str | Path) -> int:
    return main(["import", *map(str, argv)])


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_other_tools_projects_import_every_coded_text_selection(
    fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = tmp_path / "store"
    status = run(fixture, "--store", store, "--corpus", corpus, "--into", corpus / "in")
    out, err = capsys.readouterr()
    assert status == 0, err
    expected = coded_text_selections(fixture)
    imported = annotations(tmp_path / "store") if expected else {}
    assert set(imported) == set(expected)
    assert all(a.status == "anchored" for a in imported.values())
    themes = load_themes(tmp_path / "store")
    for ann in imported.values():  # one theme per distinct code, every theme known
        assert len(ann.themes) == len(set(expected[ann.id]))
        assert all(key in themes for key in ann.themes)
        text = (corpus / ann.doc).read_text("utf-8")
        assert text[ann.start : ann.end] == ann.quote
    if expected:
        assert f"added {len(expected)}," in out
        distinct = {c for codes in expected.values() for c in codes}
        assert len({k for a in imported.values() for k in a.themes}) == len(distinct)


def test_nvivo_positions_are_utf16_units_after_the_bom_with_crlf_as_two(tmp_path: Path) -> None:
    fixture = DATA / "nvivo-windows-12.6.qdpx"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert run(fixture, "--store", tmp_path / "s", "--corpus", corpus, "--into", corpus) == 0
    imported = annotations(tmp_path / "s")
    with zipfile.ZipFile(fixture) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
        sources = {
            s.get("guid"): archive.read("Sources/" + s.get("plainTextPath", "")[11:])
            for s in root.iterfind("q:Sources/q:TextSource", NS)
        }
    astral = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        units = sources[source.get("guid")].decode("utf-8-sig").encode("utf-16-le")
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            expected = units[2 * start : 2 * end].decode("utf-16-le").replace("\r\n", "\n")
            ann = imported[sel.get("guid", "")]
            assert ann.quote == expected
            astral += any(ord(ch) > 0xFFFF for ch in units[: 2 * start].decode("utf-16-le"))
    assert astral > 100  # most selections lie after an emoji: the conversion matters


def _same(a: Annotation, b: Annotation) -> tuple[object, ...]:
    return (a.id, a.doc, a.start, a.end, a.quote, a.themes, a.note, a.annotator, a.created,
            a.updated)  # fmt: skip


@pytest.mark.parametrize("fmt", ["qdpx", "brat"])
def test_round_trip_gives_the_same_annotations(fmt: str, tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path / "src")
    data = load_data(store_dir, corpus)
    target = tmp_path / ("export.qdpx" if fmt == "qdpx" else "export")
    export_to_path(fmt, data, target)
    assert run(target, "--store", tmp_path / "back", "--corpus", corpus) == 0
    back = annotations(tmp_path / "back")
    placeable = [a for a in data.annotations if a.doc in data.documents and a.status != "orphaned"]
    assert {a.id: _same(a, a) for a in placeable} == {a.id: _same(a, a) for a in back.values()}
    # the unknown key "economy" came back as a theme of its own, with a digit
    assert load_themes(tmp_path / "back").get("economy") is not None
    # and importing again changes nothing
    assert run(target, "--store", tmp_path / "back", "--corpus", corpus) == 0
    assert annotations(tmp_path / "back") == back


def test_brat_round_trip_keeps_a_passage_that_ends_with_a_line_break(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path / "src")
    data = load_data(store_dir, corpus)
    ann = next(a for a in data.annotations if a.status == "anchored" and a.doc in data.documents)
    text = data.documents[ann.doc].text
    end = text.index("\n", ann.end) + 1
    grown = ann.copy(end=end, quote=text[ann.start : end], id=ann.id[:-2] + "ff")
    data = ExportData([grown], data.themes, data.documents)
    export_to_path("brat", data, tmp_path / "b")
    assert run(tmp_path / "b", "--store", tmp_path / "back", "--corpus", corpus) == 0
    (back,) = annotations(tmp_path / "back").values()
    assert (back.start, back.end, back.quote) == (grown.start, grown.end, grown.quote)


def test_a_foreign_brat_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    text = "Putin met Kim in Vladivostok.\r\nThey signed a pact.\n"
    (folder / "doc1.txt").write_bytes(text.encode("utf-8"))
    (folder / "doc1.ann").write_text(
        "T1\tPerson 0 5\tPutin\n"
        "T2\tPerson 10 13\tKim\n"
        "T3\tLeader 10 13\tKim\n"
        "T4\tPlace 17 28\tVladivostok\n"
        "R1\tMet Arg1:T1 Arg2:T2\n"
        "#1\tAnnotatorNotes T4\ta port\\nC:\\new\n"
        "T5\tEvent 31 50\tThey signed a pact.\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert run(folder, "--store", tmp_path / "s", "--corpus", corpus, "--into", corpus) == 0
    err = capsys.readouterr().err
    assert "1 relation(s) not imported" in err
    got = sorted((a.quote, a.themes, a.note) for a in annotations(tmp_path / "s").values())
    assert got == [
        ("Kim", ["person", "leader"], ""),
        ("Putin", ["person"], ""),
        ("They signed a pact.", ["event"], ""),
        ("Vladivostok", ["place"], "a port\\nC:\\new"),  # not our file: no escapes undone
    ]
    assert (corpus / "doc1.txt").read_text("utf-8") == text.replace("\r\n", "\n")


def test_sources_attach_to_corpus_documents_by_name_or_text(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path / "src")
    data = load_data(store_dir, corpus)
    export_to_path("qdpx", data, tmp_path / "p.qdpx")
    renamed = tmp_path / "renamed"  # same texts under other names: found by their text
    renamed.mkdir()
    for rel, doc in data.documents.items():
        (renamed / ("x-" + rel)).write_text(doc.text, encoding="utf-8")
    assert run(tmp_path / "p.qdpx", "--store", tmp_path / "s", "--corpus", renamed) == 0
    assert {a.doc for a in annotations(tmp_path / "s").values()} == {
        "x-" + rel for rel in {a.doc for a in data.annotations} if rel in data.documents
    }
    assert sorted(p.name for p in renamed.iterdir()) == sorted("x-" + r for r in data.documents)


def test_new_sources_need_a_folder_inside_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = DATA / "qc-1.3.2.qdpx"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert run(fixture, "--store", tmp_path / "s", "--corpus", corpus) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--into" in err
    assert run(fixture, "--store", tmp_path / "s", "--corpus", corpus, "--into", tmp_path) == 2
    assert "inside the corpus" in capsys.readouterr().err
    assert not (tmp_path / "s").exists() and list(corpus.iterdir()) == []


def test_an_import_that_fails_half_way_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = DATA / "qc-1.3.2.qdpx"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store_dir = tmp_path / "s"
    Store(store_dir, "me").close()
    calls = 0
    real_put = Store.put_many  # the import writes a document at a time

    def failing_put(self: Store, doc_rel: str, anns: list[Annotation]) -> dict[str, str]:
        nonlocal calls
        calls += 1
        real_put(self, doc_rel, anns[: len(anns) // 2])  # half written: rolled back below
        raise StoreError("cannot write: No space left on device", store_dir)

    monkeypatch.setattr(Store, "put_many", failing_put)
    assert run(fixture, "--store", store_dir, "--corpus", corpus, "--into", corpus / "in") == 2
    assert capsys.readouterr().err.count("\n") == 1
    monkeypatch.undo()
    assert calls == 1
    assert annotations(store_dir) == {}
    assert list(store_dir.glob("themes.toml*")) == []  # the theme file written is gone again
    assert not (corpus / "in").exists() or list((corpus / "in").iterdir()) == []


def test_more_than_ten_themes_get_no_digit(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert run(DATA / "qc-1.3.2.qdpx", "--store", tmp_path / "s", "--corpus", corpus,
               "--into", corpus) == 0  # fmt: skip
    themes = list(load_themes(tmp_path / "s"))
    assert len(themes) == 4 + 77
    assert sorted(t.digit for t in themes if t.digit) == list("0123456789")
    assert len({t.color for t in themes}) == len(themes)  # distinct colours
    assert len({t.key for t in themes}) == len(themes)
    assert json.dumps([t.key for t in themes]).isascii()
