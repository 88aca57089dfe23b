"""LOQ XML: the writer (model objects to a ``Courses`` document)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lxml import etree

from eumicro import vocab
from eumicro._errors import PathSegment, Problem, ValidationError
from eumicro._model import (
    Assessment,
    Identifier,
    LearningOutcome,
    LegalIdentifier,
    Organisation,
    Specification,
    Stackability,
    StackabilityOption,
)
from eumicro._opportunity import LearningOpportunity
from eumicro._text import Text
from eumicro._vocabulary import Concept
from eumicro.formats._xmlsafe import (
    parse_untrusted,
    validate_xsd,
    xml_chars_problem,
)
from eumicro.formats.europass._common import (
    ECTS_FRAMEWORK,
    ECVET_FRAMEWORK,
    NOTE_TOPIC_PARTICIPATION,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
)
from eumicro.formats.europass._export import datetime_text, hours_duration, mailto, number_text
from eumicro.formats.europass._loq._common import (
    _NSMAP,
    _TYPES,
    DC_NS,
    LOQ_NS,
    LOQ_VERSION,
    NOTE_TOPIC_ENTRY,
    NOTE_TOPIC_SUMMARY,
    SKOS_NS,
    _accreditation_id,
    _agency_id,
    _assessment_id,
    _first_and_rest,
    _outcome_id,
    _part_id,
    _q,
    loq_schema,
)
from eumicro.formats.europass._loq._merge import merge

if TYPE_CHECKING:
    from eumicro.formats.europass._loq._document import LoqDocument


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
            for framework, points in (
                (ECTS_FRAMEWORK, workload.ects),
                (ECVET_FRAMEWORK, workload.ecvet),
            ):
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
