"""Native eumicro XML: the model's own XML form, described by a shipped XSD.

Documents are in the namespace ``urn:eumicro:xml:1`` (written as the default namespace)
and validate against ``eumicro/schemas/eumicro.xsd``. The document element is
``<credential>``, ``<specification>`` or ``<collection>`` (of ``<credential>`` elements)::

    <credential xmlns="urn:eumicro:xml:1" id="urn:…">
      <specification id="urn:…">
        <title xml:lang="en">…</title>
        <workload><ects>5</ects></workload> …
      </specification>
      <learner>…</learner>
      <awardingBody id="…"><name xml:lang="en">…</name>…</awardingBody>
      <issued>2024-05-01T10:00:00+02:00</issued> …
    </credential>

Element names are the model's attribute names in camelCase; lists are repeated elements
with the singular name (``<awardingBody>``, ``<learningOutcome>``, ``<field>``);
multilingual text is one element per language with ``xml:lang``; a vocabulary concept
is its official IRI; numbers are decimals, dates ``YYYY-MM-DD``, date-times carry an
offset; ``id`` attributes hold IRIs. Absent values and empty lists are left out and
elements come in a fixed order, so that the same objects always give the same bytes.

Reading parses safely (no DTD, no entities, no network, no XInclude, size and depth
limits), validates against the XSD and builds the objects; :class:`~eumicro.ParseError`
lists every problem with its element path, line and column.
"""

from __future__ import annotations

import io
import os
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Final, TypeVar, overload

from lxml import etree

