"""Legacy Europass credential XML (EDCI ≤ 1.7): import, export, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from lxml import etree

from eumicro import ParseError, check_annex_i, samples, vocab
from eumicro._annex import AnnexElement
from eumicro._model import (
    Assessment,
    Grade,
    MicroCredential,
    QualityAssurance,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._text import Text
from eumicro.formats.europass._edci import (
    ECVET_SYSTEM,
    edci_schema,
    from_edci_xml,
    to_edci_xml,
)

DATA = Path(__file__).parent / "data" / "edci-v2"
ISSUED = [c for c in samples.load_all() if c.issued is not None]


def test_participation_certificate() -> None:
    result = from_edci_xml(DATA / "EDC_SampleACT_AA.xml")
    assert result.credential_id == "urn:credential:a6ee6361-04e6-4bd5-b98b-223edcd3aa33"
    (c,) = result.credentials
    assert c.learner is not None
    assert (c.learner.full_name, c.learner.given_name, c.learner.family_name) == (
        "Ana Andromeda",
        "Ana",
        "Andromeda",
    )
    assert c.learner.date_of_birth == dt.date(1992, 10, 2)
    assert c.learner.national_id is not None
    assert c.learner.national_id.value == "12345LA"
    assert c.title is not None
    assert c.title["en"] == "Certificate of Participation"
    assert [o.name["en"] for o in c.awarding_bodies] == ["Spanish Training Provider"]
    assert c.awarding_bodies[0].country is not None
    assert c.awarding_bodies[0].country.code == "ESP"
    assert c.issued == dt.datetime.fromisoformat("2022-02-02T14:15:15+01:00")
    assert c.specification.participation is not None
    assert [m.label for m in c.specification.participation.modes] == ["Online"]
    assert [lang.code for lang in c.specification.languages] == ["ENG", "SPA"]
    assert c.specification.workload is None
    assert c.specification.assessment is None
    assert c.specification.further_information is None
    assert result.notes == (
        "/europassCredential/credentialSubject/placeOfBirth: not part of the model; dropped",
        "/europassCredential/credentialSubject/gender: not part of the model; dropped",
        "/europassCredential/credentialSubject/contactPoint/address: not part of the model; "
        "dropped",
        "/europassCredential/credentialSubject/activities/activity: learning activity: its "
        "modes and languages describe the credential",
        "/europassCredential/displayParameters: not part of the model; dropped",
        "/europassCredential/proof: not part of the model; dropped",
    )
    assert check_annex_i(c).missing == (
        AnnexElement.LEARNING_OUTCOMES,
        AnnexElement.WORKLOAD,
        AnnexElement.LEVEL,
        AnnexElement.ASSESSMENT,
        AnnexElement.QUALITY_ASSURANCE,
    )


_ACH = "/europassCredential/credentialSubject/achievements/learningAchievement"
_Q6 = "/europassCredential/learningSpecificationReferences/qualification[6]"
_AS6 = "/europassCredential/assessmentSpecificationReferences/assessmentSpecification[6]"
_DROPPED = "not part of the model; dropped"
_ASSESSMENT_TYPES = "http://data.europa.eu/snb/assessment/"

DEGREE_NOTES = (
    "/europassCredential/credentialSubject/placeOfBirth: " + _DROPPED,
    "/europassCredential/credentialSubject/gender: " + _DROPPED,
    "/europassCredential/credentialSubject/contactPoint/address: " + _DROPPED,
    f"{_ACH}/wasDerivedFrom/identifier: {_DROPPED}",
    f"{_ACH}/wasDerivedFrom/title: {_DROPPED}",
    f"{_ACH}/wasDerivedFrom/description: {_DROPPED}",
    f"{_ACH}/wasDerivedFrom/issuedDate: {_DROPPED}",
    f"{_ACH}/wasDerivedFrom/assessedBy: {_DROPPED}",
    *(f"{_ACH}/wasDerivedFrom/hasPart[{i}]: {_DROPPED}" for i in range(1, 6)),
    f"{_Q6}/hasCreditPoints: 240 credit points without a credit-point system (schemeID ECTS "
    "or ECVET); dropped",
    f"{_Q6}/additionalNote[1]/subject: a note on a subject eumicro does not know ('Can be "
    "co-delivered by'): read as further information",
    f"{_Q6}/additionalNote[2]/subject: a note on a subject eumicro does not know "
    "('Recognition conditions'): read as further information",
    f"{_Q6}/additionalNote: 2 notes are read as one further-information text",
    f"/europassCredential/scoringSchemeReferences/scoringScheme[5]/identifier: {_DROPPED}",
    f"/europassCredential/scoringSchemeReferences/scoringScheme[5]/description: {_DROPPED}",
    f"{_AS6}/identifier: {_DROPPED}",
    f"{_AS6}/additionalNote[1]: {_DROPPED}",
    f"{_AS6}/additionalNote[2]: {_DROPPED}",
    f"{_AS6}/homepage: {_DROPPED}",
    f"{_AS6}/supplementaryDoc: {_DROPPED}",
    f"{_AS6}/language[1]: {_DROPPED}",
    f"{_AS6}/language[2]: {_DROPPED}",
    f"{_AS6}/language[3]: {_DROPPED}",
    f"{_AS6}/title: the title of the assessment specification is not held by the model; dropped",
    f"{_Q6}/duration: the maximum duration (P21M) is not part of the model; dropped",
    f"{_Q6}/supplementaryDoc: {_DROPPED}",
    f"{_ACH}/description: the description of an achievement is not part of the model; dropped",
    *(f"{_ACH}/wasInfluencedBy[{i}]: {_DROPPED}" for i in range(1, 7)),
    *(
        f"{_ACH}/hasPart/learningAchievement[{i}]: part of an achievement: not a separate "
        "credential"
        for i in range(1, 6)
    ),
    *(
        f"{_ACH}/entitlesTo[{i}]: entitlements are not part of the model; dropped"
        for i in range(1, 4)
    ),
    "/europassCredential/displayParameters: " + _DROPPED,
    "/europassCredential/proof: " + _DROPPED,
)


def test_degree() -> None:
    result = from_edci_xml(DATA / "EDC_SampleDegree_AA.xml")
    (c,) = result.credentials
    assert c.id == "urn:epass:learningAchievement:6"
    assert c.learner is not None
    assert c.learner.full_name == "Ana Andromeda"
    assert c.title is not None
    assert c.title["en"] == "Master of Science in Civil Engineering"
    assert [o.name["en"] for o in c.awarding_bodies] == [
        "Faculty of Civil Engineering, Architecture and Geodesy"
    ]
    assert c.issued == dt.datetime.fromisoformat("2022-02-02T14:15:15+01:00")
    assert c.valid_until == dt.datetime.fromisoformat("2039-09-20T00:00:00+02:00")
    spec = c.specification
    # hasECTSCreditPoints 120, volumeOfLearning PT1440H; hasCreditPoints 240 names no system.
    assert spec.workload == Workload(ects=Decimal("120"), hours=Decimal("1440"))
    assert spec.level is not None
    assert spec.level.eqf_number == 5
    assert len(spec.learning_outcomes) == 6
    # The two additionalNote of qualification 6, in document order.
    assert spec.further_information == Text(
        en="Members of the Research Alliance\n\nAchievements acquired at any of the member "
        "universities will qualify for automatic recognition at home institution"
    )
    # isPartialQualification false.
    assert spec.stackability == Stackability(option=StackabilityOption.STAND_ALONE)
    assert spec.quality_assurance == ()
    # wasDerivedFrom urn:epass:assessment:6 is specified by urn:epass:asssessmentspec:6.
    assert spec.assessment == Assessment(
        types=tuple(
            vocab.ASSESSMENT_TYPE.find_iri(_ASSESSMENT_TYPES + code)
            for code in ("6e6cb2cc78", "3484bd7e51", "d30284d7df", "7331eb4762", "b1b68f6735")
        ),
        modes=(vocab.MODE.find_iri("http://data.europa.eu/snb/learning-assessment/9191af2ed9"),),
        description=Text(en="Overall Assessment specification description"),
    )
    assert [t.label for t in spec.assessment.types] == [
        "written examination",
        "continuous evaluation",
        "oral examination",
        "level of attendance",
        "quiz",
    ]
    assert c.grade == Grade(
        value="excellent (5)", scheme=Text(en="General grading scheme in Croatia")
    )
    assert c.supervision is not None
    assert c.supervision.code == "70be69aaf9"
    assert c.further_information is None
    assert result.notes == DEGREE_NOTES
    assert check_annex_i(c).missing == (AnnexElement.QUALITY_ASSURANCE,)


def _carried(c: MicroCredential) -> MicroCredential:
    """What the format holds of a credential (see docs/edci.md)."""
    spec = c.specification
    level = spec.level
    if level is not None:
        level = attrs.evolve(level, qf_ehea=None) if level.eqf or level.nqf else None
    participation = spec.participation
    if participation is not None:
        participation = attrs.evolve(participation, schedule=None, description=None)
    stackability = spec.stackability
    if stackability is not None:
        stackability = attrs.evolve(stackability, towards=())
    spec = attrs.evolve(
        spec,
        level=level,
        participation=participation,
        quality_assurance=tuple(
            QualityAssurance(description=qa.description)
            for qa in spec.quality_assurance
            if qa.description is not None
        ),
        stackability=stackability,
        learning_outcome_summary=None,
        provider=None,
    )
    bodies = tuple(attrs.evolve(o, region=None) for o in c.awarding_bodies)
    learner = c.learner
    if learner is not None and learner.full_name and not learner.given_name:
        given, _, family = learner.full_name.rpartition(" ")
        learner = attrs.evolve(learner, given_name=given, family_name=family)
    return attrs.evolve(
        c,
        specification=spec,
        awarding_bodies=bodies,
        learner=learner,
        issuer=None,
    )


@pytest.mark.parametrize("credential", ISSUED, ids=lambda c: c.id.rsplit(":", 2)[-2])
def test_export_valid_and_round_trip(credential: MicroCredential) -> None:
    data = to_edci_xml(credential)
    schema = edci_schema()
    assert schema.validate(etree.fromstring(data)), schema.error_log
    (back,) = from_edci_xml(data).credentials
    assert back == _carried(credential)


def test_samples_valid_with_plain_lxml() -> None:
    schema = edci_schema()
    for name in ("EDC_SampleACT_AA.xml", "EDC_SampleDegree_AA.xml"):
        assert schema.validate(etree.parse(str(DATA / name)))


def _broken(old: str, new: str) -> bytes:
    return (DATA / "EDC_SampleACT_AA.xml").read_text("utf-8").replace(old, new, 1).encode()


def test_schema_error_has_path_line_column() -> None:
    with pytest.raises(ParseError) as info:
        from_edci_xml(_broken("<dateOfBirth>1992-10-02", "<dateOfBirth>1992-13-02"))
    (problem,) = info.value.problems
    assert problem.location == "/europassCredential/credentialSubject/dateOfBirth"
    assert (problem.line, problem.column) == (53, 7)
    assert problem.message.startswith("'1992-13-02' is not valid here")


def test_unknown_vocabulary_value() -> None:
    bad = "http://publications.europa.eu/resource/authority/country/XXX"
    with pytest.raises(ParseError) as info:
        from_edci_xml(
            _broken(
                '<citizenshipCountry targetFrameworkUrl="http://publications.europa.eu/resource/'
                'authority/country" targetNotation="country" uri="http://publications.europa.eu/'
                'resource/authority/country/ITA">',
                '<citizenshipCountry targetFrameworkUrl="http://publications.europa.eu/resource/'
                f'authority/country" targetNotation="country" uri="{bad}">',
            )
        )
    (problem,) = info.value.problems
    assert problem.location == "/europassCredential/credentialSubject/citizenshipCountry/@uri"
    assert problem.message == f"{bad!r} is not a concept of Countries and territories"
    assert (problem.line, problem.column) == (73, 7)


def test_dangling_reference() -> None:
    with pytest.raises(ParseError) as info:
        from_edci_xml(
            _broken('<cred:issuer idref="urn:epass:org:1"/>', '<cred:issuer idref="urn:x"/>')
        )
    (problem,) = info.value.problems
    # The XSD's key references catch it first.
    assert problem.location == "/europassCredential/issuer"
    assert (problem.line, problem.column) == (17, 4)
    assert problem.message == "<issuer> refers to 'urn:x', which no element of the document defines"


def test_xxe_refused() -> None:
    doc = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>'
    )
    with pytest.raises(ParseError) as info:
        from_edci_xml(doc)
    (problem,) = info.value.problems
    assert problem.code == "doctype"
    assert (problem.line, problem.column) == (2, 1)


def _sample(name: str) -> MicroCredential:
    (found,) = [c for c in ISSUED if f":{name}:" in c.id]
    return found


def test_round_trip_credits_notes_assessment() -> None:
    # ECVET points and hours; an assessment with types, modes and a grading scheme.
    credential = attrs.evolve(
        _sample("wcs"),
        further_information=Text(en="Issued under the 2023 regulations."),
    )
    spec = credential.specification
    assert spec.workload == Workload(ecvet=Decimal("3"), hours=Decimal("80"))
    assert spec.assessment is not None
    assert spec.assessment.types
    data = to_edci_xml(credential)
    root = etree.fromstring(data)
    assert edci_schema().validate(root)
    (points,) = root.iter("{http://data.europa.eu/snb}hasCreditPoints")
    assert (points.get("schemeID"), points.text) == (ECVET_SYSTEM, "3")
    result = from_edci_xml(data)
    (back,) = result.credentials
    assert back.specification.workload == spec.workload
    assert back.specification.assessment == spec.assessment
    assert back.grade == credential.grade
    assert back.further_information == Text(en="Issued under the 2023 regulations.")
    assert back == _carried(credential)
    assert result.notes == ()


def test_round_trip_notes_with_topics() -> None:
    # Further information, quality assurance and pathways are additionalNote.
    original = _sample("univ-loire")
    spec = attrs.evolve(
        original.specification,
        further_information=Text(fr="Cours ouvert aux auditeurs libres.", en="Open to auditors."),
        stackability=Stackability(
            option=StackabilityOption.STACKABLE,
            description=Text(fr="Compte pour le master IA."),
        ),
    )
    credential = attrs.evolve(original, specification=spec)
    assert credential.further_information is not None
    assert spec.quality_assurance
    data = to_edci_xml(credential)
    assert edci_schema().validate(etree.fromstring(data))
    result = from_edci_xml(data)
    (back,) = result.credentials
    assert back.specification.further_information == spec.further_information
    assert back.further_information == credential.further_information
    assert back.specification.stackability == spec.stackability
    assert back.specification.quality_assurance == tuple(
        QualityAssurance(description=qa.description) for qa in spec.quality_assurance
    )
    assert result.notes == ()


def _degree(old: str, new: str, after: str = "") -> bytes:
    text = (DATA / "EDC_SampleDegree_AA.xml").read_text("utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return (text[:at] + new + text[at + len(old) :]).encode()


_CP = "<hasCreditPoints>240</hasCreditPoints>"


def test_ecvet_credit_points() -> None:
    result = from_edci_xml(
        _degree(_CP, f'<hasCreditPoints schemeID="{ECVET_SYSTEM}">60</hasCreditPoints>')
    )
    workload = result.credentials[0].specification.workload
    assert workload == Workload(ects=Decimal("120"), ecvet=Decimal("60"), hours=Decimal("1440"))
    assert not any("hasCreditPoints" in n for n in result.notes)


def test_ects_credit_points_given_twice() -> None:
    ects = "http://data.europa.eu/europass/educationalCreditPointSystem/ects"
    result = from_edci_xml(_degree(_CP, f'<hasCreditPoints schemeID="{ects}">90</hasCreditPoints>'))
    workload = result.credentials[0].specification.workload
    assert workload == Workload(ects=Decimal("120"), hours=Decimal("1440"))
    assert [n for n in result.notes if "hasCreditPoints" in n] == [
        f"{_Q6}/hasCreditPoints: ECTS credit points given twice (120 and 90); the first is read"
    ]


def test_credit_points_not_a_number() -> None:
    with pytest.raises(ParseError) as info:
        from_edci_xml(_degree(_CP, "<hasCreditPoints>many</hasCreditPoints>"))
    (problem,) = info.value.problems
    assert problem.location == f"{_Q6}/hasCreditPoints"
    assert (problem.line, problem.column) == (1750, 10)
    assert (
        problem.message == "<hasCreditPoints>: 'many' is not a valid value of the local atomic type"
    )


def test_credit_points_unknown_system() -> None:
    other = "http://example.org/credits"
    with pytest.raises(ParseError) as info:
        from_edci_xml(_degree(_CP, f'<hasCreditPoints schemeID="{other}">240</hasCreditPoints>'))
    (problem,) = info.value.problems
    assert problem.location == f"{_Q6}/hasCreditPoints/@schemeID"
    assert (problem.line, problem.column) == (1750, 10)
    assert problem.message.startswith(f"{other!r} is not valid here: The value {other!r} is not")


def test_credit_points_refused_by_the_model() -> None:
    with pytest.raises(ParseError) as info:
        from_edci_xml(
            _degree(_CP, f'<hasCreditPoints schemeID="{ECVET_SYSTEM}">-3</hasCreditPoints>')
        )
    (problem,) = info.value.problems
    assert problem.location == f"{_Q6}/hasCreditPoints"
    assert (problem.line, problem.column) == (1750, 10)
    assert problem.message == "Workload.ecvet: must not be negative, got -3"


def test_unknown_assessment_type() -> None:
    bad = _ASSESSMENT_TYPES + "0000000000"
    result = from_edci_xml(
        _degree(
            f'uri="{_ASSESSMENT_TYPES}b1b68f6735"',
            f'uri="{bad}"',
            after='<assessmentSpecification id="urn:epass:asssessmentspec:6">',
        )
    )
    assessment = result.credentials[0].specification.assessment
    assert assessment is not None
    assert [t.label for t in assessment.types] == [
        "written examination",
        "continuous evaluation",
        "oral examination",
        "level of attendance",
    ]
    assert [n for n in result.notes if bad in n] == [
        f"{_AS6}/type[5]/@uri: {bad!r} is not a concept of Learning assessment types; dropped"
    ]
