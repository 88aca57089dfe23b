"""The legacy Europass credential XML (EDCI ≤ 1.7, ``genericschema_1.2.xsd``).

Institutions still hold credentials as ``europassCredential`` documents (namespace
``http://data.europa.eu/snb``). :func:`from_edci_xml` reads one into the model and
:func:`to_edci_xml` writes a micro-credential in that form, valid against the XSD.

Reading is as strict as the native XML format: the document goes through
:func:`~eumicro.formats._xmlsafe.parse_untrusted` (no DTD, no entities, no XInclude,
size and depth limits), then the packaged XSD, then the mapping; every problem carries
the element path, line and column. Vocabulary values (``uri`` of a code element) are
looked up in the official lists of :mod:`eumicro.vocab`.

One document, several credentials: a ``europassCredential`` records *achievements*;
each top-level ``learningAchievement`` (or ``qualificationAward``) of the credential
subject becomes one :class:`~eumicro.MicroCredential`, specified by the qualification
or learning specification it names. Parts of an achievement (``hasPart``) are not
separate credentials: they are listed in the notes. A document without achievements (a
certificate of participation) becomes one credential described by the document itself
(its title and description) and by the learning activities it records.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from decimal import Decimal, InvalidOperation
from typing import IO, Final
from urllib.parse import unquote

import attrs
from lxml import etree

from eumicro import vocab
from eumicro._errors import ParseError, Problem, ValidationError
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
from eumicro._text import Text
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats._xmlsafe import (
    SourceMap,
    load_packaged_schema,
    parse_untrusted,
    problem_at,
    validate_xsd,
)
from eumicro.formats.europass._common import (
    NOTE_TOPIC_LABELS,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
    assessment_description,
)
from eumicro.formats.europass._export import hours_duration, mailto, number_text

__all__ = ["EDCI_NAMESPACE", "EdciImport", "edci_schema", "from_edci_xml", "to_edci_xml"]

EDCI_NAMESPACE: Final = "http://data.europa.eu/snb"
"""Namespace of the legacy Europass credential XML."""

CRED_NAMESPACE: Final = "http://data.europa.eu/europass/model/credentials/w3c#"
_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
_N: Final = "{" + EDCI_NAMESPACE + "}"
_C: Final = "{" + CRED_NAMESPACE + "}"
_SUBJECT: Final = "legacy Europass credential XML"
_GENERATED: Final = "urn:eumicro:edci:"
_ASSESSMENT_SPEC_ID: Final = f"{_GENERATED}assessmentSpecification:1"
_SCORING_SCHEME_ID: Final = f"{_GENERATED}scoringScheme:1"
_OPPORTUNITY_ID: Final = f"{_GENERATED}learningOpportunity:1"
# Topics of ``additionalNote`` (the XSD lists the Qualification Dataset Register's topics):
# besides quality assurance and pathways, the learning-outcome summary and the description
# of the form of participation (how the credential is acquired).
NOTE_TOPIC_LEARNING_OUTCOMES: Final = (
    "http://data.europa.eu/snb/qualification-topics#learning-outcomes"
)
NOTE_TOPIC_WAYS_TO_ACQUIRE: Final = "http://data.europa.eu/snb/qualification-topics#ways-to-acquire"
_TOPIC_LABELS: Final = {
    **NOTE_TOPIC_LABELS,
    NOTE_TOPIC_LEARNING_OUTCOMES: "Learning outcomes",
    NOTE_TOPIC_WAYS_TO_ACQUIRE: "Ways to acquire (form of participation)",
}
# Quality assurance number N (from 1): the id of its accreditation record, and the token
# that a quality-assurance note and the supplementary document of its report carry.
_QA_ID: Final = re.compile(re.escape(_GENERATED) + r"qualityAssurance:([1-9][0-9]{0,5})")
_QA_TOKEN: Final = re.compile(r"quality-assurance-([1-9][0-9]{0,5})")
# The QF-EHEA has no Europass framework URL; ``hasEducationLevel`` names its EHEA page.
QF_EHEA_FRAMEWORK: Final = "http://www.ehea.info/page-qualification-frameworks"
# The framework of a related skill whose IRI is not an http(s) URL: some concept scheme.
_ANY_SCHEME: Final = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
# The languages a text may be tagged with (``LanguageCharCodeEnumType``).
TEXT_LANGUAGES: Final = frozenset(
    [
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "is",
        "it",
        "lt",
        "lv",
        "mk",
        "mt",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sr",
        "sv",
        "tr",
    ]
)
_MISSING_IMPORT: Final = "XAdES01903v141-201601.xsd"

# Credential type "Generic" of the Europass standard list of credential types.
_GENERIC_TYPE: Final = "http://data.europa.eu/snb/credential/e34929035b"
_CREDENTIAL_TYPES: Final = "http://data.europa.eu/snb/credential/25831c2"
_ESCO_SKILLS: Final = "http://data.europa.eu/esco/skill"
# Credit-point systems of ``hasCreditPoints/@schemeID`` (``CreditPointSystemType``).
ECTS_SYSTEM: Final = "http://data.europa.eu/europass/educationalCreditPointSystem/ects"
ECVET_SYSTEM: Final = "http://data.europa.eu/europass/educationalCreditPointSystem/ecvet"
_CREDIT_SYSTEMS: Final = {ECTS_SYSTEM: "ects", ECVET_SYSTEM: "ecvet"}
# What a qualification or learning specification may hold that the model does not.
_SPEC_DROPPED: Final = (
    "altLabel",
    "definition",
    "hasEducationSubject",
    "targetGroup",
    "learningActivitySpecification",
    "entitlementSpecification",
    "awardingOpportunities",
    "qualificationCode",
    "hasPart",
    "specializationOf",
)
# What an accreditation may hold that the model does not.
_ACCREDITATION_DROPPED: Final = (
    "identifier",
    "title",
    "decision",
    "limitQualification",
    "limitField",
    "limitEQFLevel",
    "limitJurisdiction",
    "issuedDate",
    "reviewDate",
    "expiryDate",
    "additionalNote",
    "homepage",
    "landingpage",
    "supplementaryDoc",
)
# What an assessment specification may hold that the model does not.
_ASSESSMENT_SPEC_DROPPED: Final = (
    "identifier",
    "altLabel",
    "additionalNote",
    "homepage",
    "supplementaryDoc",
    "language",
    "proves",
    "hasPart",
    "specializationOf",
)
# What an assessment (``wasDerivedFrom``) may hold that the model does not.
_ASSESSMENT_DROPPED: Final = (
    "identifier",
    "title",
    "description",
    "additionalNote",
    "shortenedGrading",
    "resultDistribution",
    "issuedDate",
    "assessedBy",
    "hasPart",
)


# ----------------------------------------------------------------------------- schema


@functools.cache
def edci_schema() -> etree.XMLSchema:
    """``genericschema_1.2.xsd`` with its imports, from the package, offline."""
    return load_packaged_schema(
        "eumicro._data", "edci-v2", "genericschema_1.2.xsd", frozenset({_MISSING_IMPORT})
    )


# ----------------------------------------------------------------------------- import


@attrs.frozen(kw_only=True)
class EdciImport:
    """What :func:`from_edci_xml` found in a ``europassCredential`` document.

    Attributes:
        credentials: one micro-credential per top-level achievement (one for the
            whole document when it records no achievement).
        credential_id: the document's ``cred:id``.
        notes: what the document holds that the model does not (each with its path).
    """

    credentials: tuple[MicroCredential, ...]
    credential_id: str
    notes: tuple[str, ...] = ()


def _el(parent: etree._Element, name: str) -> etree._Element | None:
    return parent.find(_N + name)


def _els(parent: etree._Element, name: str) -> list[etree._Element]:
    return parent.findall(_N + name)


def _text_of(el: etree._Element | None) -> Text | None:
    """A ``TextType``/``NoteType`` element as Text (``text`` children by language)."""
    if el is None:
        return None
    values: dict[str, str] = {}
    for t in _els(el, "text"):
        value = t.text or ""
        if value.strip():  # as written: leading and trailing spaces are kept
            values.setdefault(t.get("lang", "en"), value)
    return Text(values) if values else None


def _string(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    value = el.text or ""
    return value if value.strip() else None


def _token(el: etree._Element | None) -> str | None:
    """The value of an element of a typed value (a date, a number), without spaces."""
    value = _string(el)
    return value.strip() if value is not None else None


_IRI: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class _Reader:
    def __init__(self, root: etree._Element, source: SourceMap) -> None:
        self.root = root
        self.source = source
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        # Records by section and id (the XSD keys ids per section).
        self.index: dict[tuple[str, str], etree._Element] = {}
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id") and el.getparent() is not None:
                parent = el.getparent()
                assert parent is not None
                if etree.QName(parent).localname.endswith("References"):
                    self.index[etree.QName(parent).localname, el.get("id", "")] = el

    # --- helpers

    def problem(self, el: etree._Element, message: str, code: str = "invalid") -> None:
        self.problems.append(problem_at(el, message, code, self.source))

    def note(self, el: etree._Element, message: str) -> None:
        self.notes.append(f"{_location(el)}: {message}")

    def dropped(self, parent: etree._Element, names: tuple[str, ...]) -> None:
        for name in names:
            for item in _els(parent, name):
                self.note(item, "not part of the model; dropped")

    def ref(self, el: etree._Element | None, kind: str) -> etree._Element | None:
        if el is None:
            return None
        target = self.index.get((_SECTIONS[kind], el.get("idref", "")))
        if target is None:
            self.problem(
                el, f"refers to {kind} {el.get('idref')!r}, which the document does not define"
            )
        return target

    def concept(
        self, el: etree._Element, vocabularies: tuple[Vocabulary, ...], *, strict: bool = True
    ) -> Concept | None:
        """The concept the ``uri`` of a code element names.

        A value not in the vocabularies is a problem when ``strict``, and dropped with a
        note otherwise.
        """
        iri = (el.get("uri") or "").strip()
        for vocabulary in vocabularies:
            found = vocabulary.find_iri(iri)
            if found is not None:
                return found
        names = " or ".join(v.title for v in vocabularies)
        if not strict:
            where = problem_at(el, "", "note", None, attribute="uri").location
            self.notes.append(f"{where}: {iri!r} is not a concept of {names}; dropped")
            return None
        self.problems.append(
            problem_at(
                el,
                f"{iri!r} is not a concept of {names}",
                "vocabulary",
                self.source,
                attribute="uri",
            )
        )
        return None

    def concepts(
        self,
        parent: etree._Element,
        name: str,
        vocabularies: tuple[Vocabulary, ...],
        *,
        strict: bool = True,
    ) -> tuple[Concept, ...]:
        out: list[Concept] = []
        for el in _els(parent, name):
            found = self.concept(el, vocabularies, strict=strict)
            if found is not None and found not in out:
                out.append(found)
        return tuple(out)

    def build(self, el: etree._Element, make: type[object], **kwargs: object) -> object | None:
        return self.build_from(el, make, {}, kwargs)

    def build_from(
        self,
        el: etree._Element,
        make: type[object],
        sources: dict[str, etree._Element],
        kwargs: dict[str, object],
    ) -> object | None:
        """``make(**kwargs)``; what the model refuses is a problem at ``el``, or at the
        element ``sources`` names for the field."""
        try:
            return make(**kwargs)
        except ValidationError as exc:
            for p in exc.problems:
                first = p.path[0] if p.path else None
                target = sources.get(first, el) if isinstance(first, str) else el
                self.problem(
                    target,
                    f"{make.__name__}{'.' if p.path else ''}{p.location.lstrip('$.')}: {p.message}",
                )
            return None

    def identifiers(self, parent: etree._Element) -> tuple[Identifier, ...]:
        out = []
        for el in _els(parent, "identifier"):
            value = _string(el)
            if value is None or el.get("schemeID") == "eIDAS":
                continue
            scheme_id = el.get("schemeID")
            iri = scheme_id if scheme_id is not None and _IRI.match(scheme_id) else None
            ident = self.build(
                el,
                Identifier,
                value=value,
                scheme=el.get("schemeName") or (scheme_id if iri is None else None),
                scheme_iri=iri,
            )
            if isinstance(ident, Identifier):
                out.append(ident)
        return tuple(out)

    def datetime(self, el: etree._Element | None) -> dt.datetime | None:
        value = _token(el)
        if el is None or value is None:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.problem(el, f"{value!r} is not a date and time")
            return None
        if parsed.tzinfo is None:
            self.problem(el, f"{value!r} has no time zone; give one (such as +01:00 or Z)")
            return None
        return parsed

    def legal(
        self, el: etree._Element | None, fallback: Concept | None, scheme: str | None = None
    ) -> LegalIdentifier | None:
        value = _string(el)
        if el is None or value is None:
            return None
        country: Concept | None = fallback
        spatial = el.get("spatialID")
        if spatial:
            country = vocab.COUNTRY.get(spatial)
            if country is None:
                self.problems.append(
                    problem_at(
                        el,
                        f"{spatial!r} is not a country code of {vocab.COUNTRY.title}",
                        "vocabulary",
                        self.source,
                        attribute="spatialID",
                    )
                )
                return None
        if country is None:
            self.note(el, "identifier without a country (spatialID) dropped")
            return None
        found = self.build(
            el,
            LegalIdentifier,
            value=value,
            country=country,
            scheme=el.get("schemeName")
            or scheme
            or (el.get("schemeID") if el.get("schemeID") != "eIDAS" else None)
            or el.get("schemeAgencyName"),
        )
        return found if isinstance(found, LegalIdentifier) else None

    # --- parts

    def organisation(self, el: etree._Element) -> Organisation | None:
        country = None
        region = None
        for location in _els(el, "hasLocation"):
            for address in _els(location, "hasAddress"):
                code = _el(address, "country")
                if code is not None and country is None:
                    country = self.concept(code, (vocab.COUNTRY,))
            for code in _els(location, "spatialCode"):
                found_region = self.concept(code, (vocab.NUTS, vocab.ATU), strict=False)
                if region is None:
                    region = found_region
                elif found_region is not None:
                    self.note(code, "the model holds one region of an organisation; dropped")
        eidas = None
        for ident in _els(el, "identifier"):
            if ident.get("schemeID") == "eIDAS":
                eidas = self.legal(ident, country)
        registration = _el(el, "registration")
        if registration is not None and registration.get("schemeID") == "eumicro:copy":
            registration = None  # written by to_edci_xml: a copy of the VAT/eIDAS identifier
        address_text = None
        for location in _els(el, "hasLocation"):
            for address in _els(location, "hasAddress"):
                full = _text_of(_el(address, "fullAddress"))
                if full is not None and address_text is None:
                    address_text = full.best()
            # An address without a country (see the writer), if there is no other.
            described = _text_of(_el(location, "description"))
            if described is not None and address_text is None:
                address_text = described.best()
        vat = _els(el, "vatIdentifier")
        homepage = _el(el, "homepage")
        found = self.build(
            el,
            Organisation,
            name=_text_of(_el(el, "prefLabel")),
            id=_own_id(el),
            country=country,
            region=region,
            registration=self.legal(registration, country),
            eidas_identifier=eidas,
            vat_identifier=self.legal(vat[0], country) if vat else None,
            identifiers=self.identifiers(el),
            homepage=homepage.get("uri") if homepage is not None else None,
            email=_email(el),
            address=address_text,
        )
        return found if isinstance(found, Organisation) else None

    def learner(self, el: etree._Element) -> Learner | None:
        birth = _token(_el(el, "dateOfBirth"))

        def name(tag: str) -> str | None:
            text = _text_of(_el(el, tag))
            return text.best() if text is not None else None

        found = self.build(
            el,
            Learner,
            id=_own_id(el),
            full_name=name("fullName"),
            given_name=name("givenNames"),
            family_name=name("familyName"),
            date_of_birth=dt.date.fromisoformat(birth) if birth else None,
            email=_email(el),
            national_id=self.legal(_el(el, "nationalId"), None, None),
            identifiers=self.identifiers(el),
            citizenship=self.concepts(el, "citizenshipCountry", (vocab.COUNTRY,)),
        )
        return found if isinstance(found, Learner) else None

    def outcome(self, el: etree._Element) -> LearningOutcome | None:
        kind = _el(el, "learningOutcomeType")
        reuse = _el(el, "reusabilityLevel")
        found = self.build(
            el,
            LearningOutcome,
            title=_text_of(_el(el, "prefLabel")),
            esco_skills=tuple(
                s.get("uri", "").strip() for s in _els(el, "relatedEscoSkill") if s.get("uri")
            ),
            related_skills=tuple(
                s.get("uri", "").strip() for s in _els(el, "relatedSkill") if s.get("uri")
            ),
            skill_type=self.concept(kind, (vocab.SKILL_TYPE,)) if kind is not None else None,
            reusability_level=(
                self.concept(reuse, (vocab.SKILL_REUSE_LEVEL,)) if reuse is not None else None
            ),
            id=_own_id(el),
        )
        return found if isinstance(found, LearningOutcome) else None

    def workload(self, el: etree._Element) -> Workload | None:
        """ECTS credits, ECVET points (``hasCreditPoints`` by its ``schemeID``) and hours."""
        values: dict[str, Decimal] = {}
        sources: dict[str, etree._Element] = {}
        ects_el = _el(el, "hasECTSCreditPoints")
        points = ([ects_el] if ects_el is not None else []) + _els(el, "hasCreditPoints")
        for point in points:
            system = (point.get("schemeID") or "").strip()
            if point is ects_el:
                system = ECTS_SYSTEM
            attribute = _CREDIT_SYSTEMS.get(system)
            value = _decimal(_token(point))
            if attribute is None:
                self.note(
                    point,
                    f"{_token(point)} credit points without a credit-point system "
                    "(schemeID ECTS or ECVET); dropped",
                )
                continue
            if value is None:
                continue  # the XSD requires a decimal
            if attribute in values:
                if value != values[attribute]:
                    self.note(
                        point,
                        f"{attribute.upper()} credit points given twice ({values[attribute]} "
                        f"and {value}); the first is read",
                    )
                continue
            values[attribute] = value
            sources[attribute] = point
        hours_el = _el(el, "volumeOfLearning")
        hours = _hours(_token(hours_el))
        if hours_el is not None and hours is None:
            self.note(hours_el, "volume of learning not in whole hours dropped")
        if hours_el is not None and hours is not None:
            values["hours"] = hours
            sources["hours"] = hours_el
        if not values:
            return None
        found = self.build_from(el, Workload, sources, dict(values))
        return found if isinstance(found, Workload) else None

    def spec_notes(self, el: etree._Element) -> dict[str, object]:
        """The ``additionalNote`` of a specification, by subject: further information,
        quality assurance (in the order of their tokens), pathways, the learning-outcome
        summary and the description of the form of participation; and the quality
        assurance of its accreditations (``hasAccreditation``)."""
        further: list[etree._Element] = []
        qa: list[tuple[int | None, QualityAssurance]] = []
        topics: dict[str, Text] = {}
        reports = {
            token: doc for doc in _els(el, "supplementaryDoc") if (token := _report_token(doc))
        }
        for note in _els(el, "additionalNote"):
            text = _text_of(note)
            subjects = _els(note, "subject")
            uris = [(s.get("uri") or "").strip() for s in subjects]
            if NOTE_TOPIC_QUALITY_ASSURANCE in uris:
                found = self.qa_note(note, text, reports)
                if found is not None:
                    qa.append(found)
                continue
            if text is None:
                continue
            topic = next((t for t in uris if t in _TOPIC_LABELS), None)
            if topic is not None:
                if topic in topics:
                    self.note(
                        note, f"the model holds one note on {_TOPIC_LABELS[topic]!r}; dropped"
                    )
                else:
                    topics[topic] = text
                continue
            further.append(note)
        for ref in _els(el, "hasAccreditation"):
            target = self.ref(ref, "an accreditation")
            if target is not None:
                found_qa = self.accreditation(target)
                if found_qa is not None:
                    m = _QA_ID.fullmatch(target.get("id", ""))
                    qa.append((int(m[1]) if m else None, found_qa))
        numbered = sorted((n, i) for i, (n, _) in enumerate(qa) if n is not None)
        order = [i for _, i in numbered] + [i for i, (n, _) in enumerate(qa) if n is None]
        return {
            "further_information": self.further(el, further),
            "quality_assurance": tuple(qa[i][1] for i in order),
            "pathways": topics.get(NOTE_TOPIC_PATHWAYS),
            "learning_outcome_summary": topics.get(NOTE_TOPIC_LEARNING_OUTCOMES),
            "participation": topics.get(NOTE_TOPIC_WAYS_TO_ACQUIRE),
        }

    def qa_note(
        self, note: etree._Element, text: Text | None, reports: dict[str, etree._Element]
    ) -> tuple[int | None, QualityAssurance] | None:
        """A note on quality assurance: its token (the text of the topic), its type (the
        text of a further subject) and the report the token names."""
        number: str | None = None
        qa_type: Concept | None = None
        for subject in _els(note, "subject"):
            value = (subject.text or "").strip()
            if subject.get("uri"):
                m = _QA_TOKEN.fullmatch(value)
                number = m[1] if m else number
            elif (found := vocab.ACCREDITATION_TYPE.find_iri(value)) is not None:
                qa_type = found
            else:
                self.note(subject, f"{value!r} is not a quality-assurance type; dropped")
        report = reports.get(number) if number is not None else None
        if qa_type is None and text is None:
            return None
        built = self.build(
            note,
            QualityAssurance,
            type=qa_type,
            description=text,
            report=report.get("uri") if report is not None else None,
        )
        if not isinstance(built, QualityAssurance):
            return None
        return (int(number) if number is not None else None), built

    def accreditation(self, el: etree._Element) -> QualityAssurance | None:
        """An ``accreditation`` record: type, description, report, accrediting agent."""
        type_el = _el(el, "type")
        qa_type = (
            self.concept(type_el, (vocab.ACCREDITATION_TYPE,), strict=False)
            if type_el is not None
            else None
        )
        agent_el = _el(el, "accreditingAgent")
        report = _el(el, "report")
        if not _generated(el):
            self.dropped(el, _ACCREDITATION_DROPPED)
        description = _text_of(_el(el, "description"))
        if qa_type is None and description is None:
            return None
        found = self.build(
            el,
            QualityAssurance,
            type=qa_type,
            description=description,
            agency=self.organisation(agent_el) if agent_el is not None else None,
            report=report.get("uri") if report is not None else None,
        )
        return found if isinstance(found, QualityAssurance) else None

    def towards(self, spec_id: str) -> tuple[CredentialReference, ...]:
        """The specifications that have the specification as a part (``hasPart``)."""
        out: list[CredentialReference] = []
        refs = _el(self.root, "learningSpecificationReferences")
        for other in refs if refs is not None else ():
            if not isinstance(other.tag, str):
                continue
            if any(part.get("idref") == spec_id for part in _els(other, "hasPart")):
                found = self.build(
                    other,
                    CredentialReference,
                    id=other.get("id"),
                    title=_text_of(_el(other, "title")),
                )
                if isinstance(found, CredentialReference) and found not in out:
                    out.append(found)
        return tuple(out)

    def further(self, parent: etree._Element, notes: list[etree._Element]) -> Text | None:
        """Notes as one further-information text; their subjects are not held."""
        texts: list[Text] = []
        for note in notes:
            text = _text_of(note)
            if text is None:
                continue
            for subject in _els(note, "subject"):
                label = (subject.text or "").strip() or (subject.get("uri") or "").strip()
                self.note(
                    subject,
                    f"a note on a subject eumicro does not know ({label!r}): read as "
                    "further information",
                )
            texts.append(text)
        if len(texts) > 1:
            self.notes.append(
                f"{_location(parent)}/additionalNote: {len(texts)} notes are read as one "
                "further-information text"
            )
        return _join(texts)

    def stackability(
        self, el: etree._Element, pathways: Text | None, towards: tuple[CredentialReference, ...]
    ) -> Stackability | None:
        """``isPartialQualification``, the specifications it is a part of and a note on
        pathways as the stackability."""
        partial = _string(_el(el, "isPartialQualification"))
        if partial is None and pathways is None and not towards:
            return None
        if partial is None and not towards:
            self.note(el, "a note on pathways without isPartialQualification: read as stand-alone")
        stackable = partial.strip() in ("true", "1") if partial is not None else bool(towards)
        found = self.build(
            el,
            Stackability,
            option=StackabilityOption.STACKABLE if stackable else StackabilityOption.STAND_ALONE,
            towards=towards,
            description=pathways,
        )
        return found if isinstance(found, Stackability) else None

    def assessment(
        self, specs: list[etree._Element]
    ) -> tuple[Assessment | None, Text | None, etree._Element | None]:
        """The assessment (types, modes, description) of assessment specifications, and
        the title of the grading scheme (with the element it was read from)."""
        types: list[Concept] = []
        modes: list[Concept] = []
        description: Text | None = None
        scheme: Text | None = None
        scheme_el: etree._Element | None = None
        titles: list[tuple[Text, etree._Element]] = []
        for spec in specs:
            for c in self.concepts(spec, "type", (vocab.ASSESSMENT_TYPE,), strict=False):
                if c not in types:
                    types.append(c)
            for c in self.concepts(spec, "mode", (vocab.MODE,), strict=False):
                if c not in modes:
                    modes.append(c)
            description_el = _el(spec, "description")
            text = _text_of(description_el)
            if description is None:
                description = text
            elif text is not None and text != description and description_el is not None:
                self.note(description_el, "the model holds one assessment description; dropped")
            title_el = _el(spec, "title")
            title = _text_of(title_el)
            if title is not None and title_el is not None and not _generated(spec):
                titles.append((title, title_el))
            scheme_ref = _el(spec, "gradingScheme")
            grading = self.ref(scheme_ref, "a grading scheme")
            if grading is not None:
                found = _text_of(_el(grading, "title"))
                if scheme is None:
                    scheme, scheme_el = found, grading
                elif found is not None and found != scheme and scheme_ref is not None:
                    self.note(scheme_ref, "the model holds one grading scheme; dropped")
                self.dropped(grading, ("identifier", "description", "supplementaryDoc"))
            self.dropped(spec, _ASSESSMENT_SPEC_DROPPED)
        description = assessment_description(bool(types), description, titles, self.note)
        if not types and description is None:
            return None, scheme, scheme_el
        found_assessment = self.build(
            specs[0], Assessment, types=tuple(types), modes=tuple(modes), description=description
        )
        return (
            found_assessment if isinstance(found_assessment, Assessment) else None,
            scheme,
            scheme_el,
        )

    def specification(
        self,
        el: etree._Element,
        provider: Organisation | None,
        assessments: tuple[etree._Element, ...] = (),
        schedule: tuple[Concept, etree._Element] | None = None,
    ) -> tuple[Specification | None, Text | None, etree._Element | None]:
        """The specification, with the title of the grading scheme its assessment names."""
        kwargs: dict[str, object] = {
            "id": el.get("id"),
            "title": _text_of(_el(el, "title")),
            "description": _text_of(_el(el, "description")),
            "identifiers": self.identifiers(el),
            "prerequisites": _text_of(_el(el, "entryRequirementsNote")),
            "fields": self.concepts(el, "hasISCED-FCode", (vocab.ISCED_F,)),
            "languages": self.concepts(el, "language", (vocab.LANGUAGE,)),
            "provider": provider,
        }
        homepage = _el(el, "homepage")
        if homepage is not None:
            kwargs["homepage"] = homepage.get("uri")
        types = [
            c
            for t in _els(el, "type")
            if (c := vocab.LEARNING_OPPORTUNITY_TYPE.find_iri(t.get("uri", "").strip()))
        ]
        if types:
            kwargs["opportunity_type"] = types[0]
            if len(types) > 1:
                self.note(el, f"{len(types) - 1} further learning-opportunity type(s) dropped")
        kwargs["workload"] = self.workload(el)
        eqf = _el(el, "eqfLevel")
        nqf = self.concepts(el, "nqfLevel", (vocab.NQF,))
        eqf_concept = self.concept(eqf, (vocab.EQF,)) if eqf is not None else None
        qf_ehea: Concept | None = None
        for level_el in _els(el, "hasEducationLevel"):
            found_level = vocab.QF_EHEA.find_iri((level_el.get("uri") or "").strip())
            if found_level is None or qf_ehea is not None:
                self.note(level_el, "not part of the model; dropped")
            else:
                qf_ehea = found_level
        if eqf_concept is not None or nqf or qf_ehea is not None:
            kwargs["level"] = self.build(el, Level, eqf=eqf_concept, qf_ehea=qf_ehea, nqf=nqf)
        notes = self.spec_notes(el)
        modes = self.concepts(el, "mode", (vocab.MODE,))
        setting_el = _el(el, "learningSettingType")
        setting = (
            self.concept(setting_el, (vocab.LEARNING_SETTING,)) if setting_el is not None else None
        )
        described = notes["participation"]
        if modes or setting is not None or described is not None:
            kwargs["participation"] = self.build(
                el,
                Participation,
                modes=modes,
                setting=setting,
                schedule=schedule[0] if schedule is not None else None,
                description=described,
            )
        elif schedule is not None:
            self.note(
                schedule[1],
                "a learning schedule without a mode, setting or description of the form of "
                "participation; dropped",
            )
        outcomes: list[LearningOutcome] = []
        holder = _el(el, "learningOutcomes")
        refs = _els(holder, "learningOutcome") if holder is not None else []
        refs += _els(el, "learningOutcome")
        for ref in refs:
            target = self.ref(ref, "a learning outcome")
            if target is not None:
                outcome = self.outcome(target)
                if outcome is not None:
                    outcomes.append(outcome)
        kwargs["learning_outcomes"] = tuple(outcomes)
        kwargs["further_information"] = notes["further_information"]
        kwargs["quality_assurance"] = notes["quality_assurance"]
        kwargs["learning_outcome_summary"] = notes["learning_outcome_summary"]
        pathways = notes["pathways"]
        assert pathways is None or isinstance(pathways, Text)
        kwargs["stackability"] = self.stackability(el, pathways, self.towards(el.get("id", "")))
        specs = list(dict.fromkeys(assessments))
        own = self.ref(_el(el, "assessmentSpecification"), "an assessment specification")
        if own is not None and own not in specs:
            specs.insert(0, own)
        scheme: Text | None = None
        scheme_el: etree._Element | None = None
        if specs:
            kwargs["assessment"], scheme, scheme_el = self.assessment(specs)
        duration = _el(el, "duration")
        if duration is not None:
            self.note(
                duration,
                f"the maximum duration ({_token(duration)}) is not part of the model; dropped",
            )
        for doc in _els(el, "supplementaryDoc"):
            if _report_token(doc) is None:
                self.note(doc, "not part of the model; dropped")
        self.dropped(el, _SPEC_DROPPED)
        found = self.build(el, Specification, **kwargs)
        return (found if isinstance(found, Specification) else None), scheme, scheme_el

    def opportunity(
        self, achievement: etree._Element
    ) -> tuple[Organisation | None, tuple[Concept, etree._Element] | None]:
        """The provider and learning schedule of the achievement's learning opportunity."""
        provider: Organisation | None = None
        schedule: tuple[Concept, etree._Element] | None = None
        for index, ref in enumerate(_els(achievement, "associatedLearningOpportunity")):
            opportunity = self.ref(ref, "a learning opportunity")
            if opportunity is None:
                continue
            if index:
                self.note(ref, "the model holds one learning opportunity; dropped")
                continue
            for n, by in enumerate(_els(opportunity, "providedBy")):
                org_el = self.ref(by, "an organisation")
                if n:
                    self.note(by, "the model holds one provider; dropped")
                elif org_el is not None:
                    provider = self.organisation(org_el)
            schedule_el = _el(opportunity, "learningSchedule")
            if schedule_el is not None:
                found = self.concept(schedule_el, (vocab.LEARNING_SCHEDULE,), strict=False)
                schedule = (found, schedule_el) if found is not None else None
            if not _generated(opportunity):
                self.note(
                    opportunity,
                    "learning opportunity: its provider and learning schedule are read; the "
                    "rest is dropped",
                )
        return provider, schedule

    def award(
        self,
        achievement: etree._Element | None,
        learner: Learner | None,
        issuer: Organisation | None,
        issuer_el: etree._Element | None,
    ) -> MicroCredential | None:
        root = self.root
        credential_id = root.get(_C + "id", "")
        awarding: list[Organisation] = []
        grade: Grade | None = None
        supervision: Concept | None = None
        spec: Specification | None
        cred_id = credential_id
        identifiers: tuple[Identifier, ...] = ()
        further: Text | None = None
        if achievement is not None:
            cred_id = credential_id if achievement.get("id") is None else achievement.get("id", "")
            identifiers = self.identifiers(achievement)
            process = self.ref(_el(achievement, "wasAwardedBy"), "an awarding process")
            if process is not None:
                for body in _els(process, "awardingBody"):
                    org_el = self.ref(body, "an organisation")
                    org = self.organisation(org_el) if org_el is not None else None
                    if org is not None and org not in awarding:
                        awarding.append(org)
            assessments = _els(achievement, "wasDerivedFrom")
            assessment_specs: list[etree._Element] = []
            grade_el: etree._Element | None = None
            for index, assessment in enumerate(assessments):
                if index:
                    self.note(assessment, "the model holds one graded assessment; dropped")
                    continue
                grade_el = _el(assessment, "grade")
                value = _string(grade_el)
                if value is not None:
                    grade = Grade(value=value)
                method = _el(assessment, "idVerificationMethod")
                if method is not None:
                    supervision = self.concept(method, (vocab.SUPERVISION_VERIFICATION,))
                target = self.ref(_el(assessment, "specifiedBy"), "an assessment specification")
                if target is not None:
                    assessment_specs.append(target)
                if not _generated(assessment):
                    self.dropped(assessment, _ASSESSMENT_DROPPED)
            spec_el = self.ref(_el(achievement, "specifiedBy"), "a learning specification")
            if spec_el is None:
                return None
            provider, schedule = self.opportunity(achievement)
            spec, scheme, scheme_el = self.specification(
                spec_el, provider, tuple(assessment_specs), schedule
            )
            if scheme is not None and grade is not None:
                grade = Grade(value=grade.value, scheme=scheme)
            elif scheme is not None and scheme_el is not None:
                self.note(scheme_el, "a grading scheme without a grade; dropped")
            further = self.further(achievement, _els(achievement, "additionalNote"))
            for item in _els(achievement, "description"):
                self.note(
                    item, "the description of an achievement is not part of the model; dropped"
                )
            self.dropped(achievement, ("wasInfluencedBy",))
            for part in _els(achievement, "hasPart"):
                for sub in part:
                    if isinstance(sub.tag, str):
                        self.note(sub, "part of an achievement: not a separate credential")
            for item in _els(achievement, "entitlesTo"):
                self.note(item, "entitlements are not part of the model; dropped")
        else:
            modes: list[Concept] = []
            languages: list[Concept] = []
            for activity in root.iter(_N + "activity"):
                spec_el = self.ref(
                    _el(activity, "specifiedBy"), "a learning activity specification"
                )
                if spec_el is None:
                    continue
                for c in self.concepts(spec_el, "mode", (vocab.MODE,)):
                    if c not in modes:
                        modes.append(c)
                for c in self.concepts(spec_el, "language", (vocab.LANGUAGE,)):
                    if c not in languages:
                        languages.append(c)
                self.note(
                    activity, "learning activity: its modes and languages describe the credential"
                )
            participation = self.build(root, Participation, modes=tuple(modes)) if modes else None
            spec_found = self.build(
                root,
                Specification,
                id=credential_id,
                title=_text_of(_el(root, "title")),
                description=_text_of(_el(root, "description")),
                languages=tuple(languages),
                participation=participation,
            )
            spec = spec_found if isinstance(spec_found, Specification) else None
        if spec is None:
            return None
        if not awarding and issuer is not None:
            awarding.append(issuer)
        found = self.build(
            achievement if achievement is not None else root,
            MicroCredential,
            id=cred_id,
            specification=spec,
            learner=learner,
            awarding_bodies=tuple(awarding),
            issuer=issuer if issuer is not None and issuer not in awarding[:1] else None,
            issued=self.datetime(root.find(_C + "issued")),
            valid_from=self.datetime(root.find(_C + "validFrom")),
            valid_until=self.datetime(root.find(_C + "validUntil")),
            grade=grade,
            supervision=supervision,
            further_information=further,
            identifiers=identifiers,
        )
        del issuer_el
        return found if isinstance(found, MicroCredential) else None

    def read(self) -> EdciImport:
        root = self.root
        issuer_ref = root.find(_C + "issuer")
        issuer_el = self.ref(issuer_ref, "an organisation")
        issuer = self.organisation(issuer_el) if issuer_el is not None else None
        subject = _el(root, "credentialSubject")
        assert subject is not None  # the XSD requires it
        learner = self.learner(subject)
        self.dropped(subject, ("placeOfBirth", "gender"))
        mailbox_read = False
        for contact in _els(subject, "contactPoint"):
            for item in contact:
                if not isinstance(item.tag, str):
                    continue
                if item.tag == _N + "mailBox" and not mailbox_read:
                    mailbox_read = True  # the learner's e-mail address
                    continue
                self.note(item, "not part of the model; dropped")
        achievements = _el(subject, "achievements")
        found: list[MicroCredential] = []
        tops = [
            a for a in (achievements if achievements is not None else ()) if isinstance(a.tag, str)
        ]
        candidates: list[etree._Element | None] = list(tops) or [None]
        for achievement in candidates:
            credential = self.award(achievement, learner, issuer, issuer_el)
            if credential is not None:
                found.append(credential)
        for dropped in ("displayParameters", "attachmentList", "proof", "childCredentials"):
            extra = _el(root, dropped)
            if extra is not None:
                self.note(extra, "not part of the model; dropped")
        if self.problems:
            raise ParseError(self.problems, _SUBJECT)
        return EdciImport(
            credentials=tuple(found),
            credential_id=root.get(_C + "id", ""),
            notes=tuple(self.notes),
        )


