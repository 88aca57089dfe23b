"""Export: a :class:`~eumicro.MicroCredential` as a European Digital Credential (ELM 3.2).

The result is compact JSON-LD in the form the European Commission's own issuer writes:
every node has ``id`` and ``type``, a property with one value holds an object and one with
several an array, nodes used in several places are embedded in full each time (with the
same ``id``), concepts carry their scheme (``inScheme``) and English label.

``docs/europass.md`` maps every model attribute to its EDC path and explains the
conventions for the Annex I elements that ELM has no property for.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

from eumicro import vocab
from eumicro._annex import require_annex_i
from eumicro._errors import (
    PathSegment,
    Problem,
    UnknownConceptError,
    ValidationError,
    format_path,
)
from eumicro._model import (
    Assessment,
    CredentialReference,
    Identifier,
    Learner,
    LearningOutcome,
    LegalIdentifier,
    MicroCredential,
    Organisation,
    QualityAssurance,
    Specification,
    StackabilityOption,
)
from eumicro._text import Text
from eumicro._vocabulary import Concept
from eumicro.formats.europass._common import (
    CONTEXT,
    CREDENTIAL_TYPE,
    ECTS_FRAMEWORK,
    ECVET_FRAMEWORK,
    ESCO_SKILLS_SCHEME,
    GENERIC_PROFILE,
    GENERIC_PROFILE_LABEL,
    GENERIC_SCHEMA,
    NODE_PREFIX,
    NOTE_TOPIC_LABELS,
    NOTE_TOPIC_PARTICIPATION,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
    NOTE_TOPIC_SCHEME,
    qa_id,
    qa_report_id,
)
from eumicro.formats.europass._render import DisplayImage, Renderer, render_svg

__all__ = ["to_edc", "to_edc_json"]

Path = tuple[PathSegment, ...]
Node = dict[str, Any]

_BASE64: Final = "http://data.europa.eu/snb/encoding/6146cde7dd"


def datetime_text(value: dt.datetime) -> str:
    """An ``xsd:dateTime`` with its offset (``Z`` for UTC), as the Commission writes them."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def date_text(value: dt.date) -> str:
    """A date as the ``xsd:dateTime`` at midnight UTC (``dateOfBirth`` is a dateTime)."""
    return f"{value.isoformat()}T00:00:00Z"


def number_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros (``"2.5"``, ``"100"``)."""
    return format(value.normalize(), "f")


def hours_duration(hours: Decimal) -> str:
    """Hours as an ``xsd:duration`` (``PT125H``, ``PT2H30M``; only seconds may have decimals)."""
    seconds = hours * 3600
    whole = int(seconds)
    fraction = seconds - whole
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    out = "PT"
    if h:
        out += f"{h}H"
    if m:
        out += f"{m}M"
    if s or fraction:
        out += number_text(Decimal(s) + fraction) + "S"
    return out if out != "PT" else "PT0H"


def mailto(email: str) -> str:
    """The ``mailto:`` IRI of an e-mail address (characters an IRI cannot hold escaped)."""
    return "mailto:" + quote(email, safe="@!$&'()*+,;=-._~:/?[]")


def language_concept(tag: str) -> Concept | None:
    """The EU language-list concept of a BCP 47 tag's primary language (``pt-BR`` → POR)."""
    try:
        return vocab.LANGUAGE.by_code(tag.split("-")[0])
    except UnknownConceptError:
        return None


def _many(values: Sequence[Any]) -> Any:
    """One value as itself, several as an array (the Commission's serialisation)."""
    return values[0] if len(values) == 1 else list(values)


def _copy(value: Any) -> Any:
    """A copy of a node tree, so that a node written twice is two independent objects."""
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) if type(v) in (dict, list) else v for k, v in value.items()}
    if kind is list:
        return [_copy(v) if type(v) in (dict, list) else v for v in value]
    return value


def _text(value: Text) -> dict[str, str]:
    return dict(value.items_in_order())


