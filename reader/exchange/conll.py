"""The ``conll`` export: CoNLL-style BIO tags, one column per theme, for NLP training.

Every document that has passages is tokenised (:mod:`reader.exchange.tokenize`)
and written one token per line, tab-separated::

    # doc = 000_0430b5cc33e0e526.txt
    # annotators = alice bob
    # columns = token start end arms troops sanctions china
    كوريا	406	411	B-arms	O	O	B-china
    الشمالية	412	420	I-arms	O	O	I-china

- ``start`` and ``end`` are the token's code-point offsets in the document's
  text (``text[start:end] == token``), so tags can be mapped back exactly.
- One tag column per theme (the theme set's order, then unknown keys): a token
  gets ``B-key`` when a passage with that theme starts in it, ``I-key`` when it
  lies further inside one (sharing at least one character), else ``O``. Two
  passages with different themes over the same words — overlapping themes —
  each keep their column; two passages of the same theme that overlap merge.
- A blank line ends each sentence: after sentence-final punctuation
  (``. ! ? ؟ ۔ …``) and at every line break (a paragraph, a headline).
  Documents start with their ``# doc`` comment.
- ``# annotators`` names whose passages the tags come from (a tag column cannot say
  whose each tag is: ``reader export --format conll --by NAME`` gives one annotator's).

Passages whose text is not available, or orphaned, are left out (one warning each reason).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import TextIO

from reader.exchange.placed import place
from reader.exchange.tokenize import TOKEN
from reader.export.grouping import theme_order
from reader.export.progress import Tick
from reader.export.records import ExportData, visible, visible_line

#: The text split into white space and tokens, alternately (the tokenizer as a group).
PIECES = re.compile(f"({TOKEN.pattern})")
#: Tokens that end a sentence: a blank line follows them.
FINAL = frozenset({".", "!", "?", "؟", "۔", "…", "。"})


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> list[str]:
    """Write the documents' tokens with their BIO tags; returns one-line warnings."""
    placed = place(data, tick)
    keys = theme_order(data)
    column = {key: i for i, key in enumerate(keys)}
    header = "# columns = token start end " + " ".join(keys) + "\n"
    _with_newline = {"O": "O\n"} | {
        tag + key: tag + key + "\n" for key in keys for tag in ("B-", "I-")
    }
    first = True
    for rel, passages in placed.passages.items():
        text = placed.documents[rel].text
        # One C-level split gives the tokens and the gaps between them; their lengths
        # summed give every offset (no Match object per token).
        pieces = PIECES.split(text)
        tokens = pieces[1::2]
        offsets = list(accumulate(map(len, pieces), initial=0))
        starts, ends = offsets[1:-1:2], offsets[2::2]
        runs: list[list[tuple[int, int]]] = [[] for _ in keys]
        for ann in passages:
            lo = bisect_right(ends, ann.start)  # first token ending after the start
            hi = bisect_left(starts, ann.end)  # one past the last token starting before the end
            if lo < hi:  # else the passage is white space only: no token to tag
                for key in ann.themes:
                    runs[column[key]].append((lo, hi))
        count = len(tokens)
        tags = [
            _bio(key, run, count) if run else ["O"] * count
            for key, run in zip(keys, runs, strict=True)
        ]
        # The table as one flat list of cells, column by column through slices (C loops,
        # no Python per token), joined once: each line's last cell carries its newline,
        # and the tab the join then puts after it is taken out again.
        width = 3 + len(keys)
        cells = [""] * (count * width)
        cells[0::width] = tokens
        cells[1::width] = list(map(str, starts))
        cells[2::width] = list(map(str, ends))
        for i, column_tags in enumerate(tags[:-1] if keys else []):
            cells[3 + i :: width] = column_tags
        last = tags[-1] if keys else list(map(str, ends))
        cells[width - 1 :: width] = (
            list(map(_with_newline.__getitem__, last)) if keys else [e + "\n" for e in last]
        )
        # A blank line after sentence-final punctuation and at line breaks.
        gaps = pieces[2::2]  # the white space after each token
        for i in [i for i, t in enumerate(tokens) if t in FINAL or "\n" in gaps[i]][:-1]:
            cells[(i + 1) * width] = "\n" + cells[(i + 1) * width]
        who = " ".join(dict.fromkeys(visible("_".join(a.annotator.split())) for a in passages))
        out.write(("" if first else "\n") + f"# doc = {visible_line(rel)}\n")
        out.write(f"# annotators = {who}\n" + header)
        out.write("\t".join(cells).replace("\n\t", "\n"))
        first = False
    return placed.warnings("conll")


def _bio(key: str, spans: list[tuple[int, int]], count: int) -> list[str]:
    """One theme's column: ``B-key`` where a run of its passages starts, ``I-key`` inside."""
    row = ["O"] * count
    begin, inside = "B-" + key, "I-" + key
    end = -1
    for lo, hi in sorted(spans):
        if lo >= end:  # not inside the run before (touching runs stay two)
            row[lo] = begin
        row[max(lo + 1, end) : hi] = [inside] * (hi - max(lo + 1, end))
        end = max(end, hi)
    return row