_SECTIONS: Final = {
    "an organisation": "agentReferences",
    "an awarding process": "awardingProcessReferences",
    "an assessment specification": "assessmentSpecificationReferences",
    "a learning specification": "learningSpecificationReferences",
    "a learning activity specification": "learningActivitySpecificationReferences",
    "a learning outcome": "learningOutcomeReferences",
    "a grading scheme": "scoringSchemeReferences",
    "an accreditation": "accreditationReferences",
    "a learning opportunity": "learningOpportunityReferences",
}


def _location(el: etree._Element) -> str:
    return problem_at(el, "", "note", None).location


def _report_token(doc: etree._Element) -> str | None:
    """N of a ``supplementaryDoc`` titled ``quality-assurance-N`` (the report of a note)."""
    title = _text_of(_el(doc, "title"))
    m = _QA_TOKEN.fullmatch(title.best()) if title is not None else None
    return m[1] if m else None


def _generated(el: etree._Element) -> bool:
    """Whether the element has an id that :func:`to_edci_xml` generated."""
    return el.get("id", "").startswith(_GENERATED)


def _own_id(el: etree._Element) -> str | None:
    """The element's id, unless absent or generated by :func:`to_edci_xml`."""
    return None if _generated(el) else el.get("id")


def _email(el: etree._Element) -> str | None:
    """The first e-mail address of the element's contact points (``mailto:`` decoded)."""
    for contact in _els(el, "contactPoint"):
        box = _el(contact, "mailBox")
        if box is not None:
            return unquote(box.get("uri", "").removeprefix("mailto:")) or None
    return None


