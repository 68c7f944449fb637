"""The ``html`` export: one self-contained page to read the passages in their documents.

``<html dir="rtl" lang="ar">``; a legend of the themes with their counts, a table
of counts per document and theme, then each document's full text with its
passages highlighted in their theme colours (a passage with several themes shows
a stripe of each) and their notes beside the paragraph where they begin.
Passages that cannot be placed in the text (orphaned, or the document not found)
are listed under their document with their quotes.

Safety: every piece of document text, quote, note, title and label is
HTML-escaped after control characters are made visible; colours are checked
before they reach the style sheet; the page has no script and loads nothing.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TextIO

from rich.color import Color, ColorParseError

from reader.corpus import Document
from reader.export.grouping import by_doc, theme_order
from reader.export.html_charts import Column, Row, heat_map, timeline
from reader.export.progress import Tick
from reader.export.records import ExportData, visible
from reader.store import Annotation
from reader.wording import plural

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
UNKNOWN_COLOR = "#888888"

STYLE = """
body{font-family:"Noto Naskh Arabic","Amiri","DejaVu Sans",sans-serif;margin:2rem auto;
max-width:72rem;line-height:1.9;color:#222;background:#fdfdfb;padding:0 1rem}
h1,h2{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}
.swatch{display:inline-block;width:1em;height:1em;border-radius:.2em;vertical-align:middle;margin-inline-end:.3em}
table.counts{border-collapse:collapse;margin:1rem 0}
table.counts th,table.counts td{border:1px solid #ccc;padding:.2rem .6rem;text-align:center}
.doc{border-top:2px solid #ccc;margin-top:2rem}
.path{color:#666;font-size:.85em;unicode-bidi:isolate}
.row{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,1fr);gap:1.5rem}
.para{margin:.4rem 0;white-space:pre-wrap;unicode-bidi:isolate}
.notes{font-size:.85em;color:#444}
.note{border-inline-start:4px solid #999;padding-inline-start:.5em;margin:.4rem 0;
white-space:pre-wrap}
mark{color:inherit;border-radius:.15em;padding:.05em 0}
.who{color:#666;font-style:italic}
figure{margin:1rem 0;overflow-x:auto}
figcaption{color:#666;font-size:.85em}
.unplaced blockquote{white-space:pre-wrap;border-inline-start:4px solid #999;margin:.5rem 0;
padding-inline-start:.7em}
"""


def css_color(color: str) -> str:
    """A theme colour as ``#rrggbb`` (names through Rich's table); grey when unknown."""
    if _HEX.fullmatch(color):
        return color.lower()
    try:
        triplet = Color.parse(color).get_truecolor()
    except ColorParseError:
        return UNKNOWN_COLOR
    return triplet.hex


def _esc(text: str) -> str:
    return html.escape(visible(text), quote=True)


class _Palette:
    """Colours and labels (as escaped HTML) of the themes, unknown keys included."""

    def __init__(self, data: ExportData) -> None:
        self.colors: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.plain: dict[str, str] = {}  # the label as text, for the pictures
        for key in theme_order(data):
            theme = data.themes.get(key)
            self.colors[key] = css_color(theme.color) if theme else UNKNOWN_COLOR
            self.plain[key] = f"{theme.label_ar} — {theme.label_en}" if theme else key
            self.labels[key] = (
                f'<bdi>{_esc(theme.label_ar)}</bdi> — <bdi lang="en">{_esc(theme.label_en)}</bdi>'
                if theme
                else f"<bdi>{_esc(key)}</bdi>"
            )

    def background(self, keys: Iterable[str]) -> str:
        """One tint per theme; several themes stack as horizontal stripes."""
        colors = [self.colors.get(k, UNKNOWN_COLOR) for k in dict.fromkeys(keys)]
        tints = [f"color-mix(in srgb,{c} 38%,transparent)" for c in colors]
        if len(tints) == 1:
            return f"background-color:{tints[0]}"
        step = 100 / len(tints)
        stops = ",".join(f"{t} {i * step:.4g}% {(i + 1) * step:.4g}%" for i, t in enumerate(tints))
        return f"background-image:linear-gradient(to bottom,{stops})"

    def swatch(self, key: str) -> str:
        color = self.colors.get(key, UNKNOWN_COLOR)
        return f'<span class="swatch" style="background:{color}"></span>'


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write the whole page."""
    palette = _Palette(data)
    grouped = by_doc(data)
    out.write(
        '<!DOCTYPE html>\n<html dir="rtl" lang="ar">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>تقرير الوسوم — Annotation report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        "<h1>تقرير الوسوم — Annotation report</h1>\n"
    )
    out.write(_summary(data, grouped, palette))
    for number, (rel, anns) in enumerate(grouped.items(), 1):
        out.write(_document(number, rel, anns, data.documents.get(rel), data, palette))
        if tick is not None:
            tick(len(anns))
    out.write("</body>\n</html>\n")


def _summary(data: ExportData, grouped: dict[str, list[Annotation]], palette: _Palette) -> str:
    keys = list(palette.colors)
    counts: dict[str, dict[str, int]] = {rel: defaultdict(int) for rel in grouped}
    totals: dict[str, int] = defaultdict(int)
    for rel, anns in grouped.items():
        for ann in anns:
            for key in dict.fromkeys(ann.themes):
                counts[rel][key] += 1
                totals[key] += 1
    parts = [
        f"<p>عدد المقاطع: {len(data.annotations)} · عدد الوثائق: {len(grouped)} — "
        f'<bdi lang="en">{plural(len(data.annotations), "passage")} in '
        f"{plural(len(grouped), 'document')}</bdi></p>\n"
    ]
    parts.append('<ul class="legend">\n')
    for key in keys:
        parts.append(
            f'<li data-theme="{_esc(key)}">{palette.swatch(key)}{palette.labels[key]}'
            f" ({totals[key]})</li>\n"
        )
    parts.append('</ul>\n<table class="counts">\n<thead><tr><th>Document</th>')
    parts.extend(f"<th>{palette.labels[k]}</th>" for k in keys)
    parts.append("<th>All</th></tr></thead>\n<tbody>\n")
    for number, (rel, anns) in enumerate(grouped.items(), 1):
        cells = "".join(f"<td>{counts[rel][k]}</td>" for k in keys)
        parts.append(
            f'<tr><th><a href="#doc-{number}"><bdi>{_esc(data.title(rel))}</bdi></a></th>{cells}'
            f"<td>{len(anns)}</td></tr>\n"
        )
    cells = "".join(f"<td>{totals[k]}</td>" for k in keys)
    parts.append(f"<tr><th>All</th>{cells}<td>{len(data.annotations)}</td></tr>\n")
    parts.append("</tbody>\n</table>\n")
    parts.append(_pictures(data, grouped, counts, palette))
    return "".join(parts)


def _pictures(
    data: ExportData,
    grouped: dict[str, list[Annotation]],
    counts: dict[str, dict[str, int]],
    palette: _Palette,
) -> str:
    """The heat map and the timeline, as inline SVG (``html_charts``)."""
    columns = [Column(k, palette.plain[k], palette.colors[k]) for k in palette.colors]
    rows = []
    for number, rel in enumerate(grouped, 1):
        doc = data.documents.get(rel)
        rows.append(Row(f"doc-{number}", data.title(rel), doc.date if doc else None, counts[rel]))
    chart, undated = timeline(rows, columns)
    left_out = (
        f'<figcaption><bdi lang="en">{plural(undated, "document")} without a date '
        "not shown</bdi></figcaption>"
        if undated
        else ""
    )
    return (
        '<section class="pictures">\n<h2>الوسوم في الوثائق — '
        '<bdi lang="en">Themes per document</bdi></h2>\n'
        f"<figure>{heat_map(rows, columns)}</figure>\n"
        '<h2>الوسوم عبر الزمن — <bdi lang="en">Themes over the documents\' dates</bdi></h2>\n'
        + (
            f"<figure>{chart}{left_out}</figure>\n"
            if chart
            else '<p><bdi lang="en">No document has a date.</bdi></p>\n'
        )
        + "</section>\n"
    )


def placed(
    anns: list[Annotation], doc: Document | None
) -> tuple[list[Annotation], list[Annotation]]:
    """Split passages into those found in the text at their offsets, and the rest."""
    if doc is None:
        return [], list(anns)
    text = doc.text
    inside: list[Annotation] = []
    outside: list[Annotation] = []
    for ann in anns:
        ok = (
            ann.status != "orphaned"
            and ann.end <= len(text)
            and text[ann.start : ann.end] == ann.quote
        )
        (inside if ok else outside).append(ann)
    return inside, outside


def _document(
    number: int,
    rel: str,
    anns: list[Annotation],
    doc: Document | None,
    data: ExportData,
    palette: _Palette,
) -> str:
    parts = [
        f'<article class="doc" id="doc-{number}" data-doc="{_esc(rel)}">\n'
        f"<h2><bdi>{_esc(data.title(rel))}</bdi></h2>\n"
        f'<p class="path" dir="ltr">{_esc(rel)} · {plural(len(anns), "passage")}</p>\n'
    ]
    inside, outside = placed(anns, doc)
    if doc is not None:
        parts.append(_text(doc, inside, palette))
    else:
        parts.append(
            "<p>لم يُعثر على نص الوثيقة؛ مقاطعها أدناه — "
            '<bdi lang="en">the document\'s text was not found; its passages follow.</bdi></p>\n'
        )
    if outside:
        parts.append(
            '<section class="unplaced">\n<h3>مقاطع خارج النص — '
            '<bdi lang="en">passages not placed in the text</bdi></h3>\n'
        )
        for ann in outside:
            parts.append(
                f'<div data-ann="{_esc(ann.id)}">{_badges(ann, palette)} '
                f'<small><bdi dir="ltr">{ann.start}–{ann.end}</bdi> · '
                f'<bdi lang="en">{_esc(ann.status)}</bdi> · '
                f'<bdi class="who">{_esc(ann.annotator)}</bdi></small>\n'
                f'<blockquote dir="auto" style="{palette.background(ann.themes)}">'
                f"{_esc(ann.quote)}</blockquote>"
            )
            if ann.note:
                parts.append(f'<p class="note" dir="auto">{_esc(ann.note)}</p>')
            parts.append("</div>\n")
        parts.append("</section>\n")
    parts.append("</article>\n")
    return "".join(parts)


def _badges(ann: Annotation, palette: _Palette) -> str:
    return "".join(
        f'{palette.swatch(k)}<span class="label">{palette.labels[k]}</span> '
        for k in dict.fromkeys(ann.themes)
    )


def _text(doc: Document, anns: list[Annotation], palette: _Palette) -> str:
    """Every paragraph, cut at passage boundaries; each cut covered by passages is a <mark>."""
    text = doc.text
    starts: dict[int, list[Annotation]] = defaultdict(list)
    ends: dict[int, list[Annotation]] = defaultdict(list)
    for ann in anns:
        starts[ann.start].append(ann)
        ends[ann.end].append(ann)
    cuts = sorted(set(starts) | set(ends))
    active: dict[str, Annotation] = {}
    parts: list[str] = []
    next_cut = 0  # index into cuts
    for para in doc.paragraphs():
        notes = []
        segs: list[str] = []
        pos = para.start
        while True:
            while next_cut < len(cuts) and cuts[next_cut] <= pos:
                at = cuts[next_cut]
                for ann in ends.get(at, ()):
                    active.pop(ann.id, None)
                for ann in starts.get(at, ()):
                    active[ann.id] = ann
                    if ann.note:
                        notes.append(ann)
                next_cut += 1
            stop = min(cuts[next_cut] if next_cut < len(cuts) else para.end, para.end)
            if stop > pos:
                segs.append(_segment(text[pos:stop], list(active.values()), palette))
            pos = stop
            if pos >= para.end:
                break
        if para.blank and not active and not notes:
            continue
        aside = "".join(
            f'<div class="note" data-ann="{_esc(ann.id)}">{_badges(ann, palette)}'
            f'<bdi class="who">{_esc(ann.annotator)}</bdi> '
            f'<span dir="auto">{_esc(ann.note)}</span></div>'
            for ann in notes
        )
        parts.append(
            f'<div class="row"><p class="para" dir="auto">{"".join(segs)}</p>'
            f'<aside class="notes">{aside}</aside></div>\n'
        )
    return "".join(parts)


def _segment(text: str, active: list[Annotation], palette: _Palette) -> str:
    if not active:
        return _esc(text)
    themes = [key for ann in active for key in ann.themes]
    ids = " ".join(_esc(ann.id) for ann in active)
    keys = " ".join(_esc(k) for k in dict.fromkeys(themes))
    # Who tagged it: in the markup, and as the tooltip a reader sees on hover.
    who = _esc(", ".join(dict.fromkeys(ann.annotator for ann in active)))
    return (
        f'<mark data-ann="{ids}" data-themes="{keys}" data-annotators="{who}" title="{who}" '
        f'style="{palette.background(themes)}">{_esc(text)}</mark>'
    )
