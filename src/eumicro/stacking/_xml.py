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

import ast
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Final

import attrs
from lxml import etree

from eumicro import vocab
from eumicro._checks import field_problems, typed_input
from eumicro._errors import ParseError, PathSegment, Problem, ValidationError
from eumicro._model import Identifier, LegalIdentifier, Organisation
from eumicro._text import Text, normalise_language_tag
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats._json import _DATETIME, _NAIVE
from eumicro.formats._xmlsafe import (
    DEFAULT_MAX_BYTES,
    XML_NS,
    SourceMap,
    XmlProblem,
    element_path,
    load_schema,
    local_name,
    parse_untrusted,
    problem_at,
    validate_xsd,
    xml_chars_problem,
)
from eumicro.stacking._json import unsatisfiable_reasons
from eumicro.stacking._rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Named,
    Node,
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

_SUBJECT: Final = "eumicro stacking XML"
_SCHEMA_FILE: Final = "eumicro-stacking.xsd"
_LANG: Final = f"{{{XML_NS}}}lang"
_FAIL: Final = object()

_KINDS: Final[dict[str, type[Node]]] = {
    "allOf": AllOf,
    "anyOf": AnyOf,
    "atLeast": AtLeast,
    "named": Named,
    "select": Select,
}
_KIND_OF: Final[dict[type[Node], str]] = {cls: kind for kind, cls in _KINDS.items()}
_NODE_NAMES: Final = ", ".join(f"<{k}>" for k in _KINDS)

# ----------------------------------------------------------------------------- values


class _BadValueError(Exception):
    """A value that cannot be read; the message says what was expected."""

    def __init__(self, message: str, code: str = "type") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@attrs.frozen
class _Scalar:
    """How one kind of value is read from and written to text."""

    read: Callable[[str], Any]
    write: Callable[[Any], str]
    strip: bool = True


def _read_decimal(text: str) -> Decimal:
    if re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits decimals only
            pass
    raise _BadValueError(f"expected a number such as 5 or 7.5, got {text!r}")


def _write_decimal(value: Decimal) -> str:
    out = format(value.normalize(), "f")
    return "0" if out in ("-0", "0") else out


def _read_int(text: str) -> int:
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    raise _BadValueError(f"expected a whole number, got {text!r}")