def concept_node(concept: Concept) -> Node:
    """A concept as the EDC writes it: IRI, type, scheme and English label."""
    return {
        "id": concept.iri,
        "type": "Concept",
        "inScheme": {"id": concept.scheme, "type": "ConceptScheme"},
        "prefLabel": {"en": concept.label},
    }


def _topic(iri: str) -> Node:
    node: Node = {"id": iri, "type": "Concept"}
    if iri.startswith("urn:eumicro:"):
        node["inScheme"] = {"id": NOTE_TOPIC_SCHEME, "type": "ConceptScheme"}
    node["prefLabel"] = {"en": NOTE_TOPIC_LABELS[iri]}
    return node


class _Exporter:
    """Builds one EDC document; collects every problem before failing."""

    def __init__(
        self,
        credential: MicroCredential,
        images: DisplayImage | Mapping[str, DisplayImage] | None,
        render: Renderer,
    ) -> None:
        self.credential = credential
        self.images = images
        self.render = render
        self.problems: list[Problem] = []
        self._seen_problems: set[tuple[Path, str]] = set()
        self._counters: dict[str, int] = {}
        self._generated: dict[tuple[str, object], str] = {}
        self._explicit: dict[str, tuple[object, Path]] = {}
        title = credential.specification.title
        assert title is not None  # Annex I compliance
        self.language = title.primary_language

    # -- helpers ---------------------------------------------------------------------

    def problem(self, path: Path, message: str, code: str = "edc") -> None:
        if (path, message) not in self._seen_problems:
            self._seen_problems.add((path, message))
            self.problems.append(Problem(path, message, code))

    def generated(self, kind: str, key: object) -> str:
        """The generated id of a node: the same ``key`` gives the same id."""
        found = self._generated.get((kind, key))
        if found is None:
            n = self._counters.get(kind, 0) + 1
            self._counters[kind] = n
            found = f"{NODE_PREFIX}{kind}:{n}"
            self._generated[(kind, key)] = found
        return found

    def node_id(
        self, kind: str, explicit: str | None, value: object, path: Path, *, required: bool = False
    ) -> str:
        """The model's id of a node, or a generated one; the same id for two values is an error.

        An optional id must not use the prefix of generated ids (the importer would read
        it back as None); a required one may (the importer gives an EDC specification
        without an id such an id).
        """
        if explicit is None:
            return self.generated(kind, value)
        if not required and explicit.startswith(NODE_PREFIX):
            self.problem(
                (*path, "id"),
                f"ids beginning with {NODE_PREFIX!r} are reserved for the nodes eumicro "
                f"generates, got {explicit!r}",
            )
        previous = self._explicit.get(explicit)
        if previous is None:
            self._explicit[explicit] = (value, path)
        elif previous[0] != value:
            where = format_path(previous[1]) if previous[1] else "the credential"
            self.problem(
                (*path, "id"),
                f"the id {explicit!r} is also the id of a different node ({where}); "
                "in EDC one id names one node",
            )
        return explicit

    def lang_text(self, value: str) -> dict[str, str]:
        """A plain string as a language map in the credential's primary language."""
        return {self.language: value}

    def note(self, key: object, text: Text | dict[str, str], subject: Node | None = None) -> Node:
        node: Node = {
            "id": self.generated("note", key),
            "type": "Note",
            "noteLiteral": _text(text) if isinstance(text, Text) else text,
        }
        if subject is not None:
            node["subject"] = subject
        return node

    def web_resource(self, url: str, node_id: str | None = None) -> Node:
        return {
            "id": node_id or self.generated("webResource", url),
            "type": "WebResource",
            "contentURL": url,
        }

    def contact_point(self, email: str) -> Node:
        return {
            "id": self.generated("contactPoint", email),
            "type": "ContactPoint",
            "emailAddress": {"id": mailto(email), "type": "Mailbox"},
        }

    def identifier(self, value: Identifier) -> Node:
        node: Node = {
            "id": self.generated("identifier", value),
            "type": "Identifier",
            "notation": value.value,
        }
        if value.scheme is not None:
            node["schemeName"] = value.scheme
        if value.scheme_iri is not None:
            node["schemeId"] = value.scheme_iri
        return node

    def legal_identifier(self, value: LegalIdentifier) -> Node:
        node: Node = {
            "id": self.generated("legalIdentifier", value),
            "type": "LegalIdentifier",
            "notation": value.value,
            "spatial": concept_node(value.country),
        }
        if value.scheme is not None:
            node["schemeName"] = value.scheme
        return node

    # -- agents ----------------------------------------------------------------------

    def organisation(self, org: Organisation, path: Path) -> Node:
        node: Node = {
            "id": self.node_id("organisation", org.id, org, path),
            "type": "Organisation",
            "legalName": _text(org.name),
        }
        if org.country is None:
            self.problem(
                (*path, "country"),
                "EDC requires the country of every organisation "
                "(Organisation.location → Address.countryCode, 1..1)",
            )
        else:
            address: Node = {
                "id": self.generated("address", org),
                "type": "Address",
                "countryCode": concept_node(org.country),
            }
            if org.address is not None:
                language = org.name.primary_language
                address["fullAddress"] = self.note(
                    ("address", language, org.address), {language: org.address}
                )
            location: Node = {
                "id": self.generated("location", org),
                "type": "Location",
                "address": address,
            }
            if org.region is not None:
                location["spatialCode"] = concept_node(org.region)
            node["location"] = location
        if org.identifiers:
            node["identifier"] = _many([self.identifier(i) for i in org.identifiers])
        if org.registration is not None:
            node["registration"] = self.legal_identifier(org.registration)
        if org.eidas_identifier is not None:
            node["eIDASIdentifier"] = self.legal_identifier(org.eidas_identifier)
        if org.vat_identifier is not None:
            node["vatIdentifier"] = self.legal_identifier(org.vat_identifier)
        if org.homepage is not None:
            node["homepage"] = self.web_resource(org.homepage)
        if org.email is not None:
            node["contactPoint"] = self.contact_point(org.email)
        return node

    def person(self, learner: Learner) -> Node:
        node: Node = {
            "id": self.node_id("person", learner.id, learner, ("learner",)),
            "type": "Person",
        }
        if learner.identifiers:
            node["identifier"] = _many([self.identifier(i) for i in learner.identifiers])
        if learner.given_name is not None:
            node["givenName"] = self.lang_text(learner.given_name)
        if learner.family_name is not None:
            node["familyName"] = self.lang_text(learner.family_name)
        if learner.full_name is not None:
            node["fullName"] = self.lang_text(learner.full_name)
        if learner.date_of_birth is not None:
            node["dateOfBirth"] = date_text(learner.date_of_birth)
        if learner.national_id is not None:
            node["nationalID"] = self.legal_identifier(learner.national_id)
        if learner.citizenship:
            node["citizenshipCountry"] = _many([concept_node(c) for c in learner.citizenship])
        if learner.email is not None:
            node["contactPoint"] = self.contact_point(learner.email)
        return node

    # -- the specification -----------------------------------------------------------

    def learning_outcome(self, lo: LearningOutcome, path: Path) -> Node:
        node: Node = {
            "id": self.node_id("learningOutcome", lo.id, lo, path),
            "type": "LearningOutcome",
            "title": _text(lo.title),
        }
        if lo.skill_type is not None:
            node["dcType"] = concept_node(lo.skill_type)
        if lo.reusability_level is not None:
            node["reusabilityLevel"] = concept_node(lo.reusability_level)
        if lo.esco_skills:
            node["relatedESCOSkill"] = _many(
                [
                    {
                        "id": iri,
                        "type": "Concept",
                        "inScheme": {"id": ESCO_SKILLS_SCHEME, "type": "ConceptScheme"},
                    }
                    for iri in lo.esco_skills
                ]
            )
        if lo.related_skills:
            node["relatedSkill"] = _many(
                [{"id": iri, "type": "Concept"} for iri in lo.related_skills]
            )
        return node

    def credit_point(self, framework: str, points: Decimal) -> Node:
        return {
            "id": self.generated("creditPoint", (framework, points)),
            "type": "CreditPoint",
            "framework": concept_node(vocab.CREDIT_SYSTEM.by_iri(framework)),
            "point": number_text(points),
        }

    def assessment_specification(self, assessment: Assessment | None) -> Node | None:
        """The learning assessment specification (``provenBy``) of the credential."""
        grade = self.credential.grade
        scheme = grade.scheme if grade is not None else None
        if assessment is None and scheme is None:
            return None
        types = assessment.types if assessment is not None else ()
        node: Node = {
            "id": self.generated("learningAssessmentSpec", assessment),
            "type": "LearningAssessmentSpecification",
            "title": {"en": "; ".join(t.label for t in types) or "Assessment"},
        }
        if assessment is not None:
            if assessment.description is not None:
                node["description"] = _text(assessment.description)
            if len(types) == 1:
                node["dcType"] = concept_node(types[0])
            if assessment.modes:
                node["mode"] = _many([concept_node(m) for m in assessment.modes])
            if len(types) > 1:
                node["hasPart"] = [
                    {
                        "id": self.generated("learningAssessmentSpec", (assessment, i)),
                        "type": "LearningAssessmentSpecification",
                        "title": {"en": t.label},
                        "dcType": concept_node(t),
                    }
                    for i, t in enumerate(types)
                ]
        if scheme is not None:
            node["gradingScheme"] = {
                "id": self.generated("gradingScheme", scheme),
                "type": "GradingScheme",
                "title": _text(scheme),
            }
        return node

    def quality_assurance(
        self,
        spec: Specification,
        accreditations: list[Node],
        notes: list[Node],
        documents: list[Node],
    ) -> None:
        for i, qa in enumerate(spec.quality_assurance):
            path: Path = ("specification", "quality_assurance", i)
            if qa.agency is not None and qa.type is None:
                self.problem(
                    (*path, "agency"),
                    "EDC records a quality-assurance agency only on an Accreditation, which "
                    "needs the quality-assurance type (Accreditation.dcType, 1..1): give the type",
                )
                continue
            if qa.type is not None and qa.agency is not None:
                accreditations.append(self.accreditation(i, qa, qa.type, qa.agency, path))
                continue
            text = (
                qa.description
                if qa.description is not None
                else {"en": qa.type.label if qa.type is not None else "Quality assurance"}
            )
            subject = (
                concept_node(qa.type)
                if qa.type is not None
                else _topic(NOTE_TOPIC_QUALITY_ASSURANCE)
            )
            notes.append(
                {
                    "id": qa_id(i),
                    "type": "Note",
                    "noteLiteral": _text(text) if isinstance(text, Text) else text,
                    "subject": subject,
                }
            )
            if qa.report is not None:
                documents.append(self.web_resource(qa.report, qa_report_id(i)))

    def accreditation(
        self, index: int, qa: QualityAssurance, kind: Concept, agency: Organisation, path: Path
    ) -> Node:
        node: Node = {
            "id": qa_id(index),
            "type": "Accreditation",
            "title": {"en": kind.label},
            "dcType": concept_node(kind),
            "accreditingAgent": self.organisation(agency, (*path, "agency")),
        }
        if qa.description is not None:
            node["description"] = _text(qa.description)
        if qa.report is not None:
            node["report"] = self.web_resource(qa.report)
        return node

    def stacks_towards(self, ref: CredentialReference, path: Path) -> Node:
        node: Node = {
            "id": self.node_id("qualification", ref.id, ref, path),
            "type": "Qualification",
        }
        if ref.title is None:
            self.problem(
                (*path, "title"),
                "EDC requires a title for the qualification a micro-credential stacks "
                "towards (isPartOf → Qualification.title, 1..*)",
            )
        else:
            node["title"] = _text(ref.title)
        return node

    def qualification(self, spec: Specification, las: Node | None) -> Node:
        assert spec.title is not None  # Annex I compliance
        node: Node = {
            "id": self.node_id("qualification", spec.id, spec, ("specification",), required=True),
            "type": "Qualification",
            "title": _text(spec.title),
        }
        if spec.description is not None:
            node["description"] = _text(spec.description)
        if spec.identifiers:
            node["identifier"] = _many([self.identifier(i) for i in spec.identifiers])
        if spec.opportunity_type is not None:
            node["dcType"] = concept_node(spec.opportunity_type)
        if spec.homepage is not None:
            node["homepage"] = self.web_resource(spec.homepage)
        if spec.learning_outcomes:
            node["learningOutcome"] = _many(
                [
                    self.learning_outcome(lo, ("specification", "learning_outcomes", i))
                    for i, lo in enumerate(spec.learning_outcomes)
                ]
            )
        if spec.learning_outcome_summary is not None:
            node["learningOutcomeSummary"] = self.note(
                ("summary", spec.learning_outcome_summary), spec.learning_outcome_summary
            )
        workload = spec.workload
        if workload is not None:
            points = []
            if workload.ects is not None:
                points.append(self.credit_point(ECTS_FRAMEWORK, workload.ects))
            if workload.ecvet is not None:
                points.append(self.credit_point(ECVET_FRAMEWORK, workload.ecvet))
            if points:
                node["creditPoint"] = _many(points)
            if workload.hours is not None:
                node["volumeOfLearning"] = hours_duration(workload.hours)
        level = spec.level
        if level is not None:
            if level.eqf is not None:
                node["eqfLevel"] = concept_node(level.eqf)
            if level.nqf:
                node["nqfLevel"] = _many([concept_node(c) for c in level.nqf])
            if level.qf_ehea is not None:
                node["educationLevel"] = concept_node(level.qf_ehea)
        if spec.fields:
            node["thematicArea"] = _many([concept_node(c) for c in spec.fields])
        if spec.languages:
            node["language"] = _many([concept_node(c) for c in spec.languages])
        notes: list[Node] = []
        participation = spec.participation
        if participation is not None:
            if participation.modes:
                node["mode"] = _many([concept_node(c) for c in participation.modes])
            if participation.setting is not None:
                node["learningSetting"] = concept_node(participation.setting)
            if participation.schedule is not None and spec.provider is None:
                notes.append(
                    self.note(
                        ("schedule", participation.schedule),
                        {"en": participation.schedule.label},
                        concept_node(participation.schedule),
                    )
                )
            if participation.description is not None:
                notes.append(
                    self.note(
                        ("participation", participation.description),
                        participation.description,
                        _topic(NOTE_TOPIC_PARTICIPATION),
                    )
                )
        if spec.prerequisites is not None:
            node["entryRequirement"] = self.note(
                ("prerequisites", spec.prerequisites), spec.prerequisites
            )
        if spec.assessment is not None and las is not None:
            node["provenBy"] = las
        accreditations: list[Node] = []
        documents: list[Node] = []
        self.quality_assurance(spec, accreditations, notes, documents)
        if accreditations:
            node["accreditation"] = _many(accreditations)
        stackability = spec.stackability
        if stackability is not None:
            node["isPartialQualification"] = stackability.option is StackabilityOption.STACKABLE
            if stackability.towards:
                node["isPartOf"] = _many(
                    [
                        self.stacks_towards(ref, ("specification", "stackability", "towards", i))
                        for i, ref in enumerate(stackability.towards)
                    ]
                )
            if stackability.description is not None:
                notes.append(
                    self.note(
                        ("stackability", stackability.description),
                        stackability.description,
                        _topic(NOTE_TOPIC_PATHWAYS),
                    )
                )
        if spec.further_information is not None:
            notes.append(self.note(("further", spec.further_information), spec.further_information))
        if documents:
            node["supplementaryDocument"] = _many(documents)
        if notes:
            node["additionalNote"] = _many(notes)
        return node

    # -- the claim -------------------------------------------------------------------

    def achievement(self, issuer_body: list[Node]) -> Node:
        c = self.credential
        spec = c.specification
        assert spec.title is not None
        awarding = {
            "id": self.generated("awardingProcess", c.awarding_bodies),
            "type": "AwardingProcess",
            "awardingBody": _many(issuer_body),
        }
        las = self.assessment_specification(spec.assessment)
        node: Node = {
            "id": self.generated("learningAchievement", c.id),
            "type": "LearningAchievement",
            "title": _text(spec.title),
            "awardedBy": awarding,
        }
        if c.further_information is not None:
            node["additionalNote"] = self.note(
                ("further-credential", c.further_information), c.further_information
            )
        if c.grade is not None:
            assessment: Node = {
                "id": self.generated("learningAssessment", c.id),
                "type": "LearningAssessment",
                "title": dict(las["title"]) if las is not None else {"en": "Assessment"},
                "awardedBy": _copy(awarding),
                "grade": self.note(("grade", c.grade.value), self.lang_text(c.grade.value)),
            }
            if c.supervision is not None:
                assessment["idVerification"] = concept_node(c.supervision)
            if las is not None:
                assessment["specifiedBy"] = _copy(las)
            node["provenBy"] = assessment
        elif c.supervision is not None:
            self.problem(
                ("supervision",),
                "EDC records supervision and identity verification on the learning "
                "assessment (LearningAssessment.idVerification), which needs a grade "
                "(LearningAssessment.grade, 1..1): give the grade as well",
            )
        node["specifiedBy"] = self.qualification(spec, las)
        if spec.provider is not None:
            opportunity: Node = {
                "id": self.generated("learningOpportunity", spec.id),
                "type": "LearningOpportunity",
                "title": _text(spec.title),
                "providedBy": self.organisation(spec.provider, ("specification", "provider")),
            }
            participation = spec.participation
            if participation is not None and participation.schedule is not None:
                opportunity["learningSchedule"] = concept_node(participation.schedule)
            node["learningOpportunity"] = opportunity
        return node

    # -- display ---------------------------------------------------------------------

    def image_for(self, tag: str) -> DisplayImage:
        images = self.images
        if isinstance(images, DisplayImage):
            return images
        if images is not None:
            for key, image in images.items():
                if key == tag or key.casefold() == tag.casefold():
                    return image
        return self.render(self.credential, tag)

    def display(self) -> Node:
        title = self.credential.specification.title
        assert title is not None
        languages: list[tuple[str, Concept]] = []
        for tag in title.languages:
            concept = language_concept(tag)
            if concept is None:
                if tag == title.primary_language:
                    self.problem(
                        ("specification", "title"),
                        f"the primary language {tag!r} of the title is not in the EU "
                        "language list, which EDC requires for "
                        "displayParameter.primaryLanguage",
                    )
                continue
            if all(c != concept for _, c in languages):
                languages.append((tag, concept))
        if not languages:
            return {}
        displays = []
        for tag, concept in languages:
            image = self.image_for(tag)
            if not isinstance(image, DisplayImage):
                raise TypeError(
                    f"the display image for {tag!r} is a {type(image).__name__}, not a DisplayImage"
                )
            displays.append(
                {
                    "id": self.generated("individualDisplay", tag),
                    "type": "IndividualDisplay",
                    "language": concept_node(concept),
                    "displayDetail": {
                        "id": self.generated("displayDetail", tag),
                        "type": "DisplayDetail",
                        "image": {
                            "id": self.generated("mediaObject", tag),
                            "type": "MediaObject",
                            "content": base64.b64encode(image.content).decode("ascii"),
                            "contentEncoding": concept_node(vocab.CONTENT_ENCODING.by_iri(_BASE64)),
                            "contentType": concept_node(image.file_type),
                        },
                        "page": 1,
                    },
                }
            )
        return {
            "id": self.generated("displayParameter", self.credential.id),
            "type": "DisplayParameter",
            "title": _text(title),
            "primaryLanguage": concept_node(languages[0][1]),
            "language": _many([concept_node(c) for _, c in languages]),
            "individualDisplay": _many(displays),
        }

    # -- the document ----------------------------------------------------------------

    def document(self) -> Node:
        c = self.credential
        assert c.issued is not None
        assert c.learner is not None
        self.node_id("credential", c.id, c, ())
        bodies = [
            self.organisation(body, ("awarding_bodies", i))
            for i, body in enumerate(c.awarding_bodies)
        ]
        issuer_path: Path = ("issuer",) if c.issuer is not None else ("awarding_bodies", 0)
        issuer_org = c.effective_issuer
        assert issuer_org is not None
        if issuer_org.eidas_identifier is None:
            self.problem(
                (*issuer_path, "eidas_identifier"),
                "EDC requires the issuer's eIDAS legal identifier (issuer.eIDASIdentifier, "
                "1..1); the issuer is "
                + (
                    "the credential's issuer" if c.issuer is not None else "the first awarding body"
                ),
            )
        issuer: Any
        if c.issuer is not None and c.issuer == c.awarding_bodies[0]:
            # A stated issuer that is the first awarding body: a reference to that node
            # (the same RDF graph), so that the importer can tell it from an issuer left
            # unstated (embedded in full).
            issuer = bodies[0]["id"]
        elif c.issuer is not None:
            issuer = self.organisation(c.issuer, issuer_path)
        else:
            issuer = _copy(bodies[0])
        doc: Node = {
            "@context": list(CONTEXT),
            "id": c.id,
            "type": list(CREDENTIAL_TYPE),
            "credentialProfiles": {
                "id": GENERIC_PROFILE,
                "type": "Concept",
                "inScheme": {"id": vocab.CREDENTIAL_TYPE.scheme, "type": "ConceptScheme"},
                "prefLabel": {"en": GENERIC_PROFILE_LABEL},
            },
            "credentialSchema": {"id": GENERIC_SCHEMA, "type": "ShaclValidator2017"},
        }
        if c.identifiers:
            doc["identifier"] = _many([self.identifier(i) for i in c.identifiers])
        doc["issuer"] = issuer
        doc["issued"] = datetime_text(c.issued)
        doc["issuanceDate"] = doc["issued"]
        doc["validFrom"] = datetime_text(c.valid_from if c.valid_from is not None else c.issued)
        if c.valid_until is not None:
            doc["validUntil"] = datetime_text(c.valid_until)
            doc["expirationDate"] = doc["validUntil"]
        subject = self.person(c.learner)
        subject["hasClaim"] = self.achievement(bodies)
        doc["credentialSubject"] = subject
        doc["displayParameter"] = self.display()
        if self.problems:
            # In the order of their paths, so that the report reads like the model.
            ordered = sorted(
                self.problems,
                key=lambda p: [(1, s, 0) if isinstance(s, str) else (0, "", s) for s in p.path],
            )
            raise ValidationError(ordered, f"credential {c.id} (EDC export)")
        return doc