def _join(texts: list[Text]) -> Text | None:
    """Several notes as one text (per language, separated by a blank line)."""
    if not texts:
        return None
    if len(texts) == 1:
        return texts[0]
    merged: dict[str, list[str]] = {}
    for text in texts:
        for tag, value in text.items_in_order():
            merged.setdefault(tag, []).append(value)
    return Text([(tag, "\n\n".join(values)) for tag, values in merged.items()])


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


_HOURS: Final = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def _hours(value: str | None) -> Decimal | None:
    """An ``xs:duration`` of days, hours and minutes as hours (None: not expressible)."""
    if value is None:
        return None
    m = _HOURS.fullmatch(value)
    if m is None or value in ("P", "PT"):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in m.groups()[:3])
    seconds = ((days * 24 + hours) * 60 + minutes) * 60 + Decimal(m[4] or 0)
    total = seconds / 3600
    return total if total == total.quantize(Decimal("0.01")) else None


def from_edci_xml(
    data: str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str],
) -> EdciImport:
    """Read a legacy Europass credential (``europassCredential`` XML).

    Raises :class:`~eumicro.ParseError` with every problem: unsafe or malformed XML,
    XSD violations, references to undefined nodes, vocabulary values not in the
    official lists, values the model refuses — each with element path, line, column.
    """
    root, source = parse_untrusted(data, subject=_SUBJECT)
    problems = validate_xsd(root, edci_schema(), source=source, namespace=EDCI_NAMESPACE)
    if problems:
        raise ParseError(problems, _SUBJECT)
    return _Reader(root, source).read()