def _read_bool(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise _BadValueError(f"expected true or false, got {text!r}")


def _read_datetime(text: str) -> dt.datetime:
    if _NAIVE.fullmatch(text):
        raise _BadValueError(
            f"date-time {text!r} has no timezone: add an offset such as 'Z' or '+02:00'",
            "timezone",
        )
    if not _DATETIME.fullmatch(text):
        raise _BadValueError(
            f"expected a date-time such as 2024-05-01T10:00:00+02:00, got {text!r}"
        )
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise _BadValueError(f"not a valid date-time: {exc}", "date") from None


def _concept(*vocabularies: Vocabulary) -> _Scalar:
    names = " or ".join(v.title for v in vocabularies)

    def read(text: str) -> Concept:
        for vocabulary in vocabularies:
            found = vocabulary.find_iri(text)
            if found is not None:
                return found
        hint = ""
        for vocabulary in vocabularies:
            found = vocabulary.get(text)
            if found is not None:
                hint = f"; did you mean {found.iri!r} ({found.label})?"
                break
        raise _BadValueError(
            f"{text!r} is not the IRI of a concept from {names}{hint}", "vocabulary"
        )

    return _Scalar(read, lambda c: str(c.iri))


_STRING: Final = _Scalar(str, str, strip=False)
_TOKEN: Final = _Scalar(str, str)
_DECIMAL: Final = _Scalar(_read_decimal, _write_decimal)
_INT: Final = _Scalar(_read_int, str)
_BOOL: Final = _Scalar(_read_bool, lambda v: "true" if v else "false")
_DATETIME_VALUE: Final = _Scalar(_read_datetime, lambda v: v.isoformat())

# ----------------------------------------------------------------------------- layout


@attrs.frozen
class _Field:
    """One model attribute in XML.

    ``kind`` is ``attribute`` (an XML attribute), ``value`` / ``values`` (one or
    repeated text elements), ``text`` (one element per language), ``object`` /
    ``objects`` (one or repeated elements with the fields of ``cls``), ``rule`` (an
    element holding one node) or ``children`` (the node elements themselves).
    """

    name: str
    xml: str
    kind: str
    scalar: _Scalar | None = None
    cls: type | None = None
    required: bool = False
    default: Any = None


def _attribute(name: str, xml: str, scalar: _Scalar) -> tuple[str, str, str, Any]:
    return name, xml, "attribute", scalar


def _value(name: str, xml: str, scalar: _Scalar) -> tuple[str, str, str, Any]:
    return name, xml, "value", scalar


def _values(name: str, xml: str, scalar: _Scalar) -> tuple[str, str, str, Any]:
    return name, xml, "values", scalar


_NODE_ATTRIBUTES: Final = (_attribute("id", "id", _STRING), _attribute("shared", "shared", _BOOL))

_LAYOUT: Final[dict[type, tuple[tuple[str, str, str, Any], ...]]] = {
    Qualification: (
        _attribute("id", "id", _TOKEN),
        ("title", "title", "text", None),
        ("rule", "rule", "rule", None),
        _value("eqf", "eqf", _concept(vocab.EQF)),
        _value("ects", "ects", _DECIMAL),
        ("awarding_body", "awardingBody", "object", Organisation),
        _value("min_total_ects", "minTotalEcts", _DECIMAL),
        ("caps", "cap", "objects", Cap),
        ("coverage", "coverage", "objects", Coverage),
    ),
    Coverage: (
        _attribute("id", "id", _STRING),
        _values("esco_skills", "escoSkill", _TOKEN),
        _values("learning_outcomes", "learningOutcome", _TOKEN),
        _value("min_count", "minCount", _INT),
    ),
    Cap: (
        _attribute("id", "id", _STRING),
        ("filter", "filter", "object", Filter),
        _value("max_ects", "maxEcts", _DECIMAL),
    ),
    Filter: (
        _value("min_ects", "minEcts", _DECIMAL),
        _value("min_eqf", "minEqf", _concept(vocab.EQF)),
        _values("fields", "field", _concept(vocab.ISCED_F)),
        _values("esco_skills", "escoSkill", _TOKEN),
        _values("awarding_bodies", "awardingBody", _TOKEN),
        _values("excluded_awarding_bodies", "excludedAwardingBody", _TOKEN),
        _values("countries", "country", _concept(vocab.COUNTRY)),
        _values("qa_types", "qaType", _concept(vocab.ACCREDITATION_TYPE)),
        _values("assessment_types", "assessmentType", _concept(vocab.ASSESSMENT_TYPE)),
        _values("supervision", "supervision", _concept(vocab.SUPERVISION_VERIFICATION)),
        _values("participation_modes", "participationMode", _concept(vocab.MODE)),
        _values("grades", "grade", _STRING),
        _value("issued_after", "issuedAfter", _DATETIME_VALUE),
        _value("issued_before", "issuedBefore", _DATETIME_VALUE),
        _value("issued_within_days", "issuedWithinDays", _INT),
        _value("valid_at_evaluation", "validAtEvaluation", _BOOL),
    ),
    AllOf: (*_NODE_ATTRIBUTES, ("children", "", "children", None)),
    AnyOf: (*_NODE_ATTRIBUTES, ("children", "", "children", None)),
    AtLeast: (
        _attribute("n", "n", _INT),
        *_NODE_ATTRIBUTES,
        ("children", "", "children", None),
    ),
    Named: (
        *_NODE_ATTRIBUTES,
        _value("specification_id", "specificationId", _TOKEN),
        _values("equivalents", "equivalent", _TOKEN),
    ),
    Select: (
        *_NODE_ATTRIBUTES,
        ("filter", "filter", "object", Filter),
        _value("min_count", "minCount", _INT),
        _value("min_ects", "minEcts", _DECIMAL),
    ),
    Organisation: (
        _attribute("id", "id", _TOKEN),
        ("name", "name", "text", None),
        _value("country", "country", _concept(vocab.COUNTRY)),
        _value("region", "region", _concept(vocab.ATU, vocab.NUTS)),
        ("registration", "registration", "object", LegalIdentifier),
        ("eidas_identifier", "eidasIdentifier", "object", LegalIdentifier),
        ("vat_identifier", "vatIdentifier", "object", LegalIdentifier),
        ("identifiers", "identifier", "objects", Identifier),
        _value("homepage", "homepage", _TOKEN),
        _value("email", "email", _TOKEN),
        _value("address", "address", _STRING),
    ),
    LegalIdentifier: (
        _value("value", "value", _STRING),
        _value("country", "country", _concept(vocab.COUNTRY)),
        _value("scheme", "scheme", _STRING),
    ),
    Identifier: (
        _value("value", "value", _STRING),
        _value("scheme", "scheme", _STRING),
        _value("scheme_iri", "schemeIri", _TOKEN),
    ),
}


def _build_plans() -> dict[type, tuple[_Field, ...]]:
    plans: dict[type, tuple[_Field, ...]] = {}
    for cls, layout in _LAYOUT.items():
        fields = {f.name: f for f in attrs.fields(cls)}
        if set(fields) != {entry[0] for entry in layout}:  # pragma: no cover - model change
            raise RuntimeError(f"the XML layout of {cls.__name__} does not match its fields")
        out = []
        for name, xml, kind, extra in layout:
            default = fields[name].default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            out.append(
                _Field(
                    name=name,
                    xml=xml,
                    kind=kind,
                    scalar=extra if isinstance(extra, _Scalar) else None,
                    cls=extra if isinstance(extra, type) else None,
                    required=default is attrs.NOTHING,
                    default=default,
                )
            )
        plans[cls] = tuple(out)
    return plans


_PLANS: Final = _build_plans()

# Attribute names and paths in the model's messages, and their XML spelling.
_XML_NAMES: Final = {
    f.name: f.xml for plan in _PLANS.values() for f in plan if "_" in f.name and f.xml
}
_MODEL_NAME: Final = re.compile(
    r"\b(" + "|".join(sorted(_XML_NAMES, key=len, reverse=True)) + r")\b"
)
_MODEL_PATH: Final = re.compile(r"\(at (\('rule'(?:, (?:'children'|\d+))*,?\))\)")

# Descriptions of the XSD's simple types (and of the elements that use them) for messages.
_ECTS: Final = "a number of ECTS credits from 0 with at most two decimals, such as 5 or 7.5"
_IRI: Final = "an absolute IRI such as 'urn:…' or 'https://…'"
_DESCRIPTIONS: Final[dict[str, str]] = {
    "Ects": _ECTS,
    "Iri": _IRI,
    "Url": "an http(s) URL",
    "Email": "an e-mail address",
    "NonEmptyString": "text that is not empty or only whitespace",
    "Days": "a whole number of days from 0 to 365000",
    "DateTime": "a date-time with an offset, such as 2024-05-01T10:00:00+02:00",
    "EqfLevel": "the IRI of an EQF level, http://data.europa.eu/snb/eqf/1 to …/eqf/8",
    "IscedField": "the IRI of an ISCED-F field, such as http://data.europa.eu/snb/isced-f/0613",
    "Country": "a country IRI, such as "
    "http://publications.europa.eu/resource/authority/country/DEU",
    "Region": "the IRI of an ATU or NUTS region",
    "AccreditationType": "the IRI of an accreditation type "
    "(http://data.europa.eu/snb/accreditation/…)",
    "AssessmentType": "the IRI of an assessment type (http://data.europa.eu/snb/assessment/…)",
    "SupervisionVerification": "the IRI of a supervision and verification method "
    "(http://data.europa.eu/snb/supervision-verification/…)",
    "Mode": "the IRI of a mode of learning and assessment "
    "(http://data.europa.eu/snb/learning-assessment/…)",
    "xs:boolean": "true or false",
    "xs:positiveInteger": "a whole number from 1",
    "xs:nonNegativeInteger": "a whole number from 0",
}
# Elements (and attributes) whose values have a pattern or range: facet errors name them.
for _element, _type in {
    "ects": "Ects",
    "minEcts": "Ects",
    "maxEcts": "Ects",
    "minTotalEcts": "Ects",
    "eqf": "EqfLevel",
    "minEqf": "EqfLevel",
    "field": "IscedField",
    "country": "Country",
    "region": "Region",
    "qaType": "AccreditationType",
    "assessmentType": "AssessmentType",
    "supervision": "SupervisionVerification",
    "participationMode": "Mode",
    "issuedAfter": "DateTime",
    "issuedBefore": "DateTime",
    "issuedWithinDays": "Days",
    "homepage": "Url",
    "email": "Email",
    "specificationId": "Iri",
    "equivalent": "Iri",
    "escoSkill": "Iri",
    "learningOutcome": "Iri",
    "awardingBody": "Iri",
    "excludedAwardingBody": "Iri",
    "schemeIri": "Iri",
    "qualification>@id": "Iri",
    "awardingBody>@id": "Iri",
    "@id": "NonEmptyString",
    "title": "NonEmptyString",
    "name": "NonEmptyString",
    "grade": "NonEmptyString",
    "value": "NonEmptyString",
    "scheme": "NonEmptyString",
    "address": "NonEmptyString",
}.items():
    _DESCRIPTIONS[
        _element if _element.startswith("@") else f"<{_element}" + ("" if "@" in _element else ">")
    ] = _DESCRIPTIONS[_type]

_ELEMENTS: Final = frozenset(
    {"catalogue", "qualification", "rule", *_KINDS}
    | {f.xml for plan in _PLANS.values() for f in plan if f.kind != "attribute" and f.xml}
)


def stacking_xml_schema() -> etree.XMLSchema:
    """The XSD of stacking XML documents (``eumicro/schemas/eumicro-stacking.xsd``)."""
    return load_schema("eumicro.schemas", _SCHEMA_FILE)


# ----------------------------------------------------------------------------- writing


def _q(name: str) -> str:
    return f"{{{STACKING_XML_NS}}}{name}"


class _Writer:
    def __init__(self) -> None:
        self.bad: list[tuple[etree._Element, str | None, str]] = []

    def text(self, el: etree._Element, value: str) -> None:
        why = xml_chars_problem(value)
        if why is None:
            el.text = value
        else:
            self.bad.append((el, None, why))

    def attribute(self, el: etree._Element, name: str, value: str) -> None:
        why = xml_chars_problem(value)
        if why is None:
            el.set(name, value)
        else:
            self.bad.append((el, name, why))

    def node(self, parent: etree._Element, node: Node) -> None:
        kind = _KIND_OF.get(type(node))
        if kind is None:
            raise TypeError(f"no XML mapping for rule node {type(node).__name__}")
        self.fields(etree.SubElement(parent, _q(kind)), node)

    def fields(self, el: etree._Element, obj: Any) -> None:
        for field in _PLANS[type(obj)]:
            value = getattr(obj, field.name)
            if not field.required and (value is None or value == field.default):
                continue
            if field.kind == "attribute":
                assert field.scalar is not None
                self.attribute(el, field.xml, field.scalar.write(value))
            elif field.kind in ("value", "values"):
                assert field.scalar is not None
                for item in value if field.kind == "values" else (value,):
                    self.text(etree.SubElement(el, _q(field.xml)), field.scalar.write(item))
            elif field.kind == "text":
                for language, text in value.items_in_order():
                    self.text(etree.SubElement(el, _q(field.xml), {_LANG: language}), text)
            elif field.kind in ("object", "objects"):
                for item in value if field.kind == "objects" else (value,):
                    self.fields(etree.SubElement(el, _q(field.xml)), item)
            elif field.kind == "rule":
                self.node(etree.SubElement(el, _q(field.xml)), value)
            else:
                for child in value:
                    self.node(el, child)


def _serialise(root: etree._Element, writer: _Writer, pretty: bool) -> str:
    if writer.bad:
        problems = [
            XmlProblem(element_path(el, attribute), why, "xml-character")
            for el, attribute, why in writer.bad
        ]
        raise ValidationError(problems, _SUBJECT)
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=pretty)
    return data.decode("utf-8")


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
    writer = _Writer()
    root = etree.Element(_q("qualification"), nsmap={None: STACKING_XML_NS})
    writer.fields(root, qualification)
    return _serialise(root, writer, pretty)


