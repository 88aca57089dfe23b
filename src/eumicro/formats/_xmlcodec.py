"""The layout-driven XML codec that eumicro's XML formats are built on.

A format describes each model class by a *layout*: one entry per attribute of the class,
``(attribute name, XML name, kind, scalar or class)``, in the order the elements come
in. :class:`Codec` turns the layouts into field plans and provides

* a writer that builds the elements of an object with lxml (absent values, empty lists
  and defaults left out, elements in the layout's order, so that the same objects
  always give the same bytes);
* a reader that builds objects from parsed elements, collecting *every* problem with its
  element path, line and column, model errors included (re-rooted at the element or
  attribute that holds the offending value, attribute names spelled as in the XML);
* the parse → build → XSD-validate sequence of a document read from an untrusted
  source (:mod:`eumicro.formats._xmlsafe`), with the XSD's problems and the reader's
  merged;
* canonical serialisation: UTF-8, one default namespace declaration.

Kinds: ``attribute`` (an XML attribute), ``value`` / ``values`` (one or repeated text
elements), ``text`` (one element per language, with ``xml:lang``), ``object`` /
``objects`` (one or repeated elements holding the fields of a class), ``choice`` (an
element holding one element of a class hierarchy, see ``choices``) and ``choices`` (the
elements of a class hierarchy directly inside).
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Final

import attrs
from lxml import etree

from eumicro import _gc, vocab
from eumicro._checks import field_problems, typed_input
from eumicro._errors import ParseError, PathSegment, Problem, ValidationError
from eumicro._model import Identifier, LegalIdentifier, Organisation
from eumicro._text import Text, normalise_language_tag
from eumicro._vocabulary import Concept, Vocabulary, concept_by_iri
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

__all__ = [
    "BOOL",
    "DATE",
    "DATETIME",
    "DECIMAL",
    "FAIL",
    "INT",
    "LANG",
    "ORGANISATION_LAYOUTS",
    "STRING",
    "TOKEN",
    "TYPE_DESCRIPTIONS",
    "BadValueError",
    "Codec",
    "Data",
    "LayoutEntry",
    "Reader",
    "Scalar",
    "Writer",
    "attribute",
    "concept",
    "content",
    "enumeration",
    "value",
    "values",
]

LANG: Final = f"{{{XML_NS}}}lang"
"""Qualified name of ``xml:lang``."""

FAIL: Final = object()
"""What the reader returns for a value it could not read (the problem is recorded)."""

Data = str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str]
"""What a document can be read from."""

# ----------------------------------------------------------------------------- values


class BadValueError(Exception):
    """A value that cannot be read; the message says what was expected."""

    def __init__(self, message: str, code: str = "type") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@attrs.frozen
class Scalar:
    """How one kind of value is read from and written to text."""

    read: Callable[[str], Any]
    write: Callable[[Any], str]
    strip: bool = True


_DECIMAL_TEXT: Final = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_INT_TEXT: Final = re.compile(r"[+-]?[0-9]+")
_DATE_TEXT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _read_decimal(text: str) -> Decimal:
    if _DECIMAL_TEXT.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits decimals only
            pass
    raise BadValueError(f"expected a number such as 5 or 7.5, got {text!r}")


def _write_decimal(value: Decimal) -> str:
    out = format(value.normalize(), "f")
    return "0" if out in ("-0", "0") else out


def _read_int(text: str) -> int:
    if _INT_TEXT.fullmatch(text):
        return int(text)
    raise BadValueError(f"expected a whole number, got {text!r}")


def _read_bool(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise BadValueError(f"expected true or false, got {text!r}")


def _read_datetime(text: str) -> dt.datetime:
    if _NAIVE.fullmatch(text):
        raise BadValueError(
            f"date-time {text!r} has no timezone: add an offset such as 'Z' or '+02:00'",
            "timezone",
        )
    if not _DATETIME.fullmatch(text):
        raise BadValueError(f"expected a date-time such as 2024-05-01T10:00:00+02:00, got {text!r}")
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadValueError(f"not a valid date-time: {exc}", "date") from None


def _read_date(text: str) -> dt.date:
    if not _DATE_TEXT.fullmatch(text):
        raise BadValueError(f"expected a date such as 2024-05-01, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise BadValueError(f"not a valid date: {exc}", "date") from None


def _isoformat(value: dt.date) -> str:
    return value.isoformat()


def _iri_of(value: Concept) -> str:
    return value.iri


def concept(*vocabularies: Vocabulary) -> Scalar:
    """A vocabulary concept, written as its IRI; read from the IRI of one of ``vocabularies``."""

    def read(text: str) -> Concept:
        try:
            return concept_by_iri(vocabularies, text)
        except ValueError as exc:
            raise BadValueError(str(exc), "vocabulary") from None

    return Scalar(read, _iri_of)


def enumeration(cls: type[enum.Enum]) -> Scalar:
    """A member of an enumeration, written as its value."""
    members = {m.value: m for m in cls}
    allowed = ", ".join(repr(v) for v in members)

    def read(text: str) -> enum.Enum:
        found = members.get(text)
        if found is None:
            raise BadValueError(f"expected one of {allowed}, got {text!r}", "enum")
        return found

    return Scalar(read, lambda m: str(m.value))


STRING: Final = Scalar(str, str, strip=False)
"""Text kept exactly as written (whitespace included)."""
TOKEN: Final = Scalar(str, str)
"""Text with surrounding whitespace removed (IRIs, e-mail addresses …)."""
DECIMAL: Final = Scalar(_read_decimal, _write_decimal)
INT: Final = Scalar(_read_int, str)
BOOL: Final = Scalar(_read_bool, lambda v: "true" if v else "false")
DATETIME: Final = Scalar(_read_datetime, _isoformat)
DATE: Final = Scalar(_read_date, _isoformat)

# ----------------------------------------------------------------------------- layout

LayoutEntry = tuple[str, str, str, Any]
"""``(attribute name, XML name, kind, scalar or class)``."""


def attribute(name: str, xml: str, scalar: Scalar) -> LayoutEntry:
    """A field written as an XML attribute."""
    return name, xml, "attribute", scalar


def value(name: str, xml: str, scalar: Scalar) -> LayoutEntry:
    """A field written as one text element."""
    return name, xml, "value", scalar


def values(name: str, xml: str, scalar: Scalar) -> LayoutEntry:
    """A tuple field written as repeated text elements."""
    return name, xml, "values", scalar


def text(name: str, xml: str) -> LayoutEntry:
    """A multilingual text field: one element per language, with ``xml:lang``."""
    return name, xml, "text", None


def child(name: str, xml: str, cls: type) -> LayoutEntry:
    """A field holding one model object, written as a nested element."""
    return name, xml, "object", cls


def children(name: str, xml: str, cls: type) -> LayoutEntry:
    """A tuple of model objects, written as repeated nested elements."""
    return name, xml, "objects", cls


ORGANISATION_LAYOUTS: Final[dict[type, tuple[LayoutEntry, ...]]] = {
    Organisation: (
        attribute("id", "id", TOKEN),
        text("name", "name"),
        value("country", "country", concept(vocab.COUNTRY)),
        value("region", "region", concept(vocab.ATU, vocab.NUTS)),
        child("registration", "registration", LegalIdentifier),
        child("eidas_identifier", "eidasIdentifier", LegalIdentifier),
        child("vat_identifier", "vatIdentifier", LegalIdentifier),
        children("identifiers", "identifier", Identifier),
        value("homepage", "homepage", TOKEN),
        value("email", "email", TOKEN),
        value("address", "address", STRING),
    ),
    LegalIdentifier: (
        value("value", "value", STRING),
        value("country", "country", concept(vocab.COUNTRY)),
        value("scheme", "scheme", STRING),
    ),
    Identifier: (
        value("value", "value", STRING),
        value("scheme", "scheme", STRING),
        value("scheme_iri", "schemeIri", TOKEN),
    ),
}
"""Layouts of organisations and identifiers, the same in every format."""

# Kinds as small numbers: the writer and the reader test them for every field.
_ATTRIBUTE, _VALUE, _VALUES, _TEXT, _OBJECT, _OBJECTS, _CHOICE, _CHOICES = range(8)
_KIND_NUMBERS: Final = {
    "attribute": _ATTRIBUTE,
    "value": _VALUE,
    "values": _VALUES,
    "text": _TEXT,
    "object": _OBJECT,
    "objects": _OBJECTS,
    "choice": _CHOICE,
    "choices": _CHOICES,
}


@attrs.frozen
class _Field:
    """One model attribute in XML (see the module documentation for the kinds)."""

    name: str
    xml: str
    tag: str
    kind: int
    scalar: Scalar | None
    cls: type | None
    required: bool
    default: Any


# ----------------------------------------------------------------------------- descriptions

TYPE_DESCRIPTIONS: Final[Mapping[str, str]] = {
    "Ects": "a number of ECTS credits from 0 with at most two decimals, such as 5 or 7.5",
    "Iri": "an absolute IRI such as 'urn:…' or 'https://…'",
    "Url": "an http(s) URL",
    "Email": "an e-mail address",
    "NonEmptyString": "text that is not empty or only whitespace",
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
"""What the simple types that the XSDs share stand for, for messages."""

_ORGANISATION_TYPES: Final = {
    "country": "Country",
    "region": "Region",
    "homepage": "Url",
    "email": "Email",
    "schemeIri": "Iri",
    "@id": "NonEmptyString",
    "name": "NonEmptyString",
    "value": "NonEmptyString",
    "scheme": "NonEmptyString",
    "address": "NonEmptyString",
}


def _descriptions(types: Mapping[str, str], element_types: Mapping[str, str]) -> dict[str, str]:
    """Descriptions by type name, by element (``<x>``) and by attribute (``<x>@y``, ``@y``).

    ``element_types`` maps ``name`` (an element), ``parent>@attribute`` or
    ``@attribute`` to a type name of ``types``.
    """
    out = dict(types)
    for key, type_name in {**_ORGANISATION_TYPES, **element_types}.items():
        if key.startswith("@"):
            spelled = key
        elif "@" in key:
            spelled = f"<{key}"
        else:
            spelled = f"<{key}>"
        out[spelled] = types[type_name]
    return out


# ----------------------------------------------------------------------------- the codec


class Codec:
    """The XML mapping of one format: its namespace, layouts, XSD and messages.

    Args:
        namespace: the format's namespace (written as the default namespace).
        subject: how errors name the format (``"eumicro XML"``).
        schema: ``(package, file name)`` of the XSD.
        layouts: the layout of every class the format holds.
        roots: the local names of the document elements.
        types: descriptions of the XSD's simple types (see :data:`TYPE_DESCRIPTIONS`).
        element_types: the simple type of elements and attributes, for messages about
            their values (``"ects": "Ects"``, ``"qualification>@id": "Iri"``).
        choices: element name → class, for the ``choice`` / ``choices`` kinds.
        model_path: a pattern for paths the model writes into messages (group 1: a
            Python tuple of path segments); they are replaced by element paths.
    """

    def __init__(
        self,
        *,
        namespace: str,
        subject: str,
        schema: tuple[str, str],
        layouts: Mapping[type, tuple[LayoutEntry, ...]],
        roots: Iterable[str],
        types: Mapping[str, str],
        element_types: Mapping[str, str],
        choices: Mapping[str, type] | None = None,
        model_path: re.Pattern[str] | None = None,
    ) -> None:
        self.namespace = namespace
        self.subject = subject
        self.schema_location = schema
        self.prefix = f"{{{namespace}}}"
        self.choices = dict(choices or {})
        self.choice_tags: dict[str, type] = {self.q(k): c for k, c in self.choices.items()}
        self.choice_of: dict[type, str] = {c: self.q(k) for k, c in self.choices.items()}
        self.plans = self._build_plans(layouts)
        self.fields_by_name = {cls: {f.name: f for f in plan} for cls, plan in self.plans.items()}
        self.model_path = model_path
        self.xml_names = {
            f.name: f.xml for plan in self.plans.values() for f in plan if "_" in f.name and f.xml
        }
        self.model_name = re.compile(
            r"\b(" + "|".join(sorted(self.xml_names, key=len, reverse=True)) + r")\b"
        )
        self.descriptions = _descriptions(types, element_types)
        self.elements = frozenset(
            {*roots, *self.choices}
            | {
                f.xml
                for plan in self.plans.values()
                for f in plan
                if f.kind != _ATTRIBUTE and f.xml
            }
        )

    def q(self, name: str) -> str:
        """The qualified name of an element of the format."""
        return self.prefix + name

    def _build_plans(
        self, layouts: Mapping[type, tuple[LayoutEntry, ...]]
    ) -> dict[type, tuple[_Field, ...]]:
        plans: dict[type, tuple[_Field, ...]] = {}
        for cls, layout in layouts.items():
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
                        tag=xml if kind == "attribute" else self.q(xml),
                        kind=_KIND_NUMBERS[kind],
                        scalar=extra if isinstance(extra, Scalar) else None,
                        cls=extra if isinstance(extra, type) else None,
                        required=default is attrs.NOTHING,
                        default=default,
                    )
                )
            plans[cls] = tuple(out)
        return plans

    def schema(self) -> etree.XMLSchema:
        """The format's XSD."""
        return load_schema(*self.schema_location)

    # -- writing

    def root(self, name: str) -> etree._Element:
        """A document element, declaring the namespace as the default one."""
        return etree.Element(self.q(name), nsmap={None: self.namespace})

    def serialise(self, root: etree._Element, writer: Writer, pretty: bool) -> bytes:
        """The UTF-8 bytes of a document (with an XML declaration).

        Raises :class:`~eumicro.ValidationError` when a value holds a character that
        XML 1.0 cannot represent.
        """
        writer.check()
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=pretty)

    # -- reading

    def parse(
        self, data: Data, expected: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES
    ) -> tuple[etree._Element, Reader]:
        """Parse a document safely; refuse it unless its root is one of ``expected``."""
        root, source = parse_untrusted(data, subject=self.subject, max_bytes=max_bytes)
        reader = Reader(self, source)
        wanted = tuple(expected)
        tag = root.tag
        if not (
            isinstance(tag, str) and tag.startswith(self.prefix) and local_name(root) in wanted
        ):
            name = etree.QName(root)
            where = f"namespace {name.namespace!r}" if name.namespace else "no namespace"
            names = [f"<{w}>" for w in wanted]
            want = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            reader.add(
                root,
                f"expected a {want} document in namespace {self.namespace!r}, got "
                f"<{name.localname}> in {where}",
                "root",
            )
            raise ParseError(reader.problems, self.subject)
        return root, reader

    def finish(self, root: etree._Element, reader: Reader, subject: str | None = None) -> None:
        """Raise every problem: the XSD's, then the reader's that the XSD did not already give."""
        schema_problems = validate_xsd(
            root,
            self.schema(),
            source=reader.source,
            types=self.descriptions,
            namespace=self.namespace,
            elements=self.elements,
        )
        if not schema_problems and not reader.problems:
            return
        # Where the XSD found a problem, the reader's findings there (and at the enclosing
        # elements) say the same again, less precisely: keep the XSD's.
        covered: set[tuple[PathSegment, ...]] = set()
        for problem in schema_problems:
            path = _element_part(problem.path)
            for end in range(1, len(path) + 1):
                covered.add(path[:end])
        own = [p for p in reader.problems if _element_part(p.path) not in covered]
        problems = sorted([*schema_problems, *own], key=lambda p: (p.line or 0, p.column or 0))
        raise ParseError(problems, subject or self.subject)


