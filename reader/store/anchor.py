"""Re-anchoring: finding an annotation again after its document changed.

The approach of Hypothesis (``dom-anchor-text-quote`` / ``approx-string-match``):
look for the quote itself, exactly and then approximately with a bounded
number of edits (Myers' bit-parallel algorithm, one pass over the text), and
score each candidate on quote similarity (weight 50), agreement of the 32
characters before (20) and after (20) it with the stored prefix and suffix,
and closeness to the old position (2). The best candidate above
:data:`MIN_SCORE` wins; if none is, the annotation is orphaned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.store.model import ORPHANED, REANCHORED, Annotation, context

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2
_TOTAL = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT

#: Edits allowed in an approximate quote match, as a share of the quote's length.
ERROR_SHARE = 0.25
#: Lowest normalised score (0–1) an approximate match may have.
MIN_SCORE = 0.6
#: Exact occurrences scored at most (a one-letter quote may occur thousands of times).
MAX_EXACT = 2000


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    errors: int
    score: float


def _masks(pattern: str) -> dict[str, int]:
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    return peq


def _myers(text: str, pattern: str, *, anchored: bool) -> list[int]:
    """Edit distance of ``pattern`` against ``text`` at each end position.

    ``result[j]`` is the fewest edits turning ``pattern`` into a substring of
    ``text`` ending just before ``j + 1`` (free start), or, with ``anchored``,
    into ``text[:j + 1]`` (the start pinned at 0). Myers 1999, as bit vectors.
    """
    m = len(pattern)
    peq = _masks(pattern)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    carry = 1 if anchored else 0
    pv, mv, score = mask, 0, m
    scores = []
    get = peq.get
    for ch in text:
        eq = get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        scores.append(score)
    return scores


def similarity(text: str, pattern: str) -> float:
    """1 − (fewest edits to find ``pattern`` somewhere in ``text``) / len(pattern)."""
    if not pattern or not text:
        return 0.0
    return 1.0 - min(_myers(text, pattern, anchored=False)) / len(pattern)


def approximate(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """Matches of ``pattern`` with at most ``max_errors`` edits: ``(start, end, errors)``.

    One candidate per run of adjacent end positions (the best end of the run);
    its start is found by aligning the reversed pattern backwards from there.
    """
    if not pattern:
        return []
    ends = _myers(text, pattern, anchored=False)
    found: list[tuple[int, int, int]] = []
    best: tuple[int, int] | None = None  # (errors, end) of the current run
    for j, errors in enumerate([*ends, max_errors + 1]):
        if errors <= max_errors:
            if best is None or errors < best[0]:
                best = (errors, j + 1)
        elif best is not None:
            errors_at, end = best
            found.append((_start(text, pattern, end, max_errors), end, errors_at))
            best = None
    return found


def _start(text: str, pattern: str, end: int, max_errors: int) -> int:
    lo = max(0, end - len(pattern) - max_errors)
    back = _myers(text[lo:end][::-1], pattern[::-1], anchored=True)
    m = len(pattern)
    # Fewest edits; among equals the length closest to the quote's.
    length = min(range(1, len(back) + 1), key=lambda n: (back[n - 1], abs(n - m)))
    return end - length


def _score(
    text: str, start: int, end: int, errors: int, quote: str, prefix: str, suffix: str, hint: int
) -> float:
    quote_score = 1.0 - errors / len(quote)
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    prefix_score = similarity(before, prefix) if prefix else 1.0
    suffix_score = similarity(after, suffix) if suffix else 1.0
    position_score = 1.0 - abs(start - hint) / max(1, len(text))
    raw = (
        QUOTE_WEIGHT * quote_score
        + PREFIX_WEIGHT * prefix_score
        + SUFFIX_WEIGHT * suffix_score
        + POSITION_WEIGHT * position_score
    )
    return raw / _TOTAL


def _exact(text: str, needle: str, limit: int = MAX_EXACT) -> list[int]:
    found: list[int] = []
    pos = text.find(needle)
    while pos != -1 and len(found) < limit:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def match_quote(
    text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
) -> Match | None:
    """Where ``quote`` (seen between ``prefix`` and ``suffix``, near ``hint``) is in ``text`` now.

    Returns:
        The best match, or None when the passage is gone (the annotation is orphaned).
    """
    if not quote or not text:
        return None
    # 1. The quote in its full context, exactly: no doubt left.
    whole = _exact(text, prefix + quote + suffix)
    if whole:
        pos = min(whole, key=lambda p: abs(p + len(prefix) - hint)) + len(prefix)
        return Match(pos, pos + len(quote), 0, 1.0)
    # 2. The quote exactly, the best-scored occurrence (context, then position).
    exact = _exact(text, quote)
    if exact:
        scored = [
            Match(
                p,
                p + len(quote),
                0,
                _score(text, p, p + len(quote), 0, quote, prefix, suffix, hint),
            )
            for p in exact
        ]
        return max(scored, key=lambda m: m.score)
    # 3. Approximately, within a bounded number of edits.
    budget = max(1, int(len(quote) * ERROR_SHARE))
    candidates = [
        Match(s, e, err, _score(text, s, e, err, quote, prefix, suffix, hint))
        for s, e, err in approximate(text, quote, budget)
        if e > s
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda m: m.score)
    return best if best.score >= MIN_SCORE else None


def reanchor(ann: Annotation, text: str, sha256: str) -> Annotation:
    """``ann`` found again in ``text`` (whose digest is ``sha256``).

    Returns:
        A ``reanchored`` copy with new offsets, quote and context; or, when the
        passage is gone, an ``orphaned`` copy that keeps its old offsets and
        digest (they still say where it was).
    """
    found = match_quote(text, ann.quote, ann.prefix, ann.suffix, ann.start)
    if found is None:
        return ann if ann.status == ORPHANED else ann.copy(status=ORPHANED)
    quote, prefix, suffix = context(text, found.start, found.end)
    return ann.copy(
        start=found.start,
        end=found.end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        doc_sha256=sha256,
        status=REANCHORED,
    )


def first_mismatch(annotations: Iterable[Annotation], text: str, sha: str) -> str | None:
    """Why a record that claims to be made on this very text does not fit it, if one doesn't."""
    size = len(text)
    for ann in annotations:
        if ann.doc_sha256 != sha or ann.status == ORPHANED:
            continue
        start, end, quote = ann.start, ann.end, ann.quote
        if end > size:
            return f"record {ann.id!r:.40}: offsets {start}–{end} past the end of the text ({size})"
        # text[start:end] == quote, without copying the passage (0 <= start < end here).
        if len(quote) != end - start or not text.startswith(quote, start):
            return f"record {ann.id!r:.40}: quote does not match the text at {start}–{end}"
    return None


def reanchor_stale(annotations: Iterable[Annotation], text: str, sha: str) -> list[Annotation]:
    """The annotations made on another text (or orphaned) whose anchoring changes on ``text``."""
    moved: list[Annotation] = []
    for ann in annotations:
        if ann.doc_sha256 == sha and ann.status != ORPHANED:
            continue
        now = reanchor(ann, text, sha)
        if now is not ann:
            moved.append(now)
    return moved