def catalogue_to_xml(qualifications: Iterable[Qualification], *, pretty: bool = True) -> str:
    """The ``<catalogue>`` document of some qualifications, as XML text."""
    items = list(qualifications)
    for i, q in enumerate(items):
        if not isinstance(q, Qualification):
            raise TypeError(f"item {i} is a {type(q).__name__}, not a Qualification")
    writer = _Writer()
    root = etree.Element(_q("catalogue"), nsmap={None: STACKING_XML_NS})
    for q in items:
        writer.fields(etree.SubElement(root, _q("qualification")), q)
    return _serialise(root, writer, pretty)


# ----------------------------------------------------------------------------- reading


@attrs.frozen
class _Loc:
    """Where the value of one field was read: its elements, or an attribute."""

    elements: tuple[etree._Element, ...] = ()
    attribute: str | None = None


_Record = tuple[etree._Element, dict[str, _Loc], dict[str, Any]]


def _snake(key: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), key)


def _ours(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and etree.QName(el).namespace == STACKING_XML_NS


def _content(el: etree._Element) -> str:
    """The text of an element (comments and processing instructions left out)."""
    return "".join(el.itertext())


class _Reader:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.records: dict[int, _Record] = {}
        self.keep: list[Any] = []

    def add(
        self, el: etree._Element, message: str, code: str, attribute: str | None = None
    ) -> None:
        self.problems.append(problem_at(el, message, code, self.source, attribute=attribute))

    # -- locating model problems

    def locate(
        self, record: _Record, path: tuple[PathSegment, ...]
    ) -> tuple[etree._Element, str | None]:
        el, locs, values = record
        if not path or not isinstance(path[0], str):
            return el, None
        name = path[0] if path[0] in locs else _snake(path[0])
        loc = locs.get(name)
        if loc is None:
            return el, None
        if loc.attribute is not None:
            return el, loc.attribute
        rest = path[1:]
        target = loc.elements[0] if loc.elements else el
        item = values.get(name)
        if isinstance(item, tuple) and rest and isinstance(rest[0], int):
            i = rest[0]
            target = loc.elements[i] if 0 <= i < len(loc.elements) else target
            item = item[i] if 0 <= i < len(item) else None
            rest = rest[1:]
        found = self.records.get(id(item)) if attrs.has(type(item)) else None
        if found is not None and rest:
            return self.locate(found, rest)
        return target, None

    def model_problems(self, record: _Record, found: Iterable[Problem]) -> None:
        for problem in found:
            el, attribute = self.locate(record, problem.path)
            self.add(el, self.translate(record, problem.message), problem.code, attribute)

    def translate(self, record: _Record, message: str) -> str:
        """A model message with attribute names and paths as the XML has them."""

        def path(m: re.Match[str]) -> str:
            segments = tuple(ast.literal_eval(m.group(1)))
            target, _ = self.locate(record, segments)
            return f"(at {XmlProblem(element_path(target), '').location})"

        message = _MODEL_PATH.sub(path, message)
        return _MODEL_NAME.sub(lambda m: f"<{_XML_NAMES[m.group()]}>", message)

    # -- objects

    def obj(self, cls: type, el: etree._Element) -> Any:
        groups: dict[str, list[etree._Element]] = {}
        nodes: list[etree._Element] = []
        for child in el:
            if _ours(child):
                name = local_name(child)
                groups.setdefault(name, []).append(child)
                if name in _KINDS:
                    nodes.append(child)
        kwargs: dict[str, Any] = {}
        locs: dict[str, _Loc] = {}
        failed = False
        for field in _PLANS[cls]:
            value = self.field(field, el, groups, nodes, locs)
            if value is _FAIL:
                failed = True
            elif value is not None:
                kwargs[field.name] = value
        record: _Record = (el, locs, kwargs)
        if failed:
            self.model_problems(record, field_problems(cls, kwargs))
            return _FAIL
        try:
            with typed_input():
                obj = cls(**kwargs)
        except ValidationError as exc:
            self.model_problems(record, exc.problems)
            return _FAIL
        self.records[id(obj)] = record
        self.keep.append(obj)
        return obj

    def field(
        self,
        field: _Field,
        el: etree._Element,
        groups: Mapping[str, list[etree._Element]],
        nodes: list[etree._Element],
        locs: dict[str, _Loc],
    ) -> Any:
        """The value of one field (None: absent and optional; _FAIL: a problem)."""
        if field.kind == "attribute":
            raw = el.get(field.xml)
            locs[field.name] = _Loc((el,), field.xml)
            if raw is None:
                if field.required:
                    self.add(
                        el,
                        f"required attribute {field.xml!r} of <{local_name(el)}> is missing",
                        "missing",
                    )
                    return _FAIL
                return None
            assert field.scalar is not None
            return self.scalar(field.scalar, raw, el, field.xml)
        if field.kind == "children":
            locs[field.name] = _Loc(tuple(nodes))
            children = [self.node(n) for n in nodes]
            return _FAIL if _FAIL in children else tuple(children)
        found = groups.get(field.xml, [])
        locs[field.name] = _Loc(tuple(found))
        if not found:
            if field.required:
                self.add(
                    el,
                    f"required element <{field.xml}> of <{local_name(el)}> is missing",
                    "missing",
                )
                return _FAIL
            return None
        if field.kind == "value":
            assert field.scalar is not None
            return self.scalar(field.scalar, _content(found[0]), found[0])
        if field.kind == "values":
            assert field.scalar is not None
            scalar = field.scalar
            items = [self.scalar(scalar, _content(item), item) for item in found]
            return _FAIL if _FAIL in items else tuple(items)
        if field.kind == "text":
            return self.text(found)
        if field.kind == "object":
            assert field.cls is not None
            return self.obj(field.cls, found[0])
        if field.kind == "objects":
            assert field.cls is not None
            cls = field.cls
            objs = [self.obj(cls, item) for item in found]
            return _FAIL if _FAIL in objs else tuple(objs)
        rule = found[0]
        inside = [c for c in rule if _ours(c) and local_name(c) in _KINDS]
        locs[field.name] = _Loc(tuple(inside[:1]))
        if not inside:
            self.add(rule, f"<rule> holds no node: give one of {_NODE_NAMES}", "missing")
            return _FAIL
        return self.node(inside[0])

    def node(self, el: etree._Element) -> Any:
        return self.obj(_KINDS[local_name(el)], el)

    def scalar(
        self, scalar: _Scalar, raw: str, el: etree._Element, attribute: str | None = None
    ) -> Any:
        text = raw.strip(" \t\n\r") if scalar.strip else raw
        try:
            return scalar.read(text)
        except _BadValueError as bad:
            self.add(el, bad.message, bad.code, attribute)
            return _FAIL

    def text(self, elements: list[etree._Element]) -> Any:
        pairs: list[tuple[str, str]] = []
        seen: dict[str, etree._Element] = {}
        failed = False
        for el in elements:
            language = el.get(_LANG)
            value = _content(el)
            if language is None:
                self.add(
                    el,
                    'xml:lang is missing: give the language of the text, e.g. xml:lang="en"',
                    "missing",
                )
                failed = True
                continue
            tag = normalise_language_tag(language.replace("_", "-"))
            if tag in seen:
                self.add(
                    el,
                    f"language {tag!r} is given more than once (also at "
                    f"{XmlProblem(element_path(seen[tag]), '').location})",
                    "duplicate",
                    "xml:lang",
                )
                failed = True
                continue
            try:
                Text({language: value})
            except ValidationError as exc:
                for problem in exc.problems:
                    on_tag = problem.code == "language"
                    self.add(el, problem.message, problem.code, "xml:lang" if on_tag else None)
                failed = True
                continue
            assert tag is not None
            seen[tag] = el
            pairs.append((language, value))
        return _FAIL if failed else Text(pairs)


# ----------------------------------------------------------------------------- documents


_Data = str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str]


