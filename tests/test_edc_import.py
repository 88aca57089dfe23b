"""EDC import: the official samples, the JSON-LD forms EDC issuers write, broken documents.

The official samples are byte-for-byte copies in ``tests/data/edc-samples`` (provenance in
its README).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eumicro import (
    AnnexElement,
    Assessment,
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    LegalIdentifier,
    Level,
    MicroCredential,
    Organisation,
    ParseError,
    Participation,
    Specification,
    Stackability,
    StackabilityOption,
    Text,
    Workload,
    check_annex_i,
    samples,
)
from eumicro.formats.europass import EdcImport, from_edc, to_edc, to_edc_json

DATA = Path(__file__).parent / "data" / "edc-samples"
UNSIGNED = DATA / "elm-3.1" / "Sample-MC-Annex1-unsigned.jsonld"
UPLOADABLE = DATA / "elm-3.1" / "Sample-MC-Annex1-unsigned-uploadable.json"
SIGNED = DATA / "elm-3.1" / "Sample-MC-Annex1-signed.jsonld"
SAMPLE_31 = DATA / "elm-3.1" / "credential-sample.jsonld"
SAMPLE_32 = DATA / "elm-3.2" / "credential-sample.jsonld"

UTC = dt.UTC


def read(path: Path) -> EdcImport:
    return from_edc(path.read_bytes())


# ----------------------------------------------------------------------------- the EC's micro-credential sample

IRELAND = "IRL"
ZED = Organisation(
    id="urn:epass:org:1",
    name=Text(en="University of Zed"),
    country=IRELAND,
    region="http://publications.europa.eu/resource/authority/atu/IRL_CTH_DUB",
    registration=LegalIdentifier(value="0000", country=IRELAND),
    vat_identifier=LegalIdentifier(value="654321", country=IRELAND),
    identifiers=(Identifier(value="Res1818", scheme="Research Alliance"),),
    homepage="https://uniz.edu",
    address="Instant Street 16, D08 Dublin",
)

EC_SAMPLE = MicroCredential(
    id="urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b",
    specification=Specification(
        id="urn:epass:qualification:1",
        title=Text(en="Digital micro-credential creation"),
        learning_outcomes=(
            LearningOutcome(
                id="urn:epass:learningOutcome:1",
                title=Text(en="Communication, collaboration and creativity"),
                esco_skills=(
                    "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                    "http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304",
                    "http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d",
                ),
            ),
            LearningOutcome(
                id="urn:epass:learningOutcome:2",
                title=Text(en="Developing digital content", es="Contento digital"),
                esco_skills=(
                    "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",
                ),
                related_skills=(
                    "http://data.europa.eu/snb/dcf/u69o196gu6",
                    "http://data.europa.eu/snb/dcf/3ol5wi3605",
                ),
                reusability_level="cross-sector",
            ),
        ),
        workload=Workload(ects=2, hours=60),
        level=Level(eqf=6, nqf=("http://data.europa.eu/snb/qdr/c_c392e7a2",)),
        assessment=Assessment(types=("artefact assessment",), modes=("Online",)),
        participation=Participation(modes=("Blended",), setting="non-formal learning"),
        prerequisites=Text(
            en="The learner needs to have an EDC Online Credential Builder account, that "
            "requires an EU Login ID."
        ),
        stackability=Stackability(option=StackabilityOption.STAND_ALONE),
        languages=("ENG",),
        fields=("003", "0688"),
        opportunity_type="Short learning programme",
    ),
    learner=Learner(
        id="urn:epass:person:1",
        full_name="Ana Andromeda",
        given_name="Ana",
        family_name="Andromeda",
        date_of_birth=dt.date(1999, 10, 2),
        email="ana.andromeda@email.com",
        national_id=LegalIdentifier(value="LA-234218", country="ITA"),
    ),
    awarding_bodies=(ZED,),
    valid_from=dt.datetime(2022, 12, 31, 23, 0, tzinfo=UTC),
    grade=Grade(value="Pass", scheme=Text(en="Standard grading")),
    supervision="Unsupervised without ID Verification",
    identifiers=(Identifier(value="C012", scheme="Certificate number"),),
)

ARTEFACT_NOTE = (
    "$.credentialSubject.hasClaim.provenBy.specifiedBy.dcType: the concept "
    "'urn:epass:concept:d1ebf223-3c68-449a-9023-90bc245a0079' ('artefact assessment', scheme "
    "'urn:epass:conceptScheme:1b79dc3d-cf98-4937-b504-80eb7b5d076c') is not in Learning "
    "assessment types: mapped by its label to 'http://data.europa.eu/snb/assessment/de4d165a6c'"
)
EC_NOTES = (
    "$.issued: the credential has no date of issuing (an unsealed credential: the e-seal adds it)",
    "$.displayParameter: the display parameters (title, images) are not held by the model; "
    "eumicro draws them anew on export",
    "$.credentialSubject.dateOfBirth: the date-time 1999-10-01T22:00:00+00:00 is read as the "
    "date 1999-10-02 (the nearest midnight: a local midnight written in UTC)",
    "$.credentialSubject.hasClaim.awardedBy.awardingBody.groupMemberOf: groupMemberOf (Group "
    '"Research Alliance") is not held by the eumicro model; dropped',
    "$.credentialSubject.hasClaim.awardedBy.awardingBody.logo: logo (MediaObject) is not held "
    "by the eumicro model; dropped",
    "$.credentialSubject.hasClaim.awardedBy.awardingBody.altLabel: altLabel is not held by the "
    "eumicro model; dropped",
    "$.credentialSubject.hasClaim.provenBy.title: the title of the learning assessment is not "
    "held by the model; dropped",
    '$.credentialSubject.hasClaim.provenBy.assessedBy: assessedBy (Organisation "European '
    'Digital Credentials for Learning Support Team") is not held by the eumicro model; dropped',
    ARTEFACT_NOTE,
    "$.credentialSubject.hasClaim.provenBy.specifiedBy.gradingScheme.description: description "
    "(grading scheme description) is not held by the eumicro model; dropped",
    '$.credentialSubject.hasClaim.provenBy.specifiedBy.language: language (Concept "English") '
    "is not held by the eumicro model; dropped",
    "$.credentialSubject.hasClaim.provenBy.specifiedBy.title: the title of the assessment "
    "specification is not held by the model; dropped",
    "$.credentialSubject.hasClaim.specifiedBy.maximumDuration: maximumDuration is not held by "
    "the eumicro model; dropped",
    '$.credentialSubject.hasClaim.influencedBy: influencedBy (LearningActivity "EDC building '
    'training course") is not held by the eumicro model; dropped',
)


def test_ec_sample_unsigned() -> None:
    result = read(UNSIGNED)
    assert result.credential == EC_SAMPLE
    assert (result.wrapper, result.version, result.seal_verified) == ("credential", "3.2", False)
    assert result.notes == EC_NOTES


def test_ec_sample_key_values() -> None:
    c = read(UNSIGNED).credential
    assert c.title == Text(en="Digital micro-credential creation")
    assert c.learner is not None
    assert c.learner.display_name == "Ana Andromeda"
    assert [str(b.name) for b in c.awarding_bodies] == ["University of Zed"]
    assert [country.code for country in c.issuer_countries] == ["IRL"]
    assert c.specification.ects == Decimal(2)
    assert c.specification.level is not None
    assert c.specification.level.eqf_number == 6
    assert c.grade is not None
    assert c.grade.value == "Pass"


def test_ec_sample_uploadable() -> None:
    result = read(UPLOADABLE)
    assert result.wrapper == "upload"
    assert result.credential == attrs.evolve(
        EC_SAMPLE,
        learner=attrs.evolve(EC_SAMPLE.learner, email="ana.andromeda.4edc@gmail.com"),
    )
    assert result.notes == tuple(n.replace("$.", "$.credential.", 1) for n in EC_NOTES)


def test_ec_sample_signed() -> None:
    result = read(SIGNED)
    assert (result.wrapper, result.version, result.seal_verified) == ("sealed", "3.2", False)
    test_seal = Organisation(
        id="urn:epass:org:1f0de2587-9348-4fa9-b4d7-a77e34a9ac8a",
        name=Text(en="ORGANIZACION TEST"),
        country=IRELAND,
        region="http://publications.europa.eu/resource/authority/atu/IRL_CTH_DUB",
        registration=LegalIdentifier(value="0000", country=IRELAND),
        eidas_identifier=LegalIdentifier(value="VATES-A00000000", country="ESP"),
        vat_identifier=LegalIdentifier(value="654321", country=IRELAND),
        identifiers=(Identifier(value="Res1818", scheme="Research Alliance"),),
        homepage="https://uniz.edu",
        address="Instant Street 16, D08 Dublin",
    )
    assert result.credential == attrs.evolve(
        EC_SAMPLE,
        id="urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75",
        learner=attrs.evolve(EC_SAMPLE.learner, email="ana.andromeda.4edc@gmail.com"),
        issuer=test_seal,  # the sealing organisation is not the awarding body
        issued=dt.datetime(2023, 9, 27, 13, 54, 17, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    )
    assert result.notes[0] == (
        "$.signatures: the credential is sealed (JAdES); the seal is not verified by eumicro"
    )
    assert ARTEFACT_NOTE.replace("$.", "$.payload.", 1) in result.notes
    assert "$.payload.evidence: evidence (Evidence) is not held by the eumicro model; dropped" in (
        result.notes
    )
    assert (
        "$.payload.issuer.location[1]: the model holds one location per organisation; the first "
        "is read" in result.notes
    )


@pytest.mark.parametrize(
    ("path", "missing"),
    [
        (UNSIGNED, [AnnexElement.DATE_OF_ISSUING, AnnexElement.QUALITY_ASSURANCE]),
        (UPLOADABLE, [AnnexElement.DATE_OF_ISSUING, AnnexElement.QUALITY_ASSURANCE]),
        (SIGNED, [AnnexElement.QUALITY_ASSURANCE]),
    ],
    ids=["unsigned", "uploadable", "signed"],
)
def test_ec_sample_annex_i(path: Path, missing: list[AnnexElement]) -> None:
    """The sample expresses no quality assurance; only sealing adds the date of issuing."""
    report = check_annex_i(read(path).credential)
    assert list(report.missing) == missing
    assert report.weak == ()


# ----------------------------------------------------------------------------- the small ELM samples


@pytest.mark.parametrize(("path", "version"), [(SAMPLE_31, "3.1"), (SAMPLE_32, "3.2")])
def test_elm_credential_sample(path: Path, version: str) -> None:
    result = read(path)
    assert result.version == version
    c = result.credential
    assert c.id == "http://example.org/credential132"
    assert c.title == Text(
        en="some kind of learning achievement", fr="une sorte de réussite scolaire"
    )
    assert c.specification.id == "urn:eumicro:node:qualification:1"
    assert c.learner == Learner(
        id="http://example.org/pid1", full_name="Max Power", given_name="Max", family_name="Power"
    )
    assert c.awarding_bodies == (
        Organisation(
            id="http://example.org/org1",
            name=Text(en="some legal name of the organisation"),
            country="FRA",
        ),
    )
    assert c.issuer == Organisation(
        id="http://example.org/issuer565049",
        name=Text(en="some legal name", fr="un nom légal"),
        country="FRA",
        eidas_identifier=LegalIdentifier(value="126839", country="FRA"),
    )
    assert c.issued == dt.datetime(2010, 1, 1, tzinfo=UTC)
    assert c.valid_from == dt.datetime(2010, 10, 1, tzinfo=UTC)
    assert c.valid_until == dt.datetime(2024, 9, 25, tzinfo=UTC)
    proof = "cred:proof" if version == "3.1" else "sec:proof"
    kinds = "xsd:anyURI" if version == "3.1" else None
    assert result.notes == (
        "$.credentialProfiles: the credential profile is 'Learning Entitlement' "
        "(http://data.europa.eu/snb/credential/bdc47cb449), not Generic",
        "$.issued: '2010-01-01T00:00:00' has no timezone: read as UTC",
        "$.issuanceDate: '2010-01-01T00:00:00' has no timezone: read as UTC",
        "$.validFrom: '2010-10-01T00:00:00' has no timezone: read as UTC",
        "$.validUntil: '2024-09-25T00:00:00' has no timezone: read as UTC",
        "$.expirationDate: '2024-09-25T00:00:00' has no timezone: read as UTC",
        "$.displayParameter: the display parameters (title, images) are not held by the model; "
        "eumicro draws them anew on export",
        "$.credentialSubject.birthName: birthName is not held by the eumicro model; dropped",
        "$.credentialSubject.hasClaim.awardedBy.educationalSystemNote: educationalSystemNote "
        "(Concept) is not held by the eumicro model; dropped",
        "$.credentialSubject.hasClaim.specifiedBy: the achievement has no specification with an "
        "id: the specification is given the id 'urn:eumicro:node:qualification:1'",
        "$.evidence: evidence (Evidence) is not held by the eumicro model; dropped",
        f"$.termsOfUse: termsOfUse ({kinds or 'TermsOfUse'}) is not held by the eumicro model; "
        "dropped",
        f"$.credentialStatus: credentialStatus ({kinds or 'CredentialStatus'}) is not held by the "
        "eumicro model; dropped",
        f"$['{proof}']: {proof} ({kinds or 'Proof'}) is not held by the eumicro model; dropped",
    )


# ----------------------------------------------------------------------------- input forms


def _base() -> dict[str, Any]:
    return to_edc(samples.load("data-literacy-ie"))


def test_text_bytes_and_dict() -> None:
    doc = _base()
    expected = samples.load("data-literacy-ie")
    assert from_edc(json.dumps(doc)).credential == expected
    assert from_edc(json.dumps(doc).encode("utf-8")).credential == expected
    assert from_edc(doc).credential == expected
    assert doc == _base()  # the input is not changed


_LITERAL_KEYS = {"@context", "id", "type"}


def _is_language_map(key: str) -> bool:
    return key in {
        "title",
        "description",
        "prefLabel",
        "legalName",
        "givenName",
        "familyName",
        "fullName",
        "noteLiteral",
    }


def _map_nodes(value: Any, fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_map_nodes(v, fn) for v in value]
    if isinstance(value, dict):
        out = {
            k: v if k in _LITERAL_KEYS or _is_language_map(k) else _map_nodes(v, fn)
            for k, v in value.items()
        }
        return fn(out)
    return value


def _all_arrays(node: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if k in _LITERAL_KEYS or isinstance(v, list) or _is_language_map(k) else [v]
        for k, v in node.items()
    }


def _language_lists(node: dict[str, Any]) -> dict[str, Any]:
    return {
        k: {tag: [text] for tag, text in v.items()} if _is_language_map(k) else v
        for k, v in node.items()
    }


@pytest.mark.parametrize("name", ["data-literacy-ie", "secure-networks-de", "digital-health-fi-ee"])
def test_every_value_in_an_array(name: str) -> None:
    credential = samples.load(name)
    doc = _map_nodes(to_edc(credential), _all_arrays)
    assert isinstance(doc["credentialSubject"], list)
    result = from_edc(doc)
    assert result.credential == credential
    assert result.notes == ()


def test_language_maps_with_arrays() -> None:
    doc = _map_nodes(_base(), _language_lists)
    assert doc["credentialSubject"]["fullName"] == {"en": ["Aoife Byrne"]}
    assert from_edc(doc).credential == samples.load("data-literacy-ie")


def test_several_texts_in_one_language_read_the_first() -> None:
    doc = _base()
    doc["credentialSubject"]["fullName"] = {"en": ["Aoife Byrne", "A. Byrne"]}
    result = from_edc(doc)
    assert result.credential == samples.load("data-literacy-ie")
    assert result.notes == (
        "$.credentialSubject.fullName.en: 2 texts in one language; the first is read",
    )


def test_single_values_of_the_ec_sample_as_arrays() -> None:
    doc = json.loads(UNSIGNED.read_text("utf-8"))
    assert from_edc(_map_nodes(doc, _all_arrays)).credential == EC_SAMPLE


def _occurrences(value: Any, seen: set[str]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every node with an id and whether it was seen before (document order)."""
    if isinstance(value, list):
        for v in value:
            yield from _occurrences(v, seen)
    elif isinstance(value, dict):
        node_id = value.get("id")
        repeat = isinstance(node_id, str) and node_id in seen and value.get("type") != "Concept"
        if isinstance(node_id, str):
            seen.add(node_id)
        yield value, repeat
        for k, v in value.items():
            if k not in _LITERAL_KEYS and not _is_language_map(k):
                yield from _occurrences(v, seen)


