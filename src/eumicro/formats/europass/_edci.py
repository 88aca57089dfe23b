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

import attrs
from lxml import etree

from eumicro import vocab
from eumicro._errors import ParseError, Problem, ValidationError
from eumicro._model import (
    Assessment,
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
    "supplementaryDoc",
    "hasEducationSubject",
    "hasEducationLevel",
    "targetGroup",
    "learningActivitySpecification",
    "entitlementSpecification",
    "awardingOpportunities",
    "hasAccreditation",
    "qualificationCode",
    "hasPart",
    "specializationOf",
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
        value = (t.text or "").strip()
        if value:
            values.setdefault(t.get("lang", "en"), value)
    return Text(values) if values else None


def _string(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    value = (el.text or "").strip()
    return value or None


class _Reader:
    def __init__(self, root: etree._Element, source: SourceMap) -> None:
        self.root = root
        self.source = source
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.index: dict[str, etree._Element] = {}
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id") and el.getparent() is not None:
                parent = el.getparent()
                assert parent is not None
                if etree.QName(parent).localname.endswith("References"):
                    self.index[el.get("id", "")] = el

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
        target = self.index.get(el.get("idref", ""))
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
            ident = self.build(el, Identifier, value=value, scheme=el.get("schemeID"))
            if isinstance(ident, Identifier):
                out.append(ident)
        return tuple(out)

    def datetime(self, el: etree._Element | None) -> dt.datetime | None:
        value = _string(el)
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
            or el.get("schemeID")
            or el.get("schemeAgencyName"),
        )
        return found if isinstance(found, LegalIdentifier) else None

    # --- parts

    def organisation(self, el: etree._Element) -> Organisation | None:
        country = None
        for location in _els(el, "hasLocation"):
            for address in _els(location, "hasAddress"):
                code = _el(address, "country")
                if code is not None and country is None:
                    country = self.concept(code, (vocab.COUNTRY,))
        eidas = None
        for ident in _els(el, "identifier"):
            if ident.get("schemeID") == "eIDAS":
                eidas = self.legal(ident, country, "eIDAS")
        registration = _el(el, "registration")
        if registration is not None and registration.get("schemeID") == "eumicro:copy":
            registration = None  # written by to_edci_xml: a copy of the VAT/eIDAS identifier
        address_text = None
        for location in _els(el, "hasLocation"):
            for address in _els(location, "hasAddress"):
                full = _text_of(_el(address, "fullAddress"))
                if full is not None and address_text is None:
                    address_text = full.best()
        vat = _els(el, "vatIdentifier")
        email = None
        for contact in _els(el, "contactPoint"):
            box = _el(contact, "mailBox")
            if box is not None and email is None:
                email = box.get("uri", "").removeprefix("mailto:") or None
        homepage = _el(el, "homepage")
        org_id = el.get("id")
        found = self.build(
            el,
            Organisation,
            name=_text_of(_el(el, "prefLabel")),
            id=None if org_id is None or org_id.startswith(_GENERATED) else org_id,
            country=country,
            registration=self.legal(registration, country),
            eidas_identifier=eidas,
            vat_identifier=self.legal(vat[0], country, "VAT") if vat else None,
            identifiers=self.identifiers(el),
            homepage=homepage.get("uri") if homepage is not None else None,
            email=email,
            address=address_text,
        )
        return found if isinstance(found, Organisation) else None

    def learner(self, el: etree._Element) -> Learner | None:
        email = None
        for contact in _els(el, "contactPoint"):
            box = _el(contact, "mailBox")
            if box is not None and email is None:
                email = box.get("uri", "").removeprefix("mailto:") or None
        birth = _string(_el(el, "dateOfBirth"))
        learner_id = el.get("id")

        def name(tag: str) -> str | None:
            text = _text_of(_el(el, tag))
            return text.best() if text is not None else None

        found = self.build(
            el,
            Learner,
            id=None if learner_id is None or learner_id.startswith(_GENERATED) else learner_id,
            full_name=name("fullName"),
            given_name=name("givenNames"),
            family_name=name("familyName"),
            date_of_birth=dt.date.fromisoformat(birth) if birth else None,
            email=email,
            national_id=self.legal(_el(el, "nationalId"), None, None),
            identifiers=self.identifiers(el),
            citizenship=self.concepts(el, "citizenshipCountry", (vocab.COUNTRY,)),
        )
        return found if isinstance(found, Learner) else None

    def outcome(self, el: etree._Element) -> LearningOutcome | None:
        kind = _el(el, "learningOutcomeType")
        reuse = _el(el, "reusabilityLevel")
        outcome_id = el.get("id")
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
            id=None if outcome_id is None or outcome_id.startswith(_GENERATED) else outcome_id,
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
            value = _decimal(_string(point))
            if attribute is None:
                self.note(
                    point,
                    f"{_string(point)} credit points without a credit-point system "
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
        hours = _hours(_string(hours_el))
        if hours_el is not None and hours is None:
            self.note(hours_el, "volume of learning not in whole hours dropped")
        if hours_el is not None and hours is not None:
            values["hours"] = hours
            sources["hours"] = hours_el
        if not values:
            return None
        found = self.build_from(el, Workload, sources, dict(values))
        return found if isinstance(found, Workload) else None

    def spec_notes(
        self, el: etree._Element
    ) -> tuple[Text | None, tuple[QualityAssurance, ...], Text | None]:
        """The ``additionalNote`` of a specification, by subject: further information,
        quality assurance, pathways (integration and stackability)."""
        further: list[etree._Element] = []
        qa: list[QualityAssurance] = []
        pathways: Text | None = None
        for note in _els(el, "additionalNote"):
            text = _text_of(note)
            subjects = _els(note, "subject")
            topics = [(s.get("uri") or "").strip() for s in subjects]
            if text is None:
                continue
            if NOTE_TOPIC_QUALITY_ASSURANCE in topics:
                found = self.build(note, QualityAssurance, description=text)
                if isinstance(found, QualityAssurance):
                    qa.append(found)
                continue
            if NOTE_TOPIC_PATHWAYS in topics:
                if pathways is None:
                    pathways = text
                else:
                    self.note(note, "the model holds one note on pathways; dropped")
                continue
            further.append(note)
        return self.further(el, further), tuple(qa), pathways

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

    def stackability(self, el: etree._Element, pathways: Text | None) -> Stackability | None:
        """``isPartialQualification`` and a note on pathways as the stackability."""
        partial = _string(_el(el, "isPartialQualification"))
        if partial is None and pathways is None:
            return None
        if partial is None:
            self.note(el, "a note on pathways without isPartialQualification: read as stand-alone")
        stackable = partial in ("true", "1")
        found = self.build(
            el,
            Stackability,
            option=StackabilityOption.STACKABLE if stackable else StackabilityOption.STAND_ALONE,
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
        if eqf_concept is not None or nqf:
            kwargs["level"] = self.build(el, Level, eqf=eqf_concept, nqf=nqf)
        modes = self.concepts(el, "mode", (vocab.MODE,))
        setting_el = _el(el, "learningSettingType")
        setting = (
            self.concept(setting_el, (vocab.LEARNING_SETTING,)) if setting_el is not None else None
        )
        if modes or setting is not None:
            kwargs["participation"] = self.build(el, Participation, modes=modes, setting=setting)
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
        further, qa, pathways = self.spec_notes(el)
        kwargs["further_information"] = further
        kwargs["quality_assurance"] = qa
        kwargs["stackability"] = self.stackability(el, pathways)
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
                f"the maximum duration ({_string(duration)}) is not part of the model; dropped",
            )
        self.dropped(el, _SPEC_DROPPED)
        found = self.build(el, Specification, **kwargs)
        return (found if isinstance(found, Specification) else None), scheme, scheme_el

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
            spec, scheme, scheme_el = self.specification(spec_el, None, tuple(assessment_specs))
            if scheme is not None and grade is not None:
                grade = Grade(value=grade.value, scheme=scheme)
            elif scheme is not None and scheme_el is not None:
                self.note(scheme_el, "a grading scheme without a grade; dropped")
            further = self.further(achievement, _els(achievement, "additionalNote"))
            for item in _els(achievement, "description"):
                self.note(
                    item, "the description of an achievement is not part of the model; dropped"
                )
            self.dropped(achievement, ("wasInfluencedBy", "associatedLearningOpportunity"))
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


def _location(el: etree._Element) -> str:
    return problem_at(el, "", "note", None).location


def _generated(el: etree._Element) -> bool:
    """Whether the element has an id that :func:`to_edci_xml` generated."""
    return el.get("id", "").startswith(_GENERATED)


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


_HOURS: Final = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


def _hours(value: str | None) -> Decimal | None:
    """An ``xs:duration`` of days, hours and minutes as hours (None: not expressible)."""
    if value is None:
        return None
    m = _HOURS.fullmatch(value)
    if m is None or value in ("P", "PT"):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in m.groups())
    total = Decimal(days * 24 + hours) + Decimal(minutes) / 60
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

    def text(self, parent: etree._Element, name: str, value: Text | str) -> etree._Element:
        el = etree.SubElement(parent, _N + name)
        pairs = value.items_in_order() if isinstance(value, Text) else ((self.language, value),)
        for lang, content in pairs:
            t = etree.SubElement(el, _N + "text")
            t.set("lang", lang.split("-")[0].lower())
            t.set("content-type", "text/plain")
            t.text = content
        return el

    def note(self, parent: etree._Element, value: Text, topic: str | None = None) -> None:
        """An ``additionalNote``, with the subject ``topic`` (an IRI of its labels)."""
        el = self.text(parent, "additionalNote", value)
        if topic is not None:
            subject = etree.SubElement(el, _N + "subject")
            subject.set("uri", topic)
            subject.text = NOTE_TOPIC_LABELS[topic]

    def code(
        self, parent: etree._Element, name: str, concept: Concept, vocabulary: Vocabulary
    ) -> None:
        el = etree.SubElement(parent, _N + name)
        el.set("targetFrameworkUrl", vocabulary.scheme)
        el.set("uri", concept.iri)
        self.text(el, "targetName", Text(en=concept.label))
        self.text(el, "targetFrameworkName", Text(en=vocabulary.title))

    def identifier(self, parent: etree._Element, name: str, ident: Identifier) -> None:
        el = etree.SubElement(parent, _N + name)
        el.text = ident.value
        if ident.scheme:
            el.set("schemeID", ident.scheme)

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

    def organisation(self, parent: etree._Element, org: Organisation) -> list[Problem]:
        el = etree.SubElement(parent, _N + "organization")
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
            etree.SubElement(contact, _N + "mailBox").set("uri", "mailto:" + org.email)
        problems: list[Problem] = []
        registration = org.registration or org.vat_identifier or org.eidas_identifier
        reg = etree.SubElement(el, _N + "registration")
        if registration is not None:
            reg.text = registration.value
            if org.registration is not None and registration.scheme:
                reg.set("schemeName", registration.scheme)
            if org.registration is None:
                reg.set("schemeID", "eumicro:copy")
            reg.set("spatialID", registration.country.code)
        elif org.id is not None:
            reg.text = org.id
        else:
            problems.append(
                Problem(
                    (),
                    f"{org.name.best()}: the format requires a registration (give a "
                    "registration, VAT or eIDAS identifier, or an id)",
                    "missing",
                )
            )
        if org.vat_identifier is not None:
            self.legal(el, "vatIdentifier", org.vat_identifier)
        self.text(el, "prefLabel", org.name)
        if org.homepage:
            etree.SubElement(el, _N + "homepage").set("uri", org.homepage)
        location = etree.SubElement(el, _N + "hasLocation")
        address = etree.SubElement(location, _N + "hasAddress")
        if org.address:
            self.text(address, "fullAddress", org.address)
        if org.country is not None:
            self.code(address, "country", org.country, vocab.COUNTRY)
        else:
            problems.append(
                Problem(
                    (),
                    f"{org.name.best()}: the format requires the country of an organisation",
                    "missing",
                )
            )
        return problems


def _language(credential: MicroCredential) -> str:
    title = credential.specification.title
    return title.primary_language.split("-")[0].lower() if title is not None else "en"


def _duration_hours(hours: Decimal) -> str | None:
    return f"PT{int(hours)}H" if hours == hours.to_integral_value() else None


def to_edci_xml(credential: MicroCredential) -> bytes:
    """The credential as a legacy Europass credential XML document (UTF-8).

    The document is valid against ``genericschema_1.2.xsd``. Raises
    :class:`~eumicro.ValidationError` when the credential lacks what the format
    requires (date of issuing, learner, title, an awarding body with its country).
    What the format cannot carry is left out: see the module documentation of the
    ``docs/edci.md`` page.
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
    _references(w, root, credential, problems)
    if problems:
        raise ValidationError(problems, _SUBJECT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _subject(w: _Writer, root: etree._Element, credential: MicroCredential) -> None:
    learner = credential.learner
    assert learner is not None
    subject = etree.SubElement(root, _N + "credentialSubject")
    subject.set("id", learner.id or f"{_GENERATED}person:1")
    for ident in learner.identifiers:
        w.identifier(subject, "identifier", ident)
    if learner.email:
        contact = etree.SubElement(subject, _N + "contactPoint")
        etree.SubElement(contact, _N + "mailBox").set("uri", "mailto:" + learner.email)
    if learner.national_id is not None:
        w.legal(subject, "nationalId", learner.national_id)
    given, family = learner.given_name, learner.family_name
    if given is None or family is None:
        # The format requires both: a full name alone is split at its last space.
        full = learner.display_name or ""
        head, _, tail = full.rpartition(" ")
        given = given or head or full
        family = family or tail or full
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


def _references(
    w: _Writer, root: etree._Element, credential: MicroCredential, problems: list[Problem]
) -> None:
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
    for qa in spec.quality_assurance:
        if qa.description is not None:
            w.note(q, qa.description, NOTE_TOPIC_QUALITY_ASSURANCE)
    if spec.stackability is not None and spec.stackability.description is not None:
        w.note(q, spec.stackability.description, NOTE_TOPIC_PATHWAYS)
    if spec.homepage:
        etree.SubElement(q, _N + "homepage").set("uri", spec.homepage)
    for field in spec.fields:
        w.code(q, "hasISCED-FCode", field, vocab.ISCED_F)
    workload = spec.workload
    if workload is not None and workload.hours is not None:
        duration = _duration_hours(workload.hours)
        if duration is not None:
            etree.SubElement(q, _N + "volumeOfLearning").text = duration
    if workload is not None and workload.ects is not None:
        etree.SubElement(q, _N + "hasECTSCreditPoints").text = str(workload.ects)
    if workload is not None and workload.ecvet is not None:
        points = etree.SubElement(q, _N + "hasCreditPoints")
        points.set("schemeID", ECVET_SYSTEM)
        points.text = str(workload.ecvet)
    for language in spec.languages:
        w.code(q, "language", language, vocab.LANGUAGE)
    participation = spec.participation
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
    if spec.stackability is not None:
        etree.SubElement(q, _N + "isPartialQualification").text = (
            "true" if spec.stackability.option is StackabilityOption.STACKABLE else "false"
        )
    level = spec.level
    if level is not None and level.eqf is not None:
        w.code(q, "eqfLevel", level.eqf, vocab.EQF)
    if level is not None:
        for nqf in level.nqf:
            w.code(q, "nqfLevel", nqf, vocab.NQF)
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
                _iri_code(w, el, "relatedSkill", skill, skill.rsplit("/", 1)[0])
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
    agents = etree.SubElement(root, _N + "agentReferences")
    orgs = list(dict.fromkeys(o for o in (credential.issuer, *credential.awarding_bodies) if o))
    for index, org in enumerate(orgs):
        problems.extend(
            p.prefixed(*_org_path(credential, org, index)) for p in w.organisation(agents, org)
        )
    if credential.awarding_bodies:
        processes = etree.SubElement(root, _N + "awardingProcessReferences")
        process = etree.SubElement(processes, _N + "awardingProcess")
        process.set("id", f"{_GENERATED}awardingProcess:1")
        for org in credential.awarding_bodies:
            etree.SubElement(process, _N + "awardingBody").set("idref", w.org_id(org))
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


def _org_path(credential: MicroCredential, org: Organisation, index: int) -> tuple[str | int, ...]:
    if org in credential.awarding_bodies:
        return ("awarding_bodies", credential.awarding_bodies.index(org))
    return ("issuer",)


def _iri_code(w: _Writer, parent: etree._Element, name: str, iri: str, framework: str) -> None:
    el = etree.SubElement(parent, _N + name)
    el.set("targetFrameworkUrl", framework)
    el.set("uri", iri)
    w.text(el, "targetName", Text(en=iri))
