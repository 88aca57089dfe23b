"""Hypothesis strategies that build every valid eumicro model object.

Import them in a test module as ``from tests import strategies as gen``.

The strategies build valid values directly (no filtering): every optional field is
sometimes present and sometimes absent, tuples have 0–3 items (unique where the model
requires it), concepts are drawn from the whole bundled vocabularies, multilingual texts
have 1–4 languages with arbitrary non-blank unicode, and the cross-field rules of the
model (QF-EHEA cycle ↔ EQF level, stand-alone without ``towards``, ``valid_until`` after
``valid_from`` and ``issued`` …) hold by construction.

Everything they produce is accepted by the model *and* survives the native JSON round
trip. Values that the model accepts but that cannot be written as JSON (lone surrogates,
UTC offsets with sub-second parts) are deliberately not generated; see
``tests/test_json_roundtrip.py`` for those.

Implementation notes:

* Every object strategy is a ``@st.composite`` function built once (``functools.cache``):
  Hypothesis spends most of its time per *draw*, so the strategies draw as little as
  they can (a presence flag and the value for an optional field, one string per text).
* Composite strategies show by name (``organisations()``), never as their whole tree:
  the tree would spell out every concept of a vocabulary, and Hypothesis warns about
  reprs over 50 kB, which ``filterwarnings = error`` turns into a failure.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st

from eumicro import (
    Assessment,
    Concept,
    CredentialReference,
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
    Vocabulary,
    Workload,
    vocab,
)
from eumicro._text import normalise_language_tag

__all__ = [
    "EDGE_DECIMALS",
    "LANGUAGE_TAGS",
    "TIMEZONES",
    "assessments",
    "aware_datetimes",
    "concepts",
    "credential_references",
    "dates_of_birth",
    "decimals",
    "emails",
    "esco_iris",
    "grades",
    "identifiers",
    "iris",
    "learners",
    "learning_outcomes",
    "legal_identifiers",
    "levels",
    "micro_credentials",
    "organisations",
    "participations",
    "quality_assurances",
    "specifications",
    "stackabilities",
    "strings",
    "texts",
    "urls",
    "validity",
    "workloads",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

# ----------------------------------------------------------------------------- helpers

_BOOLEANS = st.booleans()


def _maybe(draw: Draw, strategy: st.SearchStrategy[T]) -> T | None:
    """A value or None, half and half: cheaper than ``st.none() | strategy``."""
    return draw(strategy) if draw(_BOOLEANS) else None


@cache
def _tuples(
    strategy: st.SearchStrategy[T], *, unique: bool = False, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique=unique).map(tuple)


# ----------------------------------------------------------------------------- strings and text

LANGUAGE_TAGS: tuple[str, ...] = (
    "en",
    "de",
    "fr",
    "pt-BR",
    "sr-Latn",
    "sr-Cyrl",
    "ga",
    "el",
    "bg",
    "it",
    "es",
    "es-419",
    "pl",
    "nl",
    "fi",
    "sv",
    "et",
    "lv",
    "lt",
    "hu",
    "cs",
    "sk",
    "sl",
    "hr",
    "ro",
    "mt",
    "da",
    "pt",
    "ca",
    "eu",
    "de-CH",
    "de-CH-1996",
    "en-GB",
    "zh-Hant-TW",
    "gsw",
)
"""Realistic BCP 47 tags in canonical case (base languages, regions, scripts, variants)."""

# Spellings that Text normalises to the tags above: canonical most often, then lower or
# upper case and "_" for "-".
_TAG_SPELLINGS: tuple[str, ...] = tuple(
    spelling
    for tag in LANGUAGE_TAGS
    for spelling in (tag, tag, tag, tag.lower(), tag.upper(), tag.replace("-", "_"))
)


def _canonical_tag(spelling: str) -> str | None:
    return normalise_language_tag(spelling.replace("_", "-"))


# Pieces worth seeing often: JSON escapes, quotes, non-BMP, RTL, zero-width, flags …
_SPICE = (
    "",
    '"',
    "'",
    "\\",
    "\\u00e9",
    "/",
    "\n",
    "\t",
    "\r\n",
    "  ",
    "\u00a0",
    "\u2028",
    "\u200b",
    "\u202e",
    "\ufeff",
    "é",
    "ß",
    "Ω",
    "жж",
    "中文",
    "العربية",
    "😀",
    "𝔘",
    "🇪🇺",
    "e\u0301",
    "{}",
    "<b>&amp;</b>",
    "%s",
    "${x}",
)
# Text only: no surrogates, no control characters except \n and \t, no U+FFFE/U+FFFF.
# (A plain characters() alphabet lets Hypothesis draw a whole string at once.)
_ANY_CHAR = st.characters(
    exclude_categories=("Cs", "Cc"),
    include_characters="\n\t",
    exclude_characters="\ufffe\uffff",
)


def _non_blank(text: str, spice: str) -> str:
    """``text`` with ``spice`` in the middle, made non-blank if it is only whitespace."""
    middle = len(text) // 2
    out = text[:middle] + spice + text[middle:]
    return out if out.strip() else out + "·"


@cache
def strings(max_size: int = 16) -> st.SearchStrategy[str]:
    """Arbitrary strings that are not empty or only whitespace (leading/trailing spaces,
    newlines, tabs, quotes, backslashes, non-BMP and combining characters included)."""
    return st.builds(_non_blank, st.text(_ANY_CHAR, max_size=max_size), st.sampled_from(_SPICE))


@cache
def texts(min_languages: int = 1, max_languages: int = 4) -> st.SearchStrategy[Text]:
    """Multilingual Text with 1–4 distinct languages (tags in any case, ``_`` or ``-``)."""
    tags = st.lists(
        st.sampled_from(_TAG_SPELLINGS),
        min_size=min_languages,
        max_size=max_languages,
        unique_by=_canonical_tag,
    )
    return _texts(tags, strings())


@st.composite
def _texts(draw: Draw, tags: st.SearchStrategy[list[str]], values: st.SearchStrategy[str]) -> Text:
    return Text([(tag, draw(values)) for tag in draw(tags)])


# ----------------------------------------------------------------------------- IRIs, URLs, e-mails

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits
# Characters allowed in an IRI (RFC 3987 unreserved + sub-delims + gen-delims, %, ucschar).
_IRI_CHARS = _ALNUM + "-._~:/?#[]@!$&'()*+,;=%" + "éüßøжΩ中😀"


@cache
def _word(alphabet: str, min_size: int = 1, max_size: int = 10) -> st.SearchStrategy[str]:
    chars = st.characters(categories=(), include_characters=alphabet)
    return st.text(chars, min_size=min_size, max_size=max_size)


@cache
def _host() -> st.SearchStrategy[str]:
    label = st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_LOWER_ALNUM),
        _word(_LOWER_ALNUM + "-", 0, 8),
    )
    return st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(label, min_size=1, max_size=2),
        st.sampled_from(("eu", "example", "org", "de", "ie", "fr", "xn--p1ai", "europa.eu")),
    )


@cache
def urls() -> st.SearchStrategy[str]:
    """http(s) URLs, with or without port, path, query and fragment."""
    return st.builds(
        lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
        st.sampled_from(("https", "http")),
        _host(),
        st.sampled_from(("", "", ":8443", ":80")),
        st.builds(
            lambda slash, rest: "/" + rest if slash else "", _BOOLEANS, _word(_IRI_CHARS, 0, 16)
        ),
    )


@cache
def iris() -> st.SearchStrategy[str]:
    """Absolute IRIs of several schemes: urn:, https://, http://, did:, mailto:, tag: …"""
    scheme = st.builds(
        lambda a, b: a + b, st.sampled_from(string.ascii_letters), _word(_ALNUM + "+.-", 0, 6)
    )
    urn = st.builds(
        lambda nid, nss: f"urn:{nid}:{nss}",
        st.sampled_from(("eumicro", "uuid", "isbn", "example", "x-Test-1")),
        _word(_IRI_CHARS, 1, 20),
    )
    did = st.builds(
        lambda method, ident: f"did:{method}:{ident}",
        st.sampled_from(("example", "web", "key", "ebsi", "ion")),
        _word(_ALNUM + ".-_:%", 1, 24),
    )
    mailto = st.builds(
        lambda local, host: f"mailto:{local}@{host}",
        _word(_ALNUM + ".!$&'*+=?_~-é", 1, 12),
        _host(),
    )
    other = st.builds(lambda s, rest: f"{s}:{rest}", scheme, _word(_IRI_CHARS, 1, 12))
    uuid = st.uuids().map(lambda u: f"urn:uuid:{u}")
    return st.one_of(urn, urls(), did, mailto, other, uuid)


