"""``reader export``, ``reader import`` and ``reader stats`` as a user runs them: exit codes,
one-line errors, no partial or clobbered files, plain output when not on a terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from export_support import build_store

from reader.cli import main
from reader.commands import export as export_command

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_store(tmp_path_factory.mktemp("cli"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def where(fixed: tuple[Path, Path]) -> list[str]:
    return ["--store", str(fixed[0]), "--corpus", str(fixed[1])]


def test_export_to_stdout_is_the_golden_file(fixed, capsys) -> None:
    code, out, err = run(capsys, "export", "--format", "jsonl", *where(fixed))
    assert code == 0
    assert out == (GOLDEN / "fixed.jsonl").read_text("utf-8")
    assert "unknown theme key" in err and "economy" in err  # the store's report, as a warning


def test_output_file_is_never_clobbered_without_force(fixed, capsys, tmp_path) -> None:
    target = tmp_path / "out.csv"
    assert run(capsys, "export", "-f", "csv", *where(fixed), "-o", str(target))[0] == 0
    assert target.read_bytes() == (GOLDEN / "fixed.excel.csv").read_bytes()  # the default
    target.write_text("precious", "utf-8")
    code, out, err = run(capsys, "export", "-f", "csv", *where(fixed), "-o", str(target))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(target) in err and "--force" in err
    assert target.read_text("utf-8") == "precious"
    code, _, _ = run(capsys, "export", "-f", "md", *where(fixed), "-o", str(target), "--force")
    assert code == 0 and target.read_bytes() == (GOLDEN / "fixed.md").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary left


@pytest.mark.parametrize(
    ("flags", "golden"),
    [([], "fixed.excel.csv"), (["--excel"], "fixed.excel.csv"), (["--no-excel"], "fixed.csv")],
)
def test_csv_is_excel_safe_unless_no_excel(fixed, capsys, tmp_path, flags, golden) -> None:
    target = tmp_path / "out.csv"
    assert run(capsys, "export", "-f", "csv", *flags, *where(fixed), "-o", str(target))[0] == 0
    assert target.read_bytes() == (GOLDEN / golden).read_bytes()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") == (golden == "fixed.excel.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "--excel"], "--excel and --no-excel apply only to --format csv"),
        (["-f", "md", "--no-excel"], "--excel and --no-excel apply only to --format csv"),
        (["-f", "json", "--theme", "nope"], "unknown theme 'nope'"),
        (["-f", "json", "--doc", "nowhere.txt"], "no such document"),
        (["-f", "json", "-o", "/nonexistent/folder/x.json"], "no such folder"),
        (["-f", "json", "--corpus", "/nonexistent/corpus"], "no such file"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(fixed, capsys, args, message) -> None:
    code, out, err = run(capsys, "export", *where(fixed), *args)
    assert code == 2 and out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("reader: ") and message in last


def test_missing_store_is_an_error(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "export", "-f", "json", "--store", str(tmp_path / "none"))
    assert code == 2 and "no store here" in err


def test_filters_by_theme_and_document(fixed, capsys) -> None:
    _, out, _ = run(capsys, "export", "-f", "jsonl", *where(fixed), "--theme", "china")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2 and all("china" in r["themes"] for r in records)
    _, out, _ = run(capsys, "export", "-f", "jsonl", *where(fixed), "--doc", "hostile.txt")
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {"hostile.txt"}
    corpus_file = str(fixed[1] / "hostile.txt")
    _, by_path, _ = run(capsys, "export", "-f", "jsonl", *where(fixed), "--doc", corpus_file)
    assert by_path == out


def test_progress_bar_only_on_a_terminal(fixed, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(export_command, "PROGRESS_FROM", 1)
    target = tmp_path / "a.jsonl"
    code, _, err = run(capsys, "export", "-f", "jsonl", *where(fixed), "-o", str(target))
    assert code == 0 and "export jsonl" not in err  # stderr is not a terminal here

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = Terminal()
    monkeypatch.setattr("sys.stderr", fake)
    target.unlink()
    assert main(["export", "-f", "jsonl", *where(fixed), "-o", str(target)]) == 0
    assert "export jsonl" in fake.getvalue()
    assert target.read_bytes() == (GOLDEN / "fixed.jsonl").read_bytes()


def test_import_summary_and_rejections(fixed, capsys, tmp_path) -> None:
    source = tmp_path / "in.jsonl"
    lines = (GOLDEN / "fixed.jsonl").read_text("utf-8").splitlines()
    source.write_text("\n".join([*lines, '{"id": "broken"}']), "utf-8")
    store = tmp_path / "store"
    code, out, err = run(
        capsys, "import", str(source), "--store", str(store), "--corpus", str(fixed[1])
    )
    assert code == 1  # a record was rejected
    assert out.strip().endswith(
        "added 9, updated 0, unchanged 0, re-anchored 0, orphaned 1, rejected 1 "
        "(1 not checked: document text not found) (jsonl)"
    )
    assert "rejected line 10: record" in err and "broken" in err and "lacks" in err


def test_import_of_a_non_export_writes_nothing(capsys, tmp_path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", "utf-8")
    code, out, err = run(capsys, "import", str(bad), "--store", str(tmp_path / "store"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert not (tmp_path / "store").exists()


def test_stats_as_plain_text(fixed, capsys) -> None:
    code, out, _ = run(capsys, "stats", *where(fixed))
    assert code == 0 and "\x1b" not in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    # hostile.txt: arms 1, troops 1, sanctions 0, china 1, economy 1; 3 passages.
    assert rows["hostile.txt"][1:3] == ["1", "(13.9%)"]
    assert rows["hostile.txt"][-2:] == ["3", "53.0%"]
    assert rows["missing.txt"][-2:] == ["1", "—"]
    assert "Arms + China's role: 1" in out and "Arms + Troops: 1" in out
    assert "9 passages in 4 documents; 1 orphaned." in out


def test_stats_lists_the_corpus_documents_without_tags(fixed, capsys) -> None:
    _, corpus = fixed
    (corpus / "untagged.txt").write_text("نص بلا وسم.\n", "utf-8")
    code, out, _ = run(capsys, "stats", *where(fixed))
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["untagged.txt"][1:3] == ["0", "(0.0%)"] and rows["untagged.txt"][-2:] == [
        "0",
        "0.0%",
    ]
    assert "9 passages in 4 of 5 documents; 1 orphaned." in out
    code, out, _ = run(capsys, "stats", *where(fixed), "--doc", "hostile.txt")
    assert "untagged.txt" not in out  # --doc: only the documents named


def test_import_of_an_unknown_theme_locks_nothing_else_and_says_so(tmp_path, capsys) -> None:
    """A record naming a theme the store lacks is kept, written last, and reported."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "وقعت روسيا اتفاقية دفاع. بوتين وكيم جونغ أون."
    (corpus / "a.txt").write_text(text, "utf-8")
    digest = __import__("hashlib").sha256(text.encode()).hexdigest()
    rows = []
    for number, (word, themes) in enumerate([("بوتين", ["economy"]), ("وقعت", ["arms"])]):
        start = text.index(word)
        rows.append(
            {
                "id": f"8b0a2c1e-0000-4000-8000-00000000000{number}",
                "doc": "a.txt", "doc_sha256": digest, "start": start,
                "end": start + len(word), "quote": word, "prefix": "", "suffix": "",
                "themes": themes, "note": "", "annotator": "x",
                "created": "2026-11-21T13:00:00.000Z", "updated": "2026-11-21T13:00:00.000Z",
                "status": "anchored",
            }
        )  # fmt: skip
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    store = tmp_path / "store"
    code, out, err = run(
        capsys, "import", str(source), "--store", str(store), "--corpus", str(corpus)
    )
    assert code == 0
    assert "added 2," in out and "rejected 0" in out
    # Reported, kept, and the document stays writable (issue 12 item 7).
    assert "unknown theme key(s) 'economy'" in err and "stays writable" in err
