"""The annotation panel's list: updates by diff give exactly what a full rebuild gives."""

from __future__ import annotations

from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.store import Annotation
from reader.ui.widgets.annotation_panel_rows import (
    DIFF_LIMIT,
    EMPTY,
    ORPHANS,
    PanelRows,
    entry_height,
)


def ann(number: int, start: int, end: int, note: str = "", status: str = "anchored") -> Annotation:
    return Annotation(
        f"id-{number:04d}", "doc.txt", "sha", start, end, "quote", "", "", ["arms"], note,
        "tester", f"2026-01-01T00:00:{number % 60:02d}.000Z", "", status,
    )  # fmt: skip


def check_like_rebuild(rows: PanelRows, annotations: list[Annotation]) -> None:
    """``rows`` lists the same objects, in the same order, on the same rows as a fresh build."""
    fresh = PanelRows()
    fresh.rebuild(annotations)
    assert len(rows.items) == len(fresh.items)
    for mine, theirs in zip(rows.items, fresh.items, strict=True):
        assert mine is theirs or (isinstance(mine, str) and mine == theirs)
    assert [rows.span(i) for i in range(len(rows))] == [fresh.span(i) for i in range(len(fresh))]
    assert rows.total == fresh.total
    for listed in rows.annotations:
        index = rows.index_of(listed.id)
        assert index is not None and rows.items[index] is listed


def expected_order(annotations: list[Annotation]) -> list[object]:
    """What the panel shows, written out plainly: entries by reading order, then orphans."""
    by_position = sorted(annotations, key=lambda a: (a.start, a.end, a.created, a.id))
    anchored = [a for a in by_position if a.status != "orphaned"]
    orphaned = [a for a in by_position if a.status == "orphaned"]
    items: list[object] = [*anchored] if annotations else [EMPTY]
    if orphaned:
        items += [ORPHANS, *orphaned]
    return items


# One step of a session: add, edit (themes, note: the height changes), orphan, delete, or put
# back an object seen before (what undo and redo do), each on an annotation chosen by number.
steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "note", "unnote", "move", "orphan", "delete", "restore"]),
        st.integers(min_value=0, max_value=9),  # few annotations: each one changes often
        st.integers(min_value=0, max_value=30),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(steps)
def test_a_session_of_changes_lists_what_a_rebuild_lists(
    session: list[tuple[str, int, int]],
) -> None:
    rows = PanelRows()
    current: dict[str, Annotation] = {}
    seen: dict[str, list[Annotation]] = {}
    for what, number, where in session:
        key = f"id-{number:04d}"
        old = current.get(key)
        if what == "add" and old is None:
            new = ann(number, where, where + 1 + number % 5)
        elif old is None and what == "restore" and seen.get(key):
            new = seen[key][0]
        elif old is None:
            continue
        elif what == "note":
            new = old.copy(note="a note")
        elif what == "unnote":
            new = old.copy(note="")
        elif what == "move":
            new = old.copy(start=where, end=where + 3)
        elif what == "orphan":
            new = old.copy(status="orphaned")
        elif what == "restore" and seen.get(key):
            new = seen[key][0]
        else:
            new = None
        if new is None:
            del current[key]
        else:
            current[key] = new
            seen.setdefault(key, []).append(new)
        listing = list(current.values())
        diff = rows.update(listing)
        assert not diff.rebuilt
        check_like_rebuild(rows, listing)
        assert rows.items == expected_order(listing)


def test_the_update_reports_what_changed_and_moves_nothing_else() -> None:
    first = [ann(i, 10 * i, 10 * i + 5) for i in range(100)]
    rows = PanelRows()
    rows.update(first)
    edited = first[50].copy(note="now with a note")
    second = [*first[:50], edited, *first[51:], ann(100, 3, 4)]
    diff = rows.update(second)
    assert [a.id for a in diff.removed] == ["id-0050"]
    assert sorted(a.id for a in diff.added) == ["id-0050", "id-0100"]
    assert rows.items[1] is second[-1]  # 3–4 sorts between 0–5 and 10–15
    assert rows.span(rows.index_of("id-0050") or 0)[1] == entry_height(edited) == 3
    check_like_rebuild(rows, second)
    assert not rows.update(second)  # the same objects again: no change at all


def test_many_changes_at_once_sort_everything_again() -> None:
    rows = PanelRows()
    many = [ann(i, i, i + 1) for i in range(DIFF_LIMIT + 1)]
    assert rows.update(many).rebuilt
    check_like_rebuild(rows, many)
    assert rows.update([]).rebuilt
    assert rows.items == [EMPTY]


def test_rows_count_every_entry_without_layout() -> None:
    listing = [ann(i, i, i + 1, note="n" if i % 3 == 0 else "") for i in range(30)]
    listing.append(ann(99, 5, 6, status="orphaned"))
    rows = PanelRows()
    rows.update(listing)
    heights = [1 if isinstance(i, str) else entry_height(i) for i in rows.items]
    starts = [0, *accumulate(heights)]
    assert rows.total == starts[-1]
    for row in range(rows.total):
        index, line = rows.item_at_row(row) or (-1, -1)
        assert starts[index] <= row < starts[index + 1] and line == row - starts[index]
    assert rows.item_at_row(rows.total) is None
    assert rows.items[-2] == ORPHANS and rows.orphans == 1


def test_near_gives_the_entries_a_scroll_to_a_new_annotation_shows() -> None:
    # Entries at 0, 10, … 190; every third has a note (3 rows), the others 2.
    listed = [ann(i, 10 * i, 10 * i + 5, "n" if i % 3 == 0 else "") for i in range(20)]
    rows = PanelRows()
    rows.rebuild(listed)
    index, row = rows.place(95)  # between the entries at 90 and 100
    assert (index, row) == (10, rows.span(10)[0])
    # Scrolling down to it puts it at the bottom: the 7 rows above hold entries 9 … 7.
    above = rows.near(95, 7, above=True)
    assert [a.start for a in above] == [90, 80, 70]
    assert sum(entry_height(a) for a in above[:-1]) < 7 <= sum(entry_height(a) for a in above)
    # Scrolling up to it puts it at the top: the 7 rows from it on hold entries 10 … 12.
    below = rows.near(95, 7, above=False)
    assert [a.start for a in below] == [100, 110, 120]
    # At the ends: nothing above the first place, nothing past the last.
    assert rows.near(0, 7, above=True) == []
    assert rows.near(1000, 7, above=False) == []
    assert [a.start for a in rows.near(1000, 4, above=True)] == [190, 180]
    assert [a.start for a in rows.near(1000, 2, above=True)] == [190]
    assert PanelRows().near(5, 7, above=True) == []  # only the empty list's line
