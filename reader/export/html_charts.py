"""The HTML report's pictures: inline SVG, drawn here, with no script and nothing loaded.

- ``heat_map``: documents × themes, each cell shaded in its theme's colour by its count of
  passages (the darkest cell is the largest count), the count written in it; a document's
  name links to its section of the report.
- ``timeline``: the themes over the documents' dates (the date each document gives in its
  head, ``Document.date``): at each date a bar stacked by theme, on a time axis from the
  earliest date to the latest. Documents without a date are left out, and the caption says
  how many.

Coordinates run left to right; the labels on the right, next to the report's right-to-left
text. Each label is its own SVG text, laid out by the browser in its own direction (first
strong character, as ``reader.layout.paragraph_direction`` finds it), so an Arabic title
and a file name both read in order. Every label is escaped; a long one is cut with "…" and
given whole as the element's ``<title>`` (the tooltip).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from reader.export.records import visible_line
from reader.layout import paragraph_direction

FONT = 'font-family="Noto Naskh Arabic, Amiri, DejaVu Sans, sans-serif" font-size="13"'
LABEL_CHARS = 40  # longer document titles are cut (whole in the tooltip)


@dataclass(frozen=True)
class Column:
    """A theme as the pictures show it: its key, its label (plain text) and ``#rrggbb``."""

    key: str
    label: str
    color: str


@dataclass(frozen=True)
class Row:
    """A document: its anchor in the report (``doc-3``), its title, its date, its counts."""

    anchor: str
    title: str
    day: date | None
    counts: dict[str, int]


def _esc(text: str) -> str:
    return html.escape(visible_line(text), quote=True)


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(x: float, y: float, text: str, anchor: str = "right", extra: str = "") -> str:
    """Text whose ``anchor`` side ("right", "left", "middle") is at x, in its own direction."""
    rtl = paragraph_direction(text, fallback_rtl=False)
    # text-anchor counts in the text's direction: "start" is its right side in RTL.
    side = "start" if (anchor == "right") == rtl else "end"
    how = "middle" if anchor == "middle" else side
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" direction="{"rtl" if rtl else "ltr"}" '
        f'unicode-bidi="embed" text-anchor="{how}"{extra}>{_esc(text)}</text>'
    )


def heat_map(rows: list[Row], columns: list[Column]) -> str:
    """Documents × themes as an SVG table of shaded cells (first theme next to the titles)."""
    label_w, cell_w, cell_h, head_h, pad = 300, 96, 26, 46, 6
    width = label_w + cell_w * len(columns) + pad
    height = head_h + cell_h * len(rows) + pad
    top = max((n for row in rows for n in row.counts.values()), default=0)
    parts = [
        f'<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="Passages per document and theme" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="ltr" {FONT}>'
    ]
    right = width - pad
    for j, col in enumerate(columns):
        x = right - label_w - (j + 1) * cell_w
        lines = [part.strip() for part in col.label.split(" — ", 1)]  # Arabic, English
        parts.append(
            f'<g data-theme="{_esc(col.key)}"><title>{_esc(col.label)}</title>'
            + "".join(
                _label(
                    x + cell_w / 2, head_h - 8 - 16 * (len(lines) - 1 - k), _cut(line, 13), "middle"
                )
                for k, line in enumerate(lines)
            )
            + "</g>"
        )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(
            f'<a href="#{_esc(row.anchor)}"><title>{_esc(row.title)}</title>'
            + _label(right - 4, y + cell_h / 2 + 5, _cut(row.title))
            + "</a>"
        )
        for j, col in enumerate(columns):
            x = right - label_w - (j + 1) * cell_w
            count = row.counts.get(col.key, 0)
            shade = 0.0 if count == 0 else 0.15 + 0.7 * count / top
            parts.append(
                f'<g class="cell" data-doc="{_esc(row.anchor)}" data-theme="{_esc(col.key)}" '
                f'data-count="{count}"><title>{_esc(row.title)} — {_esc(col.label)}: {count}'
                f'</title><rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="#f2f2f0"/><rect x="{x + 1}" y="{y + 1}" '
                f'width="{cell_w - 2}" height="{cell_h - 2}" fill="{col.color}" '
                f'fill-opacity="{shade:.3f}"/>'
                f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 5}" text-anchor="middle" '
                f'fill="{"#999" if count == 0 else "#111"}">{count}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def timeline(rows: list[Row], columns: list[Column]) -> tuple[str, int]:
    """Passages per theme at each document date, stacked bars on a time axis.

    Returns the SVG ("" when no document has a date) and the number of documents left out
    for want of a date.
    """
    per_day: dict[date, dict[str, int]] = {}
    undated = 0
    for row in rows:
        if row.day is None:
            undated += 1
            continue
        bucket = per_day.setdefault(row.day, {})
        for key, n in row.counts.items():
            bucket[key] = bucket.get(key, 0) + n
    if not per_day:
        return "", undated
    width, height, left, right, top, bottom = 760, 260, 44, 24, 16, 40
    bar = max(3.0, min(16.0, (width - left - right) / len(per_day) - 2))
    plot_w, plot_h = width - left - right - bar, height - top - bottom
    first, last = min(per_day), max(per_day)
    span = max((last - first).days, 1)
    most = max(max(sum(day.values()) for day in per_day.values()), 1)

    def x_of(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    # Dates a few days apart: the later bar moves right of the earlier (the tooltip gives
    # its date); the picture widens when many dates do not fit.
    placed: dict[date, float] = {}
    for day in sorted(per_day):
        prev = max(placed.values(), default=0.0)
        placed[day] = max(x_of(day), prev + bar + 2) if placed else x_of(day)
    width = max(width, round(max(placed.values()) + bar + right))
    base = top + plot_h
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="Passages per theme over the documents\' dates" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" direction="ltr" {FONT}>',
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{most}</text>',
    ]
    for year in range(first.year + 1, last.year + 1):  # a tick at each new year
        x = x_of(date(year, 1, 1)) + bar / 2
        parts.append(
            f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" stroke="#888"/>'
            f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle" fill="#666">{year}</text>'
        )
    ends = {first, last}
    for day in sorted(ends):
        x = placed[day] + bar / 2
        anchor = "start" if day == first and len(ends) > 1 else "middle"
        anchor = "end" if day == last and len(ends) > 1 else anchor
        parts.append(
            f'<text x="{x:.1f}" y="{base + 34}" text-anchor="{anchor}">{day.isoformat()}</text>'
        )
    for day in sorted(per_day):
        counts = per_day[day]
        x, y = placed[day], float(base)
        summary = ", ".join(f"{c.label} {counts[c.key]}" for c in columns if counts.get(c.key))
        parts.append(
            f'<g class="bar" data-date="{day.isoformat()}" data-total="{sum(counts.values())}">'
            f"<title>{day.isoformat()}: {_esc(summary) or '0'}</title>"
        )
        for col in columns:
            n = counts.get(col.key, 0)
            if n == 0:
                continue
            h = plot_h * n / most
            y -= h
            parts.append(
                f'<rect data-theme="{_esc(col.key)}" data-count="{n}" x="{x:.1f}" '
                f'y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{col.color}"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts), undated