# ----------------------------------------------------------------------------- export


class _Writer:
    def __init__(self, language: str) -> None:
        self.language = language
        self.orgs: dict[Organisation, str] = {}
        self.problems: list[Problem] = []

    def text(self, parent: etree._Element, name: str, value: Text | str) -> etree._Element:
        """A ``TextType`` element; a language is written as its base code (``lang``)."""
        el = etree.SubElement(parent, _N + name)
        pairs = value.items_in_order() if isinstance(value, Text) else ((self.language, value),)
        seen: dict[str, str] = {}
        for tag, content in pairs:
            lang = tag.split("-")[0].lower()
            if lang in seen:
                self.problems.append(
                    Problem(
                        (),
                        f"<{name}>: the format tags a text with a language code only, and "
                        f"{seen[lang]!r} and {tag!r} are both {lang!r} (give one of them)",
                        "language",
                    )
                )
                continue
            seen[lang] = tag
            t = etree.SubElement(el, _N + "text")
            t.set("lang", lang)
            t.set("content-type", "text/plain")
            t.text = content
        return el

    def note(
        self,
        parent: etree._Element,
        value: Text | None,
        topic: str | None = None,
        label: str | None = None,
        *subjects: str,
    ) -> None:
        """An ``additionalNote`` (with an empty text when ``value`` is None), on the
        ``topic`` (with the text ``label``, else the topic's label) and on further
        ``subjects`` (texts without a topic IRI)."""
        if value is None:
            el = etree.SubElement(parent, _N + "additionalNote")
            empty = etree.SubElement(el, _N + "text")
            empty.set("lang", "en")
            empty.set("content-type", "text/plain")
        else:
            el = self.text(parent, "additionalNote", value)
        if topic is not None:
            subject = etree.SubElement(el, _N + "subject")
            subject.set("uri", topic)
            subject.text = label or _TOPIC_LABELS[topic]
        for item in subjects:
            etree.SubElement(el, _N + "subject").text = item

    def code(
        self,
        parent: etree._Element,
        name: str,
        concept: Concept,
        vocabulary: Vocabulary,
        framework: str | None = None,
    ) -> None:
        el = etree.SubElement(parent, _N + name)
        el.set("targetFrameworkUrl", framework or vocabulary.scheme)
        el.set("uri", concept.iri)
        self.text(el, "targetName", Text(en=concept.label))
        self.text(el, "targetFrameworkName", Text(en=vocabulary.title))

    def identifier(self, parent: etree._Element, name: str, ident: Identifier) -> None:
        el = etree.SubElement(parent, _N + name)
        el.text = ident.value
        if ident.scheme_iri:
            el.set("schemeID", ident.scheme_iri)
        if ident.scheme:
            el.set("schemeName", ident.scheme)

    def legal(
        self, parent: etree._Element, name: str, ident: LegalIdentifier, scheme: bool = True
    ) -> None:
        el = etree.SubElement(parent, _N + name)
        el.text = ident.value
        if scheme and ident.scheme:
            el.set("schemeName", ident.scheme)
        el.set("spatialID", ident.country.code)

    def org_id(self, org: Organisation) -> str:
        if org not in self.orgs:
            self.orgs[org] = org.id or f"{_GENERATED}org:{len(self.orgs) + 1}"
        return self.orgs[org]

    def organisation(
        self, parent: etree._Element, org: Organisation, name: str = "organization"
    ) -> None:
        el = etree.SubElement(parent, _N + name)
        el.set("id", self.org_id(org))
        for ident in org.identifiers:
            self.identifier(el, "identifier", ident)
        if org.eidas_identifier is not None:
            eidas = etree.SubElement(el, _N + "identifier")
            eidas.text = org.eidas_identifier.value
            eidas.set("schemeID", "eIDAS")
            if org.eidas_identifier.scheme:
                eidas.set("schemeName", org.eidas_identifier.scheme)
            eidas.set("spatialID", org.eidas_identifier.country.code)
        if org.email:
            contact = etree.SubElement(el, _N + "contactPoint")
            etree.SubElement(contact, _N + "mailBox").set("uri", mailto(org.email))
        # The format requires a registration: without one, a copy of the VAT or eIDAS
        # identifier, or of the id, marked as such (and not read back).
        reg = etree.SubElement(el, _N + "registration")
        if org.registration is not None:
            reg.text = org.registration.value
            if org.registration.scheme:
                reg.set("schemeName", org.registration.scheme)
            reg.set("spatialID", org.registration.country.code)
        else:
            copy = org.vat_identifier or org.eidas_identifier
            reg.text = copy.value if copy is not None else self.org_id(org)
            reg.set("schemeID", "eumicro:copy")
            if copy is not None:
                reg.set("spatialID", copy.country.code)
        if org.vat_identifier is not None:
            self.legal(el, "vatIdentifier", org.vat_identifier)
        self.text(el, "prefLabel", org.name)
        if org.homepage:
            etree.SubElement(el, _N + "homepage").set("uri", org.homepage)
        location = etree.SubElement(el, _N + "hasLocation")
        if org.address and org.country is None:
            # An address (hasAddress) requires a country: the location's description.
            self.text(location, "description", org.address)
        if org.country is not None:
            address = etree.SubElement(location, _N + "hasAddress")
            if org.address:
                self.text(address, "fullAddress", org.address)
            self.code(address, "country", org.country, vocab.COUNTRY)
        if org.region is not None:
            regions = vocab.ATU if org.region.scheme == vocab.ATU.scheme else vocab.NUTS
            self.code(location, "spatialCode", org.region, regions)


