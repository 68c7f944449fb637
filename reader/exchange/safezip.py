"""Reading another tool's project file without trusting it: a zip, or a bare ``.qde``.

A ``.qdpx`` comes from anyone, so nothing in it is taken on faith:

- nothing is ever extracted to disk: members are read into memory by name, so a
  member called ``../../.bashrc`` (path traversal) can never be written anywhere;
- sizes are bounded: at most :data:`MAX_MEMBERS` members, :data:`MAX_MEMBER`
  bytes for one member and :data:`MAX_TOTAL` for all that are read, counted on
  the bytes actually inflated (a zip bomb's declared sizes may lie), so a small
  file cannot fill the memory;
- a member is found by its name whatever the case of its folder (``sources/``
  or NVivo's ``Sources/``), and the project by ``project.qde`` or, failing that,
  the one ``.qde`` at the root, whatever its name.

Every problem is a :class:`~reader.errors.UsageError`: one line naming the file.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from reader.errors import UsageError

#: Limits on what one import reads (uncompressed).
MAX_MEMBERS = 100_000
MAX_MEMBER = 256 * 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024
_CHUNK = 1 << 20


class Project:
    """A REFI-QDA project file opened for reading: its ``.qde`` and its source files."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._folder: Path | None = None
        self._read = 0
        self.qde_name = ""

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()

    # --- opening -------------------------------------------------------------

    def open(self) -> bytes:
        """Open the file and return the ``.qde`` document's bytes.

        Raises:
            UsageError: not a file, not a zip nor XML, no ``.qde`` in the zip,
                several candidates, or over the size limits.
        """
        try:
            info = self.path.stat()
        except FileNotFoundError:
            raise UsageError("no such file", self.path) from None
        except OSError as exc:
            raise UsageError(exc.strerror or "cannot read", self.path) from None
        if stat.S_ISDIR(info.st_mode):
            raise UsageError("is a directory, not a project file", self.path)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError("not a regular file", self.path)
        if zipfile.is_zipfile(self.path):
            return self._open_zip()
        if info.st_size > MAX_MEMBER:
            raise UsageError(f"too large for a project file ({info.st_size} bytes)", self.path)
        self._folder = self.path.parent
        self.qde_name = self.path.name
        return self.path.read_bytes()

    def _open_zip(self) -> bytes:
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UsageError(f"not a readable zip: {exc}", self.path) from None
        if len(infos) > MAX_MEMBERS:
            raise UsageError(f"holds {len(infos)} members (at most {MAX_MEMBERS})", self.path)
        for item in infos:
            if item.is_dir():
                continue
            key = _key(item.filename)
            if key is not None:
                self._members.setdefault(key, item)
        root = [k for k in self._members if "/" not in k and k.endswith(".qde")]
        if "project.qde" in root:
            chosen = "project.qde"
        elif len(root) == 1:
            chosen = root[0]
        elif not root:
            raise UsageError("no project.qde (nor any .qde) at the root of the zip", self.path)
        else:
            names = ", ".join(sorted(self._members[k].filename for k in root)[:3])
            raise UsageError(f"several .qde files at the root of the zip ({names})", self.path)
        self.qde_name = self._members[chosen].filename
        return self._member(self._members[chosen])

    # --- members -------------------------------------------------------------

    def source(self, reference: str) -> bytes | None:
        """The bytes of a source a ``plainTextPath`` names, or None if the project lacks it.

        ``internal://NAME`` and a bare relative ``NAME`` are looked for in the
        project's ``sources`` folder (any case); anything else — an absolute path,
        a URL, a name climbing out with ``..`` — is never read.
        """
        name = reference[len("internal://") :] if reference.startswith("internal://") else reference
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if not parts or ":" in name or name.startswith("/") or ".." in parts:
            return None
        if parts[0].lower() != "sources":
            parts = ("sources", *parts)
        if self._zip is not None:
            item = self._members.get(_key("/".join(parts)) or "")
            return None if item is None else self._member(item)
        return self._file(parts)

    def _member(self, item: zipfile.ZipInfo) -> bytes:
        """One member, inflated in chunks and cut off at the limits (declared sizes may lie)."""
        assert self._zip is not None
        if item.file_size > MAX_MEMBER:
            raise UsageError(f"{item.filename}: too large ({item.file_size} bytes)", self.path)
        pieces: list[bytes] = []
        size = 0
        try:
            with self._zip.open(item) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._read += len(chunk)
                    if size > MAX_MEMBER or self._read > MAX_TOTAL:
                        raise UsageError(
                            f"{item.filename}: inflates beyond the size limit (a zip bomb?)",
                            self.path,
                        )
                    pieces.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise UsageError(f"{item.filename}: cannot be read: {exc}", self.path) from None
        return b"".join(pieces)

    def _file(self, parts: tuple[str, ...]) -> bytes | None:
        """A source beside a bare ``.qde``: only inside its ``sources`` folder, regular files."""
        assert self._folder is not None
        folder = next(
            (p for p in self._folder.iterdir() if p.is_dir() and p.name.lower() == "sources"),
            None,
        )
        if folder is None:
            return None
        target = folder.joinpath(*parts[1:])
        try:
            resolved = target.resolve(strict=True)
            if not resolved.is_relative_to(folder.resolve()) or not resolved.is_file():
                return None
            size = resolved.stat().st_size
        except OSError:
            return None
        self._read += size
        if size > MAX_MEMBER or self._read > MAX_TOTAL:
            raise UsageError(f"{target}: too large ({size} bytes)", self.path)
        return resolved.read_bytes()


def _key(name: str) -> str | None:
    """A member's lookup key: ``/``-separated, the first folder lower-cased; None if unsafe."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts:
        return None
    return "/".join((parts[0].lower(), *parts[1:]))
