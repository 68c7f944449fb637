"""Reading a brat standoff folder: every ``NAME.ann`` with its ``NAME.txt``.

- ``T`` lines (text-bound annotations) become passages: the entity type is the
  theme; fragments (``;``) give the span from the first start to the last end.
  ``T`` lines of one passage are grouped by the ``ReaderMeta`` comments our
  export writes (which also give back the id, annotator, dates and exact span);
  in files from elsewhere, ``T`` lines over the same fragments are one passage
  with several themes.
- ``#`` ``AnnotatorNotes`` comments are the passage's note (our export's
  escapes undone in a file it wrote).
- Relations, events, attributes, normalisations and equivalences have no
  place in the program: counted and reported in one line each.

Offsets are code points of the ``.txt`` as it is (brat's server is Python);
its CRLFs, if any, are then folded to LF like every text. Files are read only
inside the folder, each at most :data:`reader.exchange.safezip.MAX_MEMBER` bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reader.errors import UsageError
from reader.exchange.brat_out import escape_note
from reader.exchange.ids import guid
from reader.exchange.model import Code, Foreign, Selection, Source, convert, iso, offset_map
from reader.exchange.qdpx_in import decode_source
from reader.exchange.safezip import MAX_MEMBER, MAX_MEMBERS, MAX_TOTAL

_T = re.compile(r"T\d+\t([^\t ]+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)")
_COMMENT = re.compile(r"#\d*\t([^\t ]+) (T\d+)\t?(.*)")
_OTHER = {"R": "relation(s)", "E": "event(s)", "A": "attribute(s)", "M": "attribute(s)",
          "N": "normalisation(s)", "*": "equivalence(s)"}  # fmt: skip
_UNESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}


def unescape_note(text: str) -> str:
    """Undo :func:`reader.exchange.brat_out.escape_note`."""

    def one(m: re.Match[str]) -> str:
        code = m[1]
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, "\\" + code)

    return _UNESCAPE.sub(one, text)


def read(folder: Path) -> Foreign:
    """Read every ``.ann`` of ``folder`` (and below) with its ``.txt``.

    Raises:
        UsageError: no ``.ann`` file, a ``.txt`` missing or not UTF-8, too many
            or too large files (one line naming it).
    """
    folder = Path(folder)
    root = folder.resolve()
    anns = sorted(p for p in folder.rglob("*.ann") if p.is_file())
    if not anns:
        raise UsageError("no .ann file here: not a brat folder", folder)
    if len(anns) > MAX_MEMBERS:
        raise UsageError(f"{len(anns)} .ann files (at most {MAX_MEMBERS})", folder)
    foreign = Foreign("brat", "brat")
    counts: dict[str, int] = {}
    total = 0
    for ann_path in anns:
        txt_path = ann_path.with_suffix(".txt")
        for path in (ann_path, txt_path):
            if not path.resolve().is_relative_to(root) or not path.is_file():
                raise UsageError("missing, or not a file inside the folder", path)
            size = path.stat().st_size
            total += size
            if size > MAX_MEMBER or total > MAX_TOTAL:
                raise UsageError(f"too large ({size} bytes)", path)
        rel = txt_path.relative_to(folder).as_posix()
        raw = decode_source(txt_path.read_bytes(), str(txt_path), folder)
        lines = decode_source(ann_path.read_bytes(), str(ann_path), folder).splitlines()
        foreign.sources.append(_document(foreign, rel, raw, lines, counts))
    foreign.unmapped = [
        f"{n} {what} not imported: reader has no place for them" for what, n in counts.items()
    ]
    return foreign


def _document(
    foreign: Foreign, rel: str, raw: str, lines: list[str], counts: dict[str, int]
) -> Source:
    text, _, removed = offset_map(raw, utf16=False)
    source = Source(rel, rel, text, path_hint=rel)
    entities: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    notes: dict[str, str] = {}
    meta: dict[str, dict[str, object]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.startswith("T"):
            m = _T.fullmatch(line)
            if m is None:
                foreign.rejected.append(f"{rel}.ann line {number}: not a text-bound annotation")
                continue
            pairs = [part.split() for part in m[2].split(";")]
            entities[line.split("\t", 1)[0]] = (m[1], [(int(a), int(b)) for a, b in pairs])
        elif line.startswith("#"):
            m = _COMMENT.fullmatch(line)
            if m is None:
                continue
            if m[1] == "AnnotatorNotes":
                notes[m[2]] = m[3]
            elif m[1] == "ReaderMeta":
                try:
                    value = json.loads(m[3])
                except (json.JSONDecodeError, RecursionError):
                    value = None
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    meta[m[2]] = value
        elif line[0] in _OTHER:
            counts[_OTHER[line[0]]] = counts.get(_OTHER[line[0]], 0) + 1
        else:
            foreign.rejected.append(f"{rel}.ann line {number}: not a brat annotation line")
    ours = bool(meta)
    groups: dict[str, list[str]] = {}
    for tid, (_, frags) in entities.items():
        group = str(meta[tid]["id"]) if tid in meta else f"{frags}"
        groups.setdefault(group, []).append(tid)
    for group, tids in groups.items():
        selection = _selection(foreign, rel, group, tids, entities, notes, meta, ours)
        if selection is None:
            continue
        start, end = convert(selection.start, None, removed), convert(selection.end, None, removed)
        if not 0 <= start < end <= len(text):
            foreign.rejected.append(
                f"{rel}.ann {tids[0]}: span {selection.start}–{selection.end} is not in the text"
            )
            continue
        selection.start, selection.end = start, end
        source.selections.append(selection)
    return source


def _selection(
    foreign: Foreign,
    rel: str,
    group: str,
    tids: list[str],
    entities: dict[str, tuple[str, list[tuple[int, int]]]],
    notes: dict[str, str],
    meta: dict[str, dict[str, object]],
    ours: bool,
) -> Selection | None:
    frags = [f for tid in tids for f in entities[tid][1]]
    start, end = min(s for s, _ in frags), max(e for _, e in frags)
    info = next((meta[t] for t in tids if "annotator" in meta.get(t, {})), {})
    given = (info.get("start"), info.get("end"))
    if all(isinstance(x, int) for x in given):
        s, e = given
        if isinstance(s, int) and isinstance(e, int) and s <= start and end <= e:
            start, end = s, e  # the line breaks the fragments leave out, at either end
    codes = []
    for tid in tids:
        kind = entities[tid][0]
        code = foreign.codes.setdefault(kind, Code(kind, kind, key=kind))
        if code.guid not in codes:
            codes.append(code.guid)
    said = [notes[t] for t in tids if t in notes]
    note = "\n\n".join(unescape_note(n) if ours else n for n in said)
    annotator, created, updated = (
        str(info.get(k, "")) for k in ("annotator", "created", "updated")
    )
    return Selection(
        id=group
        if group in {str(meta[t]["id"]) for t in tids if t in meta}
        else guid("brat", rel, f"{start} {end}"),
        start=start,
        end=end,
        codes=codes,
        note=note,
        annotator=annotator,
        created=iso(created) if created else "",
        updated=iso(updated) if updated else "",
    )


__all__ = ["escape_note", "read", "unescape_note"]
