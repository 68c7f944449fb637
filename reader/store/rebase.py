"""Undo and redo on top of what other instances wrote since: only this instance's change.

An undo applies a change backwards (``after`` → ``before``), a redo forwards. Another
instance may have changed the annotation in between; writing the whole ``before`` back
would silently revert that. :func:`rebase` applies only what the change changed, field by
field, onto the annotation as it is now — and refuses (:class:`Refused`) where the other
instance changed the same thing since, or deleted or re-made the annotation:

- a field the change did not touch keeps its value now;
- a field it touched that still holds the value the change left is set back; one that
  holds the value it is going to anyway stays;
- ``themes`` is a set of keys toggled: the keys the change added are taken out of the
  themes now, the keys it removed put back (another instance's toggles of other keys are
  kept); no key left is refused (the others' changes would go with the annotation);
- any other field changed since by someone else: refused, nothing written.
"""

from __future__ import annotations

from typing import Any

from reader.errors import StoreError
from reader.store.model import Annotation, now_iso, to_record


class Refused(StoreError):
    """The undo or redo would revert another instance's change: not done, nothing written."""


#: :func:`rebase` found nothing to write (the annotation is as the change makes it already).
UNCHANGED = object()


def _content(ann: Annotation) -> dict[str, Any]:
    record = to_record(ann)
    record.pop("updated")
    return record


def _same(a: Annotation, b: Annotation) -> bool:
    """Same content, dates aside and theme keys in any order (an undone toggle puts a key
    back at the end)."""
    first, second = _content(a), _content(b)
    first["themes"], second["themes"] = sorted(first["themes"]), sorted(second["themes"])
    return first == second


def rebase(
    start: Annotation | None, goal: Annotation | None, now: Annotation | None
) -> Annotation | object | None:
    """What to write so that the change ``start`` → ``goal`` is applied to ``now``.

    Returns:
        The annotation to write (its ``updated`` now), None to delete it, or
        :data:`UNCHANGED`.

    Raises:
        Refused: another instance changed what the change changes (one line: what).
    """
    if start is None:  # making it (again): an undone delete, a redone add
        assert goal is not None
        if now is None:
            return goal.copy(updated=now_iso())
        if _same(now, goal):
            return UNCHANGED
        raise Refused("it was made again by another instance since")
    if now is None:
        if goal is None:
            return UNCHANGED  # deleted already
        raise Refused("it was deleted by another instance since")
    if goal is None:  # deleting it: an undone add, a redone delete
        if _same(now, start):
            return None
        raise Refused("it was changed by another instance since")
    before, after, current = _content(start), _content(goal), _content(now)
    result = dict(current)
    for name in before.keys() | after.keys():
        old, new, held = before.get(name), after.get(name), current.get(name)
        if old == new or held == new:
            continue
        if held == old:  # as this change left it: exactly what it was (order included)
            if name in after:
                result[name] = new
            else:  # a field the goal does not have (edits when none): gone
                result.pop(name, None)
        elif name == "themes" and isinstance(old, list) and isinstance(new, list):
            removed = [k for k in old if k not in new]
            added = [k for k in new if k not in old]
            kept = [k for k in held or [] if k not in removed]
            result["themes"] = kept + [k for k in added if k not in kept]
        else:
            raise Refused(f"its {name} was changed by another instance since")
    if not result["themes"]:  # the others' toggles and this one's undone: nothing left
        raise Refused("no theme would be left after another instance's changes")
    if result == current:
        return UNCHANGED
    themes = result.pop("themes")
    edits = result.pop("edits", [])
    fields = {k: v for k, v in result.items() if k in Annotation.__dataclass_fields__}
    extra = {k: v for k, v in result.items() if k not in fields}
    return Annotation(
        **fields, themes=list(themes), edits=list(edits), extra=extra, updated=now_iso()
    )