def to_edc(
    credential: MicroCredential,
    *,
    image: DisplayImage | Mapping[str, DisplayImage] | None = None,
    render: Renderer | None = None,
) -> dict[str, Any]:
    """The credential as a European Digital Credential (ELM 3.2 JSON-LD), as a dict.

    Args:
        credential: a credential that meets Annex I.
        image: the display image to use for every display language, or a mapping from
            language tag to image; languages without one are rendered.
        render: draws a display image (default :func:`render_svg`).

    Raises:
        AnnexIError: the credential does not meet Annex I (a draft).
        ValidationError: the credential holds something EDC cannot carry (an
            organisation without a country, an issuer without an eIDAS identifier …);
            every such problem is listed with its path in the model.

    >>> from eumicro import samples
    >>> doc = to_edc(samples.load("data-literacy-ie"))
    >>> doc["type"]
    ['VerifiableCredential', 'EuropeanDigitalCredential']
    >>> doc["credentialSubject"]["hasClaim"]["specifiedBy"]["eqfLevel"]["id"]
    'http://data.europa.eu/snb/eqf/6'
    """
    if not isinstance(credential, MicroCredential):
        raise TypeError(f"expected a MicroCredential, got {type(credential).__name__}")
    require_annex_i(credential)
    return _Exporter(credential, image, render or render_svg).document()


def to_edc_json(
    credential: MicroCredential,
    *,
    indent: int | None = 2,
    image: DisplayImage | Mapping[str, DisplayImage] | None = None,
    render: Renderer | None = None,
) -> str:
    """The credential as EDC JSON-LD text (see :func:`to_edc`)."""
    return json.dumps(
        to_edc(credential, image=image, render=render), ensure_ascii=False, indent=indent
    )
