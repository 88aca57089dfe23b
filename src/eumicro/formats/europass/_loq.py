"""LOQ XML: micro-credential offers for the Europass Qualification Dataset Register.

Providers publish learning opportunities and qualifications (LOQ) to the register as ELM v3
XML valid against the official ``loq.xsd`` (version 3.1.0, root ``Courses``, namespace
``http://data.europa.eu/snb/model/ap/loq-constraints/``), which eumicro ships and loads
offline.

* :func:`to_loq_xml` writes :class:`~eumicro.Specification` and
  :class:`~eumicro.LearningOpportunity` objects as one ``Courses`` document that the XSD
  accepts;
* :func:`from_loq_xml` reads one back: the document is parsed as untrusted input,
  validated against the XSD (every problem with its element path, line and column), then
  mapped; vocabulary values are looked up in the bundled lists.

``docs/loq.md`` maps every attribute to its LOQ element.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Final
from urllib.parse import unquote

import attrs
from lxml import etree

from eumicro import vocab
from eumicro._checks import is_iri, non_negative_decimal
from eumicro._errors import ParseError, PathSegment, Problem, ValidationError, format_path
from eumicro._model import (
    _ESCO,
    Assessment,
    CredentialReference,
    Identifier,
    LearningOutcome,
    LegalIdentifier,
    Level,
    Organisation,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._opportunity import LearningOpportunity, Price
from eumicro._text import Text
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats._xmlsafe import (
    DEFAULT_MAX_BYTES,
    SourceMap,
    load_packaged_schema,
    local_name,
    parse_untrusted,
    problem_at,
    validate_xsd,
    xml_chars_problem,
)
from eumicro.formats.europass._common import (
    NOTE_TOPIC_PARTICIPATION,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
)
from eumicro.formats.europass._export import datetime_text, hours_duration, mailto, number_text
from eumicro.formats.europass._loq_merge import merge

__all__ = ["LOQ_NS", "LoqDocument", "from_loq_xml", "loq_schema", "read_loq", "to_loq_xml"]

LOQ_NS: Final = "http://data.europa.eu/snb/model/ap/loq-constraints/"
"""Namespace of the LOQ XML elements."""

SKOS_NS: Final = "http://www.w3.org/2004/02/skos/core#"
DC_NS: Final = "http://purl.org/dc/terms/"
LOQ_VERSION: Final = "3.1.0"

_ECTS: Final = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_ECVET: Final = "http://data.europa.eu/snb/education-credit/60b314e826"

_SUBJECT: Final = "LOQ XML"
_NSMAP: Final = {None: LOQ_NS, "skos": SKOS_NS, "dc": DC_NS}

# Topics (``dc:subject``) of the notes that hold what a LOQ element holds in one language
# only: ``learningOutcomeSummary`` and ``entryRequirement`` take one ``Note``, and a
# ``Note`` one ``noteLiteral``; the other languages go to ``additionalNote`` on these topics.
NOTE_TOPIC_SUMMARY: Final = "urn:eumicro:note-topic:learning-outcome-summary"
NOTE_TOPIC_ENTRY: Final = "urn:eumicro:note-topic:entry-requirement"

_QA_TOKEN: Final = re.compile(r"quality-assurance-([1-9][0-9]{0,5})")

# ----------------------------------------------------------------------------- schema

_PACKAGE: Final = "eumicro._data"
_FOLDER: Final = "loq-3.1"


@functools.cache
def loq_schema() -> etree.XMLSchema:
    """The official LOQ 3.1 XSD, loaded from the package without network access.

    >>> loq_schema().validate(etree.fromstring(to_loq_xml([])))
    True
    """
    return load_packaged_schema(_PACKAGE, _FOLDER, "loq.xsd")


def _q(name: str, ns: str = LOQ_NS) -> str:
    return f"{{{ns}}}{name}"


# ----------------------------------------------------------------------------- export


class _Writer:
    def __init__(self, kinds: Mapping[str, str] | None = None) -> None:
        # The element each specification id had in a document read before
        # (``qualification`` or ``learningAchievementSpecification``), kept on re-export.
        self.kinds: Mapping[str, str] = kinds or {}
        self.problems: list[Problem] = []
        self.opportunities: list[etree._Element] = []
        self.specs: dict[str, tuple[Specification, etree._Element]] = {}
        self.outcomes: dict[str, tuple[LearningOutcome, etree._Element]] = {}
        self.orgs: dict[str, tuple[Organisation, etree._Element]] = {}
        self.locations: dict[str, etree._Element] = {}
        self.assessments: dict[str, etree._Element] = {}
        self.accreditations: dict[str, etree._Element] = {}
        self.references: dict[str, etree._Element] = {}

    def problem(self, path: tuple[PathSegment, ...], message: str) -> None:
        self.problems.append(Problem(path, message, "loq"))

    def sub(
        self,
        parent: etree._Element,
        name: str,
        text: str | None = None,
        path: tuple[PathSegment, ...] = (),
        ns: str = LOQ_NS,
        **attributes: str,
    ) -> etree._Element:
        el = etree.SubElement(parent, _q(name, ns))
        for key, value in attributes.items():
            el.set(key, value)
        if text is not None:
            bad = xml_chars_problem(text)
            if bad is not None:
                self.problem(path, bad)
            else:
                el.text = text
        return el

    def text(
        self, parent: etree._Element, name: str, value: Text, path: tuple[PathSegment, ...]
    ) -> None:
        for language, literal in value.items_in_order():
            self.sub(parent, name, literal, path, language=language)

    def concept(self, parent: etree._Element, name: str, concept: Concept) -> None:
        self.sub(parent, name, uri=concept.iri)

    def identifier(
        self, parent: etree._Element, value: Identifier, path: tuple[PathSegment, ...]
    ) -> None:
        el = self.sub(parent, "identifier")
        self.sub(el, "notation", value.value, path, ns=SKOS_NS)
        if value.scheme is not None:
            self.sub(el, "schemeName", value.scheme, path)
        if value.scheme_iri is not None:
            self.sub(el, "schemeId", value.scheme_iri)

    def homepage(self, parent: etree._Element, url: str) -> None:
        self.sub(self.sub(parent, "homepage"), "contentUrl", url)

    def note(
        self,
        parent: etree._Element,
        name: str,
        language: str,
        literal: str,
        path: tuple[PathSegment, ...],
        subject: str | None = None,
        notation: str | None = None,
    ) -> None:
        el = self.sub(parent, name)
        if subject is not None:
            topic = self.sub(el, "subject", ns=DC_NS, uri=subject)
            if notation is not None:
                self.sub(topic, "notation", notation, ns=SKOS_NS)
        self.sub(el, "noteLiteral", literal, path, language=language)

    def notes(
        self,
        parent: etree._Element,
        value: Text,
        path: tuple[PathSegment, ...],
        subject: str | None = None,
        notation: str | None = None,
    ) -> None:
        """One ``additionalNote`` per language (a LOQ ``Note`` holds one literal)."""
        for language, literal in value.items_in_order():
            self.note(parent, "additionalNote", language, literal, path, subject, notation)

    def legal_identifier(
        self,
        parent: etree._Element,
        name: str,
        value: LegalIdentifier,
        path: tuple[PathSegment, ...],
    ) -> None:
        el = self.sub(parent, name)
        self.sub(el, "notation", value.value, path, ns=SKOS_NS)
        if value.scheme is not None:
            self.sub(el, "schemeName", value.scheme, path)
        self.concept(el, "spatial", value.country)

    def location(
        self,
        owner: str,
        country: Concept,
        org: Organisation | None = None,
        path: tuple[PathSegment, ...] = (),
    ) -> str:
        location_id = _part_id(owner, f"location-{country.code}")
        if location_id not in self.locations:
            el = etree.Element(_q("location"), id=location_id)
            if org is not None and org.region is not None:
                self.concept(el, "spatialCode", org.region)
            address = self.sub(el, "address")
            if org is not None and org.address is not None:
                self.note(
                    address,
                    "fullAddress",
                    org.name.primary_language,
                    org.address,
                    (*path, "address"),
                )
            self.concept(address, "countryCode", country)
            self.locations[location_id] = el
        return location_id

    def organisation(
        self, org: Organisation, path: tuple[PathSegment, ...], generated: str | None = None
    ) -> str | None:
        """The id of the organisation's record; ``generated`` is the id of one without an id."""
        org_id = org.id if org.id is not None else generated
        if org_id is None:
            self.problem((*path, "id"), "LOQ identifies every organisation: give it an id")
            return None
        known = self.orgs.get(org_id)
        if known is not None:
            if known[0] != org:
                self.problem(path, f"another, different organisation has the id {org_id!r}")
            return org_id
        if org.country is None:
            self.problem(
                (*path, "country"),
                "LOQ locates every organisation: give the country where it is established",
            )
            return None
        if org.region is not None and org.region.scheme == vocab.ATU.scheme:
            self.problem(
                (*path, "region"),
                "LOQ gives a location's region as a NUTS code (spatialCode): "
                f"{org.region.iri!r} is an ATU region",
            )
            return None
        el = etree.Element(_q("organisation"), id=org_id)
        self.text(el, "legalName", org.name, (*path, "name"))
        for i, identifier in enumerate(org.identifiers):
            self.identifier(el, identifier, (*path, "identifiers", i))
        for name, legal, attribute in (
            ("eidasLegalIdentifier", org.eidas_identifier, "eidas_identifier"),
            ("registration", org.registration, "registration"),
            ("vatIdentifier", org.vat_identifier, "vat_identifier"),
        ):
            if legal is not None:
                self.legal_identifier(el, name, legal, (*path, attribute))
        if org.homepage is not None:
            self.homepage(el, org.homepage)
        self.sub(el, "location", idref=self.location(org_id, org.country, org, path))
        if org.email is not None:
            self.sub(self.sub(el, "contactPoint"), "emailAddress", mailto(org.email))
        self.orgs[org_id] = (org, el)
        return org_id

    def accredited(self, org_id: str, accreditation_id: str) -> None:
        """An ``accreditation`` reference on an organisation (before its ``location``)."""
        el = self.orgs[org_id][1]
        location = el.find(_q("location"))
        assert location is not None
        location.addprevious(etree.Element(_q("accreditation"), idref=accreditation_id))

    def outcome(
        self, lo: LearningOutcome, spec_id: str, n: int, path: tuple[PathSegment, ...]
    ) -> str:
        lo_id = lo.id if lo.id is not None else _outcome_id(spec_id, n)
        known = self.outcomes.get(lo_id)
        if known is not None:
            if known[0] != lo:
                self.problem(path, f"another, different learning outcome has the id {lo_id!r}")
            return lo_id
        el = etree.Element(_q("learningOutcome"), id=lo_id)
        self.text(el, "title", lo.title, (*path, "title"))
        if lo.skill_type is not None:
            self.concept(el, "type", lo.skill_type)
        if lo.reusability_level is not None:
            self.concept(el, "reusabilityLevel", lo.reusability_level)
        for skill in lo.related_skills:
            self.sub(el, "relatedSkill", uri=skill)
        for skill in lo.esco_skills:
            self.sub(el, "relatedESCOSkill", uri=skill)
        self.outcomes[lo_id] = (lo, el)
        return lo_id

    def assessment(
        self, assessment: Assessment, spec_id: str, path: tuple[PathSegment, ...]
    ) -> str:
        las_id = _assessment_id(spec_id)
        el = etree.Element(_q("learningAssessmentSpecification"), id=las_id)
        title = "; ".join(t.label for t in assessment.types) or "Assessment"
        self.sub(el, "title", title, path, language="en")
        if assessment.description is not None:
            self.text(el, "description", assessment.description, (*path, "description"))
        for kind in assessment.types:
            self.concept(el, "type", kind)
        for mode in assessment.modes:
            self.concept(el, "mode", mode)
        self.assessments[las_id] = el
        return las_id

    def quality_assurance(
        self,
        spec: Specification,
        provider_id: str | None,
        qualification: bool,
        notes: etree._Element,
        documents: list[etree._Element],
        accreditations: list[str],
        path: tuple[PathSegment, ...],
    ) -> None:
        for i, qa in enumerate(spec.quality_assurance):
            where = (*path, "quality_assurance", i)
            token = f"quality-assurance-{i + 1}"
            if qa.agency is None:
                subject = qa.type.iri if qa.type is not None else NOTE_TOPIC_QUALITY_ASSURANCE
                if qa.description is not None:
                    self.notes(notes, qa.description, (*where, "description"), subject, token)
                else:
                    assert qa.type is not None
                    self.note(notes, "additionalNote", "en", qa.type.label, where, subject, token)
                if qa.report is not None:
                    document = etree.Element(_q("supplementaryDocument"))
                    self.sub(document, "title", token, language="en")
                    self.sub(document, "contentUrl", qa.report)
                    documents.append(document)
                continue
            if qa.type is None:
                self.problem(
                    (*where, "agency"),
                    "LOQ records a quality-assurance agency only on an accreditation, which "
                    "needs the quality-assurance type (accreditation/type, 1..1): give the type",
                )
                continue
            if provider_id is None:
                self.problem(
                    (*where, "agency"),
                    "LOQ records a quality-assurance agency on an accreditation of the "
                    "provider (accreditation/organisation, 1..*): give the specification's "
                    "provider",
                )
                continue
            accreditation_id = _accreditation_id(spec.id, i + 1)
            agent_id = self.organisation(
                qa.agency, (*where, "agency"), _agency_id(accreditation_id)
            )
            if agent_id is None:
                continue
            el = etree.Element(_q("accreditation"), id=accreditation_id)
            self.concept(el, "type", qa.type)
            self.sub(el, "title", qa.type.label, language="en")
            if qa.description is not None:
                self.text(el, "description", qa.description, (*where, "description"))
            if qa.report is not None:
                self.sub(self.sub(el, "report"), "contentUrl", qa.report)
            self.sub(el, "organisation", idref=provider_id)
            self.sub(el, "accreditingAgent", idref=agent_id)
            self.accreditations[accreditation_id] = el
            if qualification:
                accreditations.append(accreditation_id)
            else:
                self.accredited(provider_id, accreditation_id)

    def stackability(
        self,
        stackability: Stackability,
        qualification: bool,
        notes: etree._Element,
        path: tuple[PathSegment, ...],
    ) -> list[str]:
        where = (*path, "stackability")
        for i, ref in enumerate(stackability.towards):
            if ref.title is not None:
                self.notes(notes, ref.title, (*where, "towards", i, "title"), ref.id)
            if ref.id not in self.references:
                el = etree.Element(_q("qualificationReference"), id=ref.id)
                self.sub(self.sub(el, "identifier"), "notation", ref.id, ns=SKOS_NS)
                self.references[ref.id] = el
        # Where neither isPartialQualification nor isPartOf says it, the option is the
        # notation of the pathways note's subject (a note without text when there is no
        # description: LOQ texts are never empty).
        option = None if qualification or stackability.towards else stackability.option.value
        if stackability.description is not None:
            self.notes(
                notes,
                stackability.description,
                (*where, "description"),
                NOTE_TOPIC_PATHWAYS,
                option,
            )
        elif option is not None:
            self.note(notes, "additionalNote", "en", "", where, NOTE_TOPIC_PATHWAYS, option)
        return [ref.id for ref in stackability.towards]

    def specification(self, spec: Specification, path: tuple[PathSegment, ...]) -> str:
        known = self.specs.get(spec.id)
        if known is not None:
            if known[0] != spec:
                self.problem(path, f"another, different specification has the id {spec.id!r}")
            return spec.id
        level = spec.level
        qualification = level is not None and level.eqf is not None and bool(level.nqf)
        qualification = (
            qualification and self.kinds.get(spec.id, "qualification") == "qualification"
        )
        name = "qualification" if qualification else "learningAchievementSpecification"
        el = etree.Element(_q(name), id=spec.id)
        for i, identifier in enumerate(spec.identifiers):
            self.identifier(el, identifier, (*path, "identifiers", i))
        if spec.title is None:
            self.problem((*path, "title"), "LOQ requires a title")
        else:
            self.text(el, "title", spec.title, (*path, "title"))
        if spec.description is not None:
            self.text(el, "description", spec.description, (*path, "description"))
        provider_id: str | None = None
        if spec.provider is not None:
            provider_id = self.organisation(spec.provider, (*path, "provider"))
        # additionalNote: texts in further languages, schedule, participation, quality
        # assurance, stackability, the titles of what it stacks towards, further information.
        notes = etree.Element(_q("notes"))
        summary = _first_and_rest(spec.learning_outcome_summary)
        prerequisites = _first_and_rest(spec.prerequisites)
        if summary[1] is not None:
            self.notes(notes, summary[1], (*path, "learning_outcome_summary"), NOTE_TOPIC_SUMMARY)
        if prerequisites[1] is not None:
            self.notes(notes, prerequisites[1], (*path, "prerequisites"), NOTE_TOPIC_ENTRY)
        participation = spec.participation
        if participation is not None:
            if participation.schedule is not None:
                schedule = participation.schedule
                self.note(notes, "additionalNote", "en", schedule.label, path, schedule.iri)
            if participation.description is not None:
                self.notes(
                    notes,
                    participation.description,
                    (*path, "participation", "description"),
                    NOTE_TOPIC_PARTICIPATION,
                )
        documents: list[etree._Element] = []
        accreditations: list[str] = []
        self.quality_assurance(
            spec, provider_id, qualification, notes, documents, accreditations, path
        )
        towards: list[str] = []
        if spec.stackability is not None:
            towards = self.stackability(spec.stackability, qualification, notes, path)
        if spec.further_information is not None:
            self.notes(notes, spec.further_information, (*path, "further_information"))
        el.extend(notes)
        if spec.homepage is not None:
            self.homepage(el, spec.homepage)
        el.extend(documents)
        if spec.opportunity_type is not None:
            self.concept(el, "type", spec.opportunity_type)
        if summary[0] is not None:
            language, literal = summary[0]
            self.note(
                el, "learningOutcomeSummary", language, literal, (*path, "learning_outcome_summary")
            )
        if not spec.fields:
            self.problem((*path, "fields"), "LOQ requires at least one ISCED-F field")
        for field in spec.fields:
            self.concept(el, "ISCEDFCode", field)
        workload = spec.workload
        if workload is not None:
            if workload.hours is not None:
                self.sub(el, "volumeOfLearning", hours_duration(workload.hours))
            for framework, points in ((_ECTS, workload.ects), (_ECVET, workload.ecvet)):
                if points is not None:
                    cp = self.sub(el, "creditPoint")
                    self.sub(cp, "framework", uri=framework)
                    self.sub(cp, "point", number_text(points))
        if level is not None:
            levels = [level.qf_ehea] if qualification else [level.eqf, level.qf_ehea, *level.nqf]
            for concept in levels:
                if concept is not None:
                    self.concept(el, "educationLevel", concept)
        if not spec.languages:
            self.problem((*path, "languages"), "LOQ requires at least one language")
        for language in spec.languages:
            self.concept(el, "language", language)
        if participation is not None:
            for mode in participation.modes:
                self.concept(el, "mode", mode)
            if participation.setting is not None:
                self.concept(el, "learningSetting", participation.setting)
        if prerequisites[0] is not None:
            language, literal = prerequisites[0]
            self.note(el, "entryRequirement", language, literal, (*path, "prerequisites"))
        if not spec.learning_outcomes:
            self.problem((*path, "learning_outcomes"), "LOQ requires at least one learning outcome")
        for n, lo in enumerate(spec.learning_outcomes, 1):
            lo_id = self.outcome(lo, spec.id, n, (*path, "learning_outcomes", n - 1))
            self.sub(el, "learningOutcome", idref=lo_id)
        if spec.assessment is not None:
            las_id = self.assessment(spec.assessment, spec.id, (*path, "assessment"))
            self.sub(el, "provenBy", idref=las_id)
        for ref_id in towards:
            self.sub(el, "isPartOf", idref=ref_id)
        if provider_id is not None:
            awarding = self.sub(el, "awardingOpportunity")
            self.sub(awarding, "awardingBody", idref=provider_id)
            self.sub(awarding, "learningAchievementSpecification", idref=spec.id)
        if qualification:
            assert level is not None
            assert level.eqf is not None
            stackability = spec.stackability
            if stackability is not None:
                partial = stackability.option is StackabilityOption.STACKABLE
                self.sub(el, "isPartialQualification", "true" if partial else "false")
            self.concept(el, "EQFLevel", level.eqf)
            for nqf in level.nqf:
                self.concept(el, "NQFLevel", nqf)
            for accreditation_id in accreditations:
                self.sub(el, "accreditation", idref=accreditation_id)
        self.specs[spec.id] = (spec, el)
        return spec.id

    def opportunity(self, opp: LearningOpportunity, path: tuple[PathSegment, ...]) -> None:
        el = etree.Element(_q("learningOpportunity"), id=opp.id)
        title = opp.effective_title
        if title is None:
            self.problem(
                (*path, "title"), "LOQ requires a title (of the offer or its specification)"
            )
        else:
            self.text(el, "title", title, (*path, "title"))
        if opp.description is not None:
            self.text(el, "description", opp.description, (*path, "description"))
        homepage = opp.effective_homepage
        if homepage is None:
            self.problem(
                (*path, "homepage"), "LOQ requires a homepage (of the offer or its specification)"
            )
        else:
            self.homepage(el, homepage)
        if opp.start is not None or opp.end is not None:
            temporal = self.sub(el, "temporal")
            if opp.start is not None:
                self.sub(temporal, "startDate", datetime_text(opp.start))
            if opp.end is not None:
                self.sub(temporal, "endDate", datetime_text(opp.end))
        if opp.duration is not None:
            self.sub(el, "duration", opp.duration)
        for mode in opp.modes:
            self.concept(el, "mode", mode)
        if opp.schedule is not None:
            self.concept(el, "learningSchedule", opp.schedule)
        for deadline in opp.application_deadlines:
            self.sub(el, "applicationDeadline", datetime_text(deadline))
        for i, price in enumerate(opp.prices):
            detail = self.sub(el, "priceDetail")
            amount = self.sub(detail, "amount")
            self.concept(amount, "unit", price.currency)
            self.sub(amount, "value", number_text(price.amount))
            if price.label is not None:
                for tag, literal in price.label.items_in_order():
                    self.sub(
                        detail, "prefLabel", literal, (*path, "prices", i), SKOS_NS, language=tag
                    )
        providers = opp.effective_providers
        if not providers:
            self.problem(
                (*path, "providers"),
                "LOQ requires a provider (of the offer or its specification)",
            )
        for i, provider in enumerate(providers):
            where = path + (("providers", i) if opp.providers else ("specification", "provider"))
            org_id = self.organisation(provider, where)
            if org_id is not None:
                self.sub(el, "providedBy", idref=org_id)
        for country in opp.countries:
            self.sub(el, "location", idref=self.location(opp.id, country))
        spec_id = self.specification(opp.specification, (*path, "specification"))
        self.sub(el, "learningAchievementSpecification", idref=spec_id)
        language = opp.effective_language
        if language is None:
            self.problem(
                (*path, "language"),
                "LOQ requires a language (of the offer or its specification)",
            )
        else:
            self.concept(el, "defaultLanguage", language)
        self.opportunities.append(el)

    def document(self) -> etree._Element:
        root = etree.Element(_q("Courses"), nsmap=_NSMAP)
        root.set("xsdVersion", LOQ_VERSION)
        sections: tuple[tuple[str, Iterable[etree._Element]], ...] = (
            ("learningOpportunityReferences", self.opportunities),
            (
                "learningAchievementSpecificationReferences",
                [
                    *(e for _, e in self.specs.values()),
                    *(e for i, e in self.references.items() if i not in self.specs),
                ],
            ),
            ("learningOutcomeReferences", (e for _, e in self.outcomes.values())),
            ("learningAssessmentSpecificationReferences", self.assessments.values()),
            ("agentReferences", (e for _, e in self.orgs.values())),
            ("accreditationReferences", self.accreditations.values()),
            ("locationReferences", self.locations.values()),
        )
        for name, elements in sections:
            items = list(elements)
            if items:
                section = self.sub(root, name)
                section.extend(items)
        return root


