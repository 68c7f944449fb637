"""Pilot tests of suggestion mode: toggle, next/previous, accept (undo), reject (kept), marks,
the order of ``>``, and learning from the store in the worker.

Expected suggestions are computed here with the engine itself
(:func:`reader.suggest.suggest_document` on the seed, with the lemma dictionary, as
the worker's final step does), and the store is read back from disk with a fresh
:class:`~reader.store.Store`. Learning after an accept or reject is put off for an
hour in every test but the one about it, so that it never changes what a test sees.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input

import reader.ui.suggesting as suggesting
from reader.arabic import find_all
from reader.corpus import Document, Span
from reader.learn import MODEL_FILE, train
from reader.learn_store import store_examples_and_texts
from reader.lemmas import load as load_lemmas
from reader.store import default_themes
from reader.suggest import Lexicon, Suggestion, suggest_document
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.prompt import PromptScreen
from reader.ui.suggestions import REJECTIONS_FILE
from reader.ui.widgets.painting import SUGGESTION_MARK, TAG_MARK
from reader.ui.widgets.status_line import StatusLine
from tests.ui_support import (
    SEED,
    SIZE,
    corpus,
    document,
    read_only_app,
    reader_app,
    screen,
    stored,
    view,
    walked,
)

THEMES = list(default_themes())
TERMS = {t.key: t.terms for t in THEMES}


@pytest.fixture(autouse=True)
def no_relearning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suggesting, "RELEARN_DELAY", 3600.0)


def expected(tmp_path: Path, name: str = SEED) -> list[Suggestion]:
    doc = document(tmp_path, name)
    return suggest_document(doc, Lexicon(TERMS, load_lemmas()))


def as_span(sugg: Suggestion) -> Span:
    return Span(sugg.start, sugg.end)


def status(pilot: Pilot[None]) -> str:
    return screen(pilot).query_one("#reader-status", StatusLine).text


def binding_ids(pilot: Pilot[None]) -> set[str]:
    return {b.binding.id for b in screen(pilot).active_bindings.values() if b.binding.id}


async def mode_on(pilot: Pilot[None]) -> None:
    """``S``, then both steps: the quick suggestions and the learning step that follows."""
    await pilot.press("S")
    for _ in range(1000):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        mode = screen(pilot).suggesting
        if mode.state is not None and not mode.learning:
            return
    raise AssertionError("the learning step never finished")


async def to_suggestion(pilot: Pilot[None], target: Suggestion) -> None:
    for _ in range(200):
        if view(pilot).selection == as_span(target):
            return
        await pilot.press("greater_than_sign")
    raise AssertionError(f"never reached {target}")


async def test_S_toggles_the_mode_its_marks_status_and_keys(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    assert len(suggestions) > 5
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        assert "suggestions" not in status(pilot)
        assert "reader.suggestions" in binding_ids(pilot)
        assert "reader.accept_suggestion" not in binding_ids(pilot)  # only in the mode
        await pilot.press("a", "r")  # off: accept and reject do nothing
        assert stored(tmp_path) == []
        assert not (tmp_path / "store" / REJECTIONS_FILE).exists()

        await mode_on(pilot)
        assert f"suggestions: {len(suggestions)} open, 0 accepted, 0 rejected" in status(pilot)
        marked = {
            (s.start, s.end)
            for ss in view(pilot).marks.suggestions_by_paragraph.values()
            for s in ss
        }
        assert sorted(marked) == [(s.start, s.end) for s in suggestions]
        assert {
            "reader.accept_suggestion",
            "reader.reject_suggestion",
            "reader.next_suggestion",
            "reader.previous_suggestion",
        } <= binding_ids(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        assert "reader.accept_suggestion" in {e.binding.id for e in pilot.app.screen.keys}
        await pilot.press("escape")
        titles = [c.title for c in pilot.app.get_system_commands(screen(pilot))]
        assert any(t.startswith("Accept the suggestion under the cursor") for t in titles)

        await pilot.press("S")  # off again: marks and keys go, nothing recomputed
        assert view(pilot).marks.suggestions_by_paragraph == {}
        assert "suggestions" not in status(pilot)
        assert "reader.accept_suggestion" not in binding_ids(pilot)


async def test_next_and_previous_walk_the_open_suggestions(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        start = view(pilot).selection
        ahead = [s for s in suggestions if (s.start, s.end) > (start.start, start.end)]
        await pilot.press("greater_than_sign")
        assert view(pilot).selection == as_span(ahead[0])
        assert "suggested: " in status(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert view(pilot).selection == as_span(ahead[2])
        await pilot.press("less_than_sign")
        assert view(pilot).selection == as_span(ahead[1])
        await pilot.press("G", "greater_than_sign")  # nothing after the last sentence
        assert view(pilot).selection == walked(document(tmp_path))[-1]
        await pilot.press("less_than_sign")
        assert view(pilot).selection == as_span(suggestions[-1])


async def test_accept_tags_with_the_suggested_themes_and_undo_removes_it(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    text = document(tmp_path).text
    first, second = suggestions[0], suggestions[1]
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        await to_suggestion(pilot, first)
        await pilot.press("a")
        quote = text[first.start : first.end]
        assert stored(tmp_path) == [(quote, first.start, first.end, list(first.themes), "")]
        assert view(pilot).selection == as_span(second)  # on to the next open one
        assert f"{len(suggestions) - 1} open, 1 accepted" in status(pilot)
        await pilot.press("u")
        assert stored(tmp_path) == []
        assert f"{len(suggestions)} open, 0 accepted" in status(pilot)
        await pilot.press("ctrl+r")
        assert [a[3] for a in stored(tmp_path)] == [list(first.themes)]


async def test_accept_on_a_tagged_span_adds_its_themes_to_that_annotation(tmp_path: Path) -> None:
    target = next(s for s in expected(tmp_path) if "china" not in s.themes)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        await to_suggestion(pilot, target)
        await pilot.press("4")  # china by hand first
        ann_id = screen(pilot).annotations[0].id
        await pilot.press("a")
        [(_, start, end, themes, _)] = stored(tmp_path)
        assert (start, end) == (target.start, target.end)
        assert themes == ["china", *target.themes]
        assert [a.id for a in screen(pilot).annotations] == [ann_id]  # the same one, edited
        await pilot.press("u")
        assert [a[3] for a in stored(tmp_path)] == [["china"]]


async def test_reject_is_kept_in_the_store_and_stays_gone_after_a_restart(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    target, after = suggestions[1], suggestions[2]
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        await to_suggestion(pilot, target)
        await pilot.press("r")
        assert view(pilot).selection == as_span(after)
        state = screen(pilot).suggesting.state
        assert state is not None and as_span(target) not in [as_span(s) for s in state.open]
        assert f"{len(suggestions) - 1} open, 0 accepted, 1 rejected" in status(pilot)
    assert stored(tmp_path) == []  # rejecting tags nothing
    saved = json.loads((tmp_path / "store" / REJECTIONS_FILE).read_text("utf-8"))
    [record] = saved["rejected"]
    assert (record["start"], record["end"], record["sha256"]) == (
        target.start,
        target.end,
        document(tmp_path).sha256,
    )

    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:  # a later session
        await mode_on(pilot)
        assert f"{len(suggestions) - 1} open, 0 accepted, 1 rejected" in status(pilot)
        await pilot.press("g")  # the document reopens where it was left: back to the top
        await to_suggestion(pilot, suggestions[0])
        await pilot.press("greater_than_sign")
        assert view(pilot).selection == as_span(after)  # skips the rejected one


async def test_a_read_only_store_refuses_to_reject(tmp_path: Path) -> None:
    app, told = read_only_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        await pilot.press("greater_than_sign", "r", "a")
        await pilot.pause()
        assert sum("read-only" in m and "nothing written" in m for m in told) == 2
    assert not (tmp_path / "store").exists()


def _row(pilot: Pilot[None], offset: int) -> list[Segment]:
    """The segments drawn on the screen row showing ``offset``."""
    v = view(pilot)
    y = v.row_of(offset) - int(v.scroll_offset.y)
    assert 0 <= y < v.size.height, "row not on screen"
    return list(v.render_line(y))


async def test_suggestions_are_drawn_unlike_tags(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    spans = walked(document(tmp_path))
    suggested = [as_span(s) for s in suggestions]
    # A suggestion followed by a sentence that is not one: that sentence gets a real tag.
    _, sugg = next(
        (i, s)
        for i, s in enumerate(suggestions)
        if (k := spans.index(as_span(s))) + 2 < len(spans)
        and spans[k + 1] not in suggested
        and "china" not in s.themes
        and i > 0
    )
    tagged = spans[spans.index(as_span(sugg)) + 1]
    colour = {t.key: t.color for t in THEMES}
    column = {t.key: n for n, t in enumerate(THEMES)}
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        await to_suggestion(pilot, sugg)
        await pilot.press("j", "4", "j")  # china on the next sentence, then the cursor away
        assert view(pilot).selection not in (as_span(sugg), tagged)
        base_bg = view(pilot).rich_style.bgcolor

        row = _row(pilot, sugg.start)
        margin = "".join(s.text for s in row)[-len(THEMES) :]
        assert margin[column[sugg.themes[0]]] == SUGGESTION_MARK
        marked = [s for s in row if s.style and s.style.italic and s.text.strip()]
        assert marked, "no suggestion style on its row"
        for seg in marked:
            assert seg.style is not None
            assert seg.style.bgcolor == base_bg  # no background, unlike a tag
            assert seg.style.color == Color.parse(colour[sugg.themes[0]]).rich_color

        row = _row(pilot, max(tagged.start, tagged.end - 1))
        margin = "".join(s.text for s in row)[-len(THEMES) :]
        assert margin[column["china"]] == TAG_MARK
        # (the cursor, on the sentence after it, may share the row: not a tag)
        cursor_bg = view(pilot).get_component_rich_style("document-view--cursor").bgcolor
        tag = [s for s in row if s.style and s.style.bgcolor not in (None, base_bg, cursor_bg)]
        assert tag, "no tag background on its row"
        assert all(s.style is not None and not s.style.italic for s in tag)


async def test_suggestions_are_computed_in_a_worker_while_the_text_stays_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    threads: list[threading.Thread] = []

    def slow(doc: Document, lexicon: Lexicon, **kwargs: object) -> list[Suggestion]:
        threads.append(threading.current_thread())
        release.wait(10)
        return suggest_document(doc, lexicon, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(suggesting, "suggest_document", slow)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        before = view(pilot).selection
        await pilot.press("S")
        assert "suggestions: computing" in status(pilot)
        await pilot.press("j")  # the UI answers while the worker is busy
        assert view(pilot).selection != before
        await pilot.press("greater_than_sign", "a")
        assert stored(tmp_path) == []
        for _ in range(500):  # the worker starts after the "computing" frame
            if threads:
                break
            await pilot.pause(0.01)
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert f"{len(expected(tmp_path))} open" in status(pilot)
    assert threads and threads[0] is not threading.main_thread()


async def test_search_for_bjongjang_with_ghain_finds_the_jim_spelling(tmp_path: Path) -> None:
    name = "004_3e647ad5bef2f076.txt"
    text = document(tmp_path, name).text
    hits = find_all(text, "بيونغ يانغ")
    assert len(hits) == 4 and all(text[h.start : h.end] == "بيونج يانج" for h in hits)
    async with reader_app(tmp_path, name).run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(pilot.app.screen, PromptScreen)
        pilot.app.screen.query_one(Input).insert_text_at_cursor("بيونغ يانغ")
        await pilot.press("enter")
        assert screen(pilot).hits == hits
        assert view(pilot).selection.contains(hits[0].start)
        assert "hit 1/4" in status(pilot)


async def test_o_makes_next_take_the_most_uncertain_suggestion_first(tmp_path: Path) -> None:
    suggestions = expected(tmp_path)
    ranked = sorted(suggestions, key=lambda s: (s.uncertainty, s.start))
    assert ranked[0].uncertainty < ranked[-1].uncertainty  # one term against several
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        assert "reader.suggestion_order" in binding_ids(pilot)
        await pilot.press("o", "greater_than_sign")
        assert view(pilot).selection == as_span(ranked[0])
        assert "most uncertain first" in status(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign", "less_than_sign")
        assert view(pilot).selection == as_span(ranked[1])
        await pilot.press("r")  # on to the most uncertain one left, not the next in the text
        assert view(pilot).selection == as_span(ranked[0])
        await pilot.press("greater_than_sign")
        assert view(pilot).selection == as_span(ranked[2])
        await pilot.press("o", "greater_than_sign")  # reading order again
        after = [s for s in suggestions if s.start > ranked[2].start and s is not ranked[1]]
        assert view(pilot).selection == as_span(after[0])


def _tag_other_seeds(tmp_path: Path) -> list[str]:
    """The gold tags of every seed but SEED, imported into the test's store."""
    from reader.cli import main

    names = sorted(p.name for p in (Path(__file__).parent.parent / "seeds").glob("*.txt"))
    corpus(tmp_path, tuple(names))
    gold = Path(__file__).parent / "data/gold/seeds_gold.jsonl"
    others = tmp_path / "others.jsonl"
    lines = gold.read_text("utf-8").splitlines()
    others.write_text("\n".join(x for x in lines if SEED not in x) + "\n", "utf-8")
    args = ["import", str(others), "--store", str(tmp_path / "store")]
    assert main([*args, "--corpus", str(tmp_path / "corpus")]) == 0
    return names


