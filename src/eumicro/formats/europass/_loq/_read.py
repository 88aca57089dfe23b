"""LOQ XML: the reader (a validated ``Courses`` document to model objects)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import unquote

import attrs
from lxml import etree

from eumicro import vocab
from eumicro._checks import is_iri, non_negative_decimal
from eumicro._errors import Problem, ValidationError, format_path
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
    SourceMap,
    local_name,
    problem_at,
)
from eumicro.formats.europass._common import (
    ECTS_FRAMEWORK,
    ECVET_FRAMEWORK,
    NOTE_TOPIC_PARTICIPATION,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
)
from eumicro.formats.europass._loq._common import (
    _QA_TOKEN,
    _SPECIFICATIONS,
    DC_NS,
    LOQ_NS,
    NOTE_TOPIC_ENTRY,
    NOTE_TOPIC_SUMMARY,
    SKOS_NS,
    _accreditation_id,
    _agency_id,
    _outcome_id,
    _part_id,
    _q,
)

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
            key = {ECTS_FRAMEWORK: "ects", ECVET_FRAMEWORK: "ecvet"}.get(uri or "")
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