def _part_id(owner: str, name: str) -> str:
    """The id of a record that belongs to ``owner``: ``<owner>#<name>`` (``-`` after a fragment)."""
    return f"{owner}{'-' if '#' in owner else '#'}{name}"


def _outcome_id(spec_id: str, n: int) -> str:
    return _part_id(spec_id, f"learning-outcome-{n}")


def _accreditation_id(spec_id: str, n: int) -> str:
    return _part_id(spec_id, f"quality-assurance-{n}")


def _agency_id(accreditation_id: str) -> str:
    """The id of an accrediting agent that has none in the model (read back as None)."""
    return _part_id(accreditation_id, "agency")


def _assessment_id(spec_id: str) -> str:
    return _part_id(spec_id, "assessment")


def _first_and_rest(value: Text | None) -> tuple[tuple[str, str] | None, Text | None]:
    """A text's first language (for a one-``Note`` element) and the others, if any."""
    if value is None:
        return None, None
    pairs = list(value.items_in_order())
    return pairs[0], Text(pairs[1:]) if len(pairs) > 1 else None


def _render(
    items: Iterable[Specification | LearningOpportunity], kinds: Mapping[str, str] | None
) -> _Writer:
    writer = _Writer(kinds)
    for i, item in enumerate(items):
        if isinstance(item, LearningOpportunity):
            writer.opportunity(item, (i,))
        elif isinstance(item, Specification):
            writer.specification(item, (i,))
        else:
            writer.problem(
                (i,),
                f"expected a Specification or a LearningOpportunity, got {type(item).__name__}",
            )
    return writer


