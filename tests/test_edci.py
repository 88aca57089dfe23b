"""Legacy Europass credential XML (EDCI ≤ 1.7): import, export, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from lxml import etree

from eumicro import ParseError, check_annex_i, samples
from eumicro._annex import AnnexElement
from eumicro._model import MicroCredential
from eumicro.formats.europass._edci import edci_schema, from_edci_xml, to_edci_xml

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
    assert check_annex_i(c).missing == (
        AnnexElement.LEARNING_OUTCOMES,
        AnnexElement.WORKLOAD,
        AnnexElement.LEVEL,
        AnnexElement.ASSESSMENT,
        AnnexElement.QUALITY_ASSURANCE,
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
    assert spec.workload is not None
    assert (spec.workload.ects, spec.workload.hours) == (Decimal("120"), Decimal("1440"))
    assert spec.level is not None
    assert spec.level.eqf_number == 5
    assert len(spec.learning_outcomes) == 6
    assert c.grade is not None
    assert c.grade.value == "excellent (5)"
    assert c.supervision is not None
    assert c.supervision.code == "70be69aaf9"
    assert any("not a separate credential" in n for n in result.notes)
    assert check_annex_i(c).missing == (AnnexElement.ASSESSMENT, AnnexElement.QUALITY_ASSURANCE)


def _carried(c: MicroCredential) -> MicroCredential:
    """What the format holds of a credential (see docs/edci.md)."""
    spec = c.specification
    workload = spec.workload
    if workload is not None:
        workload = attrs.evolve(workload, ecvet=None) if workload.ects or workload.hours else None
    level = spec.level
    if level is not None:
        level = attrs.evolve(level, qf_ehea=None) if level.eqf or level.nqf else None
    participation = spec.participation
    if participation is not None:
        participation = attrs.evolve(participation, schedule=None, description=None)
    spec = attrs.evolve(
        spec,
        workload=workload,
        level=level,
        participation=participation,
        assessment=None,
        quality_assurance=(),
        stackability=None,
        further_information=None,
        learning_outcome_summary=None,
        provider=None,
    )
    bodies = tuple(attrs.evolve(o, region=None) for o in c.awarding_bodies)
    learner = c.learner
    if learner is not None and learner.full_name and not learner.given_name:
        given, _, family = learner.full_name.rpartition(" ")
        learner = attrs.evolve(learner, given_name=given, family_name=family)
    grade = attrs.evolve(c.grade, scheme=None) if c.grade is not None else None
    return attrs.evolve(
        c,
        specification=spec,
        awarding_bodies=bodies,
        learner=learner,
        grade=grade,
        issuer=None,
        further_information=None,
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