def _references(value: Any, seen: set[str]) -> Any:
    """Nodes given in full the first time and by their IRI afterwards."""
    if isinstance(value, list):
        return [_references(v, seen) for v in value]
    if isinstance(value, dict):
        node_id = value.get("id")
        if isinstance(node_id, str) and value.get("type") not in ("Concept", "ConceptScheme"):
            if node_id in seen:
                return node_id
            seen.add(node_id)
        return {
            k: v if k in _LITERAL_KEYS or _is_language_map(k) else _references(v, seen)
            for k, v in value.items()
        }
    return value


@pytest.mark.parametrize("name", ["data-literacy-ie", "digital-health-fi-ee"])
def test_repeated_nodes_by_reference(name: str) -> None:
    credential = samples.load(name)
    doc = to_edc(credential)
    assert any(repeat for _, repeat in _occurrences(doc, set()))
    referenced = _references(doc, set())
    assert isinstance(referenced["credentialSubject"]["hasClaim"]["provenBy"]["awardedBy"], str)
    assert from_edc(referenced).credential == credential


def test_repeated_nodes_with_their_properties_split() -> None:
    """A node given twice under one id, each time with part of its properties, is merged."""
    doc = _base()
    issuer = doc["issuer"]
    body = doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
    assert issuer["id"] == body["id"]
    keys = list(body)
    half = keys[len(keys) // 2 :]
    doc["issuer"] = {k: v for k, v in issuer.items() if k in ("id", "type") or k not in half}
    doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"] = {
        k: v for k, v in body.items() if k in ("id", "type") or k in half
    }
    assert from_edc(doc).credential == samples.load("data-literacy-ie")


