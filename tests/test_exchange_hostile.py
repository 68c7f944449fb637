"""Hostile projects and hostile text: zip bombs, path traversal, XXE, billion laughs, huge and
non-UTF-8 sources give one line and exit 2 with nothing written; the qdpx and brat writers
stay valid on any text; what does not map is reported in one line each."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from exchange_support import read_qdpx
from hypothesis import assume, given
from hypothesis import strategies as st

from reader.cli import main
from reader.corpus import Document
from reader.errors import UsageError
from reader.exchange import brat_in, safezip
from reader.export import export_to_path
from reader.export.records import ExportData
from reader.store import Annotation, Store, default_themes
from reader.store.model import context
from tests.hostile.strategies import fuzz_settings, hostile_text, note_text

NS = 'xmlns="urn:QDA-XML:project:1.0"'
CODE = "11111111-1111-4111-8111-111111111111"
HEAD = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project {NS} name="p" origin="Some Tool 1.0">'
        f'<CodeBook><Codes><Code guid="{CODE}" name="Theme A" isCodable="true"/></Codes>'
        "</CodeBook>")  # fmt: skip


def selection(n: int, start: int, end: int) -> str:
    return (f'<PlainTextSelection guid="00000000-0000-4000-8000-{n:012d}" startPosition="{start}"'
            f' endPosition="{end}"><Coding guid="22222222-2222-4222-8222-{n:012d}">'
            f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')  # fmt: skip


def project(sources: str, tail: str = "") -> str:
    return f"{HEAD}<Sources>{sources}</Sources>{tail}</Project>"


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def import_(tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    status = main(["import", str(target), "--store", str(tmp_path / "store"), "--corpus",
                   str(corpus), "--into", str(corpus)])  # fmt: skip
    return status, capsys.readouterr().err


def nothing_written(tmp_path: Path) -> bool:
    return not (tmp_path / "store").exists() and list((tmp_path / "corpus").iterdir()) == []


TEXT = "نص المصدر الأول.\nسطر ثان."
GOOD = project(
    '<TextSource guid="33333333-3333-4333-8333-333333333333" name="one"'
    f' plainTextPath="internal://33333333-3333-4333-8333-333333333333.txt">{selection(1, 0, 2)}'
    "</TextSource>"
)


def test_a_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setattr(safezip, "MAX_MEMBER", 1 << 20)  # 1 MB here, 256 MB in use
    bomb = make_zip(tmp_path / "bomb.qdpx", {
        "project.qde": GOOD.encode(),
        "sources/33333333-3333-4333-8333-333333333333.txt": b"\x20" * (8 << 20),
    })  # fmt: skip
    assert bomb.stat().st_size < 20_000  # 8 MB inflated from a few KB
    status, err = import_(tmp_path, bomb, capsys)
    assert status == 2 and err.count("\n") == 1 and "too large" in err
    assert nothing_written(tmp_path)


def test_a_bomb_that_lies_about_its_size_is_cut_off(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "lie.qdpx", {"project.qde": b"<Project/>" + b" " * (4 << 20)})
    data = bytearray(path.read_bytes())
    # Declare a tiny uncompressed size in the central directory: inflating must stop anyway.
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(UsageError, match=r"project\.qde"), safezip.Project(path) as opened:
        opened.open()  # zipfile notices the lie at the end of the member, or the limit does


def test_path_traversal_names_are_never_read_or_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    sources = (
        '<TextSource guid="44444444-4444-4444-8444-444444444444" name="evil"'
        ' plainTextPath="internal://../../secret.txt">' + selection(2, 0, 3) + "</TextSource>"
        '<TextSource guid="55555555-5555-4555-8555-555555555555" name="abs"'
        f' plainTextPath="{secret}">' + selection(3, 0, 3) + "</TextSource>"
    )
    evil = make_zip(tmp_path / "evil.qdpx", {
        "project.qde": project(sources).encode(),
        "../../secret.txt": b"from the zip",
        "/etc/passwd": b"root",
    })  # fmt: skip
    status, err = import_(tmp_path, evil, capsys)
    assert status == 1  # two sources rejected, one line each; nothing else happened
    assert err.count("is not in the project") == 2
    assert secret.read_text("utf-8") == "secret"
    assert not (tmp_path / "store" / "docs").exists() or not list(
        (tmp_path / "store" / "docs").iterdir()
    )


@pytest.mark.parametrize(
    "xml",
    [
        # XXE: an external entity reading a local file
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<Project {NS} name='&x;'/>",
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        f"<Project {NS} name='&d;&d;&d;&d;&d;&d;&d;'/>",
        # a DTD alone
        f'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://x/p.dtd"><Project {NS} name="p"/>',
    ],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_xml_with_a_dtd_or_entities_is_refused(
    xml: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_zip(tmp_path / "x.qdpx", {"project.qde": xml.encode()})
    status, err = import_(tmp_path, path, capsys)
    assert status == 2 and err.count("\n") == 1 and "DTD or entities" in err
    assert "root:" not in err and nothing_written(tmp_path)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"project.qde": b"<Project"}, "not well-formed XML"),
        ({"project.qde": b"<Other/>"}, "not a REFI-QDA project"),
        ({"readme.txt": b"hello"}, "no project.qde"),
        ({"a.qde": GOOD.encode(), "b.qde": GOOD.encode()}, "several .qde"),
        (
            {
                "project.qde": GOOD.encode(),
                "sources/33333333-3333-4333-8333-333333333333.txt": "نص".encode("cp1256"),
            },
            "not UTF-8",
        ),
    ],
    ids=["broken-xml", "not-refi", "no-qde", "two-qde", "not-utf8"],
)
def test_bad_projects_are_one_line_and_exit_2(
    members: dict[str, bytes], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = import_(tmp_path, make_zip(tmp_path / "p.qdpx", members), capsys)
    assert status == 2 and err.count("\n") == 1 and message in err, err
    assert nothing_written(tmp_path)


def test_not_a_zip_and_a_truncated_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.qdpx").write_bytes(b"\x00\x01binary")
    status, err = import_(tmp_path, tmp_path / "a.qdpx", capsys)
    assert status == 2 and err.count("\n") == 1
    good = make_zip(tmp_path / "g.qdpx", {"project.qde": GOOD.encode() * 50})
    (tmp_path / "t.qdpx").write_bytes(good.read_bytes()[:-30])
    status, err = import_(tmp_path, tmp_path / "t.qdpx", capsys)
    assert status == 2 and err.count("\n") == 1


def test_tolerance_sources_folder_qde_of_another_name_and_content_in_the_xml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = (
        '<TextSource guid="66666666-6666-4666-8666-666666666666" name="in the zip"'
        f' plainTextPath="internal://66666666-6666-4666-8666-666666666666.txt">{selection(4, 0, 2)}'
        "</TextSource>"
        '<TextSource guid="77777777-7777-4777-8777-777777777777" name="in the XML">'
        f"<PlainTextContent>{TEXT}</PlainTextContent>{selection(5, 3, 9)}</TextSource>"
        '<PDFSource guid="88888888-8888-4888-8888-888888888888" path="internal://x.pdf">'
        '<PDFSelection guid="99999999-9999-4999-8999-999999999999" page="1" firstX="0"'
        ' firstY="0" secondX="1" secondY="1"/></PDFSource>'
        '<AudioSource guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" path="internal://x.mp3"/>'
    )
    variables = ('<Variables><Variable guid="cccccccc-cccc-4ccc-8ccc-cccccccccccc" name="v"'
                 ' typeOfVariable="Text"/></Variables>')  # fmt: skip
    cases = '<Cases><Case guid="bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb" name="c"/></Cases>'
    qde = project(sources).replace("<Sources>", variables + cases + "<Sources>")
    path = make_zip(tmp_path / "p.qdpx", {
        "My Project.QDE": qde.encode(),
        "Sources/66666666-6666-4666-8666-666666666666.txt": ("\ufeff" + TEXT).encode(),
    })  # fmt: skip
    status, err = import_(tmp_path, path, capsys)
    assert status == 0, err
    for line in ("1 PDF source(s)", "1 selection(s) in PDF sources", "1 audio source(s)",
                 "1 case(s)", "1 variable(s)"):  # fmt: skip
        assert err.count(line) == 1, err
    store = Store(tmp_path / "store", read_only=True)
    quotes = sorted(a.quote for a in store.all_annotations())
    store.close()
    assert quotes == sorted([TEXT[0:2], TEXT[3:9]])


def test_a_bare_qde_reads_sources_beside_it_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "unzipped"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "33333333-3333-4333-8333-333333333333.txt").write_text(TEXT, "utf-8")
    (folder / "project.qde").write_text(GOOD, encoding="utf-8")
    status, err = import_(tmp_path, folder / "project.qde", capsys)
    assert status == 0, err
    store = Store(tmp_path / "store", read_only=True)
    assert [a.quote for a in store.all_annotations()] == [TEXT[:2]]
    store.close()


def test_brat_folder_limits(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=r"no \.ann file"):
        brat_in.read(tmp_path / "empty")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.ann").write_text("T1\tA 0 1\tx\n", "utf-8")
    with pytest.raises(UsageError, match="missing"):
        brat_in.read(tmp_path / "b")  # no x.txt
    (tmp_path / "b" / "x.txt").write_bytes("نص".encode("cp1256"))
    with pytest.raises(UsageError, match="not UTF-8"):
        brat_in.read(tmp_path / "b")


@fuzz_settings(25)
@given(hostile_text, note_text, st.text(min_size=1, max_size=12))
def test_qdpx_and_brat_of_any_text_stay_valid(text: str, note: str, annotator: str) -> None:
    assume(text.strip() and len(text) >= 2)
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        doc = Document(tmp / "d.txt", "d.txt", text, "utf-8", len(text))
        start, end = 0, len(text)
        quote, prefix, suffix = context(text, start, end)
        ann = Annotation(
            id="00000000-0000-4000-8000-000000000001", doc="d.txt", doc_sha256=doc.sha256,
            start=start, end=end, quote=quote, prefix=prefix, suffix=suffix,
            themes=["arms", "china"], note=note, annotator=annotator,
            created="2026-11-01T10:00:00.000Z", updated="2026-11-01T10:00:00.000Z",
        )  # fmt: skip
        data = ExportData([ann], default_themes(), {"d.txt": doc})
        export_to_path("qdpx", data, tmp / "p.qdpx")
        read_qdpx(tmp / "p.qdpx")  # validates against the schema
        export_to_path("brat", data, tmp / "b")
        for ann_file in (tmp / "b").glob("*.ann"):
            lines = ann_file.read_text("utf-8").split("\n")
            assert lines[-1] == "" and all(line.count("\t") == 2 for line in lines[:-1])
            assert all(len(line.splitlines()) <= 1 for line in lines)
            for line in lines:
                if "\tReaderMeta " in line:
                    assert json.loads(line.split("\t", 2)[2])["id"] == ann.id


def test_a_huge_bare_qde_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(safezip, "MAX_MEMBER", 1 << 16)
    huge = tmp_path / "huge.qde"
    huge.write_text(GOOD + " " * (1 << 17), encoding="utf-8")
    status, err = import_(tmp_path, huge, capsys)
    assert status == 2 and err.count("\n") == 1 and "too large" in err
    assert nothing_written(tmp_path)
