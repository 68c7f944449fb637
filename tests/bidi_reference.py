"""A plain, character-by-character UAX #9 used as an oracle for reader.layout.uax9.

It follows the rules in the order and wording of the standard, with lists of class names and
no regular expressions, so that it shares no code with the engine's string pipeline beyond the
Unicode lookups in reader.layout.ucd. Slow on purpose: tests only.
"""

from __future__ import annotations

from reader.layout.ucd import bidi_class, bracket

REMOVED = {"RLE", "LRE", "RLO", "LRO", "PDF", "BN"}
ISOLATE_INIT = {"LRI", "RLI", "FSI"}
NEUTRAL_OR_ISOLATE = {"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"}
CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


def first_strong(types: list[str], start: int, stop_at_pdi: bool) -> int | None:
    depth = 0
    for t in types[start:]:
        if t in ISOLATE_INIT:
            depth += 1
        elif t == "PDI":
            if depth:
                depth -= 1
            elif stop_at_pdi:
                return None
        elif depth == 0 and t in ("L", "R", "AL"):
            return 0 if t == "L" else 1
    return None


def resolve(text: str, base: int | None, fallback: int) -> tuple[list[int], int]:
    """Levels of every character (X9-removed ones: level of the previous one) and the level."""
    orig = [bidi_class(ch) for ch in text]
    n = len(text)
    if base is None:
        found = first_strong(orig, 0, False)
        base = fallback if found is None else found
    types = list(orig)
    levels = [base] * n
    # X1–X8
    stack = [(base, None, False)]
    over_iso = over_emb = valid_iso = 0
    for i, t in enumerate(orig):
        lvl, ovr, _ = stack[-1]
        if t in ("RLE", "LRE", "RLO", "LRO"):
            # the next odd (RLE, RLO) or even (LRE, LRO) level
            new = (lvl + 1) | 1 if t[0] == "R" else (lvl + 2) & ~1
            if new <= 125 and not over_iso and not over_emb:
                stack.append((new, {"RLO": "R", "LRO": "L"}.get(t), False))
            elif not over_iso:
                over_emb += 1
        elif t in ISOLATE_INIT:
            levels[i] = lvl
            if ovr:
                types[i] = ovr
            rtl = t == "RLI" or (t == "FSI" and first_strong(orig, i + 1, True) == 1)
            new = (lvl + 1) | 1 if rtl else (lvl + 2) & ~1
            if new <= 125 and not over_iso and not over_emb:
                valid_iso += 1
                stack.append((new, None, True))
            else:
                over_iso += 1
        elif t == "PDI":
            if over_iso:
                over_iso -= 1
            elif valid_iso:
                over_emb = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_iso -= 1
            lvl, ovr, _ = stack[-1]
            levels[i] = lvl
            if ovr:
                types[i] = ovr
        elif t == "PDF":
            if not over_iso:
                if over_emb:
                    over_emb -= 1
                elif not stack[-1][2] and len(stack) > 1:
                    stack.pop()
        elif t == "B":
            levels[i] = base
        elif t != "BN":
            levels[i] = lvl
            if ovr:
                types[i] = ovr
    # X9–X10: level runs over kept characters, chained into isolating run sequences.
    kept = [i for i in range(n) if orig[i] not in REMOVED]
    match: dict[int, int] = {}
    for k, i in enumerate(kept):
        if orig[i] in ISOLATE_INIT:
            depth = 0
            for j in kept[k + 1 :]:
                if orig[j] in ISOLATE_INIT:
                    depth += 1
                elif orig[j] == "PDI":
                    if depth == 0:
                        match[i] = j
                        break
                    depth -= 1
    runs: list[list[int]] = []
    for k, i in enumerate(kept):
        if k and levels[kept[k - 1]] == levels[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    starts = {r[0]: r for r in runs}
    sequences = []
    for r in runs:
        if r[0] in match.values():
            continue
        seq = list(r)
        while seq[-1] in match:
            seq += starts[match[seq[-1]]]
        sequences.append(seq)
    embedding = list(levels)
    for seq in sequences:
        lvl = embedding[seq[0]]
        k = kept.index(seq[0])
        prev = embedding[kept[k - 1]] if k else base
        k = kept.index(seq[-1])
        nxt = (
            base if orig[seq[-1]] in ISOLATE_INIT or k == len(kept) - 1 else embedding[kept[k + 1]]
        )
        sos = "R" if max(lvl, prev) % 2 else "L"
        eos = "R" if max(lvl, nxt) % 2 else "L"
        resolved = weak_and_neutral(
            [types[i] for i in seq], [text[i] for i in seq], [orig[i] for i in seq], lvl, sos, eos
        )
        for i, t in zip(seq, resolved, strict=True):
            if lvl % 2 == 0:
                levels[i] = lvl + {"L": 0, "R": 1, "AN": 2, "EN": 2}[t]
            else:
                levels[i] = lvl + (0 if t == "R" else 1)
    for i in range(n):
        if orig[i] in REMOVED:
            levels[i] = levels[i - 1] if i else base
    return levels, base


def weak_and_neutral(
    t: list[str], chars: list[str], orig: list[str], lvl: int, sos: str, eos: str
) -> list[str]:
    n = len(t)
    # W1
    for i in range(n):
        if t[i] == "NSM":
            prev = t[i - 1] if i else sos
            t[i] = "ON" if prev in ISOLATE_INIT or prev == "PDI" else prev
    # W2
    last = sos
    for i in range(n):
        if t[i] in ("L", "R", "AL"):
            last = t[i]
        elif t[i] == "EN" and last == "AL":
            t[i] = "AN"
    # W3
    t = ["R" if x == "AL" else x for x in t]
    # W4
    for i in range(1, n - 1):
        if t[i] == "ES" and t[i - 1] == "EN" and t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    # W5
    for i in range(n):
        if t[i] == "ET":
            j = i
            while j < n and t[j] == "ET":
                j += 1
            if (i and t[i - 1] == "EN") or (j < n and t[j] == "EN"):
                t[i:j] = ["EN"] * (j - i)
    # W6
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]
    # W7
    last = sos
    for i in range(n):
        if t[i] in ("L", "R"):
            last = t[i]
        elif t[i] == "EN" and last == "L":
            t[i] = "L"
    e = "R" if lvl % 2 else "L"
    strong = {"L": "L", "R": "R", "EN": "R", "AN": "R"}
    # N0: BD16 pairs, then each pair in order of its opening bracket.
    pairs, stack = [], []
    for i in range(n):
        info = bracket(chars[i])
        if info is None or t[i] != "ON":
            continue
        if info[1] == "o":
            if len(stack) == 63:
                break
            stack.append((CANONICAL.get(info[0], info[0]), i))
        else:
            ch = CANONICAL.get(chars[i], chars[i])
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    pairs.append((stack[k][1], i))
                    del stack[k:]
                    break
    for o, c in sorted(pairs):
        inside = {strong.get(x) for x in t[o + 1 : c]}
        if e in inside:
            new = e
        elif inside & {"L", "R"}:
            before = sos
            for k in range(o - 1, -1, -1):
                if t[k] in strong:
                    before = strong[t[k]]
                    break
            new = before if before != e else e
        else:
            continue
        for k in (o, c):
            t[k] = new
            k += 1
            while k < n and orig[k] == "NSM":
                t[k] = new
                k += 1
    # N1–N2
    i = 0
    while i < n:
        if t[i] in NEUTRAL_OR_ISOLATE:
            j = i
            while j < n and t[j] in NEUTRAL_OR_ISOLATE:
                j += 1
            left = strong[t[i - 1]] if i else sos
            right = strong[t[j]] if j < n else eos
            t[i:j] = [left if left == right else e] * (j - i)
            i = j
        else:
            i += 1
    return t


def visual(levels: list[int]) -> list[int]:
    """L2, by the book: reverse from the highest level down to the lowest odd level."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(levels) | 1
    for lvl in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= lvl:
                j = i
                while j < len(order) and levels[order[j]] >= lvl:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def line(text: str, levels: list[int], start: int, end: int, base: int) -> list[int]:
    """L1 on text[start:end]: separators, and whitespace before them or at the line end."""
    out = levels[start:end]
    reset = True  # the end of the line counts like a separator
    for i in range(end - 1, start - 1, -1):
        t = bidi_class(text[i])
        if t in ("S", "B"):
            out[i - start] = base
            reset = True
        elif reset and (t == "WS" or t in ISOLATE_INIT or t == "PDI" or t in REMOVED):
            out[i - start] = base
        else:
            reset = False
    return out