def test_ec_sample_with_repeated_nodes_by_reference() -> None:
    doc = json.loads(UNSIGNED.read_text("utf-8"))
    referenced = _references(doc, set())
    assert referenced["issuer"] == "urn:epass:org:1"
    result = from_edc(referenced)
    # The issuer, given by reference to the awarding body, is a stated issuer.
    assert result.credential == attrs.evolve(EC_SAMPLE, issuer=ZED)


def test_conflicting_values_of_a_repeated_node() -> None:
    doc = _base()  # the awarding body is also the issuer, which comes first
    assert (
        doc["issuer"]["id"]
        == doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]["id"]
    )
    body = doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
    body["homepage"] = {"id": "urn:x:home", "type": "WebResource", "contentURL": "https://x.eu/"}
    result = from_edc(doc)
    assert result.credential.awarding_bodies[0].homepage == "https://www.liffey-university.example/"
    assert result.notes == (
        "$.credentialSubject.hasClaim.awardedBy.awardingBody.homepage: 2 values where one is "
        "expected; the first is read",
    )


def test_https_context_is_read_with_a_note() -> None:
    doc = _base()
    doc["@context"][1] = "https://data.europa.eu/snb/model/context/edc-ap"
    result = from_edc(doc)
    assert result.credential == samples.load("data-literacy-ie")
    assert result.notes == (
        "$['@context']: names 'https://data.europa.eu/snb/model/context/edc-ap'; the EDC "
        "context is 'http://data.europa.eu/snb/model/context/edc-ap' (read as such)",
    )