async def test_the_worker_learns_from_the_store_and_again_after_a_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tag_other_seeds(tmp_path)
    doc = document(tmp_path)
    lexicon = Lexicon(TERMS, load_lemmas())
    examples, texts = store_examples_and_texts(tmp_path / "store", lexicon.themes, [doc])
    model = train(examples, lexicon, documents=texts)  # read in their documents, as the app
    assert set(model.classifiers) == set(TERMS)
    learned = suggest_document(doc, lexicon, model=model)
    assert {s.scores["arms"] for s in learned if "arms" in s.themes} != {0.85, 0.9775}
    saved = tmp_path / "store" / MODEL_FILE
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        state = screen(pilot).suggesting.state
        assert state is not None
        assert [(s.start, s.end, s.themes, s.scores) for s in state.suggestions] == [
            (s.start, s.end, s.themes, s.scores) for s in learned
        ]
        assert saved.exists() and "learning" not in status(pilot)
        before = saved.read_bytes()
        await pilot.press("greater_than_sign", "r")  # learning is put off (an hour)
        assert "learning…" in status(pilot)
        monkeypatch.setattr(suggesting, "RELEARN_DELAY", 0.05)
        await pilot.press("r")  # a second decision restarts the delay: now a short one
        for _ in range(300):  # the debounced step, then its worker
            await pilot.pause(0.02)
            await pilot.app.workers.wait_for_complete()
            if "learning" not in status(pilot):
                break
        assert "learning" not in status(pilot)
        assert saved.read_bytes() != before  # trained again, with the two rejections


async def test_accepts_that_scroll_leave_nothing_stale(tmp_path: Path) -> None:
    """``a`` repaints the accepted passage and the panel's rows below its new entry, then
    both scroll (to the next suggestion, to the new entry) in the same frame: the lines
    the scroll moves must be those of after the change, as a full repaint draws them."""
    async with reader_app(tmp_path).run_test(size=(100, 14)) as pilot:
        await mode_on(pilot)
        reader = screen(pilot)
        await pilot.press("greater_than_sign")
        moved = {"text": 0, "panel": 0}
        for _ in range(8):
            before = reader.view.scroll_offset.y, reader.panel.scroll_offset.y
            await pilot.press("a")
            await pilot.pause()
            moved["text"] += reader.view.scroll_offset.y != before[0]
            moved["panel"] += reader.panel.scroll_offset.y != before[1]
            for widget in (reader.panel, reader.view):
                kept = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
                reader.view._strips.clear()  # the view's own cache of drawn lines too
                widget.refresh()
                fresh = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
                assert kept == fresh, type(widget).__name__
        assert len(reader.annotations) == 8
        assert moved["text"] and moved["panel"], moved
