"""Stacking rules and qualification catalogues as XML.

The XML layout mirrors the JSON one (:mod:`eumicro.stacking._json`) in the namespace
``urn:eumicro:xml:stacking:1`` (written as the default namespace), described by the
XSD ``eumicro/schemas/eumicro-stacking.xsd``::

    <qualification xmlns="urn:eumicro:xml:stacking:1" id="urn:…">
      <title xml:lang="en">…</title>
      <rule>NODE</rule>
      <eqf>IRI</eqf> <ects>60</ects> <awardingBody id="…">…</awardingBody>
      <minTotalEcts>60</minTotalEcts> <cap id="…"><filter>…</filter><maxEcts>30</maxEcts></cap>
      <coverage id="…"><escoSkill>IRI</escoSkill><learningOutcome>IRI</learningOutcome>
        <minCount>1</minCount></coverage>
    </qualification>

    <catalogue xmlns="urn:eumicro:xml:stacking:1"> <qualification id="…">…</qualification>… </catalogue>

A rule ``NODE`` is one of ``<allOf>``, ``<anyOf>``, ``<atLeast n="2">`` (holding their
child nodes), ``<named>`` (``<specificationId>`` and ``<equivalent>`` elements) and
``<select>`` (``<filter>``, ``<minCount>``, ``<minEcts>``); every node may carry the
attributes ``id`` and ``shared="true"``. Element names are the attribute names of the
model in camelCase; lists are repeated elements with the singular name (``<field>``,
``<escoSkill>``, ``<cap>`` …); multilingual text is one element per language with
``xml:lang``; a vocabulary concept is its IRI. Absent values, empty lists and the
defaults ``false`` / ``0`` are left out, and elements come in a fixed order, so that
the same objects always give the same bytes.

Reading parses safely (:mod:`eumicro.formats._xmlsafe`), validates against the XSD and
builds the objects; :class:`~eumicro.ParseError` lists every problem with its element
path, line and column. With ``strict=True`` rules that can never be satisfied are
refused too, with the reasons of :func:`~eumicro.stacking.unsatisfiable_reasons`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from lxml import etree

from eumicro import vocab
from eumicro._model import Organisation
from eumicro.formats._xmlcodec import (
    BOOL,
    DATETIME,
    DECIMAL,
    FAIL,
    INT,
    ORGANISATION_LAYOUTS,
    STRING,
    TOKEN,
    TYPE_DESCRIPTIONS,
    Codec,
    Data,
    LayoutEntry,
    Reader,
    Writer,
    attribute,
    child,
    children,
    concept,
    text,
    value,
    values,
)
from eumicro.formats._xmlsafe import DEFAULT_MAX_BYTES
from eumicro.stacking._json import unsatisfiable_reasons
from eumicro.stacking._rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Named,
    Qualification,
    Select,
)

__all__ = [
    "STACKING_XML_NS",
    "catalogue_from_xml",
    "catalogue_to_xml",
    "qualification_from_xml",
    "qualification_to_xml",
    "stacking_xml_schema",
]

STACKING_XML_NS: Final = "urn:eumicro:xml:stacking:1"
"""Namespace of stacking XML documents."""

# ----------------------------------------------------------------------------- layout

_NODE_ATTRIBUTES: Final = (attribute("id", "id", STRING), attribute("shared", "shared", BOOL))
_CHILDREN: Final[LayoutEntry] = ("children", "", "choices", None)

_LAYOUT: Final[dict[type, tuple[LayoutEntry, ...]]] = {
    Qualification: (
        attribute("id", "id", TOKEN),
        text("title", "title"),
        ("rule", "rule", "choice", None),
        value("eqf", "eqf", concept(vocab.EQF)),
        value("ects", "ects", DECIMAL),
        child("awarding_body", "awardingBody", Organisation),
        value("min_total_ects", "minTotalEcts", DECIMAL),
        children("caps", "cap", Cap),
        children("coverage", "coverage", Coverage),
    ),
    Coverage: (
        attribute("id", "id", STRING),
        values("esco_skills", "escoSkill", TOKEN),
        values("learning_outcomes", "learningOutcome", TOKEN),
        value("min_count", "minCount", INT),
    ),
    Cap: (
        attribute("id", "id", STRING),
        child("filter", "filter", Filter),
        value("max_ects", "maxEcts", DECIMAL),
    ),
    Filter: (
        value("min_ects", "minEcts", DECIMAL),
        value("min_eqf", "minEqf", concept(vocab.EQF)),
        values("fields", "field", concept(vocab.ISCED_F)),
        values("esco_skills", "escoSkill", TOKEN),
        values("awarding_bodies", "awardingBody", TOKEN),
        values("excluded_awarding_bodies", "excludedAwardingBody", TOKEN),
        values("countries", "country", concept(vocab.COUNTRY)),
        values("qa_types", "qaType", concept(vocab.ACCREDITATION_TYPE)),
        values("assessment_types", "assessmentType", concept(vocab.ASSESSMENT_TYPE)),
        values("supervision", "supervision", concept(vocab.SUPERVISION_VERIFICATION)),
        values("participation_modes", "participationMode", concept(vocab.MODE)),
        values("grades", "grade", STRING),
        value("issued_after", "issuedAfter", DATETIME),
        value("issued_before", "issuedBefore", DATETIME),
        value("issued_within_days", "issuedWithinDays", INT),
        value("valid_at_evaluation", "validAtEvaluation", BOOL),
    ),
    AllOf: (*_NODE_ATTRIBUTES, _CHILDREN),
    AnyOf: (*_NODE_ATTRIBUTES, _CHILDREN),
    AtLeast: (attribute("n", "n", INT), *_NODE_ATTRIBUTES, _CHILDREN),
    Named: (
        *_NODE_ATTRIBUTES,
        value("specification_id", "specificationId", TOKEN),
        values("equivalents", "equivalent", TOKEN),
    ),
    Select: (
        *_NODE_ATTRIBUTES,
        child("filter", "filter", Filter),
        value("min_count", "minCount", INT),
        value("min_ects", "minEcts", DECIMAL),
    ),
    **ORGANISATION_LAYOUTS,
}

_CODEC: Final = Codec(
    namespace=STACKING_XML_NS,
    subject="eumicro stacking XML",
    schema=("eumicro.schemas", "eumicro-stacking.xsd"),
    layouts=_LAYOUT,
    roots=("catalogue", "qualification"),
    types={**TYPE_DESCRIPTIONS, "Days": "a whole number of days from 0 to 365000"},
    element_types={
        "ects": "Ects",
        "minEcts": "Ects",
        "maxEcts": "Ects",
        "minTotalEcts": "Ects",
        "eqf": "EqfLevel",
        "minEqf": "EqfLevel",
        "field": "IscedField",
        "qaType": "AccreditationType",
        "assessmentType": "AssessmentType",
        "supervision": "SupervisionVerification",
        "participationMode": "Mode",
        "issuedAfter": "DateTime",
        "issuedBefore": "DateTime",
        "issuedWithinDays": "Days",
        "specificationId": "Iri",
        "equivalent": "Iri",
        "escoSkill": "Iri",
        "learningOutcome": "Iri",
        "awardingBody": "Iri",
        "excludedAwardingBody": "Iri",
        "qualification>@id": "Iri",
        "awardingBody>@id": "Iri",
        "title": "NonEmptyString",
        "grade": "NonEmptyString",
    },
    choices={"allOf": AllOf, "anyOf": AnyOf, "atLeast": AtLeast, "named": Named, "select": Select},
    # Paths in the messages of rules: ('rule', 'children', 0, …).
    model_path=re.compile(r"\(at (\('rule'(?:, (?:'children'|\d+))*,?\))\)"),
)


def stacking_xml_schema() -> etree.XMLSchema:
    """The XSD of stacking XML documents (``eumicro/schemas/eumicro-stacking.xsd``)."""
    return _CODEC.schema()


# ----------------------------------------------------------------------------- writing


def _serialise(root: etree._Element, writer: Writer, pretty: bool) -> str:
    return _CODEC.serialise(root, writer, pretty).decode("utf-8")


def qualification_to_xml(qualification: Qualification, *, pretty: bool = True) -> str:
    """The ``<qualification>`` document of a qualification, as XML text.

    The text starts with an XML declaration naming UTF-8: write it to a file encoded as
    UTF-8 (``.encode()``). Raises :class:`~eumicro.ValidationError` when a text holds a
    character that XML 1.0 cannot represent (a control character, say).

    >>> from eumicro import Text
    >>> q = Qualification(
    ...     id="urn:x:q", title=Text(en="Q"), rule=Named(specification_id="urn:x:spec:a")
    ... )
    >>> print(qualification_to_xml(q), end="")
    <?xml version='1.0' encoding='UTF-8'?>
    <qualification xmlns="urn:eumicro:xml:stacking:1" id="urn:x:q">
      <title xml:lang="en">Q</title>
      <rule>
        <named>
          <specificationId>urn:x:spec:a</specificationId>
        </named>
      </rule>
    </qualification>
    """
    if not isinstance(qualification, Qualification):
        raise TypeError(f"expected a Qualification, got {type(qualification).__name__}")
    writer = Writer(_CODEC)
    root = _CODEC.root("qualification")
    writer.fields(root, qualification)
    return _serialise(root, writer, pretty)


def catalogue_to_xml(qualifications: Iterable[Qualification], *, pretty: bool = True) -> str:
    """The ``<catalogue>`` document of some qualifications, as XML text."""
    items = list(qualifications)
    for i, q in enumerate(items):
        if not isinstance(q, Qualification):
            raise TypeError(f"item {i} is a {type(q).__name__}, not a Qualification")
    writer = Writer(_CODEC)
    root = _CODEC.root("catalogue")
    tag = _CODEC.q("qualification")
    for q in items:
        writer.fields(etree.SubElement(root, tag), q)
    return _serialise(root, writer, pretty)


_CAP_REFERENCE: Final = re.compile(r"\$\.caps\[(\d+)\]")


def _strict(reader: Reader, q: Qualification) -> None:
    record = reader.records[id(q)]
    for reason in unsatisfiable_reasons(q):
        el, attribute = reader.locate(record, reason.path)

        def cap(m: re.Match[str]) -> str:
            cap_el, _ = reader.locate(record, ("caps", int(m.group(1))))
            return reader.location(cap_el)

        reader.add(el, _CAP_REFERENCE.sub(cap, reason.message), reason.code, attribute)


def qualification_from_xml(
    data: Data, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> Qualification:
    """Read a ``<qualification>`` document (XML text, bytes, a path or a binary file).

    Raises :class:`~eumicro.ParseError` with every problem, its element path, line and
    column; with ``strict=True`` also when the rules can never be satisfied
    (:func:`~eumicro.stacking.unsatisfiable_reasons`).

    >>> from eumicro import Text
    >>> q = Qualification(
    ...     id="urn:x:q", title=Text(en="Q"), rule=Named(specification_id="urn:x:spec:a")
    ... )
    >>> qualification_from_xml(qualification_to_xml(q)) == q
    True
    """
    root, reader = _CODEC.parse(data, ("qualification",), max_bytes)
    (result,) = reader.build(Qualification, (root,))
    if strict and result is not FAIL:
        _strict(reader, result)
    _CODEC.finish(root, reader)
    assert isinstance(result, Qualification)
    return result


def catalogue_from_xml(
    data: Data, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Qualification]:
    """Read the qualifications of a ``<catalogue>`` document; their ids must be unique."""
    root, reader = _CODEC.parse(data, ("catalogue",), max_bytes)
    out: list[Qualification] = []
    seen: dict[str, etree._Element] = {}
    tag = _CODEC.q("qualification")
    elements = [el for el in root if el.tag == tag]
    for el, q in zip(elements, reader.build(Qualification, elements), strict=True):
        if q is FAIL:
            continue
        out.append(q)
        if q.id in seen:
            first = reader.location(seen[q.id])
            reader.add(
                el, f"qualification id {q.id!r} is already used (at {first})", "duplicate", "id"
            )
        else:
            seen[q.id] = el
        if strict:
            _strict(reader, q)
    _CODEC.finish(root, reader)
    return out
