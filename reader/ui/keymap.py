"""User key remapping: ``<store>/keymap.toml`` maps binding ids to keys.

Every binding of the app has an id (shown on the help screen), so a user can
move any action to other keys without touching code::

    # annotations/keymap.toml
    "view.next_sentence" = "down,j,n"   # several keys: comma-separated
    "reader.note" = "ctrl+n"

The file is optional; a malformed one is refused with one line naming it.
"""

from __future__ import annotations

from pathlib import Path

from reader.errors import UsageError
from reader.nesting import toml_loads
from reader.store.storage import read_regular

KEYMAP_FILE = "keymap.toml"


def load_keymap(store_dir: Path) -> dict[str, str]:
    """Binding id → keys from ``store_dir/keymap.toml``; empty when there is no file.

    Raises:
        UsageError: the file cannot be read, is not TOML, or holds a non-string value.
    """
    path = Path(store_dir) / KEYMAP_FILE
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read the keymap: {exc}", path) from None
    import tomllib

    try:
        raw = toml_loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read the keymap: {exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"not a valid keymap: {exc}", path) from None
    keymap: dict[str, str] = {}
    for binding_id, keys in raw.items():
        if not isinstance(keys, str) or not keys.strip():
            raise UsageError(f'"{binding_id}" must be keys in a string, like "ctrl+n"', path)
        keymap[binding_id] = keys.replace(" ", "")
    return keymap