def _parse(data: _Data, expected: str, max_bytes: int) -> tuple[etree._Element, _Reader]:
    root, source = parse_untrusted(data, subject=_SUBJECT, max_bytes=max_bytes)
    reader = _Reader(source)
    name = etree.QName(root)
    if name.namespace != STACKING_XML_NS or name.localname != expected:
        where = f"namespace {name.namespace!r}" if name.namespace else "no namespace"
        reader.add(
            root,
            f"expected a <{expected}> document in namespace {STACKING_XML_NS!r}, got "
            f"<{name.localname}> in {where}",
            "root",
        )
        raise ParseError(reader.problems, _SUBJECT)
    return root, reader


def _finish(root: etree._Element, reader: _Reader) -> None:
    """Raise every problem: the XSD's, then the reader's that the XSD did not already give."""
    schema_problems = validate_xsd(
        root,
        stacking_xml_schema(),
        source=reader.source,
        types=_DESCRIPTIONS,
        namespace=STACKING_XML_NS,
        elements=_ELEMENTS,
    )
    if not schema_problems and not reader.problems:
        return
    # Where the XSD found a problem, the reader's findings there (and at the enclosing
    # elements) say the same again, less precisely: keep the XSD's.
    covered: set[tuple[PathSegment, ...]] = set()
    for problem in schema_problems:
        path = tuple(s for s in problem.path if not (isinstance(s, str) and s.startswith("@")))
        for end in range(1, len(path) + 1):
            covered.add(path[:end])
    own = [
        p
        for p in reader.problems
        if tuple(s for s in p.path if not (isinstance(s, str) and s.startswith("@"))) not in covered
    ]
    problems = sorted([*schema_problems, *own], key=lambda p: (p.line or 0, p.column or 0))
    raise ParseError(problems, _SUBJECT)


