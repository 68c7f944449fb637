"""The lexicon matcher: theme terms compiled, matched against words, resolved in context.

A term is one of five kinds, told by its first character:

* *firm* (no prefix): fires wherever it matches (``صاروخ باليستي``, ``قائمة سوداء``);
* ``?`` *context term*: a word whose theme depends on the discourse around it — an
  anaphoric noun (``?التجربة`` "the test", ``?الإجراءات`` "the measures"), or a word
  with a common sense outside the theme (``?الصين`` China the market, ``?صاروخ`` the
  space rocket, ``?قذيفة`` a football shot). It fires only where the theme is
  *established*: a firm term of the theme in the same sentence or in one of the
  :data:`CONTEXT_SENTENCES` sentences before it (same paragraph or not), a cue of the
  theme or a second context term in a sentence among these — and no off-sense
  marker of the theme in its own sentence;
* ``+`` *cue*: never fires, establishes the theme for context terms in its sentence
  (``+موقف`` "stance" makes China the actor of its sentence);
* ``!`` *off-sense marker*: in a sentence holding it the theme's context terms do not
  fire (``!مباراة``: a "shot" in a match report is a kick);
* ``!!`` *blocking marker*: in a sentence holding it no term of the theme fires, firm
  ones included, and the sentence establishes nothing (``!!لجنة الانضباط``: a football
  federation's "sanctions" are penalties);
* ``-`` *exclusion*: a match of the theme lying wholly inside it does not count
  (``-منزوعة السلاح``: the demilitarised zone is a place).

How the words of a term match (``=form``, ``*`` gaps, stems and lemmas) is said in
:class:`Lexicon`. A firm or context match lying inside a longer one of the same theme is
the same words read twice (``?طائرة مسيرة`` and ``?=مسيرة``) and counts once.
Pure core: no Textual, nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reader.arabic import fold, unmarked
from reader.lemmas import Lemmatizer
from reader.stemmer import prefix_cuts, stem_candidates, term_stems, tokens

__all__ = ["CONTEXT_SENTENCES", "GAP_WORDS", "Found", "Lexicon", "resolve"]

#: A gap in a term: ``*`` stands for up to this many words (``توسع * عسكري``).
GAP_WORDS = 3
#: How many sentences before a context term a firm term of its theme may be.
CONTEXT_SENTENCES = 2

FIRM, CONTEXT, CUE, OFF, BLOCK, EXCLUDE = "firm", "context", "cue", "off", "block", "exclude"
_PREFIX = {"?": CONTEXT, "+": CUE, "!": OFF, "-": EXCLUDE}

_Slot = frozenset[str] | int
"""One position of a compiled term: the keys a word there may have, or a gap (max words)."""


def kind_of(term: str) -> tuple[str, str]:
    """A term as written → (its kind, the term without its kind prefix)."""
    if term.startswith("!!"):
        return BLOCK, term[2:]
    kind = _PREFIX.get(term[:1])
    return (kind, term[1:]) if kind else (FIRM, term)


@dataclass
class Found:
    """What one sentence's words matched, per theme index, before context is applied."""

    firm: dict[int, list[str]] = field(default_factory=dict)
    context: dict[int, list[str]] = field(default_factory=dict)
    cues: set[int] = field(default_factory=set)
    off: set[int] = field(default_factory=set)
    blocked: set[int] = field(default_factory=set)


def _lemma_key(lemma: str) -> str:
    """A lemma as the key the matcher compares: folded, a leading article dropped."""
    key = fold(lemma)[0]
    if key.startswith("ال") and len(key) >= 4:
        key = key[2:]
    return "=" + key


