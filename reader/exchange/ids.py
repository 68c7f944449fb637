"""Stable GUIDs for the exchange formats: the same store gives the same identifiers.

Everything REFI-QDA names by GUID is derived with UUID 5 from what it stands
for, in the program's own namespace, lowercase:

- a selection (one passage): the passage's id itself when it is a UUID — which
  every id the program makes is — so the id survives a round trip through
  another tool; otherwise ``uuid5("annotation\\n" + id)``;
- a coding (one theme of a passage): ``uuid5("coding\\n" + id + "\\n" + key)``;
- a code (a theme): ``uuid5("code\\n" + key)``; a user: ``uuid5("user\\n" + name)``;
  a source (a document): ``uuid5("source\\n" + path)``; a note: ``uuid5("note\\n" + id)``.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("3c9f8e0a-6b7d-5e1f-9a2b-4c5d6e7f8a9b")


def guid(kind: str, *parts: str) -> str:
    """The GUID of a ``kind`` of thing named by ``parts``."""
    return str(uuid.uuid5(NAMESPACE, "\n".join((kind, *parts))))


def selection_guid(ann_id: str) -> str:
    """The passage's id when it is a canonical lowercase UUID, else one derived from it."""
    try:
        if str(uuid.UUID(ann_id)) == ann_id:
            return ann_id
    except ValueError:
        pass
    return guid("annotation", ann_id)


def plain_guid(value: str) -> str | None:
    """A GUID as read from another tool (upper case, braces) in canonical form; None if not one."""
    try:
        return str(uuid.UUID(value.strip().strip("{}")))
    except ValueError:
        return None
