"""Stacking rules and catalogues in XML: round trips, the XSD, golden file, bad documents."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from tests.test_stacking_json import OUTCOME, SKILL, qualifications

from eumicro import ParseError, Text, ValidationError
from eumicro.formats._xmlsafe import XmlProblem, xml_chars_problem
from eumicro.stacking import (
    AllOf,
    AnyOf,
    Cap,
    Coverage,
    Filter,
    Named,
    Qualification,
    Select,
    catalogue_from_json,
    catalogue_to_json,
    load_example_catalogue,
    qualification_to_json,
)
from eumicro.stacking._xml import (
    STACKING_XML_NS,
    catalogue_from_xml,
    catalogue_to_xml,
    qualification_from_xml,
    qualification_to_xml,
    stacking_xml_schema,
)

GOLDEN = Path(__file__).parent / "golden" / "stacking" / "example-catalogue.xml"
UPDATE_GOLDEN = os.environ.get("EUMICRO_UPDATE_GOLDEN") == "1"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _writable(json_text: str) -> bool:
    """Whether every string of a document can be written in XML 1.0."""
    return all(xml_chars_problem(s) is None for s in _strings(json.loads(json_text)))


def _valid(text: str) -> bool:
    schema = stacking_xml_schema()
    ok = schema.validate(etree.fromstring(text.encode("utf-8")))
    assert ok, str(schema.error_log)
    return ok


# ----------------------------------------------------------------------------- round trips


@given(qualifications(), st.booleans())
def test_qualification_round_trip(q: Qualification, pretty: bool) -> None:
    if not _writable(qualification_to_json(q)):
        with pytest.raises(ValidationError) as exc:
            qualification_to_xml(q, pretty=pretty)
        assert all(p.code == "xml-character" for p in exc.value.problems)
        return
    text = qualification_to_xml(q, pretty=pretty)
    assert _valid(text)
    back = qualification_from_xml(text)
    assert back == q
    assert qualification_from_xml(text.encode("utf-8")) == q
    # Canonical: the same objects always give the same text.
    assert qualification_to_xml(back, pretty=pretty) == text


@given(st.lists(qualifications(), max_size=3, unique_by=lambda q: q.id))
def test_catalogue_round_trip(qs: list[Qualification]) -> None:
    if not _writable(catalogue_to_json(qs)):
        with pytest.raises(ValidationError):
            catalogue_to_xml(qs)
        return
    text = catalogue_to_xml(qs)
    assert _valid(text)
    assert catalogue_from_xml(text) == qs
    assert catalogue_from_xml(text.encode("utf-8")) == qs
    # JSON → model → XML → model.
    assert catalogue_from_xml(catalogue_to_xml(catalogue_from_json(catalogue_to_json(qs)))) == qs


def test_characters_xml_cannot_hold_are_refused_with_their_path() -> None:
    # The model refuses them (they are not text); a writer given an object that holds
    # one anyway (built around validation) refuses it too, with the element's path.
    with pytest.raises(ValidationError):
        Text(en="ok", de="bad\x07")
    title = Text(en="ok", de="fine")
    object.__setattr__(title, "_items", (("en", "ok"), ("de", "bad\x07")))
    q = Qualification(
        id="urn:x:q",
        title=Text(en="ok"),
        rule=AllOf(children=[Named(id="xy", specification_id="urn:x:a")]),
    )
    object.__setattr__(q, "title", title)
    object.__setattr__(q.rule.children[0], "id", "x\x00y")
    with pytest.raises(ValidationError) as exc:
        qualification_to_xml(q)
    got = [(p.location, p.message) for p in exc.value.problems]
    assert got == [
        (
            "/qualification/title[2]",
            "contains U+0007 at position 4, a character XML 1.0 cannot represent",
        ),
        (
            "/qualification/rule/allOf/named/@id",
            "contains U+0000 at position 2, a character XML 1.0 cannot represent",
        ),
    ]
    assert all(isinstance(p, XmlProblem) for p in exc.value.problems)


def test_writers_refuse_other_objects() -> None:
    with pytest.raises(TypeError):
        qualification_to_xml(Filter())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        catalogue_to_xml([Filter()])  # type: ignore[list-item]


def test_layout() -> None:
    q = Qualification(
        id="urn:x:qual:cyber",
        title=Text(en="Cyber security", de="Cybersicherheit"),
        rule=AnyOf(
            shared=True,
            children=[
                Named(id="networks", specification_id="urn:x:spec:net", equivalents=["urn:x:b"]),
                Select(filter=Filter(min_eqf=7, fields=["0612"]), min_count=2),
            ],
        ),
        ects=7.5,
        caps=[Cap(id="external", filter=Filter(valid_at_evaluation=True), max_ects=10)],
        coverage=[
            Coverage(id="skills", esco_skills=[SKILL], learning_outcomes=[OUTCOME], min_count=1),
            Coverage(learning_outcomes=["urn:x:lo:b", "urn:x:lo:a"]),
        ],
    )
    assert qualification_to_xml(q, pretty=False) == (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<qualification xmlns="{STACKING_XML_NS}" id="urn:x:qual:cyber">'
        '<title xml:lang="en">Cyber security</title>'
        '<title xml:lang="de">Cybersicherheit</title>'
        '<rule><anyOf shared="true">'
        '<named id="networks"><specificationId>urn:x:spec:net</specificationId>'
        "<equivalent>urn:x:b</equivalent></named>"
        "<select><filter><minEqf>http://data.europa.eu/snb/eqf/7</minEqf>"
        "<field>http://data.europa.eu/snb/isced-f/0612</field></filter>"
        "<minCount>2</minCount></select>"
        "</anyOf></rule>"
        "<ects>7.5</ects>"
        '<cap id="external"><filter><validAtEvaluation>true</validAtEvaluation></filter>'
        "<maxEcts>10</maxEcts></cap>"
        f'<coverage id="skills"><escoSkill>{SKILL}</escoSkill>'
        f"<learningOutcome>{OUTCOME}</learningOutcome><minCount>1</minCount></coverage>"
        "<coverage><learningOutcome>urn:x:lo:b</learningOutcome>"
        "<learningOutcome>urn:x:lo:a</learningOutcome></coverage>"
        "</qualification>"
    )


def test_readers_accept_what_xml_schema_allows() -> None:
    """Whitespace around values, other prefixes, 1/0 booleans, comments, CDATA, files."""
    text = (
        '<?xml version="1.0"?>\n'
        '<s:qualification xmlns:s="urn:eumicro:xml:stacking:1" id=" urn:x:q ">\n'
        '  <s:title xml:lang="EN"><![CDATA[A & B]]><!-- note --> C</s:title>\n'
        "  <s:rule><s:select shared='1'>\n"
        "    <s:minEcts>\n      5.50\n    </s:minEcts>\n"
        "  </s:select></s:rule>\n"
        "</s:qualification>\n"
    )
    q = qualification_from_xml(text)
    assert q == Qualification(
        id="urn:x:q",
        title=Text(en="A & B C"),
        rule=Select(shared=True, min_ects=5.5),
    )


def test_documented_example_is_valid() -> None:
    doc = Path(__file__).parent.parent / "docs" / "stacking-xml.md"
    text = doc.read_text("utf-8").split("```xml\n", 1)[1].split("```", 1)[0]
    [q] = catalogue_from_xml(text, strict=True)
    assert _valid(text)
    [coverage] = q.coverage
    assert (coverage.id, len(coverage.esco_skills), coverage.learning_outcomes) == (
        "data-skills",
        2,
        ("urn:x:lo:incident-response",),
    )
    assert coverage.need == 2


def test_read_from_path_and_file(tmp_path: Path) -> None:
    qs = load_example_catalogue()
    path = tmp_path / "catalogue.xml"
    path.write_text(catalogue_to_xml(qs), encoding="utf-8")
    assert catalogue_from_xml(path) == qs
    with path.open("rb") as handle:
        assert catalogue_from_xml(handle) == qs


# ----------------------------------------------------------------------------- golden file


def test_golden_example_catalogue() -> None:
    source = resources.files("eumicro") / "_data" / "catalogue" / "example-catalogue.json"
    qs = catalogue_from_json(source.read_bytes(), strict=True)
    expected = catalogue_to_xml(qs).encode("utf-8")
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(expected)
    assert GOLDEN.is_file(), f"missing {GOLDEN}; run with EUMICRO_UPDATE_GOLDEN=1 to create it"
    assert GOLDEN.read_bytes() == expected
    assert _valid(expected.decode("utf-8"))
    assert catalogue_from_xml(GOLDEN.read_bytes(), strict=True) == qs


# ----------------------------------------------------------------------------- bad documents

BASE = """<?xml version="1.0" encoding="UTF-8"?>
<catalogue xmlns="urn:eumicro:xml:stacking:1">
  <qualification id="urn:x:q">
    <title xml:lang="en">Q</title>
    <rule>
      <allOf>
        <named id="n"><specificationId>urn:x:spec:a</specificationId></named>
        <select id="s"><filter><minEqf>http://data.europa.eu/snb/eqf/6</minEqf></filter><minEcts>5</minEcts></select>
      </allOf>
    </rule>
    <cap id="c"><filter/><maxEcts>30</maxEcts></cap>
    <coverage id="k"><escoSkill>http://data.europa.eu/esco/skill/5e3c</escoSkill><learningOutcome>urn:x:lo:1</learningOutcome><minCount>1</minCount></coverage>
  </qualification>