def test_other_claims_and_several_achievements() -> None:
    doc = _base()
    claim = doc["credentialSubject"]["hasClaim"]
    activity = {"id": "urn:x:activity", "type": "LearningActivity", "title": {"en": "Lab work"}}
    doc["credentialSubject"]["hasClaim"] = [activity, claim]
    result = from_edc(doc)
    assert result.credential == samples.load("data-literacy-ie")
    assert result.notes == (
        '$.credentialSubject.hasClaim[0]: the claim LearningActivity "Lab work" is not held by '
        "the model; dropped",
    )


def test_sealed_payload_in_base64url() -> None:
    import base64

    text = to_edc_json(samples.load("ai-ethics-fr"), indent=None)
    payload = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    result = from_edc({"payload": payload, "signatures": []})
    assert result.wrapper == "sealed"
    assert result.credential == samples.load("ai-ethics-fr")


def test_durations_and_dates() -> None:
    doc = _base()
    spec = doc["credentialSubject"]["hasClaim"]["specifiedBy"]
    spec["volumeOfLearning"] = "P1DT30M"
    doc["credentialSubject"]["dateOfBirth"] = "1991-03-14T09:30:00+01:00"
    doc["validUntil"] = "2030-01-01"
    result = from_edc(doc)
    c = result.credential
    assert c.specification.workload is not None
    assert c.specification.workload.hours == Decimal("24.5")
    assert c.learner is not None
    assert c.learner.date_of_birth == dt.date(1991, 3, 14)
    assert c.valid_until == dt.datetime(2030, 1, 1, tzinfo=UTC)
    assert result.notes == (
        "$.validUntil: '2030-01-01' is a date without a time: read as midnight UTC",
        "$.credentialSubject.dateOfBirth: the date-time 1991-03-14T09:30:00+01:00 is read as the "
        "date 1991-03-14 (the nearest midnight: a local midnight written in UTC)",
        "$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning: the duration 'P1DT30M' is "
        "read with a day as 24 hours",
    )
    spec["volumeOfLearning"] = "P2M"
    result = from_edc(doc)
    assert result.credential.specification.workload == Workload(ects=5)
    assert (
        "$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning: the duration 'P2M' is in "
        "years or months, which are not a number of hours; dropped"
    ) in result.notes


