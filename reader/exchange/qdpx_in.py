"""Reading a REFI-QDA project (``.qdpx``, or a bare ``.qde``) written by another tool.

Text sources become documents, their ``PlainTextSelection``s passages, the codes
those use themes. What it reads:

- a source's text from ``PlainTextContent`` or from ``plainTextPath``
  (``internal://…`` or a bare name, in ``sources/`` or NVivo's ``Sources/``),
  decoded as UTF-8 or, with a BOM, UTF-16; CRLF and CR become LF as everywhere;
- positions as code points (the standard), except in a project whose
  ``origin`` says NVivo: NVivo counts UTF-16 code units of the text after its
  BOM, a CRLF as two; both are converted to code points of the LF text;
- a selection's codes (its ``Coding``s), its note (its ``Description`` and the
  ``Note``s it points to), who made it and when (the first ``Coding``'s
  ``creatingUser``, else the selection's; ``creationDateTime``,
  ``modifiedDateTime``); its GUID becomes the passage's id;
- our own exports' codes name their theme key (``reader theme: KEY``).

What does not map — PDF, picture, audio and video sources, selections in them,
codings of whole sources, cases, variables, sets, graphs, links — is counted and
reported in one line each. The XML is parsed with :mod:`defusedxml`, DTDs
refused (no entity expansion, no external entity: no XXE, no billion laughs).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reader.errors import UsageError
from reader.exchange.ids import plain_guid
from reader.exchange.model import Code, Foreign, Selection, Source, convert, iso, offset_map
from reader.exchange.qdpx_out import KEY_LINE
from reader.exchange.safezip import Project
from reader.exchange.xmltext import legal

_NOT_TEXT = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_SELECTIONS = ("PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
               "TranscriptSelection")  # fmt: skip
_OTHER = {"Cases": "Case", "Variables": "Variable", "Sets": "Set", "Graphs": "Graph",
          "Links": "Link"}  # fmt: skip


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == name)


def _kid(element: Element | None, name: str) -> Element | None:
    return None if element is None else next(_kids(element, name), None)


def _text(element: Element | None, name: str) -> str:
    """The text of ``element``'s first child called ``name``; empty when there is none."""
    child = _kid(element, name)
    return (child.text or "") if child is not None else ""


def parse_xml(data: bytes, where: Path) -> Element:
    """A project document, parsed safely.

    Raises:
        UsageError: not well-formed, or declaring a DTD or entities.
    """
    try:
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise UsageError(
            "the XML declares a DTD or entities: refused (no entity is ever expanded)", where
        ) from None
    except ParseError as exc:
        raise UsageError(f"not well-formed XML: {exc}", where) from None
    except RecursionError:
        raise UsageError("XML nested too deeply", where) from None
    if _local(root.tag) != "Project":
        raise UsageError(f"not a REFI-QDA project (root element {_local(root.tag)!r:.40})", where)
    return root


def read(path: Path) -> Foreign:
    """Read a ``.qdpx`` or ``.qde`` into a :class:`Foreign` bundle.

    Raises:
        UsageError: the file cannot be a project (one line naming it); nothing is written.
    """
    with Project(Path(path)) as project:
        root = parse_xml(project.open(), project.path)
        return _Reader(project, root).run()


def decode_source(data: bytes, name: str, where: Path) -> str:
    """A source file's text: UTF-8 (a BOM dropped) or UTF-16 with its BOM.

    Raises:
        UsageError: anything else (one line naming the member).
    """
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text (byte {exc.start})", where) from None