@cache
def emails() -> st.SearchStrategy[str]:
    """E-mail addresses (including unusual but legal local parts and non-ASCII)."""
    local = _word(_ALNUM + ".!#$%&'*+/=?^_`{|}~-" + "éü", 1, 12)
    return st.builds(lambda lp, host: f"{lp}@{host}", local, _host())


@cache
def esco_iris() -> st.SearchStrategy[str]:
    """ESCO IRIs: skills by UUID, ISCO groups and occupations (or skills) by code."""
    base = "http://data.europa.eu/esco/"
    return st.one_of(
        st.uuids().map(lambda u: f"{base}skill/{u}"),
        st.builds(
            lambda kind, code: f"{base}{kind}/{code}",
            st.sampled_from(("skill", "isco", "occupation")),
            _word(_ALNUM + ".", 1, 10),
        ),
    )


# ----------------------------------------------------------------------------- concepts


@cache
def _pool(*vocabularies: Vocabulary) -> st.SearchStrategy[Concept]:
    """sampled_from every concept of the vocabularies (use inside composites only: its
    repr lists hundreds of concepts)."""
    return st.sampled_from([c for v in vocabularies for c in v])


@cache
def _concept_tuples(
    vocabulary: Vocabulary, min_size: int = 0
) -> st.SearchStrategy[tuple[Concept, ...]]:
    return _tuples(_pool(vocabulary), unique=True, min_size=min_size)


