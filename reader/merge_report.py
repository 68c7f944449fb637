"""The merge report as plain text: counts, conflicts, and every annotation not kept as it was."""

from __future__ import annotations

from collections import Counter

from reader.export.records import visible
from reader.merge import KEPT, LEFT_OUT, MERGED, SUPERSEDED, Merge
from reader.store import Annotation

#: Lines listed per section; the JSON report (``--format json``) lists everything.
LIMIT = 50


def _where(ann: Annotation) -> str:
    themes = ", ".join(ann.themes)
    return visible(f"{ann.doc} {ann.start}–{ann.end} {ann.annotator}: {themes} ({ann.id})")


def _more(lines: list[str], total: int) -> list[str]:
    if total > LIMIT:
        lines.append(f"    … and {total - LIMIT} more (--format json lists them all)")
    return lines


def plain_text(result: Merge, into: str, written: int, unchanged: int) -> str:
    inputs = len(result.fates)
    out = [
        f"Merged {inputs} annotations into {visible(into)} (strategy {result.strategy}): "
        f"{len(result.result)} records, {written} written, {unchanged} already there.",
        f"  kept {result.count(KEPT)}, merged {result.count(MERGED)}, "
        f"superseded by a newer version {result.count(SUPERSEDED)}, "
        f"left out {result.count(LEFT_OUT)}",
    ]
    kinds = Counter(c.kind for c in result.conflicts)
    out += [
        "",
        f"Conflicts: {kinds['themes']} spans given different themes, "
        f"{kinds['overlap']} pairs of overlapping spans (between annotators)",
    ]
    lines = []
    for conflict in result.conflicts[:LIMIT]:
        label = "same span" if conflict.kind == "themes" else "overlap"
        lines.append(f"  {label}:")
        lines += [f"    {_where(a)}" for a in conflict.annotations]
    out += _more(lines, len(result.conflicts))
    left = [f for f in result.fates if f.fate == LEFT_OUT]
    if left:
        reasons = Counter(f.reason.split(":")[0] for f in left)
        summary = ", ".join(f"{why} {n}" for why, n in reasons.most_common())
        out += ["", f"Left out ({summary}): in their own stores, not in the merged one"]
        lines = [f"  {_where(f.ann)} — {f.reason}" for f in left[:LIMIT]]
        out += _more(lines, len(left))
    old = [f for f in result.fates if f.fate == SUPERSEDED]
    if old:
        out += ["", "Superseded (an older version of an id; the newer one is kept):"]
        lines = [f"  {_where(f.ann)}, updated {f.ann.updated}" for f in old[:LIMIT]]
        out += _more(lines, len(old))
    return "\n".join(out) + "\n"
