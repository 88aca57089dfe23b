"""The Annex I check (eumicro._annex): check_annex_i, require_annex_i and the report.

The table-driven cases start from the ``data-literacy-ie`` sample, in which all sixteen
elements are present, remove or weaken one element with ``attrs.evolve`` and assert the
exact ``(element, status)`` of every finding. A property test compares the verdict with
an independent oracle written from the text of Annex I.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from tests import strategies as gen

from eumicro import (
    AnnexElement,
    AnnexIError,
    Assessment,
    FindingStatus,
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
    Text,
    Workload,
    check_annex_i,
    require_annex_i,
    samples,
    vocab,
)

E = AnnexElement
S = FindingStatus

MANDATORY = tuple(e for e in AnnexElement if e.mandatory)
OPTIONAL = tuple(e for e in AnnexElement if not e.mandatory)
SPEC_ELEMENTS = (
    E.TITLE,
    E.LEARNING_OUTCOMES,
    E.WORKLOAD,
    E.LEVEL,
    E.ASSESSMENT,
    E.PARTICIPATION,
    E.QUALITY_ASSURANCE,
    E.PREREQUISITES,
    E.STACKABILITY,
    E.FURTHER_INFORMATION,
)
CREDENTIAL_ONLY = (
    E.LEARNER,
    E.ISSUER_COUNTRY,
    E.AWARDING_BODY,
    E.DATE_OF_ISSUING,
    E.SUPERVISION,
    E.GRADE,
)


def base() -> MicroCredential:
    """A sample in which every one of the sixteen elements is present."""
    return samples.load("data-literacy-ie")


def with_spec(**changes: Any) -> MicroCredential:
    c = base()
    return attrs.evolve(c, specification=attrs.evolve(c.specification, **changes))


def statuses(item: MicroCredential | Specification) -> list[tuple[AnnexElement, FindingStatus]]:
    return [(f.element, f.status) for f in check_annex_i(item).findings]


def expected(**changed: FindingStatus) -> list[tuple[AnnexElement, FindingStatus]]:
    """All sixteen elements present, except those named (by AnnexElement member name)."""
    unknown = set(changed) - {e.name for e in AnnexElement}
    assert not unknown, unknown
    return [(e, changed.get(e.name, S.PRESENT)) for e in AnnexElement]


def test_base_sample_has_every_element() -> None:
    report = check_annex_i(base())
    assert statuses(base()) == expected()
    assert report.compliant
    assert report.problems == ()
    assert report.missing == ()
    assert report.weak == ()


# ----------------------------------------------------------------------------- samples


def test_draft_sample_misses_exactly_date_and_quality_assurance() -> None:
    report = check_annex_i(samples.load("draft-green-skills"))
    assert not report.compliant
    assert report.missing == (E.DATE_OF_ISSUING, E.QUALITY_ASSURANCE)
    assert [(f.element, f.status, f.path, f.message) for f in report.problems] == [
        (E.DATE_OF_ISSUING, S.MISSING, "issued", "the credential has no date of issuing"),
        (
            E.QUALITY_ASSURANCE,
            S.MISSING,
            "specification.quality_assurance",
            "no type of quality assurance",
        ),
    ]


@pytest.mark.parametrize("name", [n for n in samples.names() if n != "draft-green-skills"])
def test_every_other_sample_is_compliant(name: str) -> None:
    c = samples.load(name)
    report = check_annex_i(c)
    assert report.compliant, str(report)
    assert report.missing == ()
    assert [f.element for f in report.findings] == list(AnnexElement)
    assert require_annex_i(c) is c


# ----------------------------------------------------------------------------- one element at a time

NO_COUNTRY = Organisation(name=Text(en="Liffey University"))
WITH_COUNTRY = Organisation(name=Text(en="Issuer"), country="IRL")
ONLY_REGION = Organisation(name=Text(en="Regional college"), region="IE061")
UNLINKED = LearningOutcome(title=Text(en="Use statistical tools"))

CASES: list[Any] = [
    # 1. learner
    pytest.param(
        lambda: attrs.evolve(base(), learner=None), {"LEARNER": S.MISSING}, False, id="no-learner"
    ),
    pytest.param(
        lambda: attrs.evolve(
            base(),
            learner=Learner(email="a@b.eu", date_of_birth=dt.date(1990, 1, 1), citizenship=["IRL"]),
        ),
        {"LEARNER": S.INCOMPLETE},
        False,
        id="learner-without-name-or-identifier",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), learner=Learner()),
        {"LEARNER": S.INCOMPLETE},
        False,
        id="empty-learner",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), learner=Learner(id="did:example:aoife")),
        {},
        True,
        id="learner-by-id",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), learner=Learner(identifiers=[Identifier(value="S1")])),
        {},
        True,
        id="learner-by-identifier",
    ),
    pytest.param(
        lambda: attrs.evolve(
            base(), learner=Learner(national_id=LegalIdentifier(value="1", country="IRL"))
        ),
        {},
        True,
        id="learner-by-national-id",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), learner=Learner(family_name="Byrne")),
        {},
        True,
        id="learner-by-family-name",
    ),
    # 2. title
    pytest.param(lambda: with_spec(title=None), {"TITLE": S.MISSING}, False, id="no-title"),
    # 3./4. issuer country and awarding bodies
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=[NO_COUNTRY]),
        {"ISSUER_COUNTRY": S.MISSING},
        False,
        id="no-country-on-any-awarding-body",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=[NO_COUNTRY, ONLY_REGION]),
        {},
        True,
        id="region-without-country",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=[NO_COUNTRY], issuer=WITH_COUNTRY),
        {},
        True,
        id="country-of-the-issuer",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=[NO_COUNTRY, WITH_COUNTRY]),
        {},
        True,
        id="country-of-a-second-awarding-body",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=()),
        {"ISSUER_COUNTRY": S.MISSING, "AWARDING_BODY": S.MISSING},
        False,
        id="no-awarding-bodies",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), awarding_bodies=(), issuer=WITH_COUNTRY),
        {"AWARDING_BODY": S.MISSING},
        False,
        id="issuer-but-no-awarding-body",
    ),
    # 5. date of issuing
    pytest.param(
        lambda: attrs.evolve(base(), issued=None),
        {"DATE_OF_ISSUING": S.MISSING},
        False,
        id="no-date-of-issuing",
    ),
    # 6. learning outcomes
    pytest.param(
        lambda: with_spec(learning_outcomes=()),
        {"LEARNING_OUTCOMES": S.MISSING},
        False,
        id="no-learning-outcomes",
    ),
    pytest.param(
        lambda: with_spec(
            learning_outcomes=(), learning_outcome_summary=Text(en="Reads and presents data.")
        ),
        {"LEARNING_OUTCOMES": S.WEAK},
        True,
        id="only-a-summary",
    ),
    pytest.param(
        lambda: with_spec(learning_outcomes=[*base().specification.learning_outcomes, UNLINKED]),
        {"LEARNING_OUTCOMES": S.WEAK},
        True,
        id="an-outcome-not-linked-to-esco",
    ),
    # 7. workload
    pytest.param(
        lambda: with_spec(workload=None), {"WORKLOAD": S.MISSING}, False, id="no-workload"
    ),
    pytest.param(
        lambda: with_spec(workload=Workload(hours=125)),
        {"WORKLOAD": S.WEAK},
        True,
        id="hours-only",
    ),
    pytest.param(
        lambda: with_spec(workload=Workload(ecvet=3, hours=80)),
        {"WORKLOAD": S.WEAK},
        True,
        id="ecvet-and-hours",
    ),
    pytest.param(
        lambda: with_spec(workload=Workload(ects=0)), {}, True, id="zero-ects-is-still-ects"
    ),
    # 8. level
    pytest.param(lambda: with_spec(level=None), {"LEVEL": S.MISSING}, False, id="no-level"),
    pytest.param(
        lambda: with_spec(level=Level(nqf=["c_009d9566"])),
        {"LEVEL": S.WEAK},
        True,
        id="nqf-only",
    ),
    pytest.param(
        lambda: with_spec(level=Level(qf_ehea="1")),
        {"LEVEL": S.WEAK},
        True,
        id="qf-ehea-only",
    ),
    # 9. assessment
    pytest.param(
        lambda: with_spec(assessment=None), {"ASSESSMENT": S.MISSING}, False, id="no-assessment"
    ),
    pytest.param(
        lambda: with_spec(assessment=Assessment(description=Text(en="An oral exam."))),
        {"ASSESSMENT": S.WEAK},
        True,
        id="assessment-in-text-only",
    ),
    # 10. participation
    pytest.param(
        lambda: with_spec(participation=None),
        {"PARTICIPATION": S.MISSING},
        False,
        id="no-participation",
    ),
    pytest.param(
        lambda: with_spec(participation=Participation(setting="formal learning")),
        {"PARTICIPATION": S.WEAK},
        True,
        id="participation-without-mode",
    ),
    # 11. quality assurance
    pytest.param(
        lambda: with_spec(quality_assurance=()),
        {"QUALITY_ASSURANCE": S.MISSING},
        False,
        id="no-quality-assurance",
    ),
    pytest.param(
        lambda: with_spec(
            quality_assurance=[QualityAssurance(description=Text(en="Internal review."))]
        ),
        {"QUALITY_ASSURANCE": S.WEAK},
        True,
        id="quality-assurance-in-text-only",
    ),
    # 12.–16. optional elements never break compliance
    pytest.param(
        lambda: with_spec(prerequisites=None),
        {"PREREQUISITES": S.NOT_GIVEN},
        True,
        id="no-prerequisites",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), supervision=None),
        {"SUPERVISION": S.NOT_GIVEN},
        True,
        id="no-supervision",
    ),
    pytest.param(
        lambda: attrs.evolve(base(), grade=None), {"GRADE": S.NOT_GIVEN}, True, id="no-grade"
    ),
    pytest.param(
        lambda: with_spec(stackability=None),
        {"STACKABILITY": S.NOT_GIVEN},
        True,
        id="no-stackability",
    ),
    pytest.param(
        lambda: with_spec(further_information=None),
        {"FURTHER_INFORMATION": S.NOT_GIVEN},
        True,
        id="no-further-information",
    ),
    pytest.param(
        lambda: attrs.evolve(
            with_spec(further_information=None), further_information=Text(en="On the card.")
        ),
        {},
        True,
        id="further-information-on-the-credential",
    ),
    # several at once
    pytest.param(
        lambda: attrs.evolve(
            with_spec(quality_assurance=(), workload=Workload(hours=1)),
            learner=None,
            issued=None,
            grade=None,
        ),
        {
            "LEARNER": S.MISSING,
            "DATE_OF_ISSUING": S.MISSING,
            "WORKLOAD": S.WEAK,
            "QUALITY_ASSURANCE": S.MISSING,
            "GRADE": S.NOT_GIVEN,
        },
        False,
        id="three-missing-one-weak-one-optional",
    ),
]


@pytest.mark.parametrize(("build", "changed", "compliant"), CASES)
def test_one_element_at_a_time(
    build: Any, changed: dict[str, FindingStatus], compliant: bool
) -> None:
    c = build()
    report = check_annex_i(c)
    assert statuses(c) == expected(**changed)
    assert report.compliant is compliant
    assert report.missing == tuple(
        e for e in AnnexElement if changed.get(e.name) in (S.MISSING, S.INCOMPLETE)
    )
    assert {f.element for f in report.weak} == {
        e for e in AnnexElement if changed.get(e.name) is S.WEAK
    }


# ----------------------------------------------------------------------------- findings in detail


def test_findings_carry_paths_and_messages() -> None:
    c = attrs.evolve(
        with_spec(
            learning_outcomes=(), workload=Workload(hours=125), level=Level(nqf=["c_009d9566"])
        ),
        learner=Learner(email="a@b.eu"),
        awarding_bodies=(),
    )
    report = check_annex_i(c)
    got = {f.element: (f.status, f.path, f.message) for f in report.findings}
    assert got[E.LEARNER] == (S.INCOMPLETE, "learner", "the learner has no name and no identifier")
    assert got[E.ISSUER_COUNTRY] == (
        S.MISSING,
        "awarding_bodies",
        "neither the issuer nor any awarding body has a country or region",
    )
    assert got[E.AWARDING_BODY] == (S.MISSING, "awarding_bodies", "no awarding body is given")
    assert got[E.LEARNING_OUTCOMES] == (
        S.MISSING,
        "specification.learning_outcomes",
        "no learning outcomes are given",
    )
    assert got[E.WORKLOAD] == (
        S.WEAK,
        "specification.workload.ects",
        "125 hours, but no ECTS credits (the Recommendation asks for ECTS wherever possible)",
    )
    assert got[E.LEVEL] == (
        S.WEAK,
        "specification.level.eqf",
        "no EQF level (only a QF-EHEA cycle or NQF level)",
    )


def test_finding_breaks_compliance_only_when_missing_or_incomplete() -> None:
    report = check_annex_i(samples.load("draft-green-skills"))
    for finding in report.findings:
        assert finding.breaks_compliance is (finding.status in (S.MISSING, S.INCOMPLETE))
        if not finding.element.mandatory:
            assert finding.status in (S.PRESENT, S.NOT_GIVEN)


def test_report_lookup_by_element() -> None:
    report = check_annex_i(base())
    for element in AnnexElement:
        assert report[element].element is element
    spec_report = check_annex_i(base().specification)
    with pytest.raises(KeyError):
        spec_report[E.LEARNER]


def test_annex_elements() -> None:
    assert len(AnnexElement) == 16
    assert [e.number for e in AnnexElement] == list(range(1, 17))
    assert tuple(AnnexElement)[:11] == MANDATORY
    assert OPTIONAL == (
        E.PREREQUISITES,
        E.SUPERVISION,
        E.GRADE,
        E.STACKABILITY,
        E.FURTHER_INFORMATION,
    )
    assert E.WORKLOAD.short_name == "Notional workload"
    assert E.LEVEL.short_name == "Level (EQF, QF-EHEA)"
    assert all(e.short_name for e in AnnexElement)


def test_check_rejects_other_objects() -> None:
    with pytest.raises(TypeError, match="expected a MicroCredential or Specification, got dict"):
        check_annex_i({})  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- require_annex_i


def test_require_returns_a_compliant_credential() -> None:
    c = base()
    assert require_annex_i(c) is c
    weak = with_spec(workload=Workload(hours=3), learning_outcomes=())
    weak = attrs.evolve(
        weak, specification=attrs.evolve(weak.specification, learning_outcome_summary=Text(en="x"))
    )
    assert require_annex_i(weak) is weak


def test_require_raises_one_problem_per_missing_element() -> None:
    c = attrs.evolve(with_spec(quality_assurance=()), learner=Learner(email="a@b.eu"), issued=None)
    with pytest.raises(AnnexIError) as info:
        require_annex_i(c)
    err = info.value
    assert [(p.path, p.code, p.message) for p in err.problems] == [
        (
            ("learner",),
            "incomplete",
            "1. Identification of the learner: the learner has no name and no identifier",
        ),
        (("issued",), "missing", "5. Date of issuing: the credential has no date of issuing"),
        (
            ("specification", "quality_assurance"),
            "missing",
            "11. Type of quality assurance: no type of quality assurance",
        ),
    ]
    assert err.subject == f"credential {c.id} (Annex I)"
    assert str(err).startswith(f"3 problems in credential {c.id} (Annex I):\n")


def test_require_on_the_draft_sample() -> None:
    draft = samples.load("draft-green-skills")
    with pytest.raises(AnnexIError) as info:
        require_annex_i(draft)
    assert [p.location for p in info.value.problems] == [
        "$.issued",
        "$.specification.quality_assurance",
    ]


def test_require_on_a_bare_credential_lists_all_eleven() -> None:
    bare = MicroCredential(id="urn:eumicro:test:bare", specification=Specification(id="urn:s"))
    report = check_annex_i(bare)
    assert report.missing == MANDATORY
    with pytest.raises(AnnexIError) as info:
        require_annex_i(bare)
    assert len(info.value.problems) == 11
    assert [p.message.split(".")[0] for p in info.value.problems] == [str(n) for n in range(1, 12)]
    assert {p.code for p in info.value.problems} == {"missing"}


# ----------------------------------------------------------------------------- a specification alone


def test_specification_alone_reports_only_its_elements() -> None:
    spec = base().specification
    report = check_annex_i(spec)
    assert [f.element for f in report.findings] == list(SPEC_ELEMENTS)
    assert not {f.element for f in report.findings} & set(CREDENTIAL_ONLY)
    assert report.compliant
    assert all(f.status is S.PRESENT for f in report.findings)
    assert all(not f.path.startswith("specification") for f in report.findings)
    # The same findings as inside a credential, with the paths relative to the specification.
    inside = {f.element: f for f in check_annex_i(base()).findings}
    for finding in report.findings:
        twin = inside[finding.element]
        assert (finding.status, finding.message) == (twin.status, twin.message)
        assert "specification." + finding.path == twin.path


def test_bare_specification() -> None:
    report = check_annex_i(Specification(id="urn:s"))
    assert [(f.element, f.status) for f in report.findings] == [
        *((e, S.MISSING) for e in SPEC_ELEMENTS[:7]),
        *((e, S.NOT_GIVEN) for e in SPEC_ELEMENTS[7:]),
    ]
    assert not report.compliant
    assert report.missing == SPEC_ELEMENTS[:7]


def test_draft_specification_is_missing_only_quality_assurance() -> None:
    report = check_annex_i(samples.load("draft-green-skills").specification)
    assert report.missing == (E.QUALITY_ASSURANCE,)


# ----------------------------------------------------------------------------- the report as text


@pytest.mark.parametrize("name", samples.names())
def test_str_mentions_every_element_by_number_and_name(name: str) -> None:
    c = samples.load(name)
    report = check_annex_i(c)
    text = str(report)
    lines = text.splitlines()
    assert len(lines) == 1 + len(AnnexElement)
    for element, line in zip(AnnexElement, lines[1:], strict=True):
        assert f"{element.number}. {element.short_name}" in line
        assert ("(mandatory)" in line) is element.mandatory
    if report.compliant:
        assert lines[0] == "meets Annex I of the Recommendation"
    else:
        assert lines[0].startswith("does NOT meet Annex I: ")


def test_str_of_the_draft() -> None:
    lines = str(check_annex_i(samples.load("draft-green-skills"))).splitlines()
    assert lines[0] == "does NOT meet Annex I: 2 mandatory element(s) missing or incomplete"
    assert (
        lines[5]
        == "  [missing] 5. Date of issuing (mandatory): the credential has no date of issuing"
    )
    assert (
        lines[11]
        == "  [missing] 11. Type of quality assurance (mandatory): no type of quality assurance"
    )
    assert lines[12] == "  [not given] 12. Prerequisites (optional): not given (optional)"


def test_str_of_a_specification_report() -> None:
    text = str(check_annex_i(base().specification))
    for element in SPEC_ELEMENTS:
        assert f"{element.number}. {element.short_name}" in text
    for element in CREDENTIAL_ONLY:
        assert f"{element.number}. {element.short_name}" not in text


# ----------------------------------------------------------------------------- property: an oracle


def oracle_missing(item: MicroCredential | Specification) -> set[AnnexElement]:
    """The mandatory elements that Annex I finds absent, computed from the model directly."""
    if isinstance(item, MicroCredential):
        spec = item.specification
        learner = item.learner
        missing = set()
        identified = learner is not None and bool(
            learner.full_name
            or learner.given_name
            or learner.family_name
            or learner.id
            or learner.national_id
            or learner.identifiers
        )
        if not identified:
            missing.add(E.LEARNER)
        bodies = [o for o in (item.issuer, *item.awarding_bodies) if o is not None]
        if not any(o.country is not None or o.region is not None for o in bodies):
            missing.add(E.ISSUER_COUNTRY)
        if not item.awarding_bodies:
            missing.add(E.AWARDING_BODY)
        if item.issued is None:
            missing.add(E.DATE_OF_ISSUING)
    else:
        spec, missing = item, set()
    if spec.title is None:
        missing.add(E.TITLE)
    if not spec.learning_outcomes and spec.learning_outcome_summary is None:
        missing.add(E.LEARNING_OUTCOMES)
    for element, value in (
        (E.WORKLOAD, spec.workload),
        (E.LEVEL, spec.level),
        (E.ASSESSMENT, spec.assessment),
        (E.PARTICIPATION, spec.participation),
    ):
        if value is None:
            missing.add(element)
    if not spec.quality_assurance:
        missing.add(E.QUALITY_ASSURANCE)
    return missing


@st.composite
def mostly_complete(draw: Any) -> MicroCredential:
    """A generated credential with most missing mandatory elements filled in.

    Up to three mandatory elements are left as generated (often absent); the others are
    supplied when absent, so that compliant and non-compliant credentials both occur often.
    """
    c: MicroCredential = draw(gen.micro_credentials())
    leave = draw(st.sets(st.sampled_from(MANDATORY), max_size=3))
    spec = c.specification
    changes: dict[str, Any] = {}
    spec_changes: dict[str, Any] = {}
    if E.LEARNER not in leave and E.LEARNER in oracle_missing(c):
        changes["learner"] = Learner(full_name=draw(gen.strings()))
    bodies = c.awarding_bodies
    if E.AWARDING_BODY not in leave and not bodies:
        bodies = (draw(gen.organisations()),)
        changes["awarding_bodies"] = bodies
    if E.ISSUER_COUNTRY not in leave:
        orgs = [o for o in (c.issuer, *bodies) if o is not None]
        if not any(o.country is not None or o.region is not None for o in orgs):
            country = draw(gen.concepts(vocab.COUNTRY))
            if bodies:
                changes["awarding_bodies"] = (attrs.evolve(bodies[0], country=country), *bodies[1:])
            else:
                issuer = c.issuer if c.issuer is not None else draw(gen.organisations())
                changes["issuer"] = attrs.evolve(issuer, country=country)
    if E.DATE_OF_ISSUING not in leave and c.issued is None:
        changes["issued"] = (
            c.valid_until - dt.timedelta(days=1)
            if c.valid_until is not None
            else draw(gen.aware_datetimes())
        )
    if E.TITLE not in leave and spec.title is None:
        spec_changes["title"] = draw(gen.texts())
    if E.LEARNING_OUTCOMES not in leave and E.LEARNING_OUTCOMES in oracle_missing(spec):
        spec_changes["learning_outcomes"] = (draw(gen.learning_outcomes()),)
    for element, name, strategy in (
        (E.WORKLOAD, "workload", gen.workloads()),
        (E.LEVEL, "level", gen.levels()),
        (E.ASSESSMENT, "assessment", gen.assessments()),
        (E.PARTICIPATION, "participation", gen.participations()),
    ):
        if element not in leave and getattr(spec, name) is None:
            spec_changes[name] = draw(strategy)
    if E.QUALITY_ASSURANCE not in leave and not spec.quality_assurance:
        spec_changes["quality_assurance"] = (draw(gen.quality_assurances()),)
    return attrs.evolve(c, specification=attrs.evolve(spec, **spec_changes), **changes)


def _agrees_with_oracle(item: MicroCredential | Specification) -> None:
    report = check_annex_i(item)
    missing = oracle_missing(item)
    event("compliant" if not missing else f"{len(missing)} missing")
    assert report.compliant is (not missing)
    assert set(report.missing) == missing
    assert len(report.findings) == (16 if isinstance(item, MicroCredential) else 10)
    for finding in report.findings:
        if not finding.element.mandatory:
            assert not finding.breaks_compliance
    if missing:
        assert isinstance(item, Specification) or _require_fails(item, len(missing))


def _require_fails(c: MicroCredential, count: int) -> bool:
    with pytest.raises(AnnexIError) as info:
        require_annex_i(c)
    return len(info.value.problems) == count


@given(mostly_complete())
def test_compliance_agrees_with_oracle(c: MicroCredential) -> None:
    _agrees_with_oracle(c)
    _agrees_with_oracle(c.specification)
    if not oracle_missing(c):
        assert require_annex_i(c) is c


@given(gen.micro_credentials())
def test_compliance_agrees_with_oracle_on_raw_credentials(c: MicroCredential) -> None:
    _agrees_with_oracle(c)


@given(gen.specifications())
def test_compliance_agrees_with_oracle_on_specifications(s: Specification) -> None:
    _agrees_with_oracle(s)