class Lexicon:
    """Theme terms compiled for matching: each term as a sequence of slots.

    A word of the text is known by its *readings*: the stems of its clitic
    readings (:func:`reader.stemmer.stem_candidates`), its surface forms after
    each clitic cut (``~`` keys, for exact terms) and, with ``lemmas``, the lemma
    of each clitic reading (``=`` keys). A term word matches a text word when
    they share a key:

    * every term word brings its stem;
    * a term word that is its own lemma (a citation form: سلاح, جندي, حظر) also
      brings its lemma, so it meets the forms the dictionary knows (أسلحة, جنود,
      حظرت). An inflected term (قوات) does not: its lemma (قوة, "power") would
      reach far beyond it;
    * a term written ``=form`` matches that surface form only (clitics allowed,
      no ending stripped): ``=مسيرات`` is drones, not مسيرته "his career";
    * ``*`` is a gap of up to :data:`GAP_WORDS` words (``نشر * قوات``).

    The kind prefix (``? + ! -``, see the module notes) comes before ``=``.
    """

    def __init__(
        self, terms: Mapping[str, Iterable[str]], lemmas: Lemmatizer | None = None
    ) -> None:
        self.themes: tuple[str, ...] = tuple(terms)
        self.terms: dict[str, tuple[str, ...]] = {key: tuple(terms[key]) for key in self.themes}
        """Theme → its terms as given."""
        self.lemmas = lemmas
        """The lemmatizer in use, or None (the stemmer alone)."""
        self._readings: dict[str, frozenset[str]] = {}
        # first-slot key → (term order, theme index, term as written, slots, kind).
        self._index: dict[str, list[tuple[int, int, str, tuple[_Slot, ...], str]]] = {}
        for rank, theme in enumerate(self.themes):
            seen: set[tuple[tuple[_Slot, ...], str]] = set()
            for term in terms[theme]:
                kind, body = kind_of(term)
                slots = self._compile(body)
                if not slots or (slots, kind) in seen:
                    continue
                seen.add((slots, kind))
                first = slots[0]
                assert not isinstance(first, int)
                entry = (len(seen), rank, term, slots, kind)
                for key in first:
                    self._index.setdefault(key, []).append(entry)

    def _compile(self, term: str) -> tuple[_Slot, ...]:
        exact = term.startswith("=")
        if exact:
            term = term[1:]
        slots: list[_Slot] = []
        for word in term.split():
            if word == "*":
                if slots and not isinstance(slots[-1], int):
                    slots.append(GAP_WORDS)
                continue
            stems = term_stems(word)
            if len(stems) != 1:  # punctuation only, or a word folding into several
                if not stems:
                    continue
                slots.extend(frozenset({stem}) for stem in stems)
                continue
            (stem,) = stems
            if exact:
                surface = fold(word)[0]
                if surface.startswith("ال") and len(surface) >= 4:
                    surface = surface[2:]
                slots.append(frozenset({"~" + surface}))
                continue
            keys = {stem}
            if self.lemmas is not None:
                lemma = _lemma_key(self.lemmas(unmarked(word)))
                if lemma == _lemma_key(word):  # a citation form: its lemma is itself
                    keys.add(lemma)
            slots.append(frozenset(keys))
        while slots and isinstance(slots[-1], int):
            slots.pop()
        return tuple(slots)

    def readings(self, word: str, written: str) -> frozenset[str]:
        """The keys of one word: ``word`` folded, ``written`` as in the text (cached)."""
        cache_key = written if self.lemmas is not None else word
        found = self._readings.get(cache_key)
        if found is None:
            keys = set(stem_candidates(word))
            cuts = prefix_cuts(word)
            keys.update("~" + word[cut:] for cut in cuts)
            if self.lemmas is not None:
                plain = unmarked(written)
                if len(plain) == len(word):  # else a presentation form expanded: no lemma
                    keys.update(_lemma_key(self.lemmas(plain[cut:])) for cut in cuts)
            found = frozenset(keys)
            if len(self._readings) < 1 << 17:
                self._readings[cache_key] = found
        return found

    def tokens(self, text: str) -> list[tuple[int, int, frozenset[str]]]:
        """The words of ``text`` as ``(start, end, readings)``."""
        return [
            (start, end, self.readings(word, text[start:end])) for start, end, word in tokens(text)
        ]

    def find(self, readings: Sequence[frozenset[str]]) -> Found:
        """Every kind of term found in one sentence's words (each given as its readings).

        A term matches where each of its slots holds a key of the word at that
        position (a gap skipping up to :data:`GAP_WORDS` words); each term is
        reported once. A match (of any kind) lying wholly inside a match of one of
        the theme's exclusions is dropped.
        """
        # (kind order, term order, theme, term, first word, past last word, kind)
        hits: list[tuple[int, int, int, str, int, int, str]] = []
        excluded: dict[int, list[tuple[int, int]]] = {}
        found = Found()
        for i, first in enumerate(readings):
            for key in first:
                for order, rank, term, slots, kind in self._index.get(key, ()):
                    end = _match_rest(readings, i + 1, slots, 1)
                    if end is None:
                        continue
                    if kind == EXCLUDE:
                        excluded.setdefault(rank, []).append((i, end))
                    else:
                        hits.append((kind != FIRM, order, rank, term, i, end, kind))
        spans: set[tuple[int, int, int]] = set()
        # Firm and context matches per theme: one lying inside a longer one is the same words
        # read twice (طائرة مسيرة and =مسيرة), which must not count as two context terms.
        covers: dict[int, list[tuple[int, int]]] = {}
        for _, _, rank, _, lo, hi, kind in hits:
            if kind in (FIRM, CONTEXT):
                covers.setdefault(rank, []).append((lo, hi))
        for _, _, rank, term, lo, hi, kind in sorted(hits, key=lambda h: (h[4], h[0], h[1])):
            if any(a <= lo and hi <= b for a, b in excluded.get(rank, ())):
                continue
            if kind in (FIRM, CONTEXT) and any(
                a <= lo and hi <= b and b - a > hi - lo for a, b in covers.get(rank, ())
            ):
                continue
            if kind == CUE:
                found.cues.add(rank)
                continue
            if kind == OFF:
                found.off.add(rank)
                continue
            if kind == BLOCK:
                found.blocked.add(rank)
                continue
            if (rank, lo, hi) in spans:  # two spellings of one term on the same words
                continue
            spans.add((rank, lo, hi))
            terms = (found.firm if kind == FIRM else found.context).setdefault(rank, [])
            if term not in terms:
                terms.append(term)
        return found

    def match(self, readings: Sequence[frozenset[str]]) -> dict[str, list[str]]:
        """Theme → terms that fire in a passage taken alone (its own words as context)."""
        return resolve(self, [self.find(readings)])[0]