_CAP_REFERENCE: Final = re.compile(r"\$\.caps\[(\d+)\]")


def _strict(reader: _Reader, q: Qualification) -> None:
    record = reader.records[id(q)]
    for reason in unsatisfiable_reasons(q):
        el, attribute = reader.locate(record, reason.path)

        def cap(m: re.Match[str]) -> str:
            cap_el, _ = reader.locate(record, ("caps", int(m.group(1))))
            return XmlProblem(element_path(cap_el), "").location

        reader.add(el, _CAP_REFERENCE.sub(cap, reason.message), reason.code, attribute)


def qualification_from_xml(
    data: _Data, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
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
    root, reader = _parse(data, "qualification", max_bytes)
    result = reader.obj(Qualification, root)
    if strict and result is not _FAIL:
        _strict(reader, result)
    _finish(root, reader)
    assert isinstance(result, Qualification)
    return result


def catalogue_from_xml(
    data: _Data, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Qualification]:
    """Read the qualifications of a ``<catalogue>`` document; their ids must be unique."""
    root, reader = _parse(data, "catalogue", max_bytes)
    out: list[Qualification] = []
    seen: dict[str, etree._Element] = {}
    for el in root:
        if not (_ours(el) and local_name(el) == "qualification"):
            continue
        q = reader.obj(Qualification, el)
        if q is _FAIL:
            continue
        out.append(q)
        if q.id in seen:
            first = XmlProblem(element_path(seen[q.id]), "").location
            reader.add(
                el, f"qualification id {q.id!r} is already used (at {first})", "duplicate", "id"
            )
        else:
            seen[q.id] = el
        if strict:
            _strict(reader, q)
    _finish(root, reader)
    return out