class _Reader:
    def __init__(self, project: Project, root: Element) -> None:
        self.project = project
        self.root = root
        self.foreign = Foreign("qdpx", root.get("origin", ""))
        self.utf16 = self.foreign.origin.strip().lower().startswith("nvivo")
        self.users: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def run(self) -> Foreign:
        users = _kid(self.root, "Users")
        for user in _kids(users, "User") if users is not None else ():
            key = plain_guid(user.get("guid", ""))
            if key:
                self.users[key] = user.get("name") or user.get("id") or key
        self._codes()
        self._notes()
        sources = _kid(self.root, "Sources")
        for source in list(sources) if sources is not None else []:
            kind = _local(source.tag)
            if kind == "TextSource":
                self._text_source(source)
            elif kind in _NOT_TEXT:
                self.count(f"{_NOT_TEXT[kind]} source(s)")
                selections = sum(1 for e in source.iter() if _local(e.tag) in _SELECTIONS)
                self.count(f"selection(s) in {_NOT_TEXT[kind]} sources", selections)
        for section, item in _OTHER.items():
            element = _kid(self.root, section)
            if element is not None:
                self.count(f"{item.lower()}(s)", sum(1 for _ in _kids(element, item)))
        self.foreign.unmapped = [
            f"{n} {what} not imported: reader has no place for them"
            for what, n in self.counts.items()
            if n
        ]
        return self.foreign

    def _codes(self) -> None:
        codes = _kid(_kid(self.root, "CodeBook"), "Codes")
        stack = [(c, "") for c in _kids(codes, "Code")] if codes is not None else []
        found: list[tuple[Code, str]] = []
        while stack:
            element, parent = stack.pop()
            key = plain_guid(element.get("guid", ""))
            name = " ".join((element.get("name") or "").split()) or (key or "code")
            description = _text(element, "Description")
            if key:
                code = Code(key, name, element.get("color", ""), description.strip())
                last = description.rstrip().rsplit("\n", 1)[-1]
                if last.startswith(KEY_LINE):
                    code.key = last[len(KEY_LINE) :].strip()
                    code.description = description.rstrip()[: -len(last)].strip()
                self.foreign.codes[key] = code
                found.append((code, parent))
            stack.extend((child, name) for child in _kids(element, "Code"))
        names: dict[str, int] = {}
        for code, _ in found:
            names[code.name] = names.get(code.name, 0) + 1
        for code, parent in found:  # a name two codes share is told apart by its parent's
            if names[code.name] > 1 and parent:
                code.name = f"{parent} › {code.name}"

    def _notes(self) -> None:
        notes = _kid(self.root, "Notes")
        for note in _kids(notes, "Note") if notes is not None else ():
            key = plain_guid(note.get("guid", ""))
            if key:
                self.notes[key] = self._text_of(note, "note") or ""

    def _text_of(self, element: Element, what: str) -> str | None:
        """The text of a TextSource-like element: its PlainTextContent or plainTextPath."""
        content = _kid(element, "PlainTextContent")
        if content is not None:
            return content.text or ""
        reference = element.get("plainTextPath")
        if not reference:
            return None
        data = self.project.source(reference)
        if data is None:
            return None
        return decode_source(data, reference, self.project.path)

    def _text_source(self, element: Element) -> None:
        guid = plain_guid(element.get("guid", "")) or str(element.get("guid") or "")
        name = str(element.get("name") or guid)
        selections = list(_kids(element, "PlainTextSelection"))
        whole = sum(1 for _ in _kids(element, "Coding"))
        if whole:
            self.count("coding(s) of whole sources", whole)
        raw = self._text_of(element, "source")
        if raw is None:
            self.foreign.rejected.append(
                f"source {name!r:.60}: its text ({element.get('plainTextPath', 'none')!s:.60})"
                f" is not in the project: {len(selections)} selection(s) skipped"
            )
            return
        text, units, removed = offset_map(raw, self.utf16)
        source = Source(guid, name, text)
        for sel in selections:
            selection = self._selection(sel, name, units, removed, len(text))
            if selection is not None:
                source.selections.append(selection)
        self.foreign.sources.append(source)

    def _selection(
        self, sel: Element, source: str, units: list[int] | None, removed: list[int], size: int
    ) -> Selection | None:
        guid = plain_guid(sel.get("guid", "")) or str(sel.get("guid") or "")
        where = f"selection {guid:.40} in {source!r:.40}"
        try:
            start = int(sel.get("startPosition", ""))
            end = int(sel.get("endPosition", ""))
        except ValueError:
            self.foreign.rejected.append(f"{where}: positions are not integers")
            return None
        start, end = convert(start, units, removed), convert(end, units, removed)
        if not 0 <= start < end <= size:
            self.foreign.rejected.append(
                f"{where}: positions {start}–{end} are not a passage of its text"
                f" ({size} characters)"
            )
            return None
        codes: list[str] = []
        coder = ""
        for coding in _kids(sel, "Coding"):
            ref = _kid(coding, "CodeRef")
            code = plain_guid(ref.get("targetGUID", "")) if ref is not None else None
            if code is None or code not in self.foreign.codes:
                self.foreign.rejected.append(f"{where}: a coding names no code of the project")
                continue
            if code not in codes:
                codes.append(code)
            coder = coder or coding.get("creatingUser", "")
        if not codes:
            self.count("text selection(s) without a code")
            return None
        notes: list[str] = []
        for ref in _kids(sel, "NoteRef"):
            text = self.notes.get(plain_guid(ref.get("targetGUID", "")) or "", "")
            if text.strip() and text not in notes:
                notes.append(text)
        description = _text(sel, "Description")
        # Our export writes the note twice (Description, Note): kept once; a Description
        # that only shows a linked note's controls as placeholders is that note too.
        if description.strip() and all(legal(n) != description for n in notes):
            notes.insert(0, description)
        user = plain_guid(coder) or plain_guid(sel.get("creatingUser", "")) or ""
        created = iso(sel.get("creationDateTime"))
        return Selection(
            id=guid,
            start=start,
            end=end,
            codes=codes,
            note="\n\n".join(notes),
            annotator=self.users.get(user, user),
            created=created,
            updated=iso(sel.get("modifiedDateTime")) or created,
        )
