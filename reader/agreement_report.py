"""The agreement report as plain text: themes × measures, per document, the disagreements.

Pure text (no terminal code). ``name`` draws a document name or a quote for where the
text goes: through the layout engine on a terminal (visual order, shaped), as it is in
a file or pipe; either way with control characters made visible.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.agreement import HEADINGS, MEASURES, Agreement, Measures, figure

#: What each figure counts, printed under the tables.
LEGEND = (
    "α, κ, α MASI: each sentence of the documents all annotators coded is a unit; an",
    "  annotator gives it a theme when one of their passages with that theme touches it.",
    "  Per theme: the theme or not. Overall: the set of themes (α MASI: partial credit).",
    "  κ (Cohen) only for two annotators.",
    "F1: the passages themselves, the same theme on the same span (exact) or on spans",
    "  that share a character (overlap); mean over pairs of annotators.",
    "u-α: Krippendorff's unitizing α on the characters of those documents.",
    "—: undefined (nothing varies, or no data).",
)

Namer = Callable[[str, int], str]


def _plain(text: str, width: int) -> str:
    from reader.export.records import visible

    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _figures(m: Measures) -> list[str]:
    return [*(figure(m.value(name)) for name in MEASURES), str(m.units)]


def plain_text(
    report: Agreement,
    labels: dict[str, str] | None = None,
    name: Namer = _plain,
    *,
    disagreements: int = 20,
) -> str:
    """The report; at most ``disagreements`` sentences listed per document (0: none)."""
    labels = labels or {}
    who = ", ".join(name(n, 24) for n in report.annotators)
    chars = sum(d.length for d in report.documents)
    out = [
        f"Agreement of {len(report.annotators)} annotators ({who}) on "
        f"{len(report.documents)} documents they all coded: "
        f"{report.overall.units} sentences, {chars} characters",
        "",
    ]
    head = ["theme", *(HEADINGS[m] for m in MEASURES), "units"]
    rows = [head]
    rows += [[name(labels.get(k, k), 24), *_figures(m)] for k, m in report.themes.items()]
    rows.append(["overall", *_figures(report.overall)])
    out += _table(rows)
    if report.documents:
        out += ["", "Per document, all themes:"]
        rows = [["document", *(HEADINGS[m] for m in MEASURES), "units", "disagree"]]
        for doc in report.documents:
            rows.append([name(doc.doc, 40), *_figures(doc.overall), str(len(doc.disagreements))])
        out += _table(rows)
    listed = [d for d in report.documents if d.disagreements]
    if listed and disagreements:
        out += ["", "Sentences given different themes:"]
        for doc in listed:
            out.append(f"  {name(doc.doc, 60)}")
            for d in doc.disagreements[:disagreements]:
                given = "; ".join(
                    f"{name(who, 16)}: {', '.join(labels.get(k, k) for k in keys) or 'none'}"
                    for who, keys in d.values.items()
                )
                out.append(f"    {d.start}–{d.end}  {given}  {name(d.text, 40)}")
            more = len(doc.disagreements) - disagreements
            if more > 0:
                out.append(f"    … and {more} more (--format json lists them all)")
    if report.left_out:
        out += ["", "Not compared:"]
        out += [f"  {name(line, 100)}" for line in report.left_out]
    if report.orphaned:
        out += ["", f"{report.orphaned} orphaned annotations left out (their text is gone)."]
    out += ["", *LEGEND]
    return "\n".join(out) + "\n"
