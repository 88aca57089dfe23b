"""Legacy Europass credential XML (EDCI ≤ 1.7): import, export, errors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from lxml import etree
from tests import strategies as gen

from eumicro import Concept, ParseError, ValidationError, check_annex_i, samples, vocab
from eumicro._annex import AnnexElement
from eumicro._model import (
    Assessment,
    CredentialReference,
    Grade,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._text import Text
from eumicro.formats.europass._edci import (
    ECVET_SYSTEM,
    TEXT_LANGUAGES,
    edci_schema,
    from_edci_xml,
    learner_names,
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
    """``c`` restricted to what the format holds (docs/edci.md, "What has no home"): the
    learner's given and family names (both required), an issuer stated as the first
    awarding body or without awarding bodies (only ``cred:issuer``), supervision without
    a grade (``idVerificationMethod`` belongs to the graded assessment)."""
    learner = c.learner
    if learner is not None:
        given, family = (n if n.strip() else None for n in learner_names(learner))
        learner = attrs.evolve(learner, given_name=given, family_name=family)
    bodies = c.awarding_bodies or tuple(o for o in (c.issuer,) if o is not None)
    return attrs.evolve(
        c,
        learner=learner,
        awarding_bodies=bodies,
        issuer=None if c.issuer in bodies[:1] else c.issuer,
        supervision=c.supervision if c.grade is not None else None,
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
    assert back.specification.quality_assurance == spec.quality_assurance
    assert back == _carried(credential)
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


# ----------------------------------------------------------------------------- every attribute

_SNB = "{http://data.europa.eu/snb}"


def _in_format_languages(obj: object) -> object:
    """``obj`` with every text tagged with a code of the format's list of languages (no
    region or script): another language goes to a code the text does not use yet."""
    if isinstance(obj, Text):
        pairs: dict[str, str] = {}
        for tag, value in obj.items_in_order():
            base = tag.split("-")[0].lower()
            if base not in TEXT_LANGUAGES or base in pairs:
                base = min(TEXT_LANGUAGES - set(pairs))
            pairs[base] = value
        return Text(pairs)
    if isinstance(obj, tuple):
        return tuple(_in_format_languages(x) for x in obj)
    if attrs.has(type(obj)) and not isinstance(obj, Concept):
        fields = attrs.fields(type(obj))
        return attrs.evolve(
            obj, **{f.name: _in_format_languages(getattr(obj, f.name)) for f in fields}
        )  # type: ignore[misc]
    return obj


def _credentials_in_format_languages(c: MicroCredential) -> MicroCredential | None:
    try:
        found = _in_format_languages(c)
    except ValidationError:  # two organisations became equal: no longer a credential
        return None
    assert isinstance(found, MicroCredential)
    return found


# What the format refuses with its element path (checked by the XSD, or before): ids and
# web addresses that libxml2 does not read as xs:anyURI (an unescaped "[", say), and two
# different records with one id.
_REFUSED = re.compile(
    r"of type (IdType|DocumentURLType|MailToUriType|xs:anyURI)|No precomputed value|Not all fields of "
    r"key|must be unique|another, different"
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    gen.micro_credentials().map(_credentials_in_format_languages).filter(lambda c: c is not None)
)
def test_property_round_trip(credential: MicroCredential) -> None:
    # The format requires a date of issuing, a learner, a title and an issuer.
    assume(credential.issued is not None and credential.learner is not None)
    assume(credential.title is not None and credential.effective_issuer is not None)
    # An agency is recorded on an accreditation, which requires the type.
    assume(all(qa.type for qa in credential.specification.quality_assurance if qa.agency))
    try:
        data = to_edci_xml(credential)
    except ValidationError as exc:
        assume(not all(_REFUSED.search(p.message) for p in exc.problems))
        raise
    schema = edci_schema()
    assert schema.validate(etree.fromstring(data)), schema.error_log
    result = from_edci_xml(data)
    assert result.credentials == (_carried(credential),)
    assert result.notes == ()


@pytest.mark.parametrize("credential", samples.load_all(), ids=lambda c: c.id.rsplit(":", 2)[-2])
def test_every_sample_round_trips(credential: MicroCredential) -> None:
    if credential.issued is None:  # the draft: the format requires a date of issuing
        with pytest.raises(ValidationError, match="requires the date of issuing"):
            to_edci_xml(credential)
        credential = attrs.evolve(credential, issued=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    result = from_edci_xml(to_edci_xml(credential))
    assert result.credentials == (_carried(credential),)
    assert result.notes == ()


def _xml(el: etree._Element | None) -> str:
    """An element as compact XML, without namespace declarations or indentation."""
    assert el is not None
    text = etree.tostring(el, encoding="unicode", with_tail=False)
    return re.sub(r' xmlns(:\w+)?="[^"]*"|>\s+<', lambda m: "><" if m[0][0] == ">" else "", text)


_ACCREDITED = vocab.ACCREDITATION_TYPE.find_iri(
    "http://data.europa.eu/snb/accreditation/003293d2ce"
)
_AGENCY = Organisation(name=Text(en="QA Agency"), id="urn:example:agency")


def _conventions() -> tuple[MicroCredential, etree._Element]:
    """A sample with every convention of docs/edci.md, its document and a check that it
    is valid and reads back."""
    c = _sample("wcs")
    assert _ACCREDITED is not None
    spec = attrs.evolve(
        c.specification,
        quality_assurance=(
            QualityAssurance(type=_ACCREDITED, agency=_AGENCY, report="https://example.org/r"),
            QualityAssurance(description=Text(en="Internal review."), report="https://x.org/i"),
            QualityAssurance(type=_ACCREDITED),
        ),
        stackability=Stackability(
            option=StackabilityOption.STACKABLE,
            towards=(CredentialReference(id="urn:example:master", title=Text(en="Master")),),
        ),
        learning_outcome_summary=Text(en="Summary."),
        participation=Participation(
            description=Text(en="Evenings."), schedule=vocab.LEARNING_SCHEDULE.by_code("67395e6b5a")
        ),
        provider=attrs.evolve(_AGENCY, region=vocab.NUTS.by_code("DEA29")),
        level=Level(qf_ehea=vocab.QF_EHEA.by_code("short")),
        workload=Workload(hours=Decimal("2.51")),
    )
    credential = attrs.evolve(c, specification=spec)
    data = to_edci_xml(credential)
    result = from_edci_xml(data)
    assert result.credentials == (_carried(credential),)
    assert result.notes == ()
    return credential, etree.fromstring(data)


_T = '<text lang="en" content-type="text/plain">'
_Q = f"{_SNB}learningSpecificationReferences/{_SNB}qualification"


def test_quality_assurance_conventions() -> None:
    _, root = _conventions()
    q = root.find(_Q)
    assert q is not None
    qa = "http://data.europa.eu/snb/qualification-topics#accreditation-and-quality-assurance"
    notes = [_xml(n) for n in q.findall(_SNB + "additionalNote")]
    assert notes[:2] == [
        f'<additionalNote>{_T}Internal review.</text><subject uri="{qa}">'
        "quality-assurance-2</subject></additionalNote>",
        f'<additionalNote><text lang="en" content-type="text/plain"/><subject uri="{qa}">'
        "quality-assurance-3</subject><subject>http://data.europa.eu/snb/accreditation/"
        "003293d2ce</subject></additionalNote>",
    ]
    assert _xml(q.find(_SNB + "supplementaryDoc")) == (
        f'<supplementaryDoc uri="https://x.org/i"><title>{_T}quality-assurance-2</text>'
        "</title></supplementaryDoc>"
    )
    assert _xml(q.find(_SNB + "hasAccreditation")) == (
        '<hasAccreditation idref="urn:eumicro:edci:qualityAssurance:1"/>'
    )
    accreditation = _xml(root.find(f"{_SNB}accreditationReferences/{_SNB}accreditation"))
    assert accreditation.startswith(
        '<accreditation id="urn:eumicro:edci:qualityAssurance:1"><type targetFrameworkUrl='
        '"http://data.europa.eu/snb/accreditation/25831c2" uri="http://data.europa.eu/snb/'
        'accreditation/003293d2ce">'
    )
    assert accreditation.endswith(
        f'<title>{_T}Institutional License</text></title><report uri="https://example.org/r"/>'
        '<organization id="urn:example:agency"><registration schemeID="eumicro:copy">'
        f"urn:example:agency</registration><prefLabel>{_T}QA Agency</text></prefLabel>"
        "<hasLocation>"
        + accreditation.split("<hasLocation>")[1].split("</hasLocation>")[0]
        + '</hasLocation></organization><accreditingAgent id="urn:example:agency">'
        '<registration schemeID="eumicro:copy">urn:example:agency</registration><prefLabel>'
        f"{_T}QA Agency</text></prefLabel><hasLocation/></accreditingAgent></accreditation>"
    )


def test_stackability_summary_participation_level_conventions() -> None:
    credential, root = _conventions()
    q = root.find(_Q)
    assert q is not None
    topics = "http://data.europa.eu/snb/qualification-topics"
    notes = [_xml(n) for n in q.findall(_SNB + "additionalNote")]
    assert notes[2:] == [
        f'<additionalNote>{_T}Summary.</text><subject uri="{topics}#learning-outcomes">'
        "Learning outcomes</subject></additionalNote>",
        f'<additionalNote>{_T}Evenings.</text><subject uri="{topics}#ways-to-acquire">'
        "Ways to acquire (form of participation)</subject></additionalNote>",
    ]
    assert _xml(q.find(_SNB + "volumeOfLearning")) == (
        "<volumeOfLearning>PT2H30M36S</volumeOfLearning>"
    )
    assert _xml(q.find(_SNB + "hasEducationLevel")).startswith(
        '<hasEducationLevel targetFrameworkUrl="http://www.ehea.info/page-qualification-'
        'frameworks" uri="urn:eumicro:vocab:qf-ehea-cycle:short">'
    )
    assert _xml(q.find(_SNB + "isPartialQualification")) == (
        "<isPartialQualification>true</isPartialQualification>"
    )
    spec_id = credential.specification.id
    assert _xml(root.find(f"{_Q}[2]")) == (
        f'<qualification id="urn:example:master"><title>{_T}Master</text></title>'
        f'<hasPart idref="{spec_id}"/></qualification>'
    )
    opportunity = _xml(root.find(f"{_SNB}learningOpportunityReferences/{_SNB}learningOpportunity"))
    assert opportunity.startswith(
        '<learningOpportunity id="urn:eumicro:edci:learningOpportunity:1">'
    )
    assert opportunity.endswith(
        '<learningSchedule targetFrameworkUrl="http://data.europa.eu/snb/learning-schedule/'
        '25831c2" uri="http://data.europa.eu/snb/learning-schedule/67395e6b5a"><targetName>'
        f"{_T}Part time light</text></targetName><targetFrameworkName>{_T}Learning schedule "
        'types</text></targetFrameworkName></learningSchedule><providedBy idref="urn:example:'
        f'agency"/><specifiedBy idref="{spec_id}"/></learningOpportunity>'
    )
    achievement = root.find(f"{_SNB}credentialSubject/{_SNB}achievements/{_SNB}learningAchievement")
    assert achievement is not None
    assert _xml(achievement[-1]) == (
        '<associatedLearningOpportunity idref="urn:eumicro:edci:learningOpportunity:1"/>'
    )
    provider = root.find(f'{_SNB}agentReferences/{_SNB}organization[@id="urn:example:agency"]')
    assert _xml(provider).endswith(
        '<hasLocation><spatialCode targetFrameworkUrl="http://data.europa.eu/nuts" '
        f'uri="http://data.europa.eu/nuts/code/DEA29"><targetName>{_T}'
        + vocab.NUTS.by_code("DEA29").label
        + f"</text></targetName><targetFrameworkName>{_T}NUTS regions</text>"
        "</targetFrameworkName></spatialCode></hasLocation></organization>"
    )


def _conventions_changed(old: str, new: str) -> bytes:
    credential, _ = _conventions()
    return to_edci_xml(credential).decode().replace(old, new).encode()


def test_unknown_accreditation_type_and_region_are_notes() -> None:
    bad = "http://data.europa.eu/snb/accreditation/0000000000"
    result = from_edci_xml(
        _conventions_changed(
            'uri="http://data.europa.eu/snb/accreditation/003293d2ce">', f'uri="{bad}">'
        )
    )
    assert result.notes == (
        "/europassCredential/accreditationReferences/accreditation/type/@uri: "
        f"{bad!r} is not a concept of Accreditation types; dropped",
    )
    # The accreditation had only its type: what is left is the note on quality assurance.
    qa = result.credentials[0].specification.quality_assurance
    assert [(q.type, q.description) for q in qa] == [
        (None, Text(en="Internal review.")),
        (_ACCREDITED, None),
    ]
    region = "http://data.europa.eu/nuts/code/XX99"
    result = from_edci_xml(_conventions_changed("http://data.europa.eu/nuts/code/DEA29", region))
    assert result.notes == (
        "/europassCredential/agentReferences/organization[2]/hasLocation/spatialCode/@uri: "
        f"{region!r} is not a concept of NUTS regions or Administrative territorial units; dropped",
    )
    assert result.credentials[0].specification.provider == _AGENCY


def test_stacking_towards_a_reference_the_model_refuses() -> None:
    with pytest.raises(ParseError) as info:
        from_edci_xml(_conventions_changed('id="urn:example:master"', 'id="master"'))
    (problem,) = info.value.problems
    assert (
        problem.location == "/europassCredential/learningSpecificationReferences/qualification[2]"
    )
    assert (problem.line, problem.column) == (134, 5)
    assert problem.message == (
        "CredentialReference.id: expected an absolute IRI such as 'urn:…' or 'https://…', got "
        "'master'"
    )


def test_export_refusals() -> None:
    credential, _ = _conventions()
    qa = QualityAssurance(description=Text(en="Audit."), agency=_AGENCY)
    spec = attrs.evolve(credential.specification, quality_assurance=(qa,))
    with pytest.raises(ValidationError) as info:
        to_edci_xml(attrs.evolve(credential, specification=spec))
    (problem,) = info.value.problems
    assert problem.location == "$.specification.quality_assurance[0].agency"
    assert problem.message.startswith("the format records a quality-assurance agency only on")
    title = Text([("ca", "Soldadura"), ("sr-Latn", "Zavarivanje"), ("sr-Cyrl", "Заваривање")])
    spec = attrs.evolve(credential.specification, title=title)
    with pytest.raises(ValidationError) as info:
        to_edci_xml(attrs.evolve(credential, specification=spec))
    messages = [(p.location, p.line, p.column, p.message) for p in info.value.problems]
    assert messages[0] == (
        "$",
        None,
        None,
        "<title>: the format tags a text with a language code only, and 'sr-Latn' and "
        "'sr-Cyrl' are both 'sr' (give one of them)",
    )
