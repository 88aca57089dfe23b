"""LOQ XML: reading whole documents, losslessly (``read_loq``) or not (``from_loq_xml``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO

import attrs
from lxml import etree

from eumicro._errors import ParseError, Problem
from eumicro._model import (
    Specification,
)
from eumicro._opportunity import LearningOpportunity
from eumicro.formats._xmlsafe import (
    DEFAULT_MAX_BYTES,
    local_name,
    parse_untrusted,
    validate_xsd,
)
from eumicro.formats.europass._loq._common import (
    _SPECIFICATIONS,
    _SUBJECT,
    _TYPES,
    LOQ_NS,
    _q,
    loq_schema,
)
from eumicro.formats.europass._loq._read import _Reader
from eumicro.formats.europass._loq._write import _render, to_loq_xml


@attrs.frozen(eq=False)
class LoqDocument:
    """A LOQ document as read by :func:`read_loq`: what eumicro models, and the rest kept.

    Attributes:
        items: its learning opportunities, then its other specifications, as model objects.
        notes: the values eumicro read but could not hold (a credit value that is not a
            number, a vocabulary value missing from the bundled lists …), each with its
            element path, line and column. They stay in the document: :meth:`to_xml`
            writes them back.

    >>> doc = read_loq(to_loq_xml([]))
    >>> doc.items, doc.notes
    ((), ())
    """

    items: tuple[Specification | LearningOpportunity, ...]
    notes: tuple[Problem, ...]
    _root: etree._Element = attrs.field(repr=False, alias="root")
    _kinds: Mapping[str, str] = attrs.field(repr=False, alias="kinds")
    _cache: dict[str, etree._Element] = attrs.field(repr=False, init=False, factory=dict)

    def _baseline(self) -> etree._Element:
        """What eumicro writes for the items as read (the common ancestor of a merge)."""
        found = self._cache.get("baseline")
        if found is None:
            found = self._cache["baseline"] = _render(self.items, self._kinds).document()
        return found

    def to_xml(self, items: Iterable[Specification | LearningOpportunity] | None = None) -> bytes:
        """The document with ``items`` (by default its own) written into it.

        Same as ``to_loq_xml(items, base=self)``.
        """
        return to_loq_xml(self.items if items is None else items, base=self)


def _read(
    data: str | bytes | os.PathLike[str] | IO[bytes] | IO[str], max_bytes: int
) -> tuple[etree._Element, _Reader, list[Specification | LearningOpportunity]]:
    root, source = parse_untrusted(data, subject=_SUBJECT, max_bytes=max_bytes)
    problems = validate_xsd(root, loq_schema(), source=source, types=_TYPES, namespace=LOQ_NS)
    if problems:
        raise ParseError(problems, _SUBJECT)
    reader = _Reader(root, source)
    found: list[Specification | LearningOpportunity] = []
    used: set[str] = set()
    for el in root.iterfind(f"{_q('learningOpportunityReferences')}/{_q('learningOpportunity')}"):
        opp = reader.opportunity(el)
        if opp is not None:
            found.append(opp)
            used.add(opp.specification.id)
    section = f"{_q('learningAchievementSpecificationReferences')}/*"
    for el in root.iterfind(section):
        if local_name(el) in _SPECIFICATIONS:
            spec = reader.specification(el)
            if spec is not None and spec.id not in used:
                found.append(spec)
                used.add(spec.id)
    return root, reader, found


def _by_position(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def read_loq(
    data: str | bytes | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoqDocument:
    """Read a LOQ ``Courses`` document, keeping everything for a lossless re-export.

    The document is read as untrusted input (no DTDs or entities, size and depth
    limits) and validated against the official XSD; problems there raise
    :class:`~eumicro.ParseError`, each with its element path, line and column. Then its
    opportunities and specifications are mapped to model objects. What the model cannot
    hold does not raise: it is listed in :attr:`LoqDocument.notes`, and kept in the
    document, with everything eumicro does not model, for :meth:`LoqDocument.to_xml`.
    """
    root, reader, found = _read(data, max_bytes)
    kinds = {
        el.get("id") or "": local_name(el)
        for el in root.iterfind(f"{_q('learningAchievementSpecificationReferences')}/*")
        if local_name(el) in _SPECIFICATIONS
    }
    return LoqDocument(
        items=tuple(found),
        notes=tuple(_by_position(reader.errors + reader.skipped)),
        root=root,
        kinds=kinds,
    )


def from_loq_xml(
    data: str | bytes | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    strict: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Specification | LearningOpportunity]:
    """Read a LOQ ``Courses`` document: its learning opportunities, then its other specifications.

    The document is read as untrusted input (no DTDs or entities, size and depth
    limits), validated against the official XSD, then mapped. LOQ elements that eumicro
    does not model (grants, banner images, target groups …) are left aside; use
    :func:`read_loq` to keep them for a re-export. Values of elements it does model but
    cannot hold — a credit value that is not a number, a vocabulary value missing from
    the bundled lists, a second awarding body — raise :class:`~eumicro.ParseError` when
    ``strict`` (each with its element path, line and column); with ``strict=False`` they
    are left out. Dates and times without a UTC offset are read as UTC.

    Raises :class:`~eumicro.ParseError` with every problem found.
    """
    _, reader, found = _read(data, max_bytes)
    problems = reader.errors + (reader.skipped if strict else [])
    if problems:
        raise ParseError(_by_position(problems), _SUBJECT)
    return found
