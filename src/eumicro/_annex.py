"""The Annex I compliance check of Council Recommendation 2022/C 243/02.

Annex I lists the European standard elements that describe a micro-credential: eleven
mandatory ones and five optional ones. :func:`check_annex_i` puts a credential (or a
specification, for the elements a specification carries) through them and reports one
:class:`Finding` per element; :func:`require_annex_i` raises :class:`~eumicro.AnnexIError`
for a credential that does not meet the Recommendation.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from eumicro._errors import AnnexIError, Problem
from eumicro._model import MicroCredential, Specification

__all__ = [
    "AnnexElement",
    "AnnexReport",
    "Finding",
    "FindingStatus",
    "check_annex_i",
    "require_annex_i",
]


class AnnexElement(enum.Enum):
    """The standard elements of Annex I, in the Recommendation's order."""

    LEARNER = "Identification of the learner"
    TITLE = "Title of the micro-credential"
    ISSUER_COUNTRY = "Country(ies)/Region(s) of the issuer"
    AWARDING_BODY = "Awarding body(ies)"
    DATE_OF_ISSUING = "Date of issuing"
    LEARNING_OUTCOMES = "Learning outcomes"
    WORKLOAD = (
        "Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)"
    )
    LEVEL = "Level (and cycle, if applicable) of the learning experience leading to the micro-credential (EQF, QF-EHEA), if applicable"
    ASSESSMENT = "Type of assessment"
    PARTICIPATION = "Form of participation in the learning activity"
    QUALITY_ASSURANCE = "Type of quality assurance used to underpin the micro-credential"
    PREREQUISITES = "Prerequisites needed to enrol in the learning activity"
    SUPERVISION = "Supervision and identity verification during assessment"
    GRADE = "Grade achieved"
    STACKABILITY = "Integration/stackability options"
    FURTHER_INFORMATION = "Further information"

    @property
    def number(self) -> int:
        """1–16: the mandatory elements are 1–11, the optional ones 12–16."""
        return list(AnnexElement).index(self) + 1

    @property
    def mandatory(self) -> bool:
        """Whether the Recommendation makes the element mandatory."""
        return self.number <= 11

    @property
    def short_name(self) -> str:
        """The element's name without its parenthesised explanations."""
        return _SHORT[self]


_SHORT = {
    AnnexElement.LEARNER: "Identification of the learner",
    AnnexElement.TITLE: "Title of the micro-credential",
    AnnexElement.ISSUER_COUNTRY: "Country(ies)/Region(s) of the issuer",
    AnnexElement.AWARDING_BODY: "Awarding body(ies)",
    AnnexElement.DATE_OF_ISSUING: "Date of issuing",
    AnnexElement.LEARNING_OUTCOMES: "Learning outcomes",
    AnnexElement.WORKLOAD: "Notional workload",
    AnnexElement.LEVEL: "Level (EQF, QF-EHEA)",
    AnnexElement.ASSESSMENT: "Type of assessment",
    AnnexElement.PARTICIPATION: "Form of participation",
    AnnexElement.QUALITY_ASSURANCE: "Type of quality assurance",
    AnnexElement.PREREQUISITES: "Prerequisites",
    AnnexElement.SUPERVISION: "Supervision and identity verification",
    AnnexElement.GRADE: "Grade achieved",
    AnnexElement.STACKABILITY: "Integration/stackability options",
    AnnexElement.FURTHER_INFORMATION: "Further information",
}


class FindingStatus(enum.Enum):
    """How an element fares."""

    PRESENT = "present"
    """The element is there."""
    WEAK = "weak"
    """The element is there, but falls short of what the Recommendation asks where possible
    (workload without ECTS, outcomes not linked to ESCO …). Does not break compliance."""
    INCOMPLETE = "incomplete"
    """Something is there but it does not express the element (a learner with no name or
    identifier). Breaks compliance for a mandatory element."""
    MISSING = "missing"
    """A mandatory element is absent. Breaks compliance."""
    NOT_GIVEN = "not given"
    """An optional element is absent. Does not affect compliance."""