def to_loq_xml(
    items: Iterable[Specification | LearningOpportunity], *, base: LoqDocument | None = None
) -> bytes:
    """Specifications and learning opportunities as one LOQ ``Courses`` document (UTF-8).

    A specification is written as a ``qualification`` when it has an EQF level and a
    national (NQF) level, else as a ``learningAchievementSpecification``; a learning
    opportunity is written with the specification it leads to. Organisations, learning
    outcomes and locations are written once each, and referred to by id.

    With ``base`` (a document read by :func:`read_loq`), the items are written *into*
    that document: what the items say replaces what the document said about it, and
    everything eumicro does not model (accreditations, grants, contact points, learning
    activities, values it could not read …) is kept. Exporting a document's own items
    unchanged gives back the same data (see ``docs/loq.md`` for the rules).

    Raises :class:`~eumicro.ValidationError` listing everything LOQ requires that an
    item lacks (an ISCED-F field, a language, a learning outcome, a homepage, an
    organisation's id or country …), with the item's index and the attribute's path.
    """
    items = list(items)
    writer = _render(items, base._kinds if base is not None else None)
    if writer.problems:
        raise ValidationError(writer.problems, "LOQ export")
    root = writer.document()
    if base is not None:
        root = merge(base._root, base._baseline(), root, (item.id for item in items))
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # A last check, for what the XSD requires across the document (an identifier
    # notation used twice, say): what is returned is valid against the official XSD.
    parsed, source = parse_untrusted(document, subject="LOQ export")
    problems = validate_xsd(parsed, loq_schema(), source=source, types=_TYPES, namespace=LOQ_NS)
    if problems:
        raise ValidationError(problems, "LOQ export")
    return document