def _element_part(path: tuple[PathSegment, ...]) -> tuple[PathSegment, ...]:
    return tuple(s for s in path if not (isinstance(s, str) and s.startswith("@")))


# ----------------------------------------------------------------------------- writing


class Writer:
    """Builds the elements of objects; remembers values XML cannot represent."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self.plans = codec.plans
        self.bad: list[tuple[etree._Element, str | None, str]] = []

    def _refused(self, el: etree._Element, name: str | None, text: str, exc: Exception) -> None:
        why = xml_chars_problem(text) if isinstance(text, str) else None
        self.bad.append((el, name, why or str(exc)))

    def check(self) -> None:
        """Raise :class:`~eumicro.ValidationError` for the values that could not be written."""
        if self.bad:
            problems = [
                XmlProblem(element_path(el, name), why, "xml-character")
                for el, name, why in self.bad
            ]
            raise ValidationError(problems, self.codec.subject)

    def choice(self, parent: etree._Element, obj: Any) -> None:
        """The element of one member of a class hierarchy (``choices``)."""
        tag = self.codec.choice_of.get(type(obj))
        if tag is None:
            raise TypeError(f"no XML mapping for {type(obj).__name__}")
        self.fields(etree.SubElement(parent, tag), obj)

    def fields(self, el: etree._Element, obj: Any) -> None:
        """Add the attributes and child elements of ``obj`` to ``el``."""
        sub = etree.SubElement
        for field in self.plans[type(obj)]:
            item = getattr(obj, field.name)
            if item is None or (
                field.default is not None and not field.required and item == field.default
            ):
                continue
            kind = field.kind
            if kind == _VALUE:
                child = sub(el, field.tag)
                text = field.scalar.write(item)  # type: ignore[union-attr]
                try:
                    child.text = text
                except ValueError as exc:
                    self._refused(child, None, text, exc)
            elif kind == _OBJECT:
                self.fields(sub(el, field.tag), item)
            elif kind == _TEXT:
                tag = field.tag
                for language, string in item.items_in_order():
                    child = sub(el, tag, {LANG: language})
                    try:
                        child.text = string
                    except ValueError as exc:
                        self._refused(child, None, string, exc)
            elif kind == _ATTRIBUTE:
                text = field.scalar.write(item)  # type: ignore[union-attr]
                try:
                    el.set(field.tag, text)
                except ValueError as exc:
                    self._refused(el, field.tag, text, exc)
            elif kind == _VALUES:
                write = field.scalar.write  # type: ignore[union-attr]
                for one in item:
                    child = sub(el, field.tag)
                    text = write(one)
                    try:
                        child.text = text
                    except ValueError as exc:
                        self._refused(child, None, text, exc)
            elif kind == _OBJECTS:
                for one in item:
                    self.fields(sub(el, field.tag), one)
            elif kind == _CHOICE:
                self.choice(sub(el, field.tag), item)
            else:
                for one in item:
                    self.choice(el, one)


# ----------------------------------------------------------------------------- reading


# What the reader keeps of each object it built, to locate the model's problems later:
# the element, the class, its child elements by tag and the field values.
_Record = tuple[etree._Element, type, dict[str, list[etree._Element]], dict[str, Any]]


def _snake(key: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), key)


def content(el: etree._Element) -> str:
    """The text of an element (comments and processing instructions left out)."""
    if len(el) == 0:
        return el.text or ""
    return "".join(el.itertext())


class Reader:
    """Builds objects from elements, collecting every problem (see :attr:`problems`).

    Build the objects of a document with :meth:`build`; :meth:`obj` builds one object
    and is only called inside :meth:`build` (or :func:`~eumicro._checks.typed_input`).
    """

    def __init__(self, codec: Codec, source: SourceMap) -> None:
        self.codec = codec
        self.plans = codec.plans
        self.fields_by_name = codec.fields_by_name
        self.prefix = codec.prefix
        self.choice_tags = codec.choice_tags
        self.source = source
        self.problems: list[Problem] = []
        self.records: dict[int, _Record] = {}
        self.keep: list[Any] = []

    def add(
        self, el: etree._Element, message: str, code: str, attribute: str | None = None
    ) -> None:
        """Record a problem at an element (or one of its attributes)."""
        self.problems.append(problem_at(el, message, code, self.source, attribute=attribute))

    def location(self, el: etree._Element) -> str:
        """The element path of an element, as text."""
        return XmlProblem(element_path(el), "").location

    def build(self, cls: type, elements: Iterable[etree._Element]) -> list[Any]:
        """The objects of class ``cls`` held by ``elements`` (FAIL for those with problems)."""
        with _gc.paused(), typed_input():
            return [self.obj(cls, el) for el in elements]

    # -- locating model problems

    def _elements(self, record: _Record, field: _Field) -> list[etree._Element]:
        el, _, groups, _ = record
        if field.kind == _CHOICES:
            return [c for c in el if c.tag in self.choice_tags]
        found = groups.get(field.tag, [])
        if field.kind == _CHOICE and found:
            return [c for c in found[0] if c.tag in self.choice_tags][:1]
        return found

    def locate(
        self, record: _Record, path: tuple[PathSegment, ...]
    ) -> tuple[etree._Element, str | None]:
        """The element (and attribute) that holds the value at a model path."""
        el, cls, _, kwargs = record
        if not path or not isinstance(path[0], str):
            return el, None
        by_name = self.fields_by_name[cls]
        field = by_name.get(path[0]) or by_name.get(_snake(path[0]))
        if field is None:
            return el, None
        if field.kind == _ATTRIBUTE:
            return el, field.xml
        elements = self._elements(record, field)
        rest = path[1:]
        target = elements[0] if elements else el
        item = kwargs.get(field.name)
        if isinstance(item, tuple) and rest and isinstance(rest[0], int):
            i = rest[0]
            target = elements[i] if 0 <= i < len(elements) else target
            item = item[i] if 0 <= i < len(item) else None
            rest = rest[1:]
        found = self.records.get(id(item)) if attrs.has(type(item)) else None
        if found is not None and rest:
            return self.locate(found, rest)
        return target, None

    def model_problems(self, record: _Record, found: Iterable[Problem]) -> None:
        """Record problems the model found in the object of ``record``."""
        for problem in found:
            el, attr = self.locate(record, problem.path)
            self.add(el, self.translate(record, problem.message), problem.code, attr)

    def translate(self, record: _Record, message: str) -> str:
        """A model message with attribute names and paths as the XML has them."""
        codec = self.codec
        if codec.model_path is not None:

            def path(m: re.Match[str]) -> str:
                segments = tuple(ast.literal_eval(m.group(1)))
                target, _ = self.locate(record, segments)
                return f"(at {self.location(target)})"

            message = codec.model_path.sub(path, message)
        names = codec.xml_names
        return codec.model_name.sub(lambda m: f"<{names[m.group()]}>", message)

    # -- objects

    def obj(self, cls: type, el: etree._Element) -> Any:
        """The object of class ``cls`` that ``el`` holds, or :data:`FAIL`."""
        groups: dict[str, list[etree._Element]] = {}
        prefix = self.prefix
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag.startswith(prefix):
                found = groups.get(tag)
                if found is None:
                    groups[tag] = [child]
                else:
                    found.append(child)
        kwargs: dict[str, Any] = {}
        failed = False
        for field in self.plans[cls]:
            kind = field.kind
            found = groups.get(field.tag)
            # The common cases first, without a call.
            if found is not None and len(found) == 1:
                if kind == _VALUE:
                    scalar = field.scalar
                    one = found[0]
                    raw = one.text or "" if len(one) == 0 else content(one)
                    try:
                        kwargs[field.name] = scalar.read(  # type: ignore[union-attr]
                            raw.strip(" \t\n\r") if scalar.strip else raw  # type: ignore[union-attr]
                        )
                    except BadValueError as bad:
                        self.add(one, bad.message, bad.code)
                        failed = True
                    continue
                if kind == _OBJECT:
                    result = self.obj(field.cls, found[0])  # type: ignore[arg-type]
                    if result is FAIL:
                        failed = True
                    else:
                        kwargs[field.name] = result
                    continue
            result = self.field(field, el, found)
            if result is FAIL:
                failed = True
            elif result is not None:
                kwargs[field.name] = result
        record: _Record = (el, cls, groups, kwargs)
        if failed:
            self.model_problems(record, field_problems(cls, kwargs))
            return FAIL
        try:
            obj = cls(**kwargs)
        except ValidationError as exc:
            self.model_problems(record, exc.problems)
            return FAIL
        self.records[id(obj)] = record
        self.keep.append(obj)
        return obj

    def field(self, field: _Field, el: etree._Element, found: list[etree._Element] | None) -> Any:
        """The value of one field (None: absent and optional; FAIL: a problem)."""
        kind = field.kind
        if kind == _ATTRIBUTE:
            raw = el.get(field.tag)
            if raw is None:
                if field.required:
                    self.add(
                        el,
                        f"required attribute {field.xml!r} of <{local_name(el)}> is missing",
                        "missing",
                    )
                    return FAIL
                return None
            return self.scalar(field.scalar, raw, el, field.xml)  # type: ignore[arg-type]
        if kind == _CHOICES:
            children = [self.choice(n) for n in el if n.tag in self.choice_tags]
            return FAIL if FAIL in children else tuple(children)
        if not found:
            if field.required:
                self.add(
                    el,
                    f"required element <{field.xml}> of <{local_name(el)}> is missing",
                    "missing",
                )
                return FAIL
            return None
        if kind == _VALUE:
            first = found[0]
            return self.scalar(field.scalar, content(first), first)  # type: ignore[arg-type]
        if kind == _OBJECT:
            return self.obj(field.cls, found[0])  # type: ignore[arg-type]
        if kind == _TEXT:
            return self.text(found)
        if kind == _VALUES:
            scalar: Scalar = field.scalar  # type: ignore[assignment]
            items = [self.scalar(scalar, content(item), item) for item in found]
            return FAIL if FAIL in items else tuple(items)
        if kind == _OBJECTS:
            cls: type = field.cls  # type: ignore[assignment]
            objs = [self.obj(cls, item) for item in found]
            return FAIL if FAIL in objs else tuple(objs)
        holder = found[0]
        inside = [c for c in holder if c.tag in self.choice_tags]
        if not inside:
            names = ", ".join(f"<{k}>" for k in self.codec.choices)
            self.add(holder, f"<{field.xml}> holds no node: give one of {names}", "missing")
            return FAIL
        return self.choice(inside[0])

    def choice(self, el: etree._Element) -> Any:
        """The object of an element of a class hierarchy."""
        return self.obj(self.choice_tags[str(el.tag)], el)

    def scalar(
        self, scalar: Scalar, raw: str, el: etree._Element, attribute: str | None = None
    ) -> Any:
        """A value read from text, or FAIL."""
        text = raw.strip(" \t\n\r") if scalar.strip else raw
        try:
            return scalar.read(text)
        except BadValueError as bad:
            self.add(el, bad.message, bad.code, attribute)
            return FAIL

    def text(self, elements: list[etree._Element]) -> Any:
        """Multilingual text from one element per language."""
        if len(elements) == 1:  # the common case: one language
            el = elements[0]
            language = el.get(LANG)
            if language is not None:
                try:
                    return Text({language: content(el)})
                except ValidationError:
                    pass  # reported below
        pairs: list[tuple[str, str]] = []
        seen: dict[str, etree._Element] = {}
        failed = False
        for el in elements:
            language = el.get(LANG)
            string = content(el)
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
                    f"{self.location(seen[tag])})",
                    "duplicate",
                    "xml:lang",
                )
                failed = True
                continue
            try:
                Text({language: string})
            except ValidationError as exc:
                for problem in exc.problems:
                    on_tag = problem.code == "language"
                    self.add(el, problem.message, problem.code, "xml:lang" if on_tag else None)
                failed = True
                continue
            assert tag is not None
            seen[tag] = el
            pairs.append((language, string))
        return FAIL if failed else Text(pairs)