@st.composite
def _concept(draw: Draw, *vocabularies: Vocabulary) -> Concept:
    return draw(_pool(*vocabularies))


@cache
def concepts(vocabulary: Vocabulary, *more: Vocabulary) -> st.SearchStrategy[Concept]:
    """Any concept of ``vocabulary`` (or of the union of the vocabularies given)."""
    return _concept(vocabulary, *more)


# ----------------------------------------------------------------------------- numbers and times

EDGE_DECIMALS: tuple[Decimal, ...] = (
    Decimal("0"),
    Decimal("0.00"),
    Decimal("-0"),
    Decimal("0.01"),
    Decimal("0.1"),
    Decimal("2.50"),
    Decimal("1E+2"),
    Decimal("999999.99"),
    Decimal("1000000"),
    Decimal("123456789.12"),
    Decimal("999999999.99"),
)
"""Values at the edges of what the model accepts (≥ 0, two decimals, < 10**9)."""


@cache
def decimals() -> st.SearchStrategy[Decimal]:
    """Non-negative Decimals with at most two decimals, mostly below 10**6, plus edges."""
    return st.one_of(
        st.integers(0, 10**8 - 1).map(lambda n: Decimal(n).scaleb(-2)),
        st.integers(0, 10**7 - 1).map(lambda n: Decimal(n).scaleb(-1)),
        st.integers(0, 999_999).map(Decimal),
        st.sampled_from(EDGE_DECIMALS),
    )


