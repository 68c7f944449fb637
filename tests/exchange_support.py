"""Helpers for the exchange tests: the REFI-QDA schema and reading a qdpx back."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

#: REFI-QDA's Project.xsd (MIT), a copy of ../shared/refi-qda/Project.xsd.
SCHEMA = Path(__file__).resolve().parent / "data" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
DATA = Path(__file__).resolve().parent / "data" / "qdpx"


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def read_qdpx(path: Path) -> tuple[ElementTree.Element, dict[str, bytes]]:
    """The parsed project.qde (validated against the schema) and every member's bytes."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    qde = members["project.qde"]
    schema().validate(qde.decode("utf-8"))
    return ElementTree.fromstring(qde), members