# ----------------------------------------------------------------------------- broken documents


def _edit(fn: Callable[[dict[str, Any]], Any]) -> Callable[[], Any]:
    def make() -> Any:
        doc = _base()
        fn(doc)
        return doc

    return make


def _spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = doc["credentialSubject"]["hasClaim"]["specifiedBy"]
    return spec


def _without_country() -> dict[str, Any]:
    doc = to_edc(samples.load("weld-inspection-pl"))  # a learner with a national id
    del doc["credentialSubject"]["nationalID"]["spatial"]
    return doc


SPEC = "$.credentialSubject.hasClaim.specifiedBy"
EDC = "'http://data.europa.eu/snb/model/context/edc-ap'"

BROKEN: list[tuple[str, Callable[[], Any], list[str]]] = [
    (
        "malformed JSON",
        lambda: '{"id": }',
        ["$ (line 1, column 8): not valid JSON: Expecting value"],
    ),
    (
        "not UTF-8",
        lambda: b'{"id": "\xff"}',
        [
            "$: not UTF-8 text: 'utf-8' codec can't decode byte 0xff in position 8: invalid "
            "start byte"
        ],
    ),
    (
        "root is an array",
        list,
        ["$: expected a JSON object (an EDC credential), got an array []"],
    ),
    (
        "no @context",
        _edit(lambda d: d.pop("@context")),
        [f"$['@context']: required key '@context' is missing (an EDC names {EDC})"],
    ),
    (
        "an Open Badge",
        _edit(
            lambda d: d.update(
                {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                }
            )
        ),
        [
            f"$['@context']: expected the EDC context {EDC}, got "
            '["https://www.w3.org/ns/credentials/v2"]',
            "$.type: expected a type including 'EuropeanDigitalCredential', got "
            '["VerifiableCredential", "OpenBadgeCredential"]',
        ],
    ),
    (
        "no id",
        _edit(lambda d: d.pop("id")),
        ["$.id: required key 'id' of the credential is missing"],
    ),
    (
        "no credential subject",
        _edit(lambda d: d.pop("credentialSubject")),
        ["$.credentialSubject: required key 'credentialSubject' of the credential is missing"],
    ),
    (
        "an organisation as the subject",
        _edit(lambda d: d["credentialSubject"].update({"type": "Organisation"})),
        ["$.credentialSubject: expected a Person as the credential subject, got Organisation"],
    ),
    (
        "not a micro-credential: a learning activity",
        _edit(
            lambda d: d["credentialSubject"].update(
                {"hasClaim": {"id": "urn:x:1", "type": "LearningActivity", "title": {"en": "x"}}}
            )
        ),
        [
            "$.credentialSubject.hasClaim: no LearningAchievement claim (found LearningActivity): "
            "a micro-credential is a learning achievement"
        ],
    ),
    (
        "a number as a date",
        _edit(lambda d: d.update({"issued": 5})),
        ['$.issued: expected an xsd:dateTime such as 2024-05-01T10:00:00Z, got "5"'],
    ),
    (
        "dates that are not",
        _edit(lambda d: d.update({"issued": "yesterday", "issuanceDate": "2024-13-45T00:00:00Z"})),
        [
            '$.issued: expected an xsd:dateTime such as 2024-05-01T10:00:00Z, got "yesterday"',
            "$.issuanceDate: not a valid date-time '2024-13-45T00:00:00Z': month must be in 1..12",
        ],
    ),
    (
        "an EQF level that does not exist",
        _edit(lambda d: _spec(d)["eqfLevel"].update({"id": "http://data.europa.eu/snb/eqf/9"})),
        [
            f"{SPEC}.eqfLevel: 'http://data.europa.eu/snb/eqf/9' is not a concept of European "
            "Qualifications Framework levels"
        ],
    ),
    (
        "a concept without an IRI",
        _edit(lambda d: _spec(d).update({"learningSetting": {"type": "Concept"}})),
        [f"{SPEC}.learningSetting: expected a concept with an id (its IRI)"],
    ),
    (
        "a title that is not a language map",
        _edit(lambda d: _spec(d).update({"title": "Data literacy"})),
        [
            f'{SPEC}.title: expected a language map such as {{"en": "…"}}, got a string "Data literacy"'
        ],
    ),
    (
        "a language map with a bad tag and a number",
        _edit(lambda d: _spec(d).update({"title": {"english": "Data literacy", "en": 5}})),
        [
            f"{SPEC}.title.en: expected a string, got a number 5",
            f"{SPEC}.title.english: 'english' is not a BCP 47 language tag (expected e.g. 'en', "
            "'de', 'pt-BR')",
        ],
    ),
    (
        "credit points that are not a number",
        _edit(lambda d: _spec(d)["creditPoint"].update({"point": "five"})),
        [f'{SPEC}.creditPoint.point: expected a number, got "five"'],
    ),
    (
        "a duration that is not",
        _edit(lambda d: _spec(d).update({"volumeOfLearning": "125 hours"})),
        [f'{SPEC}.volumeOfLearning: expected an xsd:duration such as PT60H, got "125 hours"'],
    ),
    (
        "a date of birth in the future",
        _edit(lambda d: d["credentialSubject"].update({"dateOfBirth": "2999-01-01T00:00:00Z"})),
        ["$.credentialSubject.dateOfBirth: is in the future (2999-01-01)"],
    ),
    (
        "an e-mail address that is not",
        _edit(
            lambda d: d["credentialSubject"]["contactPoint"]["emailAddress"].update(
                {"id": "mailto:not-an-address"}
            )
        ),
        [
            "$.credentialSubject.contactPoint.emailAddress: expected an e-mail address, got 'not-an-address'"
        ],
    ),
    (
        "a legal identifier without a country",
        _without_country,
        ["$.credentialSubject.nationalID.spatial: is required"],
    ),
    (
        "an issuer that is only a reference to nothing",
        _edit(lambda d: d.update({"issuer": "urn:nowhere"})),
        ["$.issuer: 'urn:nowhere' names no node described in the document"],
    ),
    (
        "a sealed document whose payload is not JSON",
        lambda: {"payload": "{not json", "signatures": []},
        [
            "$.payload: the payload is not valid JSON: Expecting property name enclosed in double "
            "quotes (line 1, column 2 of the payload)"
        ],
    ),
    (
        "a sealed document whose payload is not a string",
        lambda: {"payload": 5, "signatures": []},
        ["$.payload: expected the credential as a JSON string, got a number"],
    ),
    (
        "an upload wrapper around an array",
        lambda: {"credential": [1]},
        ["$.credential: expected a JSON object (an EDC credential), got an array [1]"],
    ),
    (
        "problems inside an upload wrapper",
        lambda: {"credential": _edit(lambda d: d.update({"issued": "2024"}))()},
        ['$.credential.issued: expected an xsd:dateTime such as 2024-05-01T10:00:00Z, got "2024"'],
    ),
    (
        "every problem at once",
        _edit(
            lambda d: (
                d.update({"issued": "2024"}),
                _spec(d).update(
                    {
                        "eqfLevel": "http://data.europa.eu/snb/eqf/0",
                        "language": [
                            "http://publications.europa.eu/resource/authority/language/ENG",
                            "http://publications.europa.eu/resource/authority/language/XXX",
                        ],
                    }
                ),
                d["credentialSubject"].update({"dateOfBirth": {"a": 1}}),
            )
        ),
        [
            '$.issued: expected an xsd:dateTime such as 2024-05-01T10:00:00Z, got "2024"',
            "$.credentialSubject.dateOfBirth: expected an xsd:dateTime such as "
            '2024-05-01T10:00:00Z, got an object {"a": 1}',
            f"{SPEC}.eqfLevel: 'http://data.europa.eu/snb/eqf/0' is not a concept of European "
            "Qualifications Framework levels",
            f"{SPEC}.language[1]: 'http://publications.europa.eu/resource/authority/language/XXX' "
            "is not a concept of Languages",
        ],
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [(m, e) for _, m, e in BROKEN], ids=[n for n, _, _ in BROKEN]
)
def test_broken_documents(make: Callable[[], Any], expected: list[str]) -> None:
    document = make()
    with pytest.raises(ParseError) as info:
        from_edc(document if isinstance(document, str | bytes) else json.dumps(document))
    assert [str(p) for p in info.value.problems] == expected
    assert info.value.subject == "EDC"


# ----------------------------------------------------------------------------- robustness

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


_DOCS = [to_edc(samples.load(name)) for name in ("data-literacy-ie", "secure-networks-de")] + [
    json.loads(UNSIGNED.read_text("utf-8"))
]
_DOC_PATHS = [(i, p) for i, doc in enumerate(_DOCS) for p in _paths(doc) if p]


@given(st.sampled_from(_DOC_PATHS), _JSON, st.booleans())
def test_any_damage_gives_a_parse_error_or_a_credential(
    where: tuple[int, tuple[Any, ...]], value: Any, delete: bool
) -> None:
    """Whatever is put anywhere in a document, the result is a credential or a ParseError."""
    index, path = where
    doc = copy.deepcopy(_DOCS[index])
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    problems: tuple[Any, ...] = ()
    try:
        result = from_edc(doc)
    except ParseError as exc:
        problems = exc.problems
    else:
        assert isinstance(result.credential, MicroCredential)
        return
    assert problems
    assert all(isinstance(p.path, tuple) for p in problems)


@given(_JSON)
def test_any_json_gives_a_parse_error(value: Any) -> None:
    with pytest.raises(ParseError):
        from_edc(json.dumps(value))