_OFFSET_MINUTES = (
    *(0, 60, 120, 180, 270, 330, 345, 525, 570, 780, 840),
    *(-60, -180, -210, -300, -570, -720),
)
TIMEZONES: st.SearchStrategy[dt.tzinfo] = st.sampled_from(
    (dt.UTC, *(dt.timezone(dt.timedelta(minutes=m)) for m in _OFFSET_MINUTES))
)
"""Fixed offsets: UTC, whole hours, half and three-quarter hours, negative offsets."""


@cache
def aware_datetimes(
    min_value: dt.datetime = dt.datetime(1970, 1, 1),
    max_value: dt.datetime = dt.datetime(2100, 12, 31),
) -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes (with microseconds) in one of :data:`TIMEZONES`."""
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=TIMEZONES)


@cache
def dates_of_birth() -> st.SearchStrategy[dt.date]:
    """Dates in the past (today is accepted by the model too, but not generated)."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    return st.one_of(
        st.dates(min_value=dt.date(1900, 1, 1), max_value=yesterday),
        st.sampled_from((dt.date(1, 1, 1), dt.date(999, 12, 31), yesterday)),
    )


_DELTAS = st.one_of(
    st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta(days=366 * 30)),
    st.sampled_from((dt.timedelta(microseconds=1), dt.timedelta(seconds=1), dt.timedelta(days=1))),
)


@st.composite
def _validity(
    draw: Draw,
) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
    issued = _maybe(draw, aware_datetimes())
    if issued is not None and draw(_BOOLEANS):
        valid_from = issued.astimezone(draw(TIMEZONES))  # the usual case: same instant
    else:
        valid_from = _maybe(draw, aware_datetimes())
    valid_until = None
    if draw(_BOOLEANS):
        floor = max((d for d in (issued, valid_from) if d is not None), default=None)
        if floor is None:
            valid_until = draw(aware_datetimes())
        else:  # strictly after both, by at least 1 µs, written in any offset
            valid_until = (floor + draw(_DELTAS)).astimezone(draw(TIMEZONES))
    return issued, valid_from, valid_until


@cache
def validity() -> st.SearchStrategy[
    tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]
]:
    """``(issued, valid_from, valid_until)``, each optional, with ``valid_until`` strictly
    after ``valid_from`` and ``issued``."""
    return _validity()


# ----------------------------------------------------------------------------- identifiers and agents


@st.composite
def _identifiers(draw: Draw) -> Identifier:
    return Identifier(
        value=draw(strings()),
        scheme=_maybe(draw, strings()),
        scheme_iri=_maybe(draw, iris()),
    )


@cache
def identifiers() -> st.SearchStrategy[Identifier]:
    return _identifiers()


@st.composite
def _legal_identifiers(draw: Draw) -> LegalIdentifier:
    return LegalIdentifier(
        value=draw(strings()),
        country=draw(_pool(vocab.COUNTRY)),
        scheme=_maybe(draw, strings()),
    )


@cache
def legal_identifiers() -> st.SearchStrategy[LegalIdentifier]:
    return _legal_identifiers()


@st.composite
def _organisations(draw: Draw) -> Organisation:
    return Organisation(
        name=draw(texts()),
        id=_maybe(draw, iris()),
        country=_maybe(draw, _pool(vocab.COUNTRY)),
        region=_maybe(draw, _pool(vocab.ATU, vocab.NUTS)),
        registration=_maybe(draw, legal_identifiers()),
        eidas_identifier=_maybe(draw, legal_identifiers()),
        vat_identifier=_maybe(draw, legal_identifiers()),
        identifiers=draw(_tuples(identifiers())),
        homepage=_maybe(draw, urls()),
        email=_maybe(draw, emails()),
        address=_maybe(draw, strings(24)),
    )


@cache
def organisations() -> st.SearchStrategy[Organisation]:
    return _organisations()


@st.composite
def _learners(draw: Draw) -> Learner:
    return Learner(
        id=_maybe(draw, iris()),
        full_name=_maybe(draw, strings()),
        given_name=_maybe(draw, strings()),
        family_name=_maybe(draw, strings()),
        date_of_birth=_maybe(draw, dates_of_birth()),
        email=_maybe(draw, emails()),
        national_id=_maybe(draw, legal_identifiers()),
        identifiers=draw(_tuples(identifiers())),
        citizenship=draw(_concept_tuples(vocab.COUNTRY)),
    )