</catalogue>
"""

_SELECT = "/catalogue/qualification/rule/allOf/select"
_COVERAGE = "/catalogue/qualification/coverage"
_SKILL_A = "<escoSkill>http://data.europa.eu/esco/skill/5e3c</escoSkill>"
_OUTCOME_1 = "<learningOutcome>urn:x:lo:1</learningOutcome>"
_NAMED = "/catalogue/qualification/rule/allOf/named"
_ECTS = "expected a number of ECTS credits from 0 with at most two decimals, such as 5 or 7.5"
_ATLANTIS = "http://publications.europa.eu/resource/authority/country/ATLANTIS"
_NO_ATLANTIS = f"{_ATLANTIS!r} is not the IRI of a concept from Countries and territories"
_NO_LANG = 'xml:lang is missing: give the language of the text, e.g. xml:lang="en"'

BAD: dict[str, tuple[list[tuple[str, str]], list[tuple[str, int, int, str]]]] = {
    "syntax": (
        [("</allOf>", "</anyOf>")],
        [
            (
                "/",
                9,
                15,
                "not well-formed XML: end tag </anyOf> does not match the start tag <allOf> "
                "on line 6",
            )
        ],
    ),
    "wrong-namespace": (
        [('xmlns="urn:eumicro:xml:stacking:1"', 'xmlns="urn:eumicro:xml:stacking:2"')],
        [
            (
                "/catalogue",
                2,
                1,
                "expected a <catalogue> document in namespace 'urn:eumicro:xml:stacking:1', got "
                "<catalogue> in namespace 'urn:eumicro:xml:stacking:2'",
            )
        ],
    ),
    "no-namespace": (
        [(' xmlns="urn:eumicro:xml:stacking:1"', "")],
        [
            (
                "/catalogue",
                2,
                1,
                "expected a <catalogue> document in namespace 'urn:eumicro:xml:stacking:1', got "
                "<catalogue> in no namespace",
            )
        ],
    ),
    "unknown-element": (
        [("<minEcts>5</minEcts>", "<minEcts>5</minEcts><maxCount>3</maxCount>")],
        [(f"{_SELECT}/maxCount", 8, 109, "<maxCount> is not an element of this format")],
    ),
    "foreign-element": (
        [("<minEcts>5</minEcts>", '<minEcts>5</minEcts><x:note xmlns:x="urn:x"/>')],
        [
            (
                f"{_SELECT}/note",
                8,
                109,
                "<note> in namespace 'urn:x' is not part of this format (its elements are in "
                "namespace 'urn:eumicro:xml:stacking:1')",
            )
        ],
    ),
    "misplaced-element": (
        [("<title xml:lang", "<ects>3</ects><title xml:lang")],
        [
            (
                "/catalogue/qualification/ects",
                4,
                5,
                "<ects> is not allowed here; expected <title>",
            )
        ],
    ),
    "missing-element": (
        [("<specificationId>urn:x:spec:a</specificationId>", "")],
        [(_NAMED, 7, 9, "<named> is incomplete: <specificationId> is missing")],
    ),
    "missing-attribute": (
        [('<qualification id="urn:x:q">', "<qualification>")],
        [
            (
                "/catalogue/qualification",
                3,
                3,
                "required attribute 'id' of <qualification> is missing",
            )
        ],
    ),
    "bad-number": (
        [("<minEcts>5</minEcts>", "<minEcts>five</minEcts>")],
        [(f"{_SELECT}/minEcts", 8, 89, f"'five' is not valid here: {_ECTS}")],
    ),
    "negative-number": (
        [("<maxEcts>30</maxEcts>", "<maxEcts>-1</maxEcts>")],
        [("/catalogue/qualification/cap/maxEcts", 11, 26, f"'-1' is not valid here: {_ECTS}")],
    ),
    "bad-boolean": (
        [('<named id="n">', '<named id="n" shared="yes">')],
        [(f"{_NAMED}/@shared", 7, 9, "'yes' is not valid here: expected true or false")],
    ),
    "bad-iri": (
        [("urn:x:spec:a", "spec a")],
        [
            (
                f"{_NAMED}/specificationId",
                7,
                23,
                "'spec a' is not valid here: expected an absolute IRI such as 'urn:…' or "
                "'https://…'",
            )
        ],
    ),
    "bad-eqf": (
        [("eqf/6", "eqf/9")],
        [
            (
                f"{_SELECT}/filter/minEqf",
                8,
                32,
                "'http://data.europa.eu/snb/eqf/9' is not valid here: expected the IRI of an "
                "EQF level, http://data.europa.eu/snb/eqf/1 to …/eqf/8",
            )
        ],
    ),
    "date-time-without-offset": (
        [("</minEqf>", "</minEqf><issuedAfter>2024-05-01T10:00:00</issuedAfter>")],
        [
            (
                f"{_SELECT}/filter/issuedAfter",
                8,
                80,
                "'2024-05-01T10:00:00' is not valid here: expected a date-time with an offset, "
                "such as 2024-05-01T10:00:00+02:00",
            )
        ],
    ),
    "unknown-concept": (
        [("</minEqf>", f"</minEqf><country>{_ATLANTIS}</country>")],
        [(f"{_SELECT}/filter/country", 8, 80, _NO_ATLANTIS)],
    ),
    "missing-language": (
        [(' xml:lang="en"', "")],
        [("/catalogue/qualification/title", 4, 5, _NO_LANG)],
    ),
    "bad-language": (
        [('xml:lang="en"', 'xml:lang="english"')],
        [
            (
                "/catalogue/qualification/title/@xml:lang",
                4,
                5,
                "'english' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
            )
        ],
    ),
    "cross-field-dates": (
        [
            (
                "</minEqf>",
                "</minEqf><issuedAfter>2024-05-01T10:00:00Z</issuedAfter>"
                "<issuedBefore>2024-01-01T00:00:00Z</issuedBefore>",
            )
        ],
        [
            (
                f"{_SELECT}/filter/issuedBefore",
                8,
                127,
                "must be after <issuedAfter> (2024-05-01T10:00:00+00:00), got "
                "2024-01-01T00:00:00+00:00",
            )
        ],
    ),
    "duplicate-node-id": (
        [('<select id="s">', '<select id="n">')],
        [(f"{_SELECT}/@id", 8, 9, f"node id 'n' is already used (at {_NAMED})")],
    ),
    "select-asks-nothing": (
        [("<minEcts>5</minEcts>", "")],
        [
            (
                _SELECT,
                8,
                9,
                "give a positive <minCount> or <minEcts> (the rule asks for nothing)",
            )
        ],
    ),
    "at-least-above-children": (
        [("<allOf>", '<atLeast n="3">'), ("</allOf>", "</atLeast>")],
        [
            (
                "/catalogue/qualification/rule/atLeast/@n",
                6,
                7,
                "must be at most the number of children (2), got 3",
            )
        ],
    ),
    "duplicate-qualification-id": (
        [
            (
                "  </qualification>\n",
                '  </qualification>\n  <qualification id="urn:x:q"><title xml:lang="en">B'
                "</title><rule><named><specificationId>urn:x:b</specificationId></named></rule>"
                "</qualification>\n",
            )
        ],
        [
            (
                "/catalogue/qualification[2]/@id",
                14,
                3,
                "qualification id 'urn:x:q' is already used (at /catalogue/qualification[1])",
            )
        ],
    ),
    "coverage-unknown-element": (
        [("<minCount>1</minCount>", "<minCount>1</minCount><maxCount>3</maxCount>")],
        [(f"{_COVERAGE}/maxCount", 12, 149, "<maxCount> is not an element of this format")],
    ),
    "coverage-element-out-of-order": (
        [(_SKILL_A + _OUTCOME_1, _OUTCOME_1 + _SKILL_A)],
        [
            (
                f"{_COVERAGE}/escoSkill",
                12,
                67,
                "<escoSkill> is not allowed here; expected one of <learningOutcome>, <minCount>",
            )
        ],
    ),
    "coverage-before-cap": (
        [
            (
                '<cap id="c">',
                '<coverage id="k0"><learningOutcome>urn:x:lo:0</learningOutcome></coverage><cap id="c">',
            )
        ],
        [
            (
                "/catalogue/qualification/cap",
                11,
                79,
                "<cap> is not allowed here; expected <coverage>",
            )
        ],
    ),
    "coverage-min-count-above-items": (
        [("<minCount>1</minCount>", "<minCount>3</minCount>")],
        [(f"{_COVERAGE}/minCount", 12, 127, "asks for 3 of 2 items: it can never be met")],
    ),
    "coverage-min-count-zero": (
        [("<minCount>1</minCount>", "<minCount>0</minCount>")],
        [
            (
                f"{_COVERAGE}/minCount",
                12,
                127,
                "'0' is not valid here: expected a whole number from 1",
            )
        ],
    ),
    "coverage-min-count-not-a-number": (
        [("<minCount>1</minCount>", "<minCount>one</minCount>")],
        [
            (
                f"{_COVERAGE}/minCount",
                12,
                127,
                "'one' is not valid here: expected a whole number from 1",
            )
        ],
    ),
    "empty-coverage": (
        [(_SKILL_A + _OUTCOME_1 + "<minCount>1</minCount>", "")],
        [(_COVERAGE, 12, 5, "list at least one ESCO skill or learning outcome to cover")],
    ),
    "coverage-bad-learning-outcome": (
        [("urn:x:lo:1", "lo 1")],
        [
            (
                f"{_COVERAGE}/learningOutcome",
                12,
                82,
                "'lo 1' is not valid here: expected an absolute IRI such as 'urn:…' or 'https://…'",
            )
        ],
    ),
    "coverage-duplicate-skill": (
        [(_SKILL_A, _SKILL_A + _SKILL_A)],
        [
            (
                f"{_COVERAGE}/escoSkill[2]",
                12,
                82,
                "'http://data.europa.eu/esco/skill/5e3c' is listed more than once",
            )
        ],
    ),
    "coverage-id-used-by-a-node": (
        [('<coverage id="k">', '<coverage id="s">')],
        [(f"{_COVERAGE}/@id", 12, 5, "id 's' is used more than once")],
    ),
    "coverage-id-used-by-a-cap": (
        [('<coverage id="k">', '<coverage id="c">')],
        [
            ("/catalogue/qualification/cap/@id", 11, 5, "id 'c' is used more than once"),
            (f"{_COVERAGE}/@id", 12, 5, "id 'c' is used more than once"),
        ],
    ),
    "several-at-once": (
        [
            ("<minEcts>5</minEcts>", "<minEcts>five</minEcts><maxCount>3</maxCount>"),
            ("</minEqf>", f"</minEqf><country>{_ATLANTIS}</country>"),
            ('<named id="n">', '<named id="n" shared="yes">'),
            (' xml:lang="en"', ""),
        ],
        [
            ("/catalogue/qualification/title", 4, 5, _NO_LANG),
            (f"{_NAMED}/@shared", 7, 9, "'yes' is not valid here: expected true or false"),
            (f"{_SELECT}/filter/country", 8, 80, _NO_ATLANTIS),
            (f"{_SELECT}/minEcts", 8, 173, f"'five' is not valid here: {_ECTS}"),
            (f"{_SELECT}/maxCount", 8, 196, "<maxCount> is not an element of this format"),
        ],
    ),
}


def _edit(edits: list[tuple[str, str]]) -> str:
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _problems(exc: pytest.ExceptionInfo[ParseError]) -> list[tuple[Any, ...]]:
    assert exc.value.subject == "eumicro stacking XML"
    assert all(isinstance(p, XmlProblem) for p in exc.value.problems)
    return [(p.location, p.line, p.column, p.message) for p in exc.value.problems]


def test_base_document_is_valid() -> None:
    [q] = catalogue_from_xml(BASE, strict=True)
    assert q.caps[0].max_ects == 30
    assert q.coverage == (
        Coverage(
            id="k",
            esco_skills=["http://data.europa.eu/esco/skill/5e3c"],
            learning_outcomes=["urn:x:lo:1"],
            min_count=1,
        ),
    )


@pytest.mark.parametrize("name", list(BAD))
def test_bad_documents(name: str) -> None:
    edits, expected = BAD[name]
    for data in (_edit(edits), _edit(edits).encode("utf-8")):
        with pytest.raises(ParseError) as exc:
            catalogue_from_xml(data)
        assert _problems(exc) == expected


def test_wrong_root() -> None:
    with pytest.raises(ParseError) as exc:
        qualification_from_xml(BASE)
    assert _problems(exc) == [
        (
            "/catalogue",
            2,
            1,
            "expected a <qualification> document in namespace 'urn:eumicro:xml:stacking:1', "
            "got <catalogue> in namespace 'urn:eumicro:xml:stacking:1'",
        )
    ]


# ----------------------------------------------------------------------------- strict

_UNDER_CAP = [("<maxEcts>30</maxEcts>", "<maxEcts>3</maxEcts>")]
_CAP_MESSAGE = "needs 5 ECTS from credentials that all fall under cap c (at most 3 ECTS, {})"


def test_unsatisfiable_is_read_unless_strict() -> None:
    [q] = catalogue_from_xml(_edit(_UNDER_CAP))
    with pytest.raises(ParseError) as exc:
        catalogue_from_xml(_edit(_UNDER_CAP), strict=True)
    assert _problems(exc) == [
        (f"{_SELECT}/minEcts", 8, 89, _CAP_MESSAGE.format("/catalogue/qualification/cap"))
    ]
    # The same reasons as the JSON reader gives.
    with pytest.raises(ParseError) as json_exc:
        catalogue_from_json(catalogue_to_json([q]), strict=True)
    assert [p.message for p in json_exc.value.problems] == [_CAP_MESSAGE.format("$.caps[0]")]


def test_unsatisfiable_qualification_document() -> None:
    text = qualification_to_xml(
        Qualification(
            id="urn:x:q",
            title=Text(en="Q"),
            rule=AnyOf(
                children=[
                    Select(
                        filter=Filter(
                            awarding_bodies=["urn:o:a"], excluded_awarding_bodies=["urn:o:a"]
                        ),
                        min_count=1,
                    ),
                    Select(min_ects=5),
                ]
            ),
            min_total_ects=20,
            caps=[Cap(id="all", filter=Filter(), max_ects=3)],
        )
    )
    assert qualification_from_xml(text).min_total_ects == 20
    with pytest.raises(ParseError) as exc:
        qualification_from_xml(text, strict=True)
    assert _problems(exc) == [
        (
            "/qualification/rule/anyOf",
            5,
            5,
            "needs 1 of its children, but only 0 can ever be satisfied",
        ),
        (
            "/qualification/rule/anyOf/select[1]/filter/awardingBody",
            8,
            11,
            "every awarding body accepted is also excluded: no credential can match",
        ),
        (
            "/qualification/rule/anyOf/select[2]/minEcts",
            14,
            9,
            "needs 5 ECTS from credentials that all fall under cap all (at most 3 ECTS, "
            "/qualification/cap)",
        ),
        (
            "/qualification/minTotalEcts",
            18,
            3,
            "needs 20 ECTS in total, but cap all allows at most 3 ECTS from all credentials "
            "(/qualification/cap)",
        ),
    ]


def test_example_catalogue_reads_strictly_from_xml() -> None:
    qs = load_example_catalogue()
    assert catalogue_from_xml(catalogue_to_xml(qs), strict=True) == qs


# ----------------------------------------------------------------------------- hostile input


SECRET = "SECRET-LINE-0815"
_DOCTYPE = (
    "document type declarations (<!DOCTYPE …>) are not accepted: they can define entities "
    "and load external files; remove it"
)


def _hostile(name: str, secret: Path) -> tuple[bytes, str]:
    open_tag = f'<catalogue xmlns="{STACKING_XML_NS}">'
    entity = "<!ENTITY l0 'ha'>" + "".join(
        f"<!ENTITY l{i} '{f'&l{i - 1};' * 10}'>" for i in range(1, 10)
    )
    cases = {
        "xxe-file": (
            f'<!DOCTYPE catalogue [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            f"{open_tag}<qualification id='&x;'/></catalogue>",
            _DOCTYPE,
        ),
        "xxe-url": (
            '<!DOCTYPE catalogue [<!ENTITY x SYSTEM "http://198.51.100.1/x">]>'
            f"{open_tag}&x;</catalogue>",
            _DOCTYPE,
        ),
        "billion-laughs": (
            f"<!DOCTYPE catalogue [{entity}]>{open_tag}&l9;</catalogue>",
            _DOCTYPE,
        ),
        "quadratic-blowup": (
            f"<!DOCTYPE catalogue [<!ENTITY a '{'a' * 50_000}'>]>{open_tag}"
            + "&a;" * 50_000
            + "</catalogue>",
            _DOCTYPE,
        ),
        "parameter-entities": (
            '<!DOCTYPE catalogue [<!ENTITY % p SYSTEM "http://198.51.100.1/p.dtd"> %p;]>'
            f"{open_tag}</catalogue>",
            _DOCTYPE,
        ),
        "xinclude": (
            f'{open_tag}<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'href="{secret.as_uri()}" parse="text"/></catalogue>',
            "XInclude is not processed: put the content in the document itself",
        ),
        "oversize": (
            f"{open_tag}<!-- {'x' * 60 * 1024 * 1024} --></catalogue>",
            "the document is larger than the limit of 52428800 bytes (at least 62914627 bytes)",
        ),
        "deep-nesting": (
            open_tag + "<rule>" * 10_000 + "</rule>" * 10_000 + "</catalogue>",
            "elements are nested more than 256 levels deep",
        ),
    }
    text, message = cases[name]
    return text.encode("utf-8"), message


@pytest.mark.parametrize(
    "name",
    [
        "xxe-file",
        "xxe-url",
        "billion-laughs",
        "quadratic-blowup",
        "parameter-entities",
        "xinclude",
        "oversize",
        "deep-nesting",
    ],
)
def test_hostile_input_is_refused(name: str, tmp_path: Path, no_sockets: None) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    data, message = _hostile(name, secret)
    for read in (catalogue_from_xml, qualification_from_xml):
        with pytest.raises(ParseError) as exc:
            read(data)
        assert [p.message for p in exc.value.problems] == [message]
        assert SECRET not in str(exc.value)