def _language(credential: MicroCredential) -> str:
    title = credential.specification.title
    return title.primary_language.split("-")[0].lower() if title is not None else "en"


def learner_names(learner: Learner) -> tuple[str, str]:
    """The given and family names written for a learner (the format requires both).

    A missing one comes from the full name, split at its last space (the whole name
    when it has none); a learner without a name gets empty names, read back as None.
    """
    given, family = learner.given_name, learner.family_name
    full = learner.display_name or ""
    head, _, tail = full.rpartition(" ")
    return given or head or full, family or tail or full


def to_edci_xml(credential: MicroCredential) -> bytes:
    """The credential as a legacy Europass credential XML document (UTF-8).

    The document is valid against ``genericschema_1.2.xsd`` (it is checked before it is
    returned). Raises :class:`~eumicro.ValidationError` when the credential lacks what
    the format requires (date of issuing, learner, title, an awarding body or issuer) or
    holds what it cannot write (a text in a language outside the format's list, two
    texts whose languages have the same code). What the format cannot carry is listed
    on the ``docs/edci.md`` page.
    """
    spec = credential.specification
    problems: list[Problem] = []
    if credential.issued is None:
        problems.append(Problem(("issued",), "the format requires the date of issuing", "missing"))
    if credential.learner is None:
        problems.append(Problem(("learner",), "the format requires the learner", "missing"))
    if spec.title is None:
        problems.append(
            Problem(("specification", "title"), "the format requires a title", "missing")
        )
    issuer = credential.effective_issuer
    if issuer is None:
        problems.append(
            Problem(("awarding_bodies",), "the format requires an awarding body", "missing")
        )
    outcomes: dict[str, LearningOutcome] = {}
    for i, lo in enumerate(spec.learning_outcomes):
        if lo.id is not None and outcomes.setdefault(lo.id, lo) != lo:
            problems.append(
                Problem(
                    ("specification", "learning_outcomes", i, "id"),
                    f"the format refers to a learning outcome by its id: another, different "
                    f"learning outcome has the id {lo.id!r}",
                    "duplicate",
                )
            )
    for i, qa in enumerate(spec.quality_assurance):
        if qa.agency is not None and qa.type is None:
            problems.append(
                Problem(
                    ("specification", "quality_assurance", i, "agency"),
                    "the format records a quality-assurance agency only on an accreditation, "
                    "which needs the quality-assurance type (accreditation/type, 1..1): give "
                    "the type",
                    "missing",
                )
            )
    if problems:
        raise ValidationError(problems, _SUBJECT)
    assert credential.issued is not None
    assert credential.learner is not None
    assert spec.title is not None
    assert issuer is not None
    language = _language(credential)
    w = _Writer(language)
    nsmap = {None: EDCI_NAMESPACE, "cred": CRED_NAMESPACE}
    root = etree.Element(_N + "europassCredential", nsmap=nsmap)
    root.set(_C + "id", credential.id)
    root.set("xsdVersion", "0.10.0")
    kind = etree.SubElement(root, _N + "type")
    kind.set("targetFrameworkUrl", _CREDENTIAL_TYPES)
    kind.set("uri", _GENERIC_TYPE)
    w.text(kind, "targetName", Text(en="Generic"))
    w.text(kind, "targetFrameworkName", Text(en="Europass Standard List of Credential Types"))
    etree.SubElement(root, _N + "primaryLanguage").text = language
    available = etree.SubElement(root, _N + "availableLanguages")
    for lang in dict.fromkeys(x.split("-")[0].lower() for x in spec.title.languages):
        etree.SubElement(available, _N + "language").text = lang
    if credential.valid_from is not None:
        etree.SubElement(root, _C + "validFrom").text = credential.valid_from.isoformat()
    etree.SubElement(root, _C + "issued").text = credential.issued.isoformat()
    if credential.valid_until is not None:
        etree.SubElement(root, _C + "validUntil").text = credential.valid_until.isoformat()
    etree.SubElement(root, _C + "issuer").set("idref", w.org_id(issuer))
    w.text(root, "title", spec.title)
    _subject(w, root, credential)
    _references(w, root, credential)
    if w.problems:
        raise ValidationError(w.problems, _SUBJECT)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    parsed, source = parse_untrusted(document, subject=_SUBJECT)
    invalid = validate_xsd(parsed, edci_schema(), source=source, namespace=EDCI_NAMESPACE)
    if invalid:
        raise ValidationError(invalid, _SUBJECT)
    return document


