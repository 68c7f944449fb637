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

import hashlib
import re
import uuid

NAMESPACE = uuid.UUID("3c9f8e0a-6b7d-5e1f-9a2b-4c5d6e7f8a9b")
_PREFIX = NAMESPACE.bytes
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def guid(kind: str, *parts: str) -> str:
    """The GUID of a ``kind`` of thing named by ``parts``: ``uuid.uuid5`` (RFC 4122 §4.3),
    computed without building UUID objects (a qdpx of 100,000 passages makes 300,000)."""
    name = "\n".join((kind, *parts)).encode("utf-8", "surrogatepass")
    digest = bytearray(hashlib.sha1(_PREFIX + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def selection_guid(ann_id: str) -> str:
    """The passage's id when it is a canonical lowercase UUID, else one derived from it."""
    if _CANONICAL.fullmatch(ann_id):
        return ann_id
    return guid("annotation", ann_id)


def plain_guid(value: str) -> str | None:
    """A GUID as read from another tool (upper case, braces) in canonical form; None if not one."""
    try:
        return str(uuid.UUID(value.strip().strip("{}")))
    except ValueError:
        return None
