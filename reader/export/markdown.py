"""The ``md`` export: a report grouped by theme, then by document, each passage quoted.

Meant for reading and pasting into notes: a table of counts per theme, then per
theme a section with, per document, its passages as block quotes with their
offsets, status and note. Control characters are drawn as visible placeholders
and Markdown/HTML syntax in the text is escaped, so a document cannot inject
markup into whatever renders the report.
"""

from __future__ import annotations

import re
from typing import TextIO

from reader.export.grouping import by_theme_then_doc, theme_order
from reader.export.progress import Tick
from reader.export.records import ExportData, visible, visible_line
from reader.store import Annotation

# Backslash-escapable ASCII punctuation that could start markup (CommonMark §2.4).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    """Plain text safe inside Markdown: controls made visible, markup characters escaped."""
    text = _SPECIAL.sub(r"\\\1", visible(text)).replace("&", "&amp;")
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)


def escape_line(text: str) -> str:
    """``escape`` for a place that must stay one line (a heading, a list of names)."""
    return escape(visible_line(text))


def _label(data: ExportData, key: str) -> str:
    theme = data.themes.get(key)
    if theme is None:
        return f"{escape_line(key)} (unknown theme)"
    return f"{escape_line(theme.label_en)} — {escape_line(theme.label_ar)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write the report."""
    grouped = by_theme_then_doc(data)
    done: set[str] = set()
    docs = {ann.doc for ann in data.annotations}
    out.write("# Annotations by theme\n\n")
    out.write(
        f"{_plural(len(data.annotations), 'passage')} in {_plural(len(docs), 'document')}.\n\n"
    )
    out.write("| Theme | Passages | Documents |\n|---|---:|---:|\n")
    for key in theme_order(data):
        per_doc = grouped.get(key, {})
        count = sum(len(anns) for anns in per_doc.values())
        out.write(f"| {_label(data, key)} | {count} | {len(per_doc)} |\n")
    for key, per_doc in grouped.items():
        count = sum(len(anns) for anns in per_doc.values())
        out.write(f"\n## {_label(data, key)} ({_plural(count, 'passage')})\n")
        for doc, anns in per_doc.items():
            out.write(f"\n### {escape_line(data.title(doc))} ({len(anns)})\n\n`{doc_code(doc)}`\n")
            for ann in anns:
                out.write("\n" + passage(data, ann, key))
        if tick is not None:  # a passage with two themes is written twice but counts once
            fresh = {ann.id for anns in per_doc.values() for ann in anns} - done
            done |= fresh
            tick(len(fresh))


def passage(data: ExportData, ann: Annotation, theme: str) -> str:
    """One quoted passage: the quote, then a line of offsets, annotator (and who else edited
    it), other themes, status and note."""
    lines = escape(ann.quote).split("\n")
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    facts = [f"{ann.start}–{ann.end}", f"by {escape_line(ann.annotator)}"]
    editors = list(dict.fromkeys(edit["by"] for edit in ann.edits))
    if editors:
        facts.append("edited by " + ", ".join(escape_line(name) for name in editors))
    others = [data.theme_label(k) for k in ann.themes if k != theme]
    if others:
        facts.append("also " + ", ".join(escape_line(label) for label in others))
    if ann.status != "anchored":
        facts.append(f"**{ann.status}**")
    line = " · ".join(facts)
    if ann.note:
        note = " ".join(escape(ann.note).split("\n"))
        line += f"  \n*Note:* {note}"
    return f"{quoted}\n\n{line}\n"


def doc_code(doc: str) -> str:
    """A path inside an inline code span: backticks, newlines and controls can't break out
    of it (a newline would end the paragraph and start a heading or raw HTML)."""
    return visible_line(doc).replace("`", "'")