from eumicro import vocab
from eumicro._errors import ParseError
from eumicro._model import (
    Assessment,
    CredentialReference,
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    LegalIdentifier,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro.formats._xmlcodec import (
    DATE,
    DATETIME,
    DECIMAL,
    FAIL,
    ORGANISATION_LAYOUTS,
    STRING,
    TOKEN,
    TYPE_DESCRIPTIONS,
    Codec,
    LayoutEntry,
    Reader,
    Writer,
    attribute,
    child,
    children,
    concept,
    enumeration,
    text,
    value,
    values,
)
from eumicro.formats._xmlsafe import DEFAULT_MAX_BYTES, SourceMap

__all__ = [
    "XML_NS",
    "collection_from_xml",
    "credential_element",
    "credential_from_element",
    "document_from_xml",
    "from_xml",
    "load_xml",
    "model_field_element",
    "save_xml",
    "to_xml",
    "to_xml_bytes",
    "xml_schema",
]

XML_NS: Final = "urn:eumicro:xml:1"
"""Namespace of native eumicro XML documents."""

_D = TypeVar("_D", MicroCredential, Specification)
_Item = MicroCredential | Specification | Iterable[MicroCredential]
Document = MicroCredential | Specification | list[MicroCredential]

# ----------------------------------------------------------------------------- layout


_LAYOUT: Final[dict[type, tuple[LayoutEntry, ...]]] = {
    MicroCredential: (
        attribute("id", "id", TOKEN),
        child("specification", "specification", Specification),
        child("learner", "learner", Learner),
        children("awarding_bodies", "awardingBody", Organisation),
        child("issuer", "issuer", Organisation),
        value("issued", "issued", DATETIME),
        value("valid_from", "validFrom", DATETIME),
        value("valid_until", "validUntil", DATETIME),
        child("grade", "grade", Grade),
        value("supervision", "supervision", concept(vocab.SUPERVISION_VERIFICATION)),
        text("further_information", "furtherInformation"),
        children("identifiers", "identifier", Identifier),
    ),
    Specification: (
        attribute("id", "id", TOKEN),
        text("title", "title"),
        text("description", "description"),
        children("learning_outcomes", "learningOutcome", LearningOutcome),
        text("learning_outcome_summary", "learningOutcomeSummary"),
        child("workload", "workload", Workload),
        child("level", "level", Level),
        child("assessment", "assessment", Assessment),
        child("participation", "participation", Participation),
        children("quality_assurance", "qualityAssurance", QualityAssurance),
        text("prerequisites", "prerequisites"),
        child("stackability", "stackability", Stackability),
        text("further_information", "furtherInformation"),
        values("languages", "language", concept(vocab.LANGUAGE)),
        values("fields", "field", concept(vocab.ISCED_F)),
        value("opportunity_type", "opportunityType", concept(vocab.LEARNING_OPPORTUNITY_TYPE)),
        child("provider", "provider", Organisation),
        value("homepage", "homepage", TOKEN),
        children("identifiers", "identifier", Identifier),
    ),
    LearningOutcome: (
        attribute("id", "id", TOKEN),
        text("title", "title"),
        values("esco_skills", "escoSkill", TOKEN),
        values("related_skills", "relatedSkill", TOKEN),
        value("skill_type", "skillType", concept(vocab.SKILL_TYPE)),
        value("reusability_level", "reusabilityLevel", concept(vocab.SKILL_REUSE_LEVEL)),
    ),
    Workload: (
        value("ects", "ects", DECIMAL),
        value("ecvet", "ecvet", DECIMAL),
        value("hours", "hours", DECIMAL),
    ),
    Level: (
        value("eqf", "eqf", concept(vocab.EQF)),
        value("qf_ehea", "qfEhea", concept(vocab.QF_EHEA)),
        values("nqf", "nqf", concept(vocab.NQF)),
    ),
    Assessment: (
        values("types", "type", concept(vocab.ASSESSMENT_TYPE)),
        values("modes", "mode", concept(vocab.MODE)),
        text("description", "description"),
    ),
    Participation: (
        values("modes", "mode", concept(vocab.MODE)),
        value("setting", "setting", concept(vocab.LEARNING_SETTING)),
        value("schedule", "schedule", concept(vocab.LEARNING_SCHEDULE)),
        text("description", "description"),
    ),
    QualityAssurance: (
        value("type", "type", concept(vocab.ACCREDITATION_TYPE)),
        text("description", "description"),
        child("agency", "agency", Organisation),
        value("report", "report", TOKEN),
    ),
    Stackability: (
        value("option", "option", enumeration(StackabilityOption)),
        children("towards", "towards", CredentialReference),
        text("description", "description"),
    ),
    CredentialReference: (
        attribute("id", "id", TOKEN),
        text("title", "title"),
    ),
    Learner: (
        attribute("id", "id", TOKEN),
        value("full_name", "fullName", STRING),
        value("given_name", "givenName", STRING),
        value("family_name", "familyName", STRING),
        value("date_of_birth", "dateOfBirth", DATE),
        value("email", "email", TOKEN),
        child("national_id", "nationalId", LegalIdentifier),
        children("identifiers", "identifier", Identifier),
        values("citizenship", "citizenship", concept(vocab.COUNTRY)),
    ),
    Grade: (
        value("value", "value", STRING),
        text("scheme", "scheme"),
    ),
    **ORGANISATION_LAYOUTS,
}

_CODEC: Final = Codec(
    namespace=XML_NS,
    subject="eumicro XML",
    schema=("eumicro.schemas", "eumicro.xsd"),
    layouts=_LAYOUT,
    roots=("credential", "specification", "collection"),
    types={
        **TYPE_DESCRIPTIONS,
        "Decimal": "a number from 0 with at most two decimals, such as 5 or 7.5",
        "Date": "a date such as 2024-05-01",
        "EscoIri": "an ESCO IRI such as http://data.europa.eu/esco/skill/<uuid>",
        "Language": "a language IRI, such as "
        "http://publications.europa.eu/resource/authority/language/ENG",
        "QfEhea": "the IRI of a QF-EHEA cycle (urn:eumicro:vocab:qf-ehea-cycle:short, …:1, "
        "…:2 or …:3)",
        "Nqf": "the IRI of a national qualifications framework level "
        "(http://data.europa.eu/snb/qdr/…)",
        "SkillType": "the IRI of a skill type (http://data.europa.eu/snb/skill-type/knowledge "
        "or …/skill)",
        "SkillReuseLevel": "the IRI of a skill reuse level "
        "(http://data.europa.eu/snb/skill-reuse-level/…)",
        "LearningSetting": "the IRI of a learning setting "
        "(http://data.europa.eu/snb/learning-setting/…)",
        "LearningSchedule": "the IRI of a learning schedule "
        "(http://data.europa.eu/snb/learning-schedule/…)",
        "LearningOpportunityType": "the IRI of a learning opportunity type "
        "(http://data.europa.eu/snb/learning-opportunity/…)",
        "StackabilityOption": "'stand-alone' or 'stackable'",
    },
    element_types={
        "ects": "Ects",
        "ecvet": "Decimal",
        "hours": "Decimal",
        "eqf": "EqfLevel",
        "qfEhea": "QfEhea",
        "nqf": "Nqf",
        "field": "IscedField",
        "language": "Language",
        "citizenship": "Country",
        "opportunityType": "LearningOpportunityType",
        "skillType": "SkillType",
        "reusabilityLevel": "SkillReuseLevel",
        "setting": "LearningSetting",
        "schedule": "LearningSchedule",
        "mode": "Mode",
        "assessment>type": "AssessmentType",
        "supervision": "SupervisionVerification",
        "option": "StackabilityOption",
        "issued": "DateTime",
        "validFrom": "DateTime",
        "validUntil": "DateTime",
        "dateOfBirth": "Date",
        "escoSkill": "EscoIri",
        "relatedSkill": "Iri",
        "report": "Url",
        "credential>@id": "Iri",
        "specification>@id": "Iri",
        "learningOutcome>@id": "Iri",
        "towards>@id": "Iri",
        "learner>@id": "Iri",
        "awardingBody>@id": "Iri",
        "issuer>@id": "Iri",
        "provider>@id": "Iri",
        "agency>@id": "Iri",
        "title": "NonEmptyString",
        "description": "NonEmptyString",
        "fullName": "NonEmptyString",
        "givenName": "NonEmptyString",
        "familyName": "NonEmptyString",
    },
)

_CREDENTIAL: Final = _CODEC.q("credential")
_SPECIFICATION: Final = _CODEC.q("specification")
_COLLECTION: Final = _CODEC.q("collection")
_ROOT_CLASSES: Final[dict[str, type]] = {
    _CREDENTIAL: MicroCredential,
    _SPECIFICATION: Specification,
}


def model_field_element(cls: type, name: str) -> tuple[str, type | None] | None:
    """The XML name of attribute ``name`` of model class ``cls``, and the class it holds.

    For reports that give a model path (``specification.workload``) in XML terms; None
    when ``cls`` has no such attribute in XML.

    >>> model_field_element(MicroCredential, "awarding_bodies")
    ('awardingBody', <class 'eumicro._model.Organisation'>)
    >>> model_field_element(MicroCredential, "issued")
    ('issued', None)
    """
    field = _CODEC.fields_by_name.get(cls, {}).get(name)
    if field is None:
        return None
    return field.xml, field.cls


def xml_schema() -> etree.XMLSchema:
    """The XSD of native eumicro XML (``eumicro/schemas/eumicro.xsd``), loaded offline.

    >>> from eumicro import samples
    >>> xml_schema().validate(etree.fromstring(to_xml_bytes(samples.load("data-literacy-ie"))))
    True
    """
    return _CODEC.schema()


# ----------------------------------------------------------------------------- writing


def credential_element(item: MicroCredential) -> etree._Element:
    """The canonical ``<credential>`` element of a credential (no whitespace added).

    It declares the namespace as the default one. Raises
    :class:`~eumicro.ValidationError` when a text holds a character that XML 1.0
    cannot represent.
    """
    if not isinstance(item, MicroCredential):
        raise TypeError(f"expected a MicroCredential, got {type(item).__name__}")
    writer = Writer(_CODEC)
    root = _CODEC.root("credential")
    writer.fields(root, item)
    writer.check()
    return root


def _document(item: _Item) -> tuple[etree._Element, Writer]:
    writer = Writer(_CODEC)
    if isinstance(item, MicroCredential):
        root = _CODEC.root("credential")
        writer.fields(root, item)
    elif isinstance(item, Specification):
        root = _CODEC.root("specification")
        writer.fields(root, item)
    else:
        if isinstance(item, str | bytes) or not isinstance(item, Iterable):
            raise TypeError(
                "expected a MicroCredential, a Specification or credentials, got "
                f"{type(item).__name__}"
            )
        credentials = list(item)
        for i, credential in enumerate(credentials):
            if not isinstance(credential, MicroCredential):
                raise TypeError(f"item {i} is a {type(credential).__name__}, not a MicroCredential")
        root = _CODEC.root("collection")
        sub = etree.SubElement
        for credential in credentials:
            writer.fields(sub(root, _CREDENTIAL), credential)
    return root, writer


def to_xml_bytes(item: _Item, *, pretty: bool = True) -> bytes:
    """Serialise to native XML encoded as UTF-8 (with an XML declaration).

    ``item`` is a credential, a specification, or credentials (a ``<collection>``).
    The bytes are canonical: the same objects always give the same bytes.
    """
    root, writer = _document(item)
    return _CODEC.serialise(root, writer, pretty)


def to_xml(item: _Item, *, pretty: bool = True) -> str:
    """Serialise to a native XML string (its XML declaration names UTF-8).

    >>> from eumicro import Text
    >>> print(to_xml(Specification(id="urn:x:spec", title=Text(en="Data"))), end="")
    <?xml version='1.0' encoding='UTF-8'?>
    <specification xmlns="urn:eumicro:xml:1" id="urn:x:spec">
      <title xml:lang="en">Data</title>
    </specification>
    """
    return to_xml_bytes(item, pretty=pretty).decode("utf-8")


def save_xml(
    item: _Item, target: str | os.PathLike[str] | IO[bytes] | IO[str], *, pretty: bool = True
) -> None:
    """Write native XML to a path, a binary file or a text file object.

    Files get the UTF-8 bytes, ending with a newline; a text file object gets the text.
    """
    data = to_xml_bytes(item, pretty=pretty)
    if not data.endswith(b"\n"):
        data += b"\n"
    if isinstance(target, str | os.PathLike):
        Path(target).write_bytes(data)
    elif isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        typing.cast(IO[bytes], target).write(data)


# ----------------------------------------------------------------------------- reading


def credential_from_element(
    el: etree._Element, *, source: SourceMap | None = None, where: str | None = None
) -> MicroCredential:
    """Read one ``<credential>`` element that has already been parsed.

    The element is validated against the XSD and built; :class:`~eumicro.ParseError`
    lists every problem with its element path, and with its line and column when
    ``source`` (the document's source map) is given; without it, the line is the
    element's ``sourceline`` and the column is unknown. ``where`` names what is being
    read in the error (default: ``"eumicro XML"``).
    """
    reader = Reader(_CODEC, source if source is not None else SourceMap(None, el))
    if el.tag != _CREDENTIAL:
        name = etree.QName(el)
        reader.add(
            el,
            f"expected a <credential> element in namespace {XML_NS!r}, got <{name.localname}>"
            + (f" in namespace {name.namespace!r}" if name.namespace else " in no namespace"),
            "root",
        )
        raise ParseError(reader.problems, where or _CODEC.subject)
    (result,) = reader.build(MicroCredential, (el,))
    _CODEC.finish(el, reader, where)
    assert isinstance(result, MicroCredential)
    return result


_ROOTS: Final[dict[type | None, tuple[str, ...]]] = {
    MicroCredential: ("credential",),
    Specification: ("specification",),
    list: ("collection",),
    None: ("credential", "specification", "collection"),
}


def _read(data: Any, expect: type | None, max_bytes: int) -> Document:
    root, reader = _CODEC.parse(data, _ROOTS[expect], max_bytes)
    result: Any
    if root.tag == _COLLECTION:
        items = reader.build(MicroCredential, (el for el in root if el.tag == _CREDENTIAL))
        result = FAIL if FAIL in items else items
    else:
        (result,) = reader.build(_ROOT_CLASSES[str(root.tag)], (root,))
    _CODEC.finish(root, reader)
    return typing.cast(Document, result)


@overload
def from_xml(data: str | bytes) -> MicroCredential: ...
@overload
def from_xml(data: str | bytes, kind: type[_D]) -> _D: ...
def from_xml(
    data: str | bytes, kind: type[Any] = MicroCredential, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> MicroCredential | Specification:
    """Read a credential (or, with ``kind=Specification``, a specification) from XML.

    ``data`` is XML text or bytes (the encoding is read from the document). Raises
    :class:`~eumicro.ParseError` with every problem, its element path, line and column.

    >>> from eumicro import samples
    >>> c = samples.load("data-literacy-ie")
    >>> from_xml(to_xml(c)) == c
    True
    """
    if kind not in (MicroCredential, Specification):
        raise TypeError(f"kind must be MicroCredential or Specification, got {kind!r}")
    return typing.cast(MicroCredential | Specification, _read(data, kind, max_bytes))


def collection_from_xml(
    data: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[MicroCredential]:
    """Read the credentials of a ``<collection>`` document."""
    return typing.cast(list[MicroCredential], _read(data, list, max_bytes))


def document_from_xml(data: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read any native XML document: a credential, a specification or a collection."""
    return _read(data, None, max_bytes)


def load_xml(
    source: str | os.PathLike[str] | IO[bytes] | IO[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read any native XML document from a path or a file object."""
    if isinstance(source, str):
        source = Path(source)
    return _read(source, None, max_bytes)