@cache
def learners() -> st.SearchStrategy[Learner]:
    """Learners, including ones with no name and no identifier (the model allows them)."""
    return _learners()


# ----------------------------------------------------------------------------- specification parts


@st.composite
def _learning_outcomes(draw: Draw) -> LearningOutcome:
    return LearningOutcome(
        title=draw(texts()),
        esco_skills=draw(_tuples(esco_iris(), unique=True)),
        related_skills=draw(_tuples(iris(), unique=True)),
        skill_type=_maybe(draw, _pool(vocab.SKILL_TYPE)),
        reusability_level=_maybe(draw, _pool(vocab.SKILL_REUSE_LEVEL)),
        id=_maybe(draw, iris()),
    )


@cache
def learning_outcomes() -> st.SearchStrategy[LearningOutcome]:
    return _learning_outcomes()


_WORKLOAD_FIELDS = st.sets(st.sampled_from(("ects", "ecvet", "hours")), min_size=1)


@st.composite
def _workloads(draw: Draw) -> Workload:
    given = draw(_WORKLOAD_FIELDS)
    return Workload(**{name: draw(decimals()) for name in sorted(given)})


@cache
def workloads() -> st.SearchStrategy[Workload]:
    """A workload with a non-empty subset of ECTS, ECVET and hours."""
    return _workloads()


_LEVEL_SHAPES = st.sets(st.sampled_from(("eqf", "qf_ehea", "nqf")), min_size=1)


@cache
def _eqf_for(cycle: Concept) -> Concept:
    """The EQF level a QF-EHEA cycle corresponds to."""
    return vocab.EQF.by_code(str(vocab.QF_EHEA.extra(cycle, "eqf")))


@st.composite
def _levels(draw: Draw) -> Level:
    shape = draw(_LEVEL_SHAPES)
    qf_ehea = draw(_pool(vocab.QF_EHEA)) if "qf_ehea" in shape else None
    eqf = None
    if "eqf" in shape:
        eqf = _eqf_for(qf_ehea) if qf_ehea is not None else draw(_pool(vocab.EQF))
    nqf = draw(_concept_tuples(vocab.NQF, min_size=1)) if "nqf" in shape else ()
    return Level(eqf=eqf, qf_ehea=qf_ehea, nqf=nqf)


@cache
def levels() -> st.SearchStrategy[Level]:
    """A level with at least one of EQF level, QF-EHEA cycle and NQF levels; a cycle given
    with an EQF level matches it (short ↔ 5, first ↔ 6, second ↔ 7, third ↔ 8)."""
    return _levels()


@st.composite
def _assessments(draw: Draw) -> Assessment:
    types = draw(_concept_tuples(vocab.ASSESSMENT_TYPE))
    description = draw(texts()) if not types else _maybe(draw, texts())
    return Assessment(types=types, modes=draw(_concept_tuples(vocab.MODE)), description=description)


@cache
def assessments() -> st.SearchStrategy[Assessment]:
    """Assessments with a type, a description, or both."""
    return _assessments()


@st.composite
def _participations(draw: Draw) -> Participation:
    modes = draw(_concept_tuples(vocab.MODE))
    setting = _maybe(draw, _pool(vocab.LEARNING_SETTING))
    if not modes and setting is None:
        description = draw(texts())
    else:
        description = _maybe(draw, texts())
    return Participation(
        modes=modes,
        setting=setting,
        schedule=_maybe(draw, _pool(vocab.LEARNING_SCHEDULE)),
        description=description,
    )


@cache
def participations() -> st.SearchStrategy[Participation]:
    """Participations with a mode, a setting or a description (or several)."""
    return _participations()