def resolve(lexicon: Lexicon, found: Sequence[Found]) -> list[dict[str, list[str]]]:
    """Per sentence (in text order), theme → the terms that fire there, firm terms first.

    A sentence *anchors* a theme when a firm term of the theme matched there, or a
    context term did together with a cue or a second context term (and no off-sense
    marker). A context term fires in a sentence that anchors its theme or follows,
    within :data:`CONTEXT_SENTENCES`, one that does — never next to an off-sense marker.
    A blocking marker silences its theme in its sentence, firm terms included.
    """
    anchors: list[set[int]] = []
    for here in found:
        anchored = set(here.firm) - here.blocked
        for rank, terms in here.context.items():
            if rank in here.off or rank in here.blocked:
                continue
            if rank in here.cues or len(terms) > 1:
                anchored.add(rank)
        anchors.append(anchored)
    out: list[dict[str, list[str]]] = []
    for i, here in enumerate(found):
        fired: dict[int, list[str]] = {
            rank: list(terms) for rank, terms in here.firm.items() if rank not in here.blocked
        }
        window = anchors[max(0, i - CONTEXT_SENTENCES) : i + 1]
        for rank, terms in here.context.items():
            if rank in here.off or rank in here.blocked:
                continue
            if any(rank in anchored for anchored in window):
                mine = fired.setdefault(rank, [])
                mine.extend(t for t in terms if t not in mine)
        out.append({lexicon.themes[rank]: fired[rank] for rank in sorted(fired)})
    return out


def _match_rest(
    readings: Sequence[frozenset[str]], i: int, slots: tuple[_Slot, ...], k: int
) -> int | None:
    """Past-the-end word index of ``slots[k:]`` matched from word ``i``, or None."""
    while k < len(slots):
        slot = slots[k]
        if isinstance(slot, int):  # a gap: the shortest skip that lets the rest match
            for skip in range(slot + 1):
                end = _match_rest(readings, i + skip, slots, k + 1)
                if end is not None:
                    return end
            return None
        if i >= len(readings) or slot.isdisjoint(readings[i]):
            return None
        i += 1
        k += 1
    return i