def _subject(w: _Writer, root: etree._Element, credential: MicroCredential) -> None:
    learner = credential.learner
    assert learner is not None
    subject = etree.SubElement(root, _N + "credentialSubject")
    subject.set("id", learner.id or f"{_GENERATED}person:1")
    for ident in learner.identifiers:
        w.identifier(subject, "identifier", ident)
    if learner.email:
        contact = etree.SubElement(subject, _N + "contactPoint")
        etree.SubElement(contact, _N + "mailBox").set("uri", mailto(learner.email))
    if learner.national_id is not None:
        w.legal(subject, "nationalId", learner.national_id)
    given, family = learner_names(learner)
    if learner.full_name:
        w.text(subject, "fullName", learner.full_name)
    w.text(subject, "givenNames", given)
    w.text(subject, "familyName", family)
    if learner.date_of_birth is not None:
        etree.SubElement(subject, _N + "dateOfBirth").text = learner.date_of_birth.isoformat()
    for country in learner.citizenship:
        w.code(subject, "citizenshipCountry", country, vocab.COUNTRY)
    achievements = etree.SubElement(subject, _N + "achievements")
    achievement = etree.SubElement(achievements, _N + "learningAchievement")
    achievement.set("id", credential.id)
    for ident in credential.identifiers:
        w.identifier(achievement, "identifier", ident)
    w.text(achievement, "title", credential.specification.title or "")
    if credential.further_information is not None:
        w.note(achievement, credential.further_information)
    if credential.grade is not None:
        assessment = etree.SubElement(achievement, _N + "wasDerivedFrom")
        assessment.set("id", f"{_GENERATED}assessment:1")
        w.text(assessment, "title", Text(en="Assessment"))
        etree.SubElement(assessment, _N + "grade").text = credential.grade.value
        if credential.supervision is not None:
            w.code(
                assessment,
                "idVerificationMethod",
                credential.supervision,
                vocab.SUPERVISION_VERIFICATION,
            )
        if _assessment_spec(credential):
            etree.SubElement(assessment, _N + "specifiedBy").set("idref", _ASSESSMENT_SPEC_ID)
    if credential.awarding_bodies:
        etree.SubElement(achievement, _N + "wasAwardedBy").set(
            "idref", f"{_GENERATED}awardingProcess:1"
        )
    etree.SubElement(achievement, _N + "specifiedBy").set("idref", credential.specification.id)
    if _opportunity(credential.specification):
        etree.SubElement(achievement, _N + "associatedLearningOpportunity").set(
            "idref", _OPPORTUNITY_ID
        )


