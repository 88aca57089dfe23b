"""Construction-time validation of the model classes (eumicro._model) and of Text.

Every model class is immutable, hashable and validated when it is built: a bad value
raises ValidationError listing *every* problem with its path, code and message. The
tables below pin the exact problems, so a change in wording is a deliberate change.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from tests import strategies as gen

from eumicro import (
    Assessment,
    Concept,
    CredentialReference,
    EumicroError,
    Grade,
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
    Stackability,
    StackabilityOption,
    Text,
    ValidationError,
    Workload,
    vocab,
)

UTC = dt.UTC
CET = dt.timezone(dt.timedelta(hours=1))
ESCO = "http://data.europa.eu/esco/skill/31c69100-b612-4a61-8db5-fd314318854c"
ESCO_2 = "http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304"
IRI_MESSAGE = "expected an absolute IRI such as 'urn:…' or 'https://…', got {!r}"
TEXT_TYPE_MESSAGE = "expected text in one or more languages, e.g. Text(en='…'), got {}"
COUNTRY_IRI = "http://publications.europa.eu/resource/authority/country/"

Problems = list[tuple[str, str, str]]


def problems_of(build: Callable[[], object]) -> Problems:
    """The (location, code, message) of every problem ``build()`` raises."""
    with pytest.raises(ValidationError) as info:
        build()
    return [(p.location, p.code, p.message) for p in info.value.problems]


def spec(**kwargs: Any) -> Specification:
    return Specification(id="urn:eumicro:test:spec", **kwargs)


def credential(**kwargs: Any) -> MicroCredential:
    kwargs.setdefault("specification", spec())
    return MicroCredential(id="urn:eumicro:test:credential", **kwargs)


def org(name: str = "Uni", **kwargs: Any) -> Organisation:
    return Organisation(name=Text(en=name), **kwargs)


# ----------------------------------------------------------------------------- valid construction

MINIMAL: dict[str, Callable[[], Any]] = {
    "Identifier": lambda: Identifier(value="S1"),
    "LegalIdentifier": lambda: LegalIdentifier(value="DE123", country="DEU"),
    "Organisation": lambda: org(),
    "Learner": lambda: Learner(),
    "LearningOutcome": lambda: LearningOutcome(title=Text(en="Analyse data")),
    "Workload": lambda: Workload(hours=10),
    "Level": lambda: Level(eqf=6),
    "Assessment": lambda: Assessment(types=["portfolio"]),
    "Participation": lambda: Participation(modes=["Online"]),
    "QualityAssurance": lambda: QualityAssurance(type="Program Quality Assurance"),
    "CredentialReference": lambda: CredentialReference(id="urn:eumicro:test:qualification"),
    "Stackability": lambda: Stackability(option=StackabilityOption.STACKABLE),
    "Specification": lambda: spec(),
    "Grade": lambda: Grade(value="Pass"),
    "MicroCredential": lambda: credential(),
}


@pytest.mark.parametrize("name", MINIMAL)
def test_minimal_construction_gives_defaults(name: str) -> None:
    obj = MINIMAL[name]()
    assert type(obj).__name__ == name
    for field in attrs.fields(type(obj)):
        if field.default is not attrs.NOTHING:
            value = getattr(obj, field.name)
            # Defaults are None or (); nothing is filled in behind the caller's back.
            assert value is None or value == () or field.name in _SET_BY_MINIMAL[name]


_SET_BY_MINIMAL = {
    "Identifier": set(),
    "LegalIdentifier": set(),
    "Organisation": set(),
    "Learner": set(),
    "LearningOutcome": set(),
    "Workload": {"hours"},
    "Level": {"eqf"},
    "Assessment": {"types"},
    "Participation": {"modes"},
    "QualityAssurance": {"type"},
    "CredentialReference": set(),
    "Stackability": set(),
    "Specification": set(),
    "Grade": set(),
    "MicroCredential": set(),
}


def test_full_construction_keeps_every_value() -> None:
    learner = Learner(
        id="did:example:ada",
        full_name="Ada Lovelace",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=dt.date(1990, 12, 10),
        email="ada@example.org",
        national_id=LegalIdentifier(value="123", country="GBR", scheme="NI"),
        identifiers=(Identifier(value="S1", scheme="Student number"),),
        citizenship=("GBR", "IRL"),
    )
    assert learner.citizenship == (vocab.COUNTRY["GBR"], vocab.COUNTRY["IRL"])
    assert learner.date_of_birth == dt.date(1990, 12, 10)
    assert learner.national_id is not None
    assert learner.national_id.country.code == "GBR"


_STRATEGIES = {
    "identifiers": gen.identifiers,
    "legal_identifiers": gen.legal_identifiers,
    "organisations": gen.organisations,
    "learners": gen.learners,
    "learning_outcomes": gen.learning_outcomes,
    "workloads": gen.workloads,
    "levels": gen.levels,
    "assessments": gen.assessments,
    "participations": gen.participations,
    "quality_assurances": gen.quality_assurances,
    "credential_references": gen.credential_references,
    "stackabilities": gen.stackabilities,
    "specifications": gen.specifications,
    "grades": gen.grades,
    "micro_credentials": gen.micro_credentials,
}


@pytest.mark.parametrize("name", _STRATEGIES)
@given(data=st.data())
def test_generated_objects_are_values(name: str, data: st.DataObject) -> None:
    """Equal to their copies, hashable, picklable, and accepted again when rebuilt."""
    obj = data.draw(_STRATEGIES[name](), label=name)
    cls = type(obj)
    twin = cls(**{f.name: getattr(obj, f.name) for f in attrs.fields(cls)})
    assert twin == obj
    assert hash(twin) == hash(obj)
    assert copy.deepcopy(obj) == obj
    assert attrs.evolve(obj) == obj
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert {obj, twin} == {obj}
    assert not hasattr(obj, "__dict__")  # slotted


# ----------------------------------------------------------------------------- immutability


@pytest.mark.parametrize("name", MINIMAL)
def test_every_field_is_frozen(name: str) -> None:
    obj = MINIMAL[name]()
    for field in attrs.fields(type(obj)):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(obj, field.name, getattr(obj, field.name))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(obj, field.name)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        obj.not_a_field = 1


def test_evolve_validates_the_new_object() -> None:
    w = Workload(ects=5)
    assert attrs.evolve(w, ects="7.5").ects == Decimal("7.5")
    assert problems_of(lambda: attrs.evolve(w, ects=-1)) == [
        ("$.ects", "range", "must not be negative, got -1")
    ]
    assert w.ects == 5  # the original is untouched


def test_keyword_only_and_required_arguments() -> None:
    with pytest.raises(TypeError):
        Identifier("S1")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Identifier()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        MicroCredential(specification=spec())  # type: ignore[call-arg]


# ----------------------------------------------------------------------------- equality and hashing


def test_equality_and_hash() -> None:
    a = credential(
        awarding_bodies=[org("A", country="DEU")], issued=dt.datetime(2024, 1, 1, tzinfo=UTC)
    )
    b = credential(
        awarding_bodies=(org("A", country="DE"),), issued=dt.datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != attrs.evolve(b, grade=Grade(value="Pass"))
    assert Identifier(value="x") != "x"
    assert Identifier(value="x") != LegalIdentifier(value="x", country="DEU")


def test_datetimes_compare_by_instant() -> None:
    """Two credentials issued at the same instant in different offsets are equal."""
    a = credential(issued=dt.datetime(2024, 1, 1, 10, tzinfo=CET))
    b = credential(issued=dt.datetime(2024, 1, 1, 9, tzinfo=UTC))
    assert a == b
    assert hash(a) == hash(b)


def test_decimals_compare_by_value() -> None:
    assert Workload(ects="5.0") == Workload(ects=5)
    assert hash(Workload(ects="5.00")) == hash(Workload(ects=5))


# ----------------------------------------------------------------------------- converters


@pytest.mark.parametrize(
    ("build", "field", "expected"),
    [
        (lambda v: org(identifiers=v), "identifiers", (Identifier(value="a"),)),
        (lambda v: Learner(identifiers=v), "identifiers", (Identifier(value="a"),)),
        (lambda v: spec(identifiers=v), "identifiers", (Identifier(value="a"),)),
        (lambda v: credential(identifiers=v), "identifiers", (Identifier(value="a"),)),
    ],
)
def test_lists_and_iterables_become_tuples(
    build: Callable[[Any], Any], field: str, expected: tuple[Any, ...]
) -> None:
    items = [Identifier(value="a")]
    assert getattr(build(items), field) == expected
    assert getattr(build(iter(items)), field) == expected
    assert getattr(build(x for x in items), field) == expected
    assert isinstance(getattr(build(items), field), tuple)


def test_every_tuple_field_converts_lists() -> None:
    lo = LearningOutcome(title=Text(en="x"), esco_skills=[ESCO], related_skills=["urn:x"])
    assert lo.esco_skills == (ESCO,)
    assert lo.related_skills == ("urn:x",)
    assert Level(nqf=[vocab.NQF.by_code("c_009d9566")]).nqf == (vocab.NQF.by_code("c_009d9566"),)
    assert Assessment(types=["portfolio"], modes=["Online"]).modes == (vocab.MODE["Online"],)
    assert Participation(modes=["Online"]).modes == (vocab.MODE["Online"],)
    ref = CredentialReference(id="urn:q")
    assert Stackability(option=StackabilityOption.STACKABLE, towards=[ref]).towards == (ref,)
    qa = QualityAssurance(type="Program License")
    s = spec(learning_outcomes=[lo], quality_assurance=[qa], languages=["en"], fields=["0613"])
    assert (s.learning_outcomes, s.quality_assurance) == ((lo,), (qa,))
    assert s.languages == (vocab.LANGUAGE["ENG"],)
    assert s.fields == (vocab.ISCED_F["0613"],)
    assert credential(awarding_bodies=[org()]).awarding_bodies == (org(),)


GERMANY = vocab.COUNTRY["DEU"]


@pytest.mark.parametrize(
    "value", ["DEU", "deu", "DE", "de", COUNTRY_IRI + "DEU", "Germany", " germany ", GERMANY]
)
def test_country_codes_iris_and_labels_become_concepts(value: object) -> None:
    assert org(country=value).country is GERMANY
    assert LegalIdentifier(value="1", country=value).country is GERMANY
    assert Learner(citizenship=[value]).citizenship == (GERMANY,)


@pytest.mark.parametrize("value", [6, "6", "Level 6", "level 6", "http://data.europa.eu/snb/eqf/6"])
def test_eqf_levels_from_ints_codes_labels_and_iris(value: object) -> None:
    level = Level(eqf=value)
    assert level.eqf == vocab.EQF[6]
    assert level.eqf_number == 6


def test_region_from_atu_or_nuts() -> None:
    assert org(region="DEA29").region == vocab.NUTS["DEA29"]
    assert org(region="AUT_BLD_BURG").region == vocab.ATU["AUT_BLD_BURG"]
    assert org(region=vocab.NUTS["DEA29"]).region.scheme == vocab.NUTS.scheme


def test_stackability_option_from_its_value() -> None:
    assert Stackability(option="stand-alone").option is StackabilityOption.STAND_ALONE
    assert Stackability(option="stackable").option is StackabilityOption.STACKABLE


def test_other_concept_fields_convert() -> None:
    assert Level(qf_ehea="Second cycle").qf_ehea == vocab.QF_EHEA["2"]
    lo = LearningOutcome(title=Text(en="x"), skill_type="skill", reusability_level="transversal")
    assert lo.skill_type == vocab.SKILL_TYPE["skill"]
    assert lo.reusability_level == vocab.SKILL_REUSE_LEVEL["transversal"]
    p = Participation(setting="formal learning", schedule="Part time light")
    assert p.setting == vocab.LEARNING_SETTING["formal learning"]
    assert p.schedule == vocab.LEARNING_SCHEDULE["Part time light"]
    assert (
        QualityAssurance(type="Program License").type == vocab.ACCREDITATION_TYPE["Program License"]
    )
    assert spec(opportunity_type="MOOC").opportunity_type == vocab.LEARNING_OPPORTUNITY_TYPE["MOOC"]
    assert (
        credential(supervision="70be69aaf9").supervision
        == vocab.SUPERVISION_VERIFICATION["Supervised with ID Verification"]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, Decimal("5")),
        (0, Decimal("0")),
        ("2.5", Decimal("2.5")),
        (" 2.50 ", Decimal("2.50")),
        (2.5, Decimal("2.5")),
        (0.1, Decimal("0.1")),  # from repr(), not the binary expansion of 0.1
        (Decimal("1E+2"), Decimal("100")),
        (Decimal("999999999.99"), Decimal("999999999.99")),
    ],
)
def test_numbers_and_numeric_strings_become_decimals(value: object, expected: Decimal) -> None:
    w = Workload(ects=value, ecvet=value, hours=value)
    for got in (w.ects, w.ecvet, w.hours):
        assert isinstance(got, Decimal)
        assert got == expected


def test_decimal_is_kept_as_given() -> None:
    d = Decimal("2.50")
    assert Workload(ects=d).ects is d


@given(gen.decimals())
def test_generated_decimals_are_accepted(value: Decimal) -> None:
    assert Workload(ects=value).ects == value


# ----------------------------------------------------------------------------- invalid constructions

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
JUNE = dt.datetime(2024, 6, 1, tzinfo=UTC)
MAY = dt.datetime(2024, 5, 1, tzinfo=UTC)

INVALID: list[Any] = [
    # -- Identifier / LegalIdentifier
    pytest.param(
        lambda: Identifier(value=5),
        [("$.value", "type", "expected a string, got int 5")],
        id="identifier-value-not-str",
    ),
    pytest.param(
        lambda: Identifier(value=None),
        [("$.value", "missing", "is required")],
        id="identifier-value-none",
    ),
    pytest.param(
        lambda: Identifier(value=" \t\n"),
        [("$.value", "empty", "must not be empty or only whitespace")],
        id="identifier-value-blank",
    ),
    pytest.param(
        lambda: Identifier(value="S1", scheme=""),
        [("$.scheme", "empty", "must not be empty or only whitespace")],
        id="identifier-scheme-empty",
    ),
    pytest.param(
        lambda: Identifier(value="S1", scheme_iri="not an iri"),
        [("$.scheme_iri", "iri", IRI_MESSAGE.format("not an iri"))],
        id="identifier-scheme-iri",
    ),
    pytest.param(
        lambda: Identifier(value="S1", scheme_iri="urn:x\n"),
        [("$.scheme_iri", "iri", IRI_MESSAGE.format("urn:x\n"))],
        id="iri-with-trailing-newline",
    ),
    pytest.param(
        lambda: LegalIdentifier(value="1", country="Atlantis"),
        [
            (
                "$.country",
                "vocabulary",
                "unknown code 'Atlantis': expected a concept from Countries and territories "
                "(an IRI or code)",
            )
        ],
        id="legal-identifier-unknown-country",
    ),
    pytest.param(
        lambda: LegalIdentifier(value="1", country=vocab.LANGUAGE["en"]),
        [
            (
                "$.country",
                "vocabulary",
                "expected a concept from Countries and territories, got 'English' "
                "(http://publications.europa.eu/resource/authority/language/ENG)",
            )
        ],
        id="legal-identifier-concept-from-wrong-vocabulary",
    ),
    pytest.param(
        lambda: LegalIdentifier(value="1", country=None),
        [("$.country", "missing", "is required")],
        id="legal-identifier-country-none",
    ),
    # -- Organisation
    pytest.param(
        lambda: Organisation(name="Uni"),
        [("$.name", "type", TEXT_TYPE_MESSAGE.format("str 'Uni'"))],
        id="organisation-name-plain-string",
    ),
    pytest.param(
        lambda: Organisation(name=None),
        [("$.name", "missing", "is required")],
        id="organisation-name-none",
    ),
    pytest.param(
        lambda: org(email="not-an-email"),
        [("$.email", "email", "expected an e-mail address, got 'not-an-email'")],
        id="organisation-bad-email",
    ),
    pytest.param(
        lambda: org(email="a b@example.org"),
        [("$.email", "email", "expected an e-mail address, got 'a b@example.org'")],
        id="organisation-email-with-space",
    ),
    pytest.param(
        lambda: org(homepage="ftp://example.org"),
        [("$.homepage", "url", "expected an http(s) URL, got 'ftp://example.org'")],
        id="organisation-homepage-not-http",
    ),
    pytest.param(
        lambda: org(homepage="www.example.org"),
        [("$.homepage", "url", "expected an http(s) URL, got 'www.example.org'")],
        id="organisation-homepage-relative",
    ),
    pytest.param(
        lambda: org(region=GERMANY),
        [
            (
                "$.region",
                "vocabulary",
                "expected a concept from Administrative territorial units or NUTS regions, "
                f"got 'Germany' ({COUNTRY_IRI}DEU)",
            )
        ],
        id="organisation-region-is-a-country",
    ),
    pytest.param(
        lambda: org(identifiers=["S1"]),
        [("$.identifiers[0]", "type", "expected an Identifier, got str 'S1'")],
        id="organisation-identifier-not-object",
    ),
    pytest.param(
        lambda: org(identifiers=5),
        [("$.identifiers", "type", "expected a list, got int 5")],
        id="organisation-identifiers-not-list",
    ),
    pytest.param(
        lambda: org(registration="DE123"),
        [("$.registration", "type", "expected a LegalIdentifier, got str 'DE123'")],
        id="organisation-registration-string",
    ),
    # -- Learner
    pytest.param(
        lambda: Learner(email="ada@example"),
        [("$.email", "email", "expected an e-mail address, got 'ada@example'")],
        id="learner-bad-email",
    ),
    pytest.param(
        lambda: Learner(date_of_birth=TOMORROW),
        [("$.date_of_birth", "range", f"is in the future ({TOMORROW})")],
        id="learner-born-tomorrow",
    ),
    pytest.param(
        lambda: Learner(date_of_birth="1990-01-01"),
        [("$.date_of_birth", "type", "expected a date, got str '1990-01-01'")],
        id="learner-date-of-birth-string",
    ),
    pytest.param(
        lambda: Learner(date_of_birth=dt.datetime(1990, 1, 1)),
        [("$.date_of_birth", "type", "expected a date, got datetime")],
        id="learner-date-of-birth-datetime",
    ),
    pytest.param(
        lambda: Learner(full_name=""),
        [("$.full_name", "empty", "must not be empty or only whitespace")],
        id="learner-empty-name",
    ),
    pytest.param(
        lambda: Learner(citizenship=["DEU", "DE"]),
        [
            (
                "$.citizenship[1]",
                "duplicate",
                f"'Germany' ({COUNTRY_IRI}DEU) is listed more than once",
            )
        ],
        id="learner-duplicate-citizenship",
    ),
    pytest.param(
        lambda: Learner(citizenship="DEU"),
        [("$.citizenship", "type", "expected a list, got str 'DEU'")],
        id="learner-citizenship-string",
    ),
    pytest.param(
        lambda: Learner(id="did example"),
        [("$.id", "iri", IRI_MESSAGE.format("did example"))],
        id="learner-id-not-iri",
    ),
    # -- LearningOutcome
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), esco_skills=[ESCO + "x"]),
        [
            (
                "$.esco_skills[0]",
                "esco",
                "expected an ESCO skill IRI such as 'http://data.europa.eu/esco/skill/<uuid>', "
                f"got '{ESCO}x'",
            )
        ],
        id="esco-malformed-uuid",
    ),
    pytest.param(
        lambda: LearningOutcome(
            title=Text(en="x"), esco_skills=["https://esco.ec.europa.eu/skill/1"]
        ),
        [
            (
                "$.esco_skills[0]",
                "esco",
                "expected an ESCO skill IRI such as 'http://data.europa.eu/esco/skill/<uuid>', "
                "got 'https://esco.ec.europa.eu/skill/1'",
            )
        ],
        id="esco-wrong-host",
    ),
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), esco_skills=[ESCO + "\n"]),
        [
            (
                "$.esco_skills[0]",
                "esco",
                "expected an ESCO skill IRI such as 'http://data.europa.eu/esco/skill/<uuid>', "
                f"got '{ESCO}\\n'",
            )
        ],
        id="esco-trailing-newline",
    ),
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), esco_skills=[ESCO, ESCO_2, ESCO]),
        [
            (
                "$.esco_skills[2]",
                "duplicate",
                "'http://data.europa.eu/esco/skill/31c69100-b612-4a61-8db5... is listed more "
                "than once",
            )
        ],
        id="esco-duplicate",
    ),
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), related_skills=["urn:a", "not an iri"]),
        [("$.related_skills[1]", "iri", IRI_MESSAGE.format("not an iri"))],
        id="related-skill-not-iri",
    ),
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), skill_type="ability"),
        [
            (
                "$.skill_type",
                "vocabulary",
                "unknown code 'ability': expected a concept from Skill types (an IRI or code)",
            )
        ],
        id="skill-type-unknown",
    ),
    pytest.param(
        lambda: LearningOutcome(title=Text(en="x"), reusability_level=vocab.SKILL_TYPE["skill"]),
        [
            (
                "$.reusability_level",
                "vocabulary",
                "expected a concept from Skill reuse levels, got 'skill' "
                "(http://data.europa.eu/snb/skill-type/skill)",
            )
        ],
        id="reusability-level-from-wrong-vocabulary",
    ),
    # -- Workload
    pytest.param(
        lambda: Workload(),
        [("$", "missing", "give ECTS credits, ECVET points or hours (none was given)")],
        id="workload-empty",
    ),
    pytest.param(
        lambda: Workload(ects=-1),
        [("$.ects", "range", "must not be negative, got -1")],
        id="ects-negative",
    ),
    pytest.param(
        lambda: Workload(ects="1.005"),
        [("$.ects", "precision", "at most two decimals are recorded, got 1.005")],
        id="ects-three-decimals",
    ),
    pytest.param(
        lambda: Workload(hours=0.1 + 0.2),
        [("$.hours", "precision", "at most two decimals are recorded, got 0.30000000000000004")],
        id="hours-float-noise",
    ),
    pytest.param(
        lambda: Workload(ects=-0.005),
        [
            ("$.ects", "range", "must not be negative, got -0.005"),
            ("$.ects", "precision", "at most two decimals are recorded, got -0.005"),
        ],
        id="ects-negative-and-three-decimals",
    ),
    pytest.param(
        lambda: Workload(ecvet=10**9),
        [("$.ecvet", "range", "implausibly large, got 1000000000")],
        id="ecvet-implausibly-large",
    ),
    pytest.param(
        lambda: Workload(ects=Decimal("NaN")),
        [("$.ects", "range", "expected a finite number, got NaN")],
        id="ects-nan",
    ),
    pytest.param(
        lambda: Workload(ects=float("inf")),
        [("$.ects", "range", "expected a finite number, got Infinity")],
        id="ects-infinite-float",
    ),
    pytest.param(
        lambda: Workload(ects=True),
        [("$.ects", "type", "expected a number, got bool")],
        id="ects-bool",
    ),
    pytest.param(
        lambda: Workload(ects="five"),
        [("$.ects", "type", "expected a number, got str 'five'")],
        id="ects-not-a-number",
    ),
    pytest.param(
        lambda: Workload(ects=[5]),
        [("$.ects", "type", "expected a number, got list")],
        id="ects-list",
    ),
    # -- Level
    pytest.param(
        lambda: Level(eqf=9),
        [
            (
                "$.eqf",
                "vocabulary",
                "unknown code 9: expected a concept from European Qualifications Framework "
                "levels (an IRI or code)",
            )
        ],
        id="eqf-9",
    ),
    pytest.param(
        lambda: Level(eqf="Level 0"),
        [
            (
                "$.eqf",
                "vocabulary",
                "unknown code 'Level 0': expected a concept from European Qualifications "
                "Framework levels (an IRI or code)",
            )
        ],
        id="eqf-label-unknown",
    ),
    pytest.param(
        lambda: Level(eqf=6.0),
        [("$.eqf", "type", "expected a concept, got float 6.0")],
        id="eqf-float",
    ),
    pytest.param(
        lambda: Level(eqf=True),
        [("$.eqf", "type", "expected a concept, got bool")],
        id="eqf-bool",
    ),
    pytest.param(
        lambda: Level(),
        [("$", "missing", "give an EQF level, a QF-EHEA cycle or an NQF level (none was given)")],
        id="level-empty",
    ),
    pytest.param(
        lambda: Level(eqf=6, qf_ehea="2"),
        [
            (
                "$.qf_ehea",
                "consistency",
                "Second cycle corresponds to EQF level 7, but the EQF level is 6",
            )
        ],
        id="qf-ehea-inconsistent-with-eqf",
    ),
    pytest.param(
        lambda: Level(eqf=8, qf_ehea="short"),
        [
            (
                "$.qf_ehea",
                "consistency",
                "Short cycle corresponds to EQF level 5, but the EQF level is 8",
            )
        ],
        id="short-cycle-with-eqf-8",
    ),
    pytest.param(
        lambda: Level(qf_ehea=vocab.EQF[7]),
        [
            (
                "$.qf_ehea",
                "vocabulary",
                "expected a concept from QF-EHEA cycles, got 'Level 7' "
                "(http://data.europa.eu/snb/eqf/7)",
            )
        ],
        id="qf-ehea-from-eqf-vocabulary",
    ),
    pytest.param(
        lambda: Level(nqf=["c_009d9566", "http://data.europa.eu/snb/qdr/c_009d9566"]),
        [
            (
                "$.nqf[1]",
                "duplicate",
                "'Hungarian National Qualifications Framework' "
                "(http://data.europa.eu/snb/qdr/c_009d9566) is listed more than once",
            )
        ],
        id="nqf-duplicate",
    ),
    # -- Assessment, Participation, QualityAssurance
    pytest.param(
        lambda: Assessment(),
        [("$", "missing", "give at least one assessment type or a description")],
        id="assessment-empty",
    ),
    pytest.param(
        lambda: Assessment(types=["portfolio", "nonsense"]),
        [
            (
                "$.types[1]",
                "vocabulary",
                "unknown code 'nonsense': expected a concept from Learning assessment types "
                "(an IRI or code)",
            )
        ],
        id="assessment-type-unknown",
    ),
    pytest.param(
        lambda: Assessment(types="portfolio"),
        [("$.types", "type", "expected a list, got str 'portfolio'")],
        id="assessment-types-string",
    ),
    pytest.param(
        lambda: Assessment(description="Exam"),
        [("$.description", "type", TEXT_TYPE_MESSAGE.format("str 'Exam'"))],
        id="assessment-description-plain-string",
    ),
    pytest.param(
        lambda: Participation(),
        [("$", "missing", "give a mode, a learning setting or a description")],
        id="participation-empty",
    ),
    pytest.param(
        lambda: Participation(setting=vocab.MODE["Online"]),
        [
            (
                "$.setting",
                "vocabulary",
                "expected a concept from Learning settings, got 'Online' "
                f"({vocab.MODE['Online'].iri})",
            )
        ],
        id="participation-setting-from-modes",
    ),
    pytest.param(
        lambda: QualityAssurance(),
        [("$", "missing", "give a quality-assurance type or a description")],
        id="quality-assurance-empty",
    ),
    pytest.param(
        lambda: QualityAssurance(type="Program License", report="report.pdf"),
        [("$.report", "url", "expected an http(s) URL, got 'report.pdf'")],
        id="quality-assurance-report-not-url",
    ),
    pytest.param(
        lambda: QualityAssurance(type="Program License", agency=Text(en="QQI")),
        [("$.agency", "type", "expected an Organisation, got Text")],
        id="quality-assurance-agency-text",
    ),
    # -- Stackability
    pytest.param(
        lambda: Stackability(
            option=StackabilityOption.STAND_ALONE, towards=[CredentialReference(id="urn:q")]
        ),
        [
            (
                "$.towards",
                "consistency",
                "a stand-alone micro-credential does not stack towards other credentials",
            )
        ],
        id="stand-alone-with-towards",
    ),
    pytest.param(
        lambda: Stackability(option="both"),
        [("$.option", "type", "expected one of 'stand-alone', 'stackable', got str 'both'")],
        id="stackability-option-unknown",
    ),
    pytest.param(
        lambda: Stackability(
            option=StackabilityOption.STACKABLE,
            towards=[CredentialReference(id="urn:q"), CredentialReference(id="urn:q")],
        ),
        [
            (
                "$.towards[1]",
                "duplicate",
                "CredentialReference 'urn:q' is listed more than once",
            )
        ],
        id="stackability-duplicate-towards",
    ),
    pytest.param(
        lambda: CredentialReference(id="qualification 7"),
        [("$.id", "iri", IRI_MESSAGE.format("qualification 7"))],
        id="credential-reference-not-iri",
    ),
    # -- Specification
    pytest.param(
        lambda: Specification(id="x y"),
        [("$.id", "iri", IRI_MESSAGE.format("x y"))],
        id="specification-id-not-iri",
    ),
    pytest.param(
        lambda: Specification(id=None),
        [("$.id", "missing", "is required")],
        id="specification-id-none",
    ),
    pytest.param(
        lambda: spec(title="Data literacy"),
        [("$.title", "type", TEXT_TYPE_MESSAGE.format("str 'Data literacy'"))],
        id="specification-title-plain-string",
    ),
    pytest.param(
        lambda: spec(learning_outcomes=[Text(en="x")]),
        [("$.learning_outcomes[0]", "type", "expected a LearningOutcome, got Text")],
        id="specification-outcome-is-text",
    ),
    pytest.param(
        lambda: spec(workload=5),
        [("$.workload", "type", "expected a Workload, got int 5")],
        id="specification-workload-number",
    ),
    pytest.param(
        lambda: spec(quality_assurance=QualityAssurance(type="Program License")),
        [("$.quality_assurance", "type", "expected a list, got QualityAssurance")],
        id="specification-quality-assurance-not-list",
    ),
    pytest.param(
        lambda: spec(languages=["en", "ENG"]),
        [
            (
                "$.languages[1]",
                "duplicate",
                "'English' (http://publications.europa.eu/resource/authority/language/ENG) "
                "is listed more than once",
            )
        ],
        id="specification-duplicate-language",
    ),
    pytest.param(
        lambda: spec(fields=["0000x"]),
        [
            (
                "$.fields[0]",
                "vocabulary",
                "unknown code '0000x': expected a concept from ISCED-F 2013 fields of education "
                "and training (an IRI or code)",
            )
        ],
        id="specification-unknown-isced-field",
    ),
    pytest.param(
        lambda: spec(homepage="https://"),
        [("$.homepage", "url", "expected an http(s) URL, got 'https://'")],
        id="specification-homepage-no-host",
    ),
    # -- Grade
    pytest.param(
        lambda: Grade(value=""),
        [("$.value", "empty", "must not be empty or only whitespace")],
        id="grade-empty",
    ),
    pytest.param(
        lambda: Grade(value=8.5),
        [("$.value", "type", "expected a string, got float 8.5")],
        id="grade-number",
    ),
    # -- MicroCredential
    pytest.param(
        lambda: credential(issued=dt.datetime(2024, 1, 1)),
        [("$.issued", "timezone", "must have a timezone (naive datetime 2024-01-01T00:00:00)")],
        id="naive-datetime",
    ),
    pytest.param(
        lambda: credential(issued=dt.date(2024, 1, 1)),
        [("$.issued", "type", "expected a date and time with a timezone, got date")],
        id="issued-is-a-date",
    ),
    pytest.param(
        lambda: credential(valid_from="2024-01-01T00:00:00Z"),
        [
            (
                "$.valid_from",
                "type",
                "expected a date and time with a timezone, got str '2024-01-01T00:00:00Z'",
            )
        ],
        id="valid-from-string",
    ),
    pytest.param(
        lambda: credential(valid_from=JUNE, valid_until=MAY),
        [
            (
                "$.valid_until",
                "range",
                "must be after valid_from (2024-06-01T00:00:00+00:00), got 2024-05-01T00:00:00+00:00",
            )
        ],
        id="valid-until-before-valid-from",
    ),
    pytest.param(
        lambda: credential(
            valid_from=dt.datetime(2024, 6, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            valid_until=JUNE,
        ),
        [
            (
                "$.valid_until",
                "range",
                "must be after valid_from (2024-06-01T02:00:00+02:00), got 2024-06-01T00:00:00+00:00",
            )
        ],
        id="valid-until-same-instant-as-valid-from",
    ),
    pytest.param(
        lambda: credential(issued=JUNE, valid_until=MAY),
        [
            (
                "$.valid_until",
                "range",
                "must be after the date of issuing (2024-06-01T00:00:00+00:00), "
                "got 2024-05-01T00:00:00+00:00",
            )
        ],
        id="valid-until-before-issued",
    ),
    pytest.param(
        lambda: credential(issued=JUNE, valid_from=JUNE, valid_until=MAY),
        [
            (
                "$.valid_until",
                "range",
                "must be after valid_from (2024-06-01T00:00:00+00:00), got 2024-05-01T00:00:00+00:00",
            ),
            (
                "$.valid_until",
                "range",
                "must be after the date of issuing (2024-06-01T00:00:00+00:00), "
                "got 2024-05-01T00:00:00+00:00",
            ),
        ],
        id="valid-until-before-valid-from-and-issued",
    ),
    pytest.param(
        lambda: MicroCredential(id="urn:c", specification=None),
        [("$.specification", "missing", "is required")],
        id="credential-specification-none",
    ),
    pytest.param(
        lambda: MicroCredential(id="urn:c", specification="urn:s"),
        [("$.specification", "type", "expected a Specification, got str 'urn:s'")],
        id="credential-specification-string",
    ),
    pytest.param(
        lambda: credential(awarding_bodies=[org("A"), org("A")]),
        [
            (
                "$.awarding_bodies[1]",
                "duplicate",
                "Organisation 'A' is listed more than once",
            )
        ],
        id="credential-duplicate-awarding-body",
    ),
    pytest.param(
        lambda: credential(supervision="Supervised"),
        [
            (
                "$.supervision",
                "vocabulary",
                "unknown code 'Supervised': expected a concept from Methods of supervision and "
                "ID verification (an IRI or code)",
            )
        ],
        id="credential-supervision-unknown",
    ),
    pytest.param(
        lambda: credential(learner=Learner(), grade="Pass"),
        [("$.grade", "type", "expected a Grade, got str 'Pass'")],
        id="credential-grade-string",
    ),
]


@pytest.mark.parametrize(("build", "expected"), INVALID)
def test_invalid_construction_reports_exact_problems(
    build: Callable[[], object], expected: Problems
) -> None:
    assert problems_of(build) == expected


# ----------------------------------------------------------------------------- all problems at once


def test_three_faults_give_three_problems() -> None:
    with pytest.raises(ValidationError) as info:
        Organisation(name="Uni", homepage="ftp://uni.example", email="uni")
    err = info.value
    assert [(p.location, p.code) for p in err.problems] == [
        ("$.name", "type"),
        ("$.homepage", "url"),
        ("$.email", "email"),
    ]
    assert err.subject == "Organisation"
    assert str(err) == (
        "3 problems in Organisation:\n"
        "  $.name: expected text in one or more languages, e.g. Text(en='…'), got str 'Uni'\n"
        "  $.homepage: expected an http(s) URL, got 'ftp://uni.example'\n"
        "  $.email: expected an e-mail address, got 'uni'"
    )


def test_three_faults_in_a_credential() -> None:
    assert problems_of(
        lambda: MicroCredential(
            id="not an iri",
            specification=spec(),
            issued=dt.datetime(2024, 1, 1),
            awarding_bodies=[org(), org()],
        )
    ) == [
        ("$.id", "iri", IRI_MESSAGE.format("not an iri")),
        (
            "$.awarding_bodies[1]",
            "duplicate",
            "Organisation 'Uni' is listed more than once",
        ),
        ("$.issued", "timezone", "must have a timezone (naive datetime 2024-01-01T00:00:00)"),
    ]


def test_every_item_of_a_list_is_checked() -> None:
    assert problems_of(
        lambda: spec(languages=["xx-nope", "ENG", "yy-nope"], fields=["0613", 7])
    ) == [
        (
            "$.languages[0]",
            "vocabulary",
            "unknown code 'xx-nope': expected a concept from Languages (an IRI or code)",
        ),
        (
            "$.languages[2]",
            "vocabulary",
            "unknown code 'yy-nope': expected a concept from Languages (an IRI or code)",
        ),
        (
            "$.fields[1]",
            "vocabulary",
            "unknown code 7: expected a concept from ISCED-F 2013 fields of education and "
            "training (an IRI or code)",
        ),
    ]


def test_cross_field_rules_wait_for_well_typed_fields() -> None:
    """A cross-field rule cannot run on a value of the wrong type: only the type is reported."""
    assert problems_of(lambda: Level(eqf=6, qf_ehea="2", nqf="c_009d9566")) == [
        ("$.nqf", "type", "expected a list, got str 'c_009d9566'")
    ]


def test_cross_field_problems_are_reported_with_value_rule_problems() -> None:
    assert [
        p[0]
        for p in problems_of(
            lambda: MicroCredential(
                id="not an iri", specification=spec(), valid_from=JUNE, valid_until=MAY
            )
        )
    ] == ["$.id", "$.valid_until"]


def test_validation_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="1 problem in Workload") as info:
        Workload()
    assert isinstance(info.value, EumicroError)


def test_nested_objects_are_validated_where_they_are_built() -> None:
    """An invalid part cannot even be built, so a whole is never invalid inside."""
    with pytest.raises(ValidationError) as info:
        spec(workload=Workload(ects=-5))
    assert info.value.subject == "Workload"


# ----------------------------------------------------------------------------- value edges


def test_date_of_birth_today_is_accepted() -> None:
    assert Learner(date_of_birth=TODAY).date_of_birth == TODAY


@pytest.mark.parametrize("value", gen.EDGE_DECIMALS)
def test_edge_decimals_are_accepted(value: Decimal) -> None:
    assert Workload(ects=value, ecvet=value, hours=value).ects == value


@pytest.mark.parametrize(
    "value",
    [
        "urn:isbn:0451450523",
        "https://example.org/a?b#c",
        "did:example:123",
        "mailto:a@b.eu",
        "tag:x",
    ],
)
def test_iris_of_several_schemes(value: str) -> None:
    assert Identifier(value="x", scheme_iri=value).scheme_iri == value


@pytest.mark.parametrize(
    "value",
    [
        ESCO,
        "http://data.europa.eu/esco/isco/C2512",
        "http://data.europa.eu/esco/occupation/1c2d0f8c-0000-4b4b-9a9a-000000000000",
        "http://data.europa.eu/esco/skill/S1.2",
    ],
)
def test_esco_iris(value: str) -> None:
    assert LearningOutcome(title=Text(en="x"), esco_skills=[value]).esco_skills == (value,)


def test_trailing_newlines_are_not_accepted() -> None:
    """``$`` matches before a final newline; the checks must anchor at the very end."""
    assert problems_of(lambda: org(homepage="https://example.org\n", email="a@b.eu\n")) == [
        ("$.homepage", "url", "expected an http(s) URL, got 'https://example.org\\n'"),
        ("$.email", "email", "expected an e-mail address, got 'a@b.eu\\n'"),
    ]
    assert problems_of(lambda: Text({"en\n": "x"})) == [
        (
            "$['en\\n']",  # the newline is escaped in the path
            "language",
            "'en\\n' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
        )
    ]


def test_forged_concept_is_replaced_by_the_vocabularys_own() -> None:
    fake = Concept(iri=vocab.EQF[6].iri, code="9", label="Level 9", scheme=vocab.EQF.scheme)
    level = Level(eqf=fake)
    assert level.eqf is vocab.EQF[6]
    assert level.eqf_number == 6


# ----------------------------------------------------------------------------- Text


def test_text_equality_ignores_order() -> None:
    a = Text(en="Data", de="Daten")
    b = Text(de="Daten", en="Data")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert str(a) == "Data"
    assert str(b) == "Daten"
    assert a != Text(en="Data")
    assert a != Text(en="Data", de="Datum")
    assert a != {"en": "Data", "de": "Daten"}  # a Text is not a dict


def test_text_mapping_behaviour() -> None:
    t = Text({"en": "Data"}, de="Daten", fr="Données")
    assert len(t) == 3
    assert list(t) == ["en", "de", "fr"]
    assert t["fr"] == "Données"
    assert "de" in t
    with pytest.raises(KeyError):
        t["it"]
    assert t.get("it") is None
    assert t.languages == ("en", "de", "fr")
    assert t.primary_language == "en"
    assert t.items_in_order() == (("en", "Data"), ("de", "Daten"), ("fr", "Données"))
    assert Text([("en", "a"), ("de", "b")]) == Text(en="a", de="b")


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("EN", "en"),
        ("PT-br", "pt-BR"),
        ("pt_BR", "pt-BR"),
        ("sr-latn", "sr-Latn"),
        ("SR_LATN_RS", "sr-Latn-RS"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("DE-CH-1996", "de-CH-1996"),
        ("gsw", "gsw"),
    ],
)
def test_text_tags_are_put_in_canonical_case(tag: str, canonical: str) -> None:
    t = Text({tag: "x"})
    assert t.languages == (canonical,)
    assert t[canonical] == "x"
    assert t == Text({canonical: "x"})


def test_text_best() -> None:
    t = Text({"en": "Data", "pt-BR": "Dados", "sr-Latn": "Podaci"})
    assert t.best() == "Data"
    assert t.best("pt-BR") == "Dados"
    assert t.best("pt") == "Dados"  # a base language matches a regional variant
    assert t.best("pt-PT") == "Dados"  # … and a sibling variant
    assert t.best("PT-br") == "Dados"
    assert t.best("sr") == "Podaci"
    assert t.best("fr", "sr-latn", "en") == "Podaci"  # first available preference wins
    assert t.best("fr", "it") == "Data"  # none available: the primary language
    assert Text({"pt": "Dados"}).best("pt-BR") == "Dados"


def test_text_repr() -> None:
    assert repr(Text(en="Data", de="Daten")) == "Text(en='Data', de='Daten')"
    assert repr(Text({"en": "x", "pt-BR": "y"})) == "Text({'en': 'x', 'pt-BR': 'y'})"
    assert repr(Text(en='say "hi"')) == "Text(en='say \"hi\"')"
    for t in (Text(en="Data", de="Daten"), Text({"en": "x", "pt-BR": "y"})):
        assert eval(repr(t), {"Text": Text}) == t


def test_text_pickle_and_copy_keep_order() -> None:
    t = Text({"pt-BR": "Dados", "en": "Data"})
    for clone in (pickle.loads(pickle.dumps(t)), copy.copy(t), copy.deepcopy(t)):
        assert clone == t
        assert clone.languages == ("pt-BR", "en")


def test_text_is_immutable() -> None:
    t = Text(en="Data")
    with pytest.raises(AttributeError):
        t.en = "x"  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        t._items = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        t["de"] = "Daten"  # type: ignore[index]
    assert t == Text(en="Data")


@given(gen.texts())
def test_generated_texts_behave(t: Text) -> None:
    pairs = t.items_in_order()
    assert 1 <= len(t) <= 4
    assert Text(pairs) == t
    assert Text(tuple(reversed(pairs))) == t
    assert hash(Text(tuple(reversed(pairs)))) == hash(t)
    assert pickle.loads(pickle.dumps(t)).items_in_order() == pairs
    assert str(t) == pairs[0][1]
    assert all(value.strip() for _, value in pairs)


INVALID_TEXT: list[Any] = [
    pytest.param(
        lambda: Text(), [("$", "empty", "must have text in at least one language")], id="nothing"
    ),
    pytest.param(
        lambda: Text({}),
        [("$", "empty", "must have text in at least one language")],
        id="empty-dict",
    ),
    pytest.param(
        lambda: Text([]),
        [("$", "empty", "must have text in at least one language")],
        id="empty-list",
    ),
    pytest.param(
        lambda: Text("Data"),
        [
            (
                "$",
                "type",
                "expected text in one or more languages, such as Text(en='…'), got a plain str",
            )
        ],
        id="plain-string",
    ),
    pytest.param(
        lambda: Text(b"Data"),
        [
            (
                "$",
                "type",
                "expected text in one or more languages, such as Text(en='…'), got a plain bytes",
            )
        ],
        id="plain-bytes",
    ),
    pytest.param(
        lambda: Text({"english": "x"}),
        [
            (
                "$.english",
                "language",
                "'english' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
            )
        ],
        id="tag-too-long-word",
    ),
    pytest.param(
        lambda: Text({"en language": "x"}),
        [
            (
                "$['en language']",
                "language",
                "'en language' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
            )
        ],
        id="tag-with-space",
    ),
    pytest.param(
        lambda: Text({"": "x"}),
        [
            (
                "$['']",
                "language",
                "'' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
            )
        ],
        id="tag-empty",
    ),
    pytest.param(
        lambda: Text({1: "x"}),
        [("$", "type", "language tag must be a string, got 1")],
        id="tag-not-string",
    ),
    pytest.param(
        lambda: Text(en=""),
        [("$.en", "empty", "must not be empty or only whitespace")],
        id="empty-string",
    ),
    pytest.param(
        lambda: Text(en=" \n\t\u00a0\u2028"),
        [("$.en", "empty", "must not be empty or only whitespace")],
        id="whitespace-only",
    ),
    pytest.param(
        lambda: Text(en=5), [("$.en", "type", "expected a string, got int")], id="value-int"
    ),
    pytest.param(
        lambda: Text(en=None),
        [("$.en", "type", "expected a string, got NoneType")],
        id="value-none",
    ),
    pytest.param(
        lambda: Text(en=Text(en="x")),
        [("$.en", "type", "expected a string, got Text")],
        id="value-text",
    ),
    pytest.param(
        lambda: Text({"en": "a", "EN": "b"}),
        [("$.EN", "duplicate", "language 'en' is given more than once")],
        id="duplicate-after-normalising",
    ),
    pytest.param(
        lambda: Text({"pt-BR": "a"}, pt_br="b"),
        [("$.pt_br", "duplicate", "language 'pt-BR' is given more than once")],
        id="duplicate-mapping-and-keyword",
    ),
    pytest.param(
        lambda: Text({"english language": "x", "de": 5, "fr": " "}),
        [
            (
                "$['english language']",
                "language",
                "'english language' is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
            ),
            ("$.de", "type", "expected a string, got int"),
            ("$.fr", "empty", "must not be empty or only whitespace"),
        ],
        id="three-faults-three-problems",
    ),
]


@pytest.mark.parametrize(("build", "expected"), INVALID_TEXT)
def test_invalid_text_reports_exact_problems(
    build: Callable[[], object], expected: Problems
) -> None:
    assert problems_of(build) == expected


# ----------------------------------------------------------------------------- derived properties


@pytest.mark.parametrize(
    ("learner", "expected"),
    [
        (Learner(full_name="Ada King", given_name="Ada", family_name="Lovelace"), "Ada King"),
        (Learner(given_name="Ada", family_name="Lovelace"), "Ada Lovelace"),
        (Learner(given_name="Ada"), "Ada"),
        (Learner(family_name="Lovelace"), "Lovelace"),
        (Learner(full_name="Ada"), "Ada"),
        (Learner(), None),
        (Learner(id="did:example:ada", identifiers=[Identifier(value="S1")]), None),
    ],
)
def test_learner_display_name(learner: Learner, expected: str | None) -> None:
    assert learner.display_name == expected


@pytest.mark.parametrize("level", range(1, 9))
def test_level_eqf_number(level: int) -> None:
    assert Level(eqf=level).eqf_number == level
    assert Level(eqf=str(level), nqf=["c_009d9566"]).eqf_number == level


def test_level_eqf_number_without_eqf() -> None:
    assert Level(qf_ehea="1").eqf_number is None
    assert Level(nqf=["c_009d9566"]).eqf_number is None


@pytest.mark.parametrize(("cycle", "eqf"), [("short", 5), ("1", 6), ("2", 7), ("3", 8)])
def test_matching_qf_ehea_and_eqf(cycle: str, eqf: int) -> None:
    assert Level(eqf=eqf, qf_ehea=cycle).eqf_number == eqf


def test_issuer_countries_and_regions() -> None:
    de = org("DE uni", country="DEU", region="DEA29")
    fr = org("FR uni", country="FRA", region="FRG")
    de2 = org("DE uni 2", country="DE", region="DEA29")
    none = org("No country")
    c = credential(awarding_bodies=[fr, none, de, de2], issuer=de)
    assert c.issuer_countries == (vocab.COUNTRY["DEU"], vocab.COUNTRY["FRA"])
    assert c.issuer_regions == (vocab.NUTS["DEA29"], fr.region)
    assert credential(awarding_bodies=[fr, de]).issuer_countries == (
        vocab.COUNTRY["FRA"],
        vocab.COUNTRY["DEU"],
    )
    assert credential(awarding_bodies=[none]).issuer_countries == ()
    assert credential(awarding_bodies=[none]).issuer_regions == ()
    assert credential().issuer_countries == ()
    assert credential(issuer=fr).issuer_countries == (vocab.COUNTRY["FRA"],)


def test_effective_issuer() -> None:
    a, b, i = org("A"), org("B"), org("Issuer")
    assert credential(awarding_bodies=[a, b], issuer=i).effective_issuer is i
    assert credential(awarding_bodies=[a, b]).effective_issuer is a
    assert credential(issuer=i).effective_issuer is i
    assert credential().effective_issuer is None


def test_is_valid_at() -> None:
    c = credential(valid_from=MAY, valid_until=JUNE)
    assert not c.is_valid_at(MAY - dt.timedelta(microseconds=1))
    assert c.is_valid_at(MAY)  # valid_from is inclusive
    assert c.is_valid_at(dt.datetime(2024, 5, 15, tzinfo=CET))
    assert not c.is_valid_at(JUNE)  # valid_until is exclusive
    assert c.is_valid_at(dt.datetime(2024, 6, 1, 0, 59, tzinfo=CET))  # 23:59 UTC
    assert not c.is_valid_at(dt.datetime(2024, 6, 1, 1, 0, tzinfo=CET))
    assert credential().is_valid_at(MAY)
    assert credential(valid_from=JUNE).is_valid_at(dt.datetime(9999, 1, 1, tzinfo=UTC))
    assert not credential(valid_from=JUNE).is_valid_at(MAY)
    assert not credential(valid_until=MAY).is_valid_at(JUNE)
    # With no valid_from, validity starts at the date of issuing.
    assert not credential(issued=JUNE).is_valid_at(MAY)
    assert credential(issued=MAY).is_valid_at(JUNE)


@given(gen.micro_credentials(), gen.aware_datetimes())
def test_is_valid_at_agrees_with_the_period(c: MicroCredential, when: dt.datetime) -> None:
    start = c.valid_from if c.valid_from is not None else c.issued  # issuing opens it
    after_start = start is None or when >= start
    before_end = c.valid_until is None or when < c.valid_until
    assert c.is_valid_at(when) is (after_start and before_end)


def test_specification_and_credential_shortcuts() -> None:
    lo1 = LearningOutcome(title=Text(en="a"), esco_skills=[ESCO])
    lo2 = LearningOutcome(title=Text(en="b"), esco_skills=[ESCO, ESCO_2])
    s = spec(title=Text(en="T"), workload=Workload(ects="2.5"), learning_outcomes=[lo1, lo2])
    assert s.ects == Decimal("2.5")
    assert s.esco_skills == frozenset({ESCO, ESCO_2})
    assert spec().ects is None
    assert spec(workload=Workload(hours=3)).ects is None
    assert credential(specification=s).title == Text(en="T")


# ----------------------------------------------------------------------------- the strategies themselves


def _walk(obj: object, seen: dict[tuple[str, str], set[str]]) -> None:
    """Record, for every field of every model object inside ``obj``, the shapes seen."""
    if isinstance(obj, tuple):
        for item in obj:
            _walk(item, seen)
        return
    if not attrs.has(type(obj)):
        return
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        key = (type(obj).__name__, field.name)
        if value is None:
            seen[key].add("absent")
        elif isinstance(value, tuple):
            seen[key].add("empty" if not value else "one" if len(value) == 1 else "several")
        else:
            seen[key].add("present")
        _walk(value, seen)


def test_strategies_produce_every_field_present_and_absent() -> None:
    """micro_credentials() reaches every field of every class, in every shape it can take."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    stack_options: set[StackabilityOption] = set()

    @settings(max_examples=150, derandomize=True, database=None)
    @given(gen.micro_credentials())
    def collect(c: MicroCredential) -> None:
        _walk(c, seen)
        if c.specification.stackability is not None:
            stack_options.add(c.specification.stackability.option)

    collect()
    assert stack_options == set(StackabilityOption)
    classes = [
        Identifier,
        LegalIdentifier,
        Organisation,
        Learner,
        LearningOutcome,
        Workload,
        Level,
        Assessment,
        Participation,
        QualityAssurance,
        CredentialReference,
        Stackability,
        Specification,
        Grade,
        MicroCredential,
    ]
    for cls in classes:
        for field in attrs.fields(cls):
            shapes = seen[(cls.__name__, field.name)]
            if field.default is attrs.NOTHING:
                want = {"present"}
            elif field.default == ():
                want = {"empty", "one", "several"}
            else:
                want = {"absent", "present"}
            for shape in sorted(want - shapes):
                # Not met in the fixed-seed run above (which shifts as modules are added):
                # search for it, so that only a strategy that cannot produce it fails.
                assert _reachable(cls.__name__, field.name, shape), (
                    f"{cls.__name__}.{field.name}: never {shape}"
                )


def _reachable(cls_name: str, field_name: str, shape: str) -> bool:
    def has_shape(c: MicroCredential) -> bool:
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        _walk(c, found)
        return shape in found[(cls_name, field_name)]

    try:
        find(
            gen.micro_credentials(),
            has_shape,
            # Generation only: the example is not needed, so it is not shrunk.
            settings=settings(
                max_examples=2000, database=None, derandomize=True, phases=[Phase.generate]
            ),
        )
    except NoSuchExample:
        return False
    return True


def test_valid_from_equal_to_issued_is_stored_as_none() -> None:
    from eumicro import samples

    c = samples.load("secure-networks-de")
    assert c.valid_from is None
    same = attrs.evolve(c, valid_from=c.issued.astimezone(dt.UTC))
    assert same.valid_from is None
    assert same == c
    later = attrs.evolve(c, valid_from=c.issued + dt.timedelta(days=1))
    assert later.valid_from == c.issued + dt.timedelta(days=1)