# ----------------------------------------------------------------------------- import

_TYPES: Final = {
    "xs:dateTime": "a date and time such as 2026-09-01T09:00:00Z",
    "xs:decimal": "a decimal number",
    "xs:duration": "an xsd:duration such as P4M or PT40H",
    "xs:anyURI": "an IRI",
    # Controlled vocabularies: the XSD lists every allowed IRI; name the list instead.
    "<defaultLanguage>@uri": "a language of the EU language list",
    "<language>@uri": "a language of the EU language list",
    "<countryCode>@uri": "a country of the EU country list",
    "<unit>@uri": "a currency of the EU currency list",
    "<mode>@uri": "a mode of learning and assessment of the Europass list",
    "<learningSchedule>@uri": "a learning schedule type of the Europass list",
    "<learningSetting>@uri": "a learning setting type of the Europass list",
    "<ISCEDFCode>@uri": "an ISCED-F 2013 field",
    "<EQFLevel>@uri": "an EQF level",
    "<NQFLevel>@uri": "a level of a national qualifications framework",
    "<framework>@uri": "a credit system of the Europass list (ECTS, ECVET)",
    "<reusabilityLevel>@uri": "a skill reuse level of the ESCO list",
    "@uri": "a value of the controlled vocabulary that the XSD gives for this element",
}