def _opportunity(spec: Specification) -> bool:
    """Whether the document needs a learning opportunity (a provider, a learning schedule)."""
    participation = spec.participation
    return spec.provider is not None or (
        participation is not None and participation.schedule is not None
    )


def _qa_notes(
    w: _Writer, q: etree._Element, credential: MicroCredential
) -> tuple[list[tuple[str, QualityAssurance]], list[tuple[str, str]]]:
    """Quality assurance as notes (written on ``q``), or as accreditations (returned, with
    their ids); and the reports of the notes (token, URL)."""
    accreditations: list[tuple[str, QualityAssurance]] = []
    reports: list[tuple[str, str]] = []
    for n, qa in enumerate(credential.specification.quality_assurance, 1):
        if qa.type is not None and qa.agency is not None:
            accreditations.append((f"{_GENERATED}qualityAssurance:{n}", qa))
            continue
        token = f"quality-assurance-{n}"
        types = (qa.type.iri,) if qa.type is not None else ()
        w.note(q, qa.description, NOTE_TOPIC_QUALITY_ASSURANCE, token, *types)
        if qa.report is not None:
            reports.append((token, qa.report))
    return accreditations, reports


def _references(w: _Writer, root: etree._Element, credential: MicroCredential) -> None:
    spec = credential.specification
    refs = etree.SubElement(root, _N + "learningSpecificationReferences")
    q = etree.SubElement(refs, _N + "qualification")
    q.set("id", spec.id)
    for ident in spec.identifiers:
        w.identifier(q, "identifier", ident)
    if spec.opportunity_type is not None:
        w.code(q, "type", spec.opportunity_type, vocab.LEARNING_OPPORTUNITY_TYPE)
    if spec.title is not None:
        w.text(q, "title", spec.title)
    if spec.description is not None:
        w.text(q, "description", spec.description)
    if spec.further_information is not None:
        w.note(q, spec.further_information)
    accreditations, reports = _qa_notes(w, q, credential)
    stackability = spec.stackability
    if stackability is not None and stackability.description is not None:
        w.note(q, stackability.description, NOTE_TOPIC_PATHWAYS)
    if spec.learning_outcome_summary is not None:
        w.note(q, spec.learning_outcome_summary, NOTE_TOPIC_LEARNING_OUTCOMES)
    participation = spec.participation
    if participation is not None and participation.description is not None:
        w.note(q, participation.description, NOTE_TOPIC_WAYS_TO_ACQUIRE)
    if spec.homepage:
        etree.SubElement(q, _N + "homepage").set("uri", spec.homepage)
    for token, url in reports:
        doc = etree.SubElement(q, _N + "supplementaryDoc")
        doc.set("uri", url)
        w.text(doc, "title", Text(en=token))
    for field in spec.fields:
        w.code(q, "hasISCED-FCode", field, vocab.ISCED_F)
    workload = spec.workload
    if workload is not None and workload.hours is not None:
        etree.SubElement(q, _N + "volumeOfLearning").text = hours_duration(workload.hours)
    if workload is not None and workload.ects is not None:
        etree.SubElement(q, _N + "hasECTSCreditPoints").text = number_text(workload.ects)
    if workload is not None and workload.ecvet is not None:
        points = etree.SubElement(q, _N + "hasCreditPoints")
        points.set("schemeID", ECVET_SYSTEM)
        points.text = number_text(workload.ecvet)
    level = spec.level
    if level is not None and level.qf_ehea is not None:
        w.code(q, "hasEducationLevel", level.qf_ehea, vocab.QF_EHEA, QF_EHEA_FRAMEWORK)
    for language in spec.languages:
        w.code(q, "language", language, vocab.LANGUAGE)
    if participation is not None:
        for mode in participation.modes:
            w.code(q, "mode", mode, vocab.MODE)
        if participation.setting is not None:
            w.code(q, "learningSettingType", participation.setting, vocab.LEARNING_SETTING)
    if spec.prerequisites is not None:
        w.text(q, "entryRequirementsNote", spec.prerequisites)
    outcome_ids = [
        lo.id or f"{_GENERATED}learningOutcome:{i}"
        for i, lo in enumerate(spec.learning_outcomes, 1)
    ]
    if outcome_ids:
        holder = etree.SubElement(q, _N + "learningOutcomes")
        for oid in outcome_ids:
            etree.SubElement(holder, _N + "learningOutcome").set("idref", oid)
    if spec.assessment is not None:
        etree.SubElement(q, _N + "assessmentSpecification").set("idref", _ASSESSMENT_SPEC_ID)
    if stackability is not None:
        etree.SubElement(q, _N + "isPartialQualification").text = (
            "true" if stackability.option is StackabilityOption.STACKABLE else "false"
        )
    if level is not None and level.eqf is not None:
        w.code(q, "eqfLevel", level.eqf, vocab.EQF)
    if level is not None:
        for nqf in level.nqf:
            w.code(q, "nqfLevel", nqf, vocab.NQF)
    for accreditation_id, _ in accreditations:
        etree.SubElement(q, _N + "hasAccreditation").set("idref", accreditation_id)
    # What it stacks towards: qualifications that have it as a part.
    for ref in stackability.towards if stackability is not None else ():
        broader = etree.SubElement(refs, _N + "qualification")
        broader.set("id", ref.id)
        if ref.title is not None:
            w.text(broader, "title", ref.title)
        etree.SubElement(broader, _N + "hasPart").set("idref", spec.id)
    if outcome_ids:
        lo_refs = etree.SubElement(root, _N + "learningOutcomeReferences")
        for oid, lo in zip(outcome_ids, spec.learning_outcomes, strict=True):
            el = etree.SubElement(lo_refs, _N + "learningOutcome")
            el.set("id", oid)
            w.text(el, "prefLabel", lo.title)
            if lo.skill_type is not None:
                w.code(el, "learningOutcomeType", lo.skill_type, vocab.SKILL_TYPE)
            if lo.reusability_level is not None:
                w.code(el, "reusabilityLevel", lo.reusability_level, vocab.SKILL_REUSE_LEVEL)
            for skill in lo.related_skills:
                _iri_code(w, el, "relatedSkill", skill, _framework(skill))
            for skill in lo.esco_skills:
                _iri_code(w, el, "relatedEscoSkill", skill, _ESCO_SKILLS)
    scheme = credential.grade.scheme if credential.grade is not None else None
    if _assessment_spec(credential):
        specs = etree.SubElement(root, _N + "assessmentSpecificationReferences")
        a = etree.SubElement(specs, _N + "assessmentSpecification")
        a.set("id", _ASSESSMENT_SPEC_ID)
        w.text(a, "title", Text(en="Assessment"))
        assessment = spec.assessment
        if assessment is not None and assessment.description is not None:
            w.text(a, "description", assessment.description)
        for kind in assessment.types if assessment is not None else ():
            w.code(a, "type", kind, vocab.ASSESSMENT_TYPE)
        for mode in assessment.modes if assessment is not None else ():
            w.code(a, "mode", mode, vocab.MODE)
        if scheme is not None:
            etree.SubElement(a, _N + "gradingScheme").set("idref", _SCORING_SCHEME_ID)
    if _opportunity(spec):
        opportunities = etree.SubElement(root, _N + "learningOpportunityReferences")
        opportunity = etree.SubElement(opportunities, _N + "learningOpportunity")
        opportunity.set("id", _OPPORTUNITY_ID)
        if spec.title is not None:
            w.text(opportunity, "title", spec.title)
        if participation is not None and participation.schedule is not None:
            w.code(opportunity, "learningSchedule", participation.schedule, vocab.LEARNING_SCHEDULE)
        if spec.provider is not None:
            etree.SubElement(opportunity, _N + "providedBy").set("idref", w.org_id(spec.provider))
        etree.SubElement(opportunity, _N + "specifiedBy").set("idref", spec.id)
    agents = etree.SubElement(root, _N + "agentReferences")
    orgs = (credential.issuer, *credential.awarding_bodies, spec.provider)
    for org in dict.fromkeys(o for o in orgs if o is not None):
        w.organisation(agents, org)
    if credential.awarding_bodies:
        processes = etree.SubElement(root, _N + "awardingProcessReferences")
        process = etree.SubElement(processes, _N + "awardingProcess")
        process.set("id", f"{_GENERATED}awardingProcess:1")
        for org in credential.awarding_bodies:
            etree.SubElement(process, _N + "awardingBody").set("idref", w.org_id(org))
    if accreditations:
        # The accredited organisation (required): the provider, or else the issuer.
        accredited = spec.provider or credential.effective_issuer
        assert accredited is not None
        records = etree.SubElement(root, _N + "accreditationReferences")
        for accreditation_id, qa in accreditations:
            assert qa.type is not None
            assert qa.agency is not None
            el = etree.SubElement(records, _N + "accreditation")
            el.set("id", accreditation_id)
            w.code(el, "type", qa.type, vocab.ACCREDITATION_TYPE)
            w.text(el, "title", Text(en=qa.type.label))
            if qa.description is not None:
                w.text(el, "description", qa.description)
            if qa.report is not None:
                etree.SubElement(el, _N + "report").set("uri", qa.report)
            w.organisation(el, accredited)
            w.organisation(el, qa.agency, "accreditingAgent")
    if scheme is not None:
        schemes = etree.SubElement(root, _N + "scoringSchemeReferences")
        scoring = etree.SubElement(schemes, _N + "scoringScheme")
        scoring.set("id", _SCORING_SCHEME_ID)
        w.text(scoring, "title", scheme)


def _assessment_spec(credential: MicroCredential) -> bool:
    """Whether the document needs an assessment specification (assessment, grading scheme)."""
    grade = credential.grade
    return credential.specification.assessment is not None or (
        grade is not None and grade.scheme is not None
    )


def _framework(iri: str) -> str:
    """The framework URL of a related skill: the IRI's parent, or any concept scheme."""
    if re.match(r"^https?://[^/]+/.", iri):
        return iri.rsplit("/", 1)[0]
    return iri if re.match(r"^https?://", iri) else _ANY_SCHEME


def _iri_code(w: _Writer, parent: etree._Element, name: str, iri: str, framework: str) -> None:
    el = etree.SubElement(parent, _N + name)
    el.set("targetFrameworkUrl", framework)
    el.set("uri", iri)
    w.text(el, "targetName", Text(en=iri))