@st.composite
def _quality_assurances(draw: Draw) -> QualityAssurance:
    qa_type = _maybe(draw, _pool(vocab.ACCREDITATION_TYPE))
    description = draw(texts()) if qa_type is None else _maybe(draw, texts())
    return QualityAssurance(
        type=qa_type,
        description=description,
        agency=_maybe(draw, organisations()),
        report=_maybe(draw, urls()),
    )


@cache
def quality_assurances() -> st.SearchStrategy[QualityAssurance]:
    """Quality assurance with a type, a description, or both."""
    return _quality_assurances()


@st.composite
def _credential_references(draw: Draw) -> CredentialReference:
    return CredentialReference(id=draw(iris()), title=_maybe(draw, texts()))


@cache
def credential_references() -> st.SearchStrategy[CredentialReference]:
    return _credential_references()


@st.composite
def _stackabilities(draw: Draw) -> Stackability:
    option = draw(st.sampled_from(StackabilityOption))
    towards = (
        draw(_tuples(credential_references(), unique=True))
        if option is StackabilityOption.STACKABLE
        else ()
    )
    return Stackability(option=option, towards=towards, description=_maybe(draw, texts()))


@cache
def stackabilities() -> st.SearchStrategy[Stackability]:
    """Stand-alone (never with ``towards``) or stackable (towards 0–3 credentials)."""
    return _stackabilities()


@st.composite
def _specifications(draw: Draw) -> Specification:
    return Specification(
        id=draw(iris()),
        title=_maybe(draw, texts()),
        description=_maybe(draw, texts()),
        learning_outcomes=draw(_tuples(learning_outcomes())),
        learning_outcome_summary=_maybe(draw, texts()),
        workload=_maybe(draw, workloads()),
        level=_maybe(draw, levels()),
        assessment=_maybe(draw, assessments()),
        participation=_maybe(draw, participations()),
        quality_assurance=draw(_tuples(quality_assurances())),
        prerequisites=_maybe(draw, texts()),
        stackability=_maybe(draw, stackabilities()),
        further_information=_maybe(draw, texts()),
        languages=draw(_concept_tuples(vocab.LANGUAGE)),
        fields=draw(_concept_tuples(vocab.ISCED_F)),
        opportunity_type=_maybe(draw, _pool(vocab.LEARNING_OPPORTUNITY_TYPE)),
        provider=_maybe(draw, organisations()),
        homepage=_maybe(draw, urls()),
        identifiers=draw(_tuples(identifiers())),
    )


@cache
def specifications() -> st.SearchStrategy[Specification]:
    return _specifications()


# ----------------------------------------------------------------------------- the award


@st.composite
def _grades(draw: Draw) -> Grade:
    return Grade(value=draw(strings()), scheme=_maybe(draw, texts()))


@cache
def grades() -> st.SearchStrategy[Grade]:
    return _grades()


@st.composite
def _micro_credentials(draw: Draw) -> MicroCredential:
    awarding_bodies = draw(_tuples(organisations(), unique=True))
    if awarding_bodies and draw(_BOOLEANS):
        # The issuer is often one of the awarding bodies (as in a joint award).
        issuer = awarding_bodies[draw(st.integers(0, len(awarding_bodies) - 1))]
    else:
        issuer = _maybe(draw, organisations())
    issued, valid_from, valid_until = draw(validity())
    return MicroCredential(
        id=draw(iris()),
        specification=draw(specifications()),
        learner=_maybe(draw, learners()),
        awarding_bodies=awarding_bodies,
        issuer=issuer,
        issued=issued,
        valid_from=valid_from,
        valid_until=valid_until,
        grade=_maybe(draw, grades()),
        supervision=_maybe(draw, _pool(vocab.SUPERVISION_VERIFICATION)),
        further_information=_maybe(draw, texts()),
        identifiers=draw(_tuples(identifiers())),
    )


@cache
def micro_credentials() -> st.SearchStrategy[MicroCredential]:
    """Credentials, from bare drafts to complete ones (Annex I compliance varies)."""
    return _micro_credentials()