_TIME_ONLY: Final = re.compile(r"^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


class _Reader:
    def __init__(self, root: etree._Element, source: SourceMap) -> None:
        self.source = source
        self.errors: list[Problem] = []
        self.skipped: list[Problem] = []
        self.by_id: dict[str, etree._Element] = {}
        for el in root.iter(_q("*")):
            ident = el.get("id")
            if ident is not None and el.getparent() is not None:
                self.by_id.setdefault(ident, el)
        self.specs: dict[str, Specification | None] = {}
        self.orgs: dict[str, Organisation | None] = {}

    # helpers

    def skip(self, el: etree._Element, message: str, attribute: str | None = None) -> None:
        self.skipped.append(problem_at(el, message, "loq", self.source, attribute=attribute))

    def error(self, el: etree._Element, message: str) -> None:
        self.errors.append(problem_at(el, message, "loq", self.source))

    def build(self, el: etree._Element, factory: Callable[[], Any]) -> Any:
        try:
            return factory()
        except ValidationError as exc:
            for p in exc.problems:
                where = format_path(p.path, exc.subject or "")
                self.error(el, f"{where}: {p.message}")
            return None

    def children(self, el: etree._Element, name: str, ns: str = LOQ_NS) -> list[etree._Element]:
        return list(el.iterchildren(_q(name, ns)))

    def first(self, el: etree._Element, name: str, ns: str = LOQ_NS) -> etree._Element | None:
        return next(el.iterchildren(_q(name, ns)), None)

    def text(self, el: etree._Element, name: str, ns: str = LOQ_NS) -> Text | None:
        pairs = [(c.get("language") or "", c.text or "") for c in self.children(el, name, ns)]
        if not pairs:
            return None
        result: Text | None = self.build(el, lambda: Text(pairs))
        return result

    def concept(self, el: etree._Element, vocabularies: tuple[Vocabulary, ...]) -> Concept | None:
        uri = el.get("uri") or ""
        for vocabulary in vocabularies:
            found = vocabulary.find_iri(uri)
            if found is not None:
                return found
        names = " or ".join(v.title for v in vocabularies)
        self.skip(el, f"{uri!r} is not in the bundled {names} list", "uri")
        return None

    def concepts(
        self, el: etree._Element, name: str, vocabulary: Vocabulary
    ) -> tuple[Concept, ...]:
        out: dict[Concept, None] = {}
        for child in self.children(el, name):
            found = self.concept(child, (vocabulary,))
            if found is not None:
                out.setdefault(found)
        return tuple(out)

    def datetime(self, el: etree._Element) -> dt.datetime | None:
        text = (el.text or "").strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            self.skip(el, f"{text!r} is a date and time eumicro cannot represent")
            return None
        if value.tzinfo is None:  # LOQ allows local times; they are read as UTC
            value = value.replace(tzinfo=dt.UTC)
        return value

    def homepage(self, el: etree._Element) -> str | None:
        for page in self.children(el, "homepage"):
            url = self.first(page, "contentUrl")
            if url is not None and url.text:
                return url.text.strip()
        return None

    def countries(self, refs: Iterable[etree._Element]) -> tuple[Concept, ...]:
        out: dict[Concept, None] = {}
        for ref in refs:
            location = self.by_id.get(ref.get("idref") or "")
            if location is None:
                continue
            for address in self.children(location, "address"):
                code = self.first(address, "countryCode")
                if code is not None:
                    found = self.concept(code, (vocab.COUNTRY,))
                    if found is not None:
                        out.setdefault(found)
        return tuple(out)

    # notes

    def literal_text(self, el: etree._Element, notes: Iterable[etree._Element]) -> Text | None:
        """The literals of notes (one language each) as one text; a repeated language is skipped."""
        pairs: dict[str, str] = {}
        for note in notes:
            literal = self.first(note, "noteLiteral")
            if literal is None:
                continue
            language = literal.get("language") or ""
            if language in pairs:
                self.skip(literal, f"a second note in {language!r} on the same topic")
            else:
                pairs[language] = literal.text or ""
        if not pairs:
            return None
        result: Text | None = self.build(el, lambda: Text(list(pairs.items())))
        return result

    def note_subject(self, note: etree._Element) -> tuple[str | None, str | None]:
        """The subject IRI of a note and its notation."""
        subject = self.first(note, "subject", DC_NS)
        if subject is None:
            return None, None
        notation = self.first(subject, "notation", SKOS_NS)
        return subject.get("uri") or "", (
            notation.text or ""
        ).strip() if notation is not None else None

    def legal_identifier(self, el: etree._Element | None) -> LegalIdentifier | None:
        if el is None:
            return None
        notation = self.first(el, "notation", SKOS_NS)
        scheme = self.first(el, "schemeName")
        spatial = self.first(el, "spatial")
        country = self.concept(spatial, (vocab.COUNTRY,)) if spatial is not None else None
        if country is None:
            return None
        result: LegalIdentifier | None = self.build(
            el,
            lambda: LegalIdentifier(
                value=notation.text if notation is not None and notation.text else "",
                country=country,
                scheme=scheme.text if scheme is not None else None,
            ),
        )
        return result

    def assessment(self, el: etree._Element) -> Assessment | None:
        las_id = el.get("idref") or ""
        record = self.by_id.get(las_id)
        if record is None or local_name(record) != "learningAssessmentSpecification":
            self.skip(el, f"{las_id!r} is not a learning assessment specification", "idref")
            return None
        types = self.concepts(record, "type", vocab.ASSESSMENT_TYPE)
        modes = self.concepts(record, "mode", vocab.MODE)
        description = self.text(record, "description")
        if not types and description is None:
            return None
        result: Assessment | None = self.build(
            record, lambda: Assessment(types=types, modes=modes, description=description)
        )
        return result

    def accreditation(self, el: etree._Element) -> QualityAssurance | None:
        kind_el = self.first(el, "type")
        kind = self.concept(kind_el, (vocab.ACCREDITATION_TYPE,)) if kind_el is not None else None
        description = self.text(el, "description")
        report_el = self.first(el, "report")
        report = None
        if report_el is not None:
            url = self.first(report_el, "contentUrl")
            report = (url.text or "").strip() if url is not None else None
        agent_ref = self.first(el, "accreditingAgent")
        agency = self.organisation(agent_ref) if agent_ref is not None else None
        if agency is not None and agency.id == _agency_id(el.get("id") or ""):
            agency = attrs.evolve(agency, id=None)
        if kind is None:
            return None
        result: QualityAssurance | None = self.build(
            el,
            lambda: QualityAssurance(
                type=kind, description=description, agency=agency, report=report or None
            ),
        )
        return result

    def annotations(
        self, el: etree._Element, spec_id: str, qualification: bool, provider_id: str | None
    ) -> dict[str, Any]:
        """What a specification's notes, documents and references hold (see the writer)."""
        out: dict[str, Any] = {}
        towards = [ref.get("idref") or "" for ref in self.children(el, "isPartOf")]
        groups: dict[str, list[etree._Element]] = {}
        qa_notes: list[tuple[int | None, str, list[etree._Element]]] = []
        option: str | None = None
        for note in self.children(el, "additionalNote"):
            subject, notation = self.note_subject(note)
            literal = self.first(note, "noteLiteral")
            language = literal.get("language") if literal is not None else None
            qa_match = _QA_TOKEN.fullmatch(notation or "")
            if subject is None:
                groups.setdefault("further", []).append(note)
            elif subject in towards:
                groups.setdefault(f"towards {subject}", []).append(note)
            elif subject in (NOTE_TOPIC_SUMMARY, NOTE_TOPIC_ENTRY, NOTE_TOPIC_PARTICIPATION):
                groups.setdefault(subject, []).append(note)
            elif subject == NOTE_TOPIC_PATHWAYS:
                if notation:
                    option = notation
                if literal is not None and literal.text:
                    groups.setdefault(subject, []).append(note)
            elif vocab.LEARNING_SCHEDULE.find_iri(subject) is not None:
                out["schedule"] = vocab.LEARNING_SCHEDULE.find_iri(subject)
            elif (
                qa_match is not None
                and subject != NOTE_TOPIC_QUALITY_ASSURANCE
                and (vocab.ACCREDITATION_TYPE.find_iri(subject) is None)
            ):
                where = self.first(note, "subject", DC_NS)
                assert where is not None
                self.skip(
                    where,
                    f"{subject!r} is not in the bundled {vocab.ACCREDITATION_TYPE.title} list",
                    "uri",
                )
            elif subject == NOTE_TOPIC_QUALITY_ASSURANCE or (
                vocab.ACCREDITATION_TYPE.find_iri(subject) is not None
            ):
                index = int(qa_match[1]) - 1 if qa_match else None
                last = qa_notes[-1] if qa_notes else None
                same = (
                    last is not None
                    and last[1] == subject
                    and (last[0] == index if index is not None else last[0] is None)
                    and all(
                        self.first(n, "noteLiteral") is None
                        or self.first(n, "noteLiteral").get("language") != language  # type: ignore[union-attr]
                        for n in last[2]
                    )
                )
                if same and last is not None:
                    last[2].append(note)
                else:
                    qa_notes.append((index, subject, [note]))
        # summary and prerequisites: the element's note, then the translations
        for key, name, topic in (
            ("learning_outcome_summary", "learningOutcomeSummary", NOTE_TOPIC_SUMMARY),
            ("prerequisites", "entryRequirement", NOTE_TOPIC_ENTRY),
        ):
            found = self.children(el, name)
            if found or topic in groups:
                out[key] = self.literal_text(el, [*found, *groups.get(topic, [])])
        if "further" in groups:
            out["further_information"] = self.literal_text(el, groups["further"])
        if NOTE_TOPIC_PARTICIPATION in groups:
            out["participation_description"] = self.literal_text(
                el, groups[NOTE_TOPIC_PARTICIPATION]
            )
        # quality assurance: notes and their reports, and accreditations
        reports: dict[int, str] = {}
        for document in self.children(el, "supplementaryDocument"):
            title = self.first(document, "title")
            url = self.first(document, "contentUrl")
            m = _QA_TOKEN.fullmatch((title.text or "").strip() if title is not None else "")
            if m is not None and url is not None and url.text:
                reports[int(m[1]) - 1] = url.text.strip()
        indexed: dict[int, QualityAssurance] = {}
        others: list[QualityAssurance] = []
        for index, subject, notes in qa_notes:
            kind = vocab.ACCREDITATION_TYPE.find_iri(subject)
            description = self.literal_text(el, notes)
            if kind is not None and description == Text(en=kind.label):
                description = None
            report = reports.pop(index, None) if index is not None else None
            qa = self.build(
                notes[0],
                functools.partial(
                    QualityAssurance, type=kind, description=description, report=report
                ),
            )
            if qa is None:
                continue
            if index is not None and index not in indexed:
                indexed[index] = qa
            else:
                others.append(qa)
        if qualification:
            refs = self.children(el, "accreditation")
        else:
            provider = self.by_id.get(provider_id or "")
            refs = [
                ref
                for ref in (
                    self.children(provider, "accreditation") if provider is not None else []
                )
                if (ref.get("idref") or "").startswith(_part_id(spec_id, "quality-assurance-"))
            ]
        for ref in refs:
            acc_id = ref.get("idref") or ""
            record = self.by_id.get(acc_id)
            if record is None or local_name(record) != "accreditation":
                self.skip(ref, f"{acc_id!r} is not an accreditation of this document", "idref")
                continue
            qa = self.accreditation(record)
            if qa is None:
                continue
            index = next(
                (
                    n
                    for n in range(len(refs) + len(qa_notes))
                    if acc_id == _accreditation_id(spec_id, n + 1)
                ),
                None,
            )
            if index is not None and index not in indexed:
                indexed[index] = qa
            else:
                others.append(qa)
        qas = [qa for _, qa in sorted(indexed.items())] + others
        if qas:
            out["quality_assurance"] = qas
        # stackability
        refs_out = [
            CredentialReference(
                id=ref_id,
                title=self.literal_text(el, groups[f"towards {ref_id}"])
                if f"towards {ref_id}" in groups
                else None,
            )
            for ref_id in dict.fromkeys(towards)
        ]
        partial = self.first(el, "isPartialQualification")
        chosen: StackabilityOption | None = None
        if partial is not None:
            stackable = (partial.text or "").strip() in ("true", "1")
            chosen = StackabilityOption.STACKABLE if stackable else StackabilityOption.STAND_ALONE
        elif option in (StackabilityOption.STACKABLE.value, StackabilityOption.STAND_ALONE.value):
            chosen = StackabilityOption(option)
        elif refs_out:
            chosen = StackabilityOption.STACKABLE
        description = (
            self.literal_text(el, groups[NOTE_TOPIC_PATHWAYS])
            if NOTE_TOPIC_PATHWAYS in groups
            else None
        )
        if chosen is not None:
            if chosen is StackabilityOption.STAND_ALONE and refs_out:
                for ref in self.children(el, "isPartOf"):
                    self.skip(ref, "a stand-alone qualification does not stack", "idref")
                refs_out = []
            out["stackability"] = self.build(
                el,
                lambda: Stackability(option=chosen, towards=refs_out, description=description),
            )
        return out

    # objects

    def organisation(self, ref: etree._Element) -> Organisation | None:
        org_id = ref.get("idref") or ""
        if org_id in self.orgs:
            return self.orgs[org_id]
        el = self.by_id.get(org_id)
        org: Organisation | None = None
        if el is None or local_name(el) != "organisation":
            self.skip(ref, f"{org_id!r} is not an organisation of this document", "idref")
        else:
            name = self.text(el, "legalName")
            countries = self.countries(self.children(el, "location"))
            region: Concept | None = None
            address: str | None = None
            location_ref = self.first(el, "location")
            location = (
                self.by_id.get(location_ref.get("idref") or "")
                if location_ref is not None
                else None
            )
            if location is not None:
                code = self.first(location, "spatialCode")
                if code is not None:
                    region = self.concept(code, (vocab.NUTS, vocab.ATU))
                for place in self.children(location, "address"):
                    full = self.first(place, "fullAddress")
                    literal = self.first(full, "noteLiteral") if full is not None else None
                    if literal is not None and address is None:
                        address = literal.text or ""
            identifiers = [self.identifier(i) for i in self.children(el, "identifier")]
            eidas = self.legal_identifier(self.first(el, "eidasLegalIdentifier"))
            registration = self.legal_identifier(self.first(el, "registration"))
            vat = self.legal_identifier(self.first(el, "vatIdentifier"))
            email: str | None = None
            for point in self.children(el, "contactPoint"):
                for box in self.children(point, "emailAddress"):
                    iri = (box.text or "").strip()
                    if not iri.lower().startswith("mailto:"):
                        self.skip(box, f"{iri!r} is not a mailto: IRI")
                    elif email is None:
                        email = unquote(iri[7:])
            homepage = self.homepage(el)
            if name is not None:
                org = self.build(
                    el,
                    lambda: Organisation(
                        id=org_id,
                        name=name,
                        country=countries[0] if countries else None,
                        region=region,
                        address=address,
                        registration=registration,
                        eidas_identifier=eidas,
                        vat_identifier=vat,
                        identifiers=[i for i in identifiers if i is not None],
                        homepage=homepage,
                        email=email,
                    ),
                )
        self.orgs[org_id] = org
        return org

    def identifier(self, el: etree._Element) -> Identifier | None:
        notation = self.first(el, "notation", SKOS_NS)
        scheme = self.first(el, "schemeName")
        scheme_iri = self.first(el, "schemeId")
        value = notation.text if notation is not None else None
        result: Identifier | None = self.build(
            el,
            lambda: Identifier(
                value=value or "",
                scheme=scheme.text if scheme is not None else None,
                scheme_iri=scheme_iri.text.strip()
                if scheme_iri is not None and scheme_iri.text
                else None,
            ),
        )
        return result

    def outcome(self, ref: etree._Element, spec_id: str, n: int) -> LearningOutcome | None:
        lo_id = ref.get("idref") or ""
        el = self.by_id.get(lo_id)
        if el is None or local_name(el) != "learningOutcome":
            self.skip(ref, f"{lo_id!r} is not a learning outcome of this document", "idref")
            return None
        title = self.text(el, "title")
        kind = self.first(el, "type")
        reuse = self.first(el, "reusabilityLevel")
        skill_type = self.concept(kind, (vocab.SKILL_TYPE,)) if kind is not None else None
        reusability = self.concept(reuse, (vocab.SKILL_REUSE_LEVEL,)) if reuse is not None else None
        related: dict[str, None] = {}
        for skill in self.children(el, "relatedSkill"):
            uri = skill.get("uri") or ""
            if is_iri(uri):
                related.setdefault(uri)
            else:
                self.skip(skill, f"{uri!r} is not an IRI", "uri")
        esco: dict[str, None] = {}
        for skill in self.children(el, "relatedESCOSkill"):
            uri = skill.get("uri") or ""
            if _ESCO.fullmatch(uri):
                esco.setdefault(uri)
            else:
                self.skip(skill, f"{uri!r} is not an ESCO skill IRI", "uri")
        if title is None:
            return None
        result: LearningOutcome | None = self.build(
            el,
            lambda: LearningOutcome(
                id=None if lo_id == _outcome_id(spec_id, n) else lo_id,
                title=title,
                skill_type=skill_type,
                reusability_level=reusability,
                related_skills=tuple(related),
                esco_skills=tuple(esco),
            ),
        )
        return result

    def workload(self, el: etree._Element) -> Workload | None:
        values: dict[str, Decimal] = {}
        volume = self.first(el, "volumeOfLearning")
        if volume is not None:
            text = (volume.text or "").strip()
            m = _TIME_ONLY.fullmatch(text)
            if m is None:
                self.skip(volume, f"{text!r} cannot be read as a number of hours")
            else:
                h, mins, secs = (Decimal(g) if g else Decimal(0) for g in m.groups())
                values["hours"] = h + mins / 60 + secs / 3600
        for cp in self.children(el, "creditPoint"):
            framework = self.first(cp, "framework")
            point = self.first(cp, "point")
            uri = framework.get("uri") if framework is not None else None
            key = {_ECTS: "ects", _ECVET: "ecvet"}.get(uri or "")
            if key is None or point is None:
                continue
            text = (point.text or "").strip()
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite() or list(non_negative_decimal(number)):
                self.skip(
                    point,
                    f"{text!r} is not a number of credits (≥ 0, at most two decimals)",
                )
            elif key in values:
                self.skip(point, f"a second {key.upper()} value")
            else:
                values[key] = number
        for key, value in list(values.items()):
            if list(non_negative_decimal(value)):
                self.skip(el, f"{key} {value} cannot be recorded (at most two decimals)")
                del values[key]
        if not values:
            return None
        result: Workload | None = self.build(el, lambda: Workload(**values))
        return result

    def level(self, el: etree._Element) -> Level | None:
        eqf: Concept | None = None
        qf_ehea: Concept | None = None
        nqf: dict[Concept, None] = {}
        eqf_el = self.first(el, "EQFLevel")
        if eqf_el is not None:
            eqf = self.concept(eqf_el, (vocab.EQF,))
        for nqf_el in self.children(el, "NQFLevel"):
            found = self.concept(nqf_el, (vocab.NQF,))
            if found is not None:
                nqf.setdefault(found)
        for level_el in self.children(el, "educationLevel"):
            found = self.concept(level_el, (vocab.EQF, vocab.QF_EHEA, vocab.NQF))
            if found is None:
                continue
            if found.scheme == vocab.EQF.scheme and eqf is None:
                eqf = found
            elif found.scheme == vocab.QF_EHEA.scheme and qf_ehea is None:
                qf_ehea = found
            elif found.scheme == vocab.NQF.scheme:
                nqf.setdefault(found)
            else:
                self.skip(level_el, f"a second {found.scheme} level", "uri")
        if eqf is None and qf_ehea is None and not nqf:
            return None
        result: Level | None = self.build(
            el, lambda: Level(eqf=eqf, qf_ehea=qf_ehea, nqf=tuple(nqf))
        )
        return result

    def specification(self, ref_or_el: etree._Element) -> Specification | None:
        spec_id = ref_or_el.get("id") or ref_or_el.get("idref") or ""
        if spec_id in self.specs:
            return self.specs[spec_id]
        el = self.by_id.get(spec_id)
        self.specs[spec_id] = None
        if el is None or local_name(el) not in _SPECIFICATIONS:
            self.skip(ref_or_el, f"{spec_id!r} is not a specification of this document", "idref")
            return None
        opportunity_type: Concept | None = None
        for kind in self.children(el, "type"):
            found = self.concept(kind, (vocab.LEARNING_OPPORTUNITY_TYPE,))
            if found is not None and opportunity_type is None:
                opportunity_type = found
        modes = self.concepts(el, "mode", vocab.MODE)
        setting_el = self.first(el, "learningSetting")
        setting = (
            self.concept(setting_el, (vocab.LEARNING_SETTING,)) if setting_el is not None else None
        )
        outcomes = [
            self.outcome(ref, spec_id, n)
            for n, ref in enumerate(self.children(el, "learningOutcome"), 1)
        ]
        provider: Organisation | None = None
        for awarding in self.children(el, "awardingOpportunity"):
            for body in self.children(awarding, "awardingBody"):
                if provider is None:
                    provider = self.organisation(body)
                elif body.get("idref") != provider.id:
                    self.skip(body, "eumicro records one awarding body (the provider)", "idref")
        title = self.text(el, "title")
        description = self.text(el, "description")
        identifiers = [self.identifier(i) for i in self.children(el, "identifier")]
        fields = self.concepts(el, "ISCEDFCode", vocab.ISCED_F)
        languages = self.concepts(el, "language", vocab.LANGUAGE)
        workload = self.workload(el)
        level = self.level(el)
        homepage = self.homepage(el)
        proven = self.children(el, "provenBy")
        assessment = self.assessment(proven[0]) if proven else None
        for extra in proven[1:]:
            self.skip(extra, "eumicro records one assessment", "idref")
        qualification = local_name(el) == "qualification"
        notes = self.annotations(
            el, spec_id, qualification, provider.id if provider is not None else None
        )
        schedule = notes.get("schedule")
        participation_description = notes.get("participation_description")
        participation = None
        if modes or setting is not None or schedule is not None or participation_description:
            participation = self.build(
                el,
                lambda: Participation(
                    modes=modes,
                    setting=setting,
                    schedule=schedule,
                    description=participation_description,
                ),
            )
        spec: Specification | None = self.build(
            el,
            lambda: Specification(
                id=spec_id,
                title=title,
                description=description,
                learning_outcomes=[lo for lo in outcomes if lo is not None],
                learning_outcome_summary=notes.get("learning_outcome_summary"),
                assessment=assessment,
                quality_assurance=notes.get("quality_assurance", ()),
                prerequisites=notes.get("prerequisites"),
                stackability=notes.get("stackability"),
                further_information=notes.get("further_information"),
                workload=workload,
                level=level,
                participation=participation,
                languages=languages,
                fields=fields,
                opportunity_type=opportunity_type,
                provider=provider,
                homepage=homepage,
                identifiers=[i for i in identifiers if i is not None],
            ),
        )
        self.specs[spec_id] = spec
        return spec

    def opportunity(self, el: etree._Element) -> LearningOpportunity | None:
        spec_ref = self.first(el, "learningAchievementSpecification")
        spec = self.specification(spec_ref) if spec_ref is not None else None
        start = end = None
        temporal = self.first(el, "temporal")
        if temporal is not None:
            start_el = self.first(temporal, "startDate")
            end_el = self.first(temporal, "endDate")
            start = self.datetime(start_el) if start_el is not None else None
            end = self.datetime(end_el) if end_el is not None else None
        deadlines: dict[dt.datetime, None] = {}
        for deadline_el in self.children(el, "applicationDeadline"):
            deadline = self.datetime(deadline_el)
            if deadline is not None:
                deadlines.setdefault(deadline)
        prices: list[Price] = []
        for detail in self.children(el, "priceDetail"):
            price = self.price(detail)
            if price is not None:
                prices.append(price)
        providers: dict[Organisation, None] = {}
        for ref in self.children(el, "providedBy"):
            org = self.organisation(ref)
            if org is not None:
                providers.setdefault(org)
        schedule_el = self.first(el, "learningSchedule")
        language_el = self.first(el, "defaultLanguage")
        duration_el = self.first(el, "duration")
        schedule = (
            self.concept(schedule_el, (vocab.LEARNING_SCHEDULE,))
            if schedule_el is not None
            else None
        )
        language = self.concept(language_el, (vocab.LANGUAGE,)) if language_el is not None else None
        title = self.text(el, "title")
        description = self.text(el, "description")
        modes = self.concepts(el, "mode", vocab.MODE)
        homepage = self.homepage(el)
        countries = self.countries(self.children(el, "location"))
        if spec is None:
            return None
        result: LearningOpportunity | None = self.build(
            el,
            lambda: LearningOpportunity(
                id=el.get("id") or "",
                specification=spec,
                title=title,
                description=description,
                providers=tuple(providers),
                start=start,
                end=end,
                application_deadlines=tuple(deadlines),
                duration=(duration_el.text or "").strip() if duration_el is not None else None,
                language=language,
                modes=modes,
                schedule=schedule,
                prices=prices,
                homepage=homepage,
                countries=countries,
            ),
        )
        return result

    def price(self, el: etree._Element) -> Price | None:
        amount = self.first(el, "amount")
        if amount is None:
            self.skip(el, "a price without an amount")
            return None
        unit = self.first(amount, "unit")
        value = self.first(amount, "value")
        currency = self.concept(unit, (vocab.CURRENCY,)) if unit is not None else None
        if value is None or currency is None:
            return None
        number = Decimal((value.text or "").strip())
        if number < 0:
            self.skip(value, f"a negative price ({number})")
            return None
        label = self.text(el, "prefLabel", SKOS_NS)
        result: Price | None = self.build(
            el, lambda: Price(amount=number, currency=currency, label=label)
        )
        return result


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


_SPECIFICATIONS: Final = ("qualification", "learningAchievementSpecification")


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
