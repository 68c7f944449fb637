"""Listings compared by object identity: exactly the objects that left and came."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.store import Annotation
from reader.ui.identity_diff import identity_diff

WHEN = "2026-01-01T00:00:00.000Z"


def ann(number: int) -> Annotation:
    return Annotation(
        f"id-{number}", "d", "s", number, number + 1, "q", "", "", ["arms"], "", "t", WHEN, WHEN,
        "anchored",
    )  # fmt: skip


edits = st.lists(
    st.tuples(st.sampled_from(["replace", "insert", "delete", "swap"]), st.integers(0, 10**6)),
    max_size=8,
)


@given(st.integers(min_value=0, max_value=60), edits)
def test_identity_diff_is_the_difference_of_identities(
    size: int, changes: list[tuple[str, int]]
) -> None:
    old = [ann(i) for i in range(size)]
    new = list(old)
    made = size
    for what, where in changes:
        if what == "insert":
            new.insert(where % (len(new) + 1), ann(made))
            made += 1
        elif not new:
            continue
        elif what == "replace":
            i = where % len(new)
            new[i] = new[i].copy(note="edited")  # an equal-looking new object: a change
        elif what == "delete":
            del new[where % len(new)]
        else:
            i, j = where % len(new), (where // 7) % len(new)
            new[i], new[j] = new[j], new[i]  # moved, not changed
    removed, added = identity_diff(old, new)
    new_ids, old_ids = set(map(id, new)), set(map(id, old))
    assert [id(a) for a in removed] == [id(a) for a in old if id(a) not in new_ids]
    assert [id(a) for a in added] == [id(a) for a in new if id(a) not in old_ids]


def test_one_change_among_many_is_found_in_a_small_window() -> None:
    old = [ann(i) for i in range(10_000)]
    new = [*old[:5000], old[5000].copy(themes=["china"]), *old[5001:]]
    removed, added = identity_diff(old, new)
    assert removed == [old[5000]] and added == [new[5000]] and added[0] is not removed[0]
    assert identity_diff(old, list(old)) == ([], [])
    assert identity_diff([], old[:3]) == ([], old[:3])
