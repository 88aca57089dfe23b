"""LOQ XML: learning opportunities and qualifications for the Europass register."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from tests import strategies

from eumicro import (
    Assessment,
    CredentialReference,
    Identifier,
    LearningOutcome,
    Level,
    Organisation,
    ParseError,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    Text,
    ValidationError,
    Workload,
    samples,
    vocab,
)
from eumicro._opportunity import LearningOpportunity, Price
from eumicro.formats.europass._loq import LOQ_NS, from_loq_xml, loq_schema, read_loq, to_loq_xml

DATA = Path(__file__).parent / "data" / "loq"
SAMPLE = DATA / "loq.xml"
UTC = dt.UTC
LANG = "http://publications.europa.eu/resource/authority/language/"


def valid(document: bytes) -> bool:
    schema = loq_schema()
    ok = schema.validate(etree.fromstring(document))
    assert ok, schema.error_log
    return ok


PROVIDER = Organisation(
    id="https://www.liffey-university.example/",
    name=Text(en="Liffey University", ga="Ollscoil na Life"),
    country="IRL",
    homepage="https://www.liffey-university.example/",
)
SPEC = Specification(
    id="urn:example:spec:data-literacy",
    title=Text(en="Data literacy"),
    description=Text(en="Working with data, from collection to communication."),
    learning_outcomes=[
        LearningOutcome(title=Text(en="Clean and document a data set")),
        LearningOutcome(
            id="urn:example:lo:visualise",
            title=Text(en="Visualise data"),
            skill_type="skill",
            esco_skills=["http://data.europa.eu/esco/skill/0ae2dc2f-8d0d-4ae2-8e8a-23b54e0bbf0c"],
        ),
    ],
    workload=Workload(ects=5, hours=Decimal("125.5")),
    level=Level(eqf=6, qf_ehea=1),
    participation=Participation(modes=["Online"], setting="formal learning"),
    languages=["en", "ga"],
    fields=["0542"],
    opportunity_type="Course",
    provider=PROVIDER,
    homepage="https://www.liffey-university.example/data-literacy",
)
OFFER = LearningOpportunity(
    id="urn:example:offer:data-literacy:2026",
    specification=SPEC,
    start=dt.datetime(2026, 9, 1, 9, 0, tzinfo=UTC),
    end=dt.datetime(2026, 12, 18, 17, 0, tzinfo=UTC),
    application_deadlines=[dt.datetime(2026, 8, 15, tzinfo=UTC)],
    duration="P4M",
    modes=["Online"],
    schedule="Part time intensive",
    prices=[Price(amount="450", currency="EUR", label=Text(en="Tuition fee"))],
    countries=["IRL"],
)


# ----------------------------------------------------------------------------- the sample


def test_official_sample_imports_with_exact_values() -> None:
    items = from_loq_xml(SAMPLE.read_bytes(), strict=False)
    assert [(type(i).__name__, i.id) for i in items] == [
        ("LearningOpportunity", "http://LOP-01"),
        ("LearningOpportunity", "http://LOP-02"),
        ("Specification", "http://Q-02"),
    ]
    offer = items[0]
    assert isinstance(offer, LearningOpportunity)
    assert offer.title == Text(en="Yopx", nl="roY6hw")
    assert offer.start == dt.datetime(2024, 10, 17, 10, 51, 20, tzinfo=UTC)
    assert offer.application_deadlines == (
        dt.datetime(2024, 9, 27, 10, 51, 20, tzinfo=UTC),  # no offset in the file: UTC
        dt.datetime(2023, 8, 22, 10, 51, 20, tzinfo=UTC),
    )
    assert offer.duration == "P7Y3M8DT1H10M0S"
    assert offer.language is not None
    assert offer.language.code == "HAI"
    assert [m.label for m in offer.modes] == ["Workbased", "Blended"]
    assert [(p.amount, p.currency.code) for p in offer.prices] == [
        (Decimal("1378413989.154"), "XXX"),
        (Decimal("617533410.143"), "CUP"),
    ]
    assert [p.id for p in offer.providers] == ["http://ORG-01", "http://ORG-02"]
    assert [c.code for c in offer.countries] == ["SGS", "MDA", "WLF", "SLB"]
    spec = offer.specification
    assert spec.id == "http://Q-01"
    assert spec.title == Text(en="r6Z7KzQdvNjTBUzF1z", nl="zUL49ME")
    assert spec.level is not None
    assert spec.level.eqf_number == 2
    assert [n.code for n in spec.level.nqf] == ["c_060f2f91", "c_01169e3f"]
    assert [c.code for c in spec.languages] == ["SQO", "SJB"]
    assert [c.code for c in spec.fields] == ["1022", "0810"]
    assert [lo.id for lo in spec.learning_outcomes] == ["http://LO-01", "http://LO-02"]
    assert spec.learning_outcomes[0].title == Text(en="xDJUMG", nl="tpO")
    assert spec.learning_outcomes[0].skill_type is not None
    assert spec.learning_outcomes[0].skill_type.code == "skill"
    # The sample's credit values are not numbers ("S91ZbAwnQrf"): no workload.
    assert spec.workload is None
    assert spec.provider is not None
    assert spec.provider.id == "http://ORG-01"


def test_official_sample_strict_reports_what_cannot_be_held() -> None:
    with pytest.raises(ParseError) as info:
        from_loq_xml(SAMPLE)
    problems = info.value.problems
    assert len(problems) == 38
    first = problems[0]
    assert first.location == (
        "/Courses/learningOpportunityReferences/learningOpportunity[2]/priceDetail[1]/amount/value"
    )
    assert (first.line, first.column) == (676, 21)
    assert first.message == "a negative price (-782806104.573)"
    credit = problems[4]
    assert credit.location == (
        "/Courses/learningAchievementSpecificationReferences/qualification[1]/creditPoint[1]/point"
    )
    assert (credit.line, credit.column) == (973, 17)
    assert credit.message == "'S91ZbAwnQrf' is not a number of credits (≥ 0, at most two decimals)"


def test_official_sample_reexports_valid_and_same() -> None:
    items = from_loq_xml(SAMPLE, strict=False)
    document = to_loq_xml(items)
    assert valid(document)
    assert from_loq_xml(document) == items
    assert to_loq_xml(from_loq_xml(document)) == document


# ----------------------------------------------------------------------------- export


def test_offer_exports_valid_and_round_trips() -> None:
    document = to_loq_xml([OFFER])
    assert valid(document)
    assert from_loq_xml(document) == [OFFER]
    root = etree.fromstring(document)
    ns = {"l": "http://data.europa.eu/snb/model/ap/loq-constraints/"}
    assert root.xpath("string(//l:learningOpportunity/l:defaultLanguage/@uri)", namespaces=ns) == (
        LANG + "ENG"
    )
    assert root.xpath("string(//l:creditPoint/l:point)", namespaces=ns) == "5"
    assert root.xpath("string(//l:volumeOfLearning)", namespaces=ns) == "PT125H30M"


def test_offer_values_repeating_the_specification_are_stored_once() -> None:
    offer = attrs.evolve(
        OFFER,
        title=SPEC.title,
        homepage=SPEC.homepage,
        language="en",
        providers=[PROVIDER],
    )
    assert offer == OFFER
    assert offer.effective_title == SPEC.title
    assert offer.effective_providers == (PROVIDER,)
    own = attrs.evolve(OFFER, language="ga", title=Text(en="Data literacy, autumn 2026"))
    assert from_loq_xml(to_loq_xml([own])) == [own]


def test_qualification_with_national_level() -> None:
    spec = attrs.evolve(SPEC, level=Level(eqf=6, nqf=["http://data.europa.eu/snb/qdr/c_060f2f91"]))
    document = to_loq_xml([spec])
    assert valid(document)
    assert b"<qualification " in document
    assert from_loq_xml(document) == [spec]


@pytest.mark.parametrize("name", samples.names())
def test_every_sample_specification_exports_and_round_trips(name: str) -> None:
    spec = samples.load(name).specification
    document = to_loq_xml([spec])
    assert valid(document)
    (again,) = from_loq_xml(document)
    assert again == spec
    assert to_loq_xml([again]) == document


def test_all_samples_in_one_document() -> None:
    specs = [m.specification for m in samples.load_all()]
    document = to_loq_xml(specs)
    assert valid(document)
    assert from_loq_xml(document) == specs


def test_empty_document() -> None:
    document = to_loq_xml([])
    assert valid(document)
    assert from_loq_xml(document) == []


def test_export_lists_what_loq_requires() -> None:
    bare = Specification(id="urn:example:spec:bare", title=Text(en="Bare"))
    nameless = Organisation(name=Text(en="No id"), country="IRL")
    offer = LearningOpportunity(id="urn:example:offer:bare", specification=bare)
    with pytest.raises(ValidationError) as info:
        to_loq_xml([attrs.evolve(SPEC, provider=nameless), offer])
    assert [(p.location, p.message) for p in info.value.problems] == [
        ("$[0].provider.id", "LOQ identifies every organisation: give it an id"),
        (
            "$[1].homepage",
            "LOQ requires a homepage (of the offer or its specification)",
        ),
        ("$[1].providers", "LOQ requires a provider (of the offer or its specification)"),
        ("$[1].specification.fields", "LOQ requires at least one ISCED-F field"),
        ("$[1].specification.languages", "LOQ requires at least one language"),
        ("$[1].specification.learning_outcomes", "LOQ requires at least one learning outcome"),
        ("$[1].language", "LOQ requires a language (of the offer or its specification)"),
    ]


def test_model_checks_offer_values() -> None:
    with pytest.raises(ValidationError) as info:
        LearningOpportunity(
            id="not an iri",
            specification=SPEC,
            duration="P16W",
            start=dt.datetime(2026, 9, 1),
            prices=[],
            modes=["Telepathy"],
        )
    assert [p.location for p in info.value.problems] == [
        "$.id",
        "$.start",
        "$.duration",
        "$.modes[0]",
    ]
    with pytest.raises(ValidationError, match="must not be negative"):
        Price(amount=-1, currency="EUR")


# ----------------------------------------------------------------------------- bad documents

GOOD = to_loq_xml([OFFER]).decode()
_OPP = "/Courses/learningOpportunityReferences/learningOpportunity"


def problems_of(document: str) -> list[tuple[str, int | None, int | None, str]]:
    with pytest.raises(ParseError) as info:
        from_loq_xml(document)
    return [
        (p.location, getattr(p, "line", None), getattr(p, "column", None), p.message)
        for p in info.value.problems
    ]


def test_missing_required_element() -> None:
    line = f'      <defaultLanguage uri="{LANG}ENG"/>\n'
    assert line in GOOD
    assert problems_of(GOOD.replace(line, "")) == [
        (
            _OPP,
            4,
            5,
            "<learningOpportunity> is incomplete: one of <learningActivitySpecification>, "
            "<hasPart>, <isPartOf>, <bannerImage>, <defaultLanguage> is missing",
        )
    ]


def test_value_outside_the_official_list() -> None:
    bad = GOOD.replace(f'<defaultLanguage uri="{LANG}ENG"/>', f'<defaultLanguage uri="{LANG}XYZ"/>')
    assert problems_of(bad) == [
        (
            f"{_OPP}/defaultLanguage/@uri",
            27,
            7,
            f"'{LANG}XYZ' is not valid here: expected a language of the EU language list",
        )
    ]


def test_bad_date_and_dangling_reference() -> None:
    bad = GOOD.replace("2026-09-01T09:00:00Z", "2026-13-01T09:00:00Z").replace(
        f'<providedBy idref="{PROVIDER.id}"/>', '<providedBy idref="urn:example:nobody"/>'
    )
    assert problems_of(bad) == [
        (
            f"{_OPP}/temporal/startDate",
            10,
            9,
            "'2026-13-01T09:00:00Z' is not valid here: expected a date and time such as "
            "2026-09-01T09:00:00Z",
        ),
        (
            f"{_OPP}/providedBy",
            24,
            7,
            "<providedBy> refers to 'urn:example:nobody', which no element of the document defines",
        ),
    ]


def test_credit_value_that_is_not_a_number() -> None:
    bad = GOOD.replace("<point>5</point>", "<point>five</point>")
    assert problems_of(bad) == [
        (
            "/Courses/learningAchievementSpecificationReferences/"
            "learningAchievementSpecification/creditPoint/point",
            42,
            9,
            "'five' is not a number of credits (≥ 0, at most two decimals)",
        )
    ]
    (offer,) = from_loq_xml(bad, strict=False)
    assert isinstance(offer, LearningOpportunity)
    assert offer.specification.workload == Workload(hours=Decimal("125.5"))


def test_wrong_root() -> None:
    bad = GOOD.replace("<Courses ", "<Course ").replace("</Courses>", "</Course>")
    assert problems_of(bad) == [
        ("/Course", 2, 1, "<Course> is not a document element of this format")
    ]


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT-4711", encoding="utf-8")
    hostile = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Courses [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/">&x;</Courses>'
    )
    with pytest.raises(ParseError) as info:
        from_loq_xml(hostile)
    assert "TOP-SECRET" not in str(info.value)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.column) == ("doctype", 2, 1)


def test_schema_loads_from_the_package_only() -> None:
    # The imports resolve to the packaged files: loading twice gives the cached schema.
    assert loq_schema() is loq_schema()
    assert valid(SAMPLE.read_bytes())


def test_export_is_checked_against_the_xsd() -> None:
    first, second = (m.specification for m in samples.load_all()[:2])
    shared = Identifier(value="X1")
    with pytest.raises(ValidationError) as info:
        to_loq_xml(
            [attrs.evolve(first, identifiers=[shared]), attrs.evolve(second, identifiers=[shared])]
        )
    (problem,) = info.value.problems
    assert problem.location == (
        "/Courses/learningAchievementSpecificationReferences/"
        "learningAchievementSpecification[2]/identifier"
    )
    assert problem.message == "<identifier> repeats the identifier 'X1', which must be unique"


# ----------------------------------------------------------------------------- lossless documents


def _data(document: bytes) -> list[str]:
    """The data of an XML document, one line per element: name, attributes, text.

    Indentation, namespace prefixes and the XML declaration do not count.
    """
    lines: list[str] = []

    def walk(el: etree._Element, depth: int) -> None:
        attributes = sorted(el.attrib.items())
        lines.append(f"{'  ' * depth}{el.tag} {attributes} {(el.text or '').strip()!r}")
        for child in el:
            if isinstance(child.tag, str):
                walk(child, depth + 1)

    walk(etree.fromstring(document), 0)
    return lines


def _records(document: bytes) -> dict[str, bytes]:
    """id -> canonical bytes of every record of a LOQ document."""
    root = etree.fromstring(document)
    for el in root.iter():
        el.tail = None
        if len(el):
            el.text = None
    return {el.get("id") or "": etree.tostring(el) for section in root for el in section}


def test_official_sample_reexport_carries_every_element() -> None:
    doc = read_loq(SAMPLE)
    assert [type(i).__name__ for i in doc.items] == [
        "LearningOpportunity",
        "LearningOpportunity",
        "Specification",
    ]
    assert doc.items == tuple(from_loq_xml(SAMPLE, strict=False))
    # The notes are what strict reading refuses, with the same places.
    with pytest.raises(ParseError) as info:
        from_loq_xml(SAMPLE)
    assert doc.notes == info.value.problems
    again = doc.to_xml()
    assert valid(again)
    original = SAMPLE.read_bytes()
    assert len(_data(original)) == 4199
    assert _data(again) == _data(original)
    assert to_loq_xml(doc.items, base=doc) == again


def test_changed_item_is_written_over_the_rest_kept() -> None:
    doc = read_loq(SAMPLE)
    first, second, spec = doc.items
    assert isinstance(first, LearningOpportunity)
    changed = attrs.evolve(
        first,
        title=Text(en="Data literacy, spring intake"),
        prices=[Price(amount="99", currency="EUR")],
    )
    again = doc.to_xml([changed, second, spec])
    assert valid(again)
    assert read_loq(again).items == (changed, second, spec)
    ns = {"l": LOQ_NS}
    # Everything else is as it was: drop what changed from both, and compare.
    trimmed = []
    for document in (SAMPLE.read_bytes(), again):
        root = etree.fromstring(document)
        (record,) = root.xpath("//l:learningOpportunity[@id='http://LOP-01']", namespaces=ns)
        for el in record.xpath("l:title | l:priceDetail", namespaces=ns):
            record.remove(el)
        trimmed.append(_data(etree.tostring(root)))
    assert trimmed[0] == trimmed[1]
    assert len(trimmed[0]) < 4199 - 50  # the price details and titles went from both


def test_items_removed_and_added_over_a_document() -> None:
    other_spec = attrs.evolve(
        SPEC,
        id="urn:example:spec:statistics",
        title=Text(en="Statistics"),
        learning_outcomes=[LearningOutcome(title=Text(en="Test a hypothesis"))],
        provider=attrs.evolve(PROVIDER, id="https://www.other.example/", country="MLT"),
    )
    other = attrs.evolve(
        OFFER, id="urn:example:offer:statistics", specification=other_spec, countries=["MLT"]
    )
    new = attrs.evolve(OFFER, id="urn:example:offer:data-literacy:2027", countries=["FRA"])
    doc = read_loq(to_loq_xml([OFFER, other]))
    again = doc.to_xml([OFFER, new])
    assert valid(again)
    assert from_loq_xml(again) == [OFFER, new]
    # The removed offer goes with what only it referred to: its specification, outcome,
    # provider and location; the result is what a fresh export writes.
    assert _records(again) == _records(to_loq_xml([OFFER, new]))
    assert b"statistics" not in again
    assert b"www.other.example" not in again


def test_a_document_keeps_its_kind_of_specification() -> None:
    nqf = "http://data.europa.eu/snb/qdr/c_060f2f91"
    spec = attrs.evolve(SPEC, level=Level(eqf=6))
    document = to_loq_xml([spec]).replace(
        b'<educationLevel uri="http://data.europa.eu/snb/eqf/6"/>',
        b'<educationLevel uri="http://data.europa.eu/snb/eqf/6"/>\n'
        + f'    <educationLevel uri="{nqf}"/>'.encode(),
    )
    assert valid(document)
    doc = read_loq(document)
    (read,) = doc.items
    assert isinstance(read, Specification)
    assert read.level == Level(eqf=6, nqf=[nqf])
    # A fresh export makes it a qualification; over its document it stays what it was.
    assert b"<qualification " in to_loq_xml([read])
    again = doc.to_xml()
    assert b"<learningAchievementSpecification " in again
    assert _data(again) == _data(document)


def test_reading_a_document_refuses_what_the_xsd_refuses() -> None:
    with pytest.raises(ParseError) as info:
        read_loq(b'<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/" x="1"/>')
    (problem,) = info.value.problems
    assert problem.location == "/Courses/@x"
    assert problem.message == "attribute 'x' is not allowed on <Courses>"


def _pool() -> list[Specification | LearningOpportunity]:
    """Items for merges: offers and specifications, some of them variants of others."""
    specs = [m.specification for m in samples.load_all()]
    later = attrs.evolve(
        OFFER,
        id="urn:example:offer:data-literacy:2027",
        start=dt.datetime(2027, 9, 1, 9, 0, tzinfo=UTC),
        end=None,
        countries=["FRA", "IRL"],
        prices=[Price(amount="480", currency="EUR"), Price(amount="520", currency="CHF")],
    )
    cheaper = attrs.evolve(OFFER, prices=[Price(amount="300", currency="EUR")])
    renamed = attrs.evolve(OFFER, title=Text(en="Data literacy (evening)"), countries=[])
    return [OFFER, later, cheaper, renamed, *specs]


POOL = _pool()


@given(
    before=st.lists(st.sampled_from(POOL), unique_by=lambda i: i.id, max_size=5),
    after=st.lists(st.sampled_from(POOL), unique_by=lambda i: i.id, max_size=5),
)
def test_writing_over_an_own_document_is_writing_afresh(
    before: list[Specification | LearningOpportunity],
    after: list[Specification | LearningOpportunity],
) -> None:
    fresh = to_loq_xml(after)
    merged = read_loq(to_loq_xml(before)).to_xml(after)
    assert _records(merged) == _records(fresh)
    assert valid(merged)


# ----------------------------------------------------------------------------- every attribute


def _loq_ready(org: Organisation | None) -> bool:
    """What LOQ requires of an organisation: an id, a country, no ATU region (spatialCode)."""
    return org is None or (
        org.id is not None
        and org.country is not None
        and (org.region is None or org.region.scheme == vocab.NUTS.scheme)
    )


def _exportable(spec: Specification) -> bool:
    # LOQ requires: a title, an ISCED-F field, a language and a learning outcome; ids and
    # countries of organisations; an accreditation (QA with an agency) needs a type and a
    # provider, and its agency is an organisation too.
    return (
        spec.title is not None
        and bool(spec.fields)
        and bool(spec.languages)
        and bool(spec.learning_outcomes)
        and _loq_ready(spec.provider)
        and all(
            qa.agency is None
            or (qa.type is not None and spec.provider is not None and _loq_ready(qa.agency))
            for qa in spec.quality_assurance
        )
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(spec=strategies.specifications())
def test_any_specification_round_trips_exactly(spec: Specification) -> None:
    assume(_exportable(spec))
    # A LOQ document names each record by an id of its own.
    orgs = dict.fromkeys(
        o for o in (spec.provider, *(q.agency for q in spec.quality_assurance)) if o
    )
    ids = [spec.id, *(lo.id for lo in spec.learning_outcomes if lo.id is not None)]
    ids += [o.id for o in orgs if o.id is not None]
    ids += [r.id for r in (spec.stackability.towards if spec.stackability else ())]
    assume(len(set(ids)) == len(ids))
    try:
        document = to_loq_xml([spec])
    except ValidationError as exc:
        # Only what the XSD itself forbids across the document: one notation used twice.
        assume(all("identity-constraint" in p.message for p in exc.problems))
        return
    assert valid(document)
    assert from_loq_xml(document) == [spec]
    assert to_loq_xml(from_loq_xml(document)) == document


def _record(document: bytes, xpath: str) -> str:
    """One element as text, without namespace declarations and indentation."""
    (el,) = etree.fromstring(document).xpath(
        xpath, namespaces={"l": LOQ_NS, "dc": "http://purl.org/dc/terms/"}
    )
    text = etree.tostring(el, with_tail=False).decode()
    return re.sub(r">\s+<", "><", re.sub(r' xmlns(:\w+)?="[^"]*"', "", text))


_QA_SPEC = Specification(
    id="urn:example:spec:qa",
    title=Text(en="QA"),
    learning_outcomes=[LearningOutcome(title=Text(en="Do it"))],
    languages=["en"],
    fields=["0542"],
    level=Level(eqf=6, nqf=["http://data.europa.eu/snb/qdr/c_060f2f91"]),
    provider=Organisation(id="urn:example:org:p", name=Text(en="P"), country="IRL"),
    quality_assurance=[
        QualityAssurance(
            type="http://data.europa.eu/snb/accreditation/820101cba6",
            report="https://qa.example/report.pdf",
        ),
        QualityAssurance(
            type="http://data.europa.eu/snb/accreditation/bb4618238e",
            agency=Organisation(name=Text(en="Agency"), country="IRL"),
        ),
    ],
    stackability=Stackability(
        option="stackable", towards=[CredentialReference(id="urn:example:q:msc")]
    ),
    assessment=Assessment(types=["http://data.europa.eu/snb/assessment/6e6cb2cc78"]),
)


def test_conventions_are_written_as_documented() -> None:
    document = to_loq_xml([_QA_SPEC])
    assert from_loq_xml(document) == [_QA_SPEC]
    assert _record(document, "//l:accreditation[@id]") == (
        '<accreditation id="urn:example:spec:qa#quality-assurance-2">'
        '<type uri="http://data.europa.eu/snb/accreditation/bb4618238e"/>'
        '<title language="en">Institutional Quality Assurance</title>'
        '<organisation idref="urn:example:org:p"/>'
        '<accreditingAgent idref="urn:example:spec:qa#quality-assurance-2-agency"/>'
        "</accreditation>"
    )
    assert _record(document, "//l:qualification/l:additionalNote[1]") == (
        "<additionalNote>"
        '<dc:subject uri="http://data.europa.eu/snb/accreditation/820101cba6">'
        "<skos:notation>quality-assurance-1</skos:notation></dc:subject>"
        '<noteLiteral language="en">Program Quality Assurance</noteLiteral></additionalNote>'
    )
    assert _record(document, "//l:qualification/l:supplementaryDocument") == (
        '<supplementaryDocument><title language="en">quality-assurance-1</title>'
        "<contentUrl>https://qa.example/report.pdf</contentUrl></supplementaryDocument>"
    )
    assert _record(document, "//l:qualification/l:isPartialQualification") == (
        "<isPartialQualification>true</isPartialQualification>"
    )
    assert _record(document, "//l:qualification/l:isPartOf") == (
        '<isPartOf idref="urn:example:q:msc"/>'
    )
    assert _record(document, "//l:qualification/l:accreditation") == (
        '<accreditation idref="urn:example:spec:qa#quality-assurance-2"/>'
    )
    assert _record(document, "//l:learningAssessmentSpecification") == (
        '<learningAssessmentSpecification id="urn:example:spec:qa#assessment">'
        '<title language="en">written examination</title>'
        '<type uri="http://data.europa.eu/snb/assessment/6e6cb2cc78"/>'
        "</learningAssessmentSpecification>"
    )


def test_unknown_assessment_type_and_qa_type_are_noted_with_their_place() -> None:
    document = to_loq_xml([_QA_SPEC])
    bad = document.replace(
        b'<type uri="http://data.europa.eu/snb/assessment/6e6cb2cc78"/>',
        b'<type uri="http://data.europa.eu/snb/assessment/0000000000"/>',
    )
    with pytest.raises(ParseError) as info:
        from_loq_xml(bad)
    assert [str(p) for p in info.value.problems] == [
        "/Courses/learningAssessmentSpecificationReferences/learningAssessmentSpecification"
        "/type/@uri (line 44, column 7): 'http://data.europa.eu/snb/assessment/0000000000' is "
        "not valid here: expected a value of the controlled vocabulary that the XSD gives for "
        "this element"
    ]
    with pytest.raises(ParseError) as info:
        from_loq_xml(document.replace(b"accreditation/820101cba6", b"accreditation/0000000000"))
    assert [str(p) for p in info.value.problems] == [
        "/Courses/learningAchievementSpecificationReferences/qualification/additionalNote"
        "/subject/@uri (line 7, column 9): 'http://data.europa.eu/snb/accreditation/0000000000'"
        " is not in the bundled Accreditation types list"
    ]