@attrs.frozen(slots=True)
class Finding:
    """What the check found for one Annex I element.

    Attributes:
        element: the Annex I element.
        status: present, weak, incomplete or missing.
        message: a sentence a person can act on.
        path: where in the model the element lives (``specification.workload``).
    """

    element: AnnexElement
    status: FindingStatus
    message: str
    path: str

    @property
    def breaks_compliance(self) -> bool:
        """A mandatory element that is missing or incomplete."""
        return self.status in (FindingStatus.MISSING, FindingStatus.INCOMPLETE)

    def __str__(self) -> str:
        kind = "mandatory" if self.element.mandatory else "optional"
        return (
            f"[{self.status.value}] {self.element.number}. {self.element.short_name} "
            f"({kind}): {self.message}"
        )


@attrs.frozen(slots=True)
class AnnexReport:
    """The result of :func:`check_annex_i`: one finding per element checked."""

    findings: tuple[Finding, ...]

    @property
    def compliant(self) -> bool:
        """Whether every mandatory element checked is present."""
        return not any(f.breaks_compliance for f in self.findings)

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Findings that break compliance."""
        return tuple(f for f in self.findings if f.breaks_compliance)

    @property
    def missing(self) -> tuple[AnnexElement, ...]:
        """Mandatory elements that are missing or incomplete."""
        return tuple(f.element for f in self.findings if f.breaks_compliance)

    @property
    def weak(self) -> tuple[Finding, ...]:
        """Findings for elements that are present but weak."""
        return tuple(f for f in self.findings if f.status is FindingStatus.WEAK)

    def __getitem__(self, element: AnnexElement) -> Finding:
        for finding in self.findings:
            if finding.element is element:
                return finding
        raise KeyError(element)

    def __str__(self) -> str:
        verdict = (
            "meets Annex I of the Recommendation"
            if self.compliant
            else "does NOT meet Annex I: "
            f"{len(self.problems)} mandatory element(s) missing or incomplete"
        )
        return "\n".join([verdict, *(f"  {f}" for f in self.findings)])


def _f(element: AnnexElement, status: FindingStatus, message: str, path: str) -> Finding:
    return Finding(element, status, message, path)


def _spec_findings(spec: Specification, prefix: str) -> Iterator[Finding]:
    E, S = AnnexElement, FindingStatus  # noqa: N806
    p = prefix
    if spec.title is None:
        yield _f(E.TITLE, S.MISSING, "the specification has no title", f"{p}title")
    else:
        yield _f(E.TITLE, S.PRESENT, f"{spec.title}", f"{p}title")

    if spec.learning_outcomes:
        n = len(spec.learning_outcomes)
        unlinked = sum(1 for lo in spec.learning_outcomes if not lo.esco_skills)
        if unlinked:
            yield _f(
                E.LEARNING_OUTCOMES,
                S.WEAK,
                f"{n} learning outcome(s); {unlinked} not linked to an ESCO skill",
                f"{p}learning_outcomes",
            )
        else:
            yield _f(
                E.LEARNING_OUTCOMES,
                S.PRESENT,
                f"{n} learning outcome(s), all linked to ESCO",
                f"{p}learning_outcomes",
            )
    elif spec.learning_outcome_summary is not None:
        yield _f(
            E.LEARNING_OUTCOMES,
            S.WEAK,
            "learning outcomes are given only as a summary text, not itemised",
            f"{p}learning_outcome_summary",
        )
    else:
        yield _f(
            E.LEARNING_OUTCOMES,
            S.MISSING,
            "no learning outcomes are given",
            f"{p}learning_outcomes",
        )

    w = spec.workload
    if w is None:
        yield _f(E.WORKLOAD, S.MISSING, "no notional workload is given", f"{p}workload")
    elif w.ects is None:
        given = ", ".join(
            f"{v} {name}" for name, v in (("ECVET", w.ecvet), ("hours", w.hours)) if v is not None
        )
        yield _f(
            E.WORKLOAD,
            S.WEAK,
            f"{given}, but no ECTS credits (the Recommendation asks for ECTS wherever possible)",
            f"{p}workload.ects",
        )
    else:
        yield _f(E.WORKLOAD, S.PRESENT, f"{w.ects} ECTS", f"{p}workload")

    lv = spec.level
    if lv is None:
        yield _f(E.LEVEL, S.MISSING, "no EQF level, QF-EHEA cycle or NQF level", f"{p}level")
    elif lv.eqf is None:
        yield _f(
            E.LEVEL, S.WEAK, "no EQF level (only a QF-EHEA cycle or NQF level)", f"{p}level.eqf"
        )
    else:
        extra = f", {lv.qf_ehea.label}" if lv.qf_ehea is not None else ""
        yield _f(E.LEVEL, S.PRESENT, f"EQF {lv.eqf.code}{extra}", f"{p}level")

    if spec.assessment is None:
        yield _f(E.ASSESSMENT, S.MISSING, "no type of assessment", f"{p}assessment")
    elif not spec.assessment.types:
        yield _f(
            E.ASSESSMENT,
            S.WEAK,
            "described in text only, with no assessment type from the EU vocabulary",
            f"{p}assessment.types",
        )
    else:
        labels = ", ".join(c.label for c in spec.assessment.types)
        yield _f(E.ASSESSMENT, S.PRESENT, labels, f"{p}assessment")

    pa = spec.participation
    if pa is None:
        yield _f(E.PARTICIPATION, S.MISSING, "no form of participation", f"{p}participation")
    elif not pa.modes:
        yield _f(
            E.PARTICIPATION,
            S.WEAK,
            "no mode (online, blended, presential …) is given",
            f"{p}participation.modes",
        )
    else:
        labels = ", ".join(c.label for c in pa.modes)
        yield _f(E.PARTICIPATION, S.PRESENT, labels, f"{p}participation")

    if not spec.quality_assurance:
        yield _f(
            E.QUALITY_ASSURANCE,
            S.MISSING,
            "no type of quality assurance",
            f"{p}quality_assurance",
        )
    elif all(qa.type is None for qa in spec.quality_assurance):
        yield _f(
            E.QUALITY_ASSURANCE,
            S.WEAK,
            "described in text only, with no quality-assurance type from the EU vocabulary",
            f"{p}quality_assurance",
        )
    else:
        labels = "; ".join(qa.type.label for qa in spec.quality_assurance if qa.type is not None)
        yield _f(E.QUALITY_ASSURANCE, S.PRESENT, labels, f"{p}quality_assurance")


def _optional(element: AnnexElement, value: object, present: str, path: str) -> Finding:
    if value is None:
        return _f(element, FindingStatus.NOT_GIVEN, "not given (optional)", path)
    return _f(element, FindingStatus.PRESENT, present, path)


def check_annex_i(item: MicroCredential | Specification) -> AnnexReport:
    """Check a credential (all 16 elements) or a specification (the elements it carries).

    Returns an :class:`AnnexReport` with one :class:`Finding` per element; its
    ``compliant`` property says whether every mandatory element is there.

    >>> from eumicro import samples
    >>> report = check_annex_i(samples.load("draft-green-skills"))
    >>> report.compliant
    False
    >>> [e.short_name for e in report.missing]
    ['Date of issuing', 'Type of quality assurance']
    """
    E, S = AnnexElement, FindingStatus  # noqa: N806
    if isinstance(item, Specification):
        spec, prefix, credential = item, "", None
    elif isinstance(item, MicroCredential):
        spec, prefix, credential = item.specification, "specification.", item
    else:
        raise TypeError(f"expected a MicroCredential or Specification, got {type(item).__name__}")

    findings: list[Finding] = []
    spec_findings = {f.element: f for f in _spec_findings(spec, prefix)}

    if credential is not None:
        learner = credential.learner
        if learner is None:
            findings.append(_f(E.LEARNER, S.MISSING, "no learner is identified", "learner"))
        elif (
            learner.display_name is None
            and learner.national_id is None
            and not learner.identifiers
            and learner.id is None
        ):
            findings.append(
                _f(E.LEARNER, S.INCOMPLETE, "the learner has no name and no identifier", "learner")
            )
        else:
            who = learner.display_name or (learner.id or "identified by identifier")
            findings.append(_f(E.LEARNER, S.PRESENT, who, "learner"))
    findings.append(spec_findings[E.TITLE])
    if credential is not None:
        countries = credential.issuer_countries
        regions = credential.issuer_regions
        if countries or regions:
            text = ", ".join(c.label for c in countries)
            if regions:
                text += (" (" if text else "") + ", ".join(r.label for r in regions)
                text += ")" if countries else ""
            findings.append(_f(E.ISSUER_COUNTRY, S.PRESENT, text, "awarding_bodies"))
        else:
            findings.append(
                _f(
                    E.ISSUER_COUNTRY,
                    S.MISSING,
                    "neither the issuer nor any awarding body has a country or region",
                    "awarding_bodies",
                )
            )
        if credential.awarding_bodies:
            names = "; ".join(str(o.name) for o in credential.awarding_bodies)
            findings.append(_f(E.AWARDING_BODY, S.PRESENT, names, "awarding_bodies"))
        else:
            findings.append(
                _f(E.AWARDING_BODY, S.MISSING, "no awarding body is given", "awarding_bodies")
            )
        if credential.issued is None:
            findings.append(
                _f(E.DATE_OF_ISSUING, S.MISSING, "the credential has no date of issuing", "issued")
            )
        else:
            findings.append(
                _f(E.DATE_OF_ISSUING, S.PRESENT, credential.issued.date().isoformat(), "issued")
            )
    for element in (
        E.LEARNING_OUTCOMES,
        E.WORKLOAD,
        E.LEVEL,
        E.ASSESSMENT,
        E.PARTICIPATION,
        E.QUALITY_ASSURANCE,
    ):
        findings.append(spec_findings[element])

    findings.append(
        _optional(
            E.PREREQUISITES, spec.prerequisites, str(spec.prerequisites), f"{prefix}prerequisites"
        )
    )
    if credential is not None:
        sup = credential.supervision
        findings.append(_optional(E.SUPERVISION, sup, sup.label if sup else "", "supervision"))
        grade = credential.grade
        findings.append(_optional(E.GRADE, grade, grade.value if grade else "", "grade"))
    st = spec.stackability
    if st is None:
        findings.append(_optional(E.STACKABILITY, None, "", f"{prefix}stackability"))
    else:
        text = st.option.value
        if st.towards:
            text += " towards " + ", ".join(
                str(r.title) if r.title is not None else r.id for r in st.towards
            )
        findings.append(_f(E.STACKABILITY, S.PRESENT, text, f"{prefix}stackability"))
    info = spec.further_information
    info_path = f"{prefix}further_information"
    if credential is not None and credential.further_information is not None:
        info, info_path = credential.further_information, "further_information"
    findings.append(_optional(E.FURTHER_INFORMATION, info, str(info), info_path))
    return AnnexReport(tuple(findings))


def require_annex_i(credential: MicroCredential) -> MicroCredential:
    """Return ``credential`` if it meets Annex I; raise :class:`~eumicro.AnnexIError` if not.

    Formats that *issue* credentials call this; drafts can still be stored and exchanged
    in the native formats.
    """
    report = check_annex_i(credential)
    if report.compliant:
        return credential
    problems = [
        Problem(
            tuple(f.path.split(".")),
            f"{f.element.number}. {f.element.short_name}: {f.message}",
            f.status.value,
        )
        for f in report.problems
    ]
    raise AnnexIError(problems, f"credential {credential.id} (Annex I)")
