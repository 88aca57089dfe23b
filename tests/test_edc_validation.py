"""EDC validation: the built-in check and pySHACL reach the same verdicts.

``check_edc`` (``eumicro.formats.europass._check``) applies rules generated from the ELM
3.2 EDC shapes; ``shacl_validate_edc`` (``…._shacl``) runs pySHACL on the shapes
themselves. For every document of the corpus below, the two must agree on the verdict
*and* on the multiset of (JSON path, SHACL constraint component) pairs: each problem of
either function stands for one SHACL validation result, placed in the document by the
same rules, so the pairs can be compared exactly.

The corpus:

* the official samples (copies in ``tests/data/edc-samples``, see its README);
* broken variants generated from the two conforming official samples: for every class
  present, delete each mandatory property, add a second value to each property that
  allows one, give each class-constrained value a wrong ``type``, a concept from the
  wrong scheme to each controlled-vocabulary property, a second value in one language
  to each one-value-per-language property (which properties qualify is read from
  ``edc-rules-3.2.json``, i.e. from the shapes);
* hand-written variants: wrong datatypes, blank nodes, references, value objects,
  ``@list``/``@set``/graph containers, compact and absolute IRI keys, an embedded
  context, the 3.1 context, the upload and sealed forms;
* eumicro's own EDC exports of the built-in samples (all but the draft).

Known, deliberate differences (XSD lexical forms that rdflib accepts) are pinned in
``test_known_divergences_from_pyshacl`` and kept out of the corpus.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest

from eumicro import EumicroError, ParseError, UnsupportedFormatError, samples
from eumicro.formats.europass._check import check_edc, unwrap_edc
from eumicro.formats.europass._contexts import (
    CONTEXT_URLS,
    EDC_CONTEXT_URL,
    VC_V1_CONTEXT_URL,
    context_document,
    document_loader,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).parent / "data" / "edc-samples"
DATA = resources.files("eumicro").joinpath("_data", "elm")
GENERATOR = REPO_ROOT / "tools" / "gen_edc_rules.py"

Doc = dict[str, Any]
Edit = Callable[[Doc], object]


# ============================================================================ helpers
@cache
def _sample_text(relative: str) -> str:
    return (SAMPLES / relative).read_text(encoding="utf-8")


def sample(relative: str) -> Doc:
    """A fresh copy of an official sample, as a parsed JSON document."""
    document: Doc = json.loads(_sample_text(relative))
    return document


def annex_payload() -> Doc:
    """The credential inside the sealed EC micro-credential sample (conforms)."""
    payload: Doc = json.loads(sample("elm-3.1/Sample-MC-Annex1-signed.jsonld")["payload"])
    return payload


OFFICIAL_BASES: Mapping[str, Callable[[], Doc]] = {
    "small": lambda: sample("elm-3.2/credential-sample.jsonld"),
    "annex": annex_payload,
}
"""The conforming official credentials, from which the broken variants are made."""
BASES: dict[str, Callable[[], Doc]] = dict(OFFICIAL_BASES)
"""Every base document by name (exports are added below)."""


@pytest.fixture(scope="module")
def shacl() -> Callable[..., Any]:
    """``shacl_validate_edc``; these tests need pySHACL (in the test dependencies)."""
    pytest.importorskip("pyshacl")
    pytest.importorskip("pyld")
    from eumicro.formats.europass._shacl import shacl_validate_edc

    return shacl_validate_edc


def pairs(problems: Any) -> Counter[tuple[str, str]]:
    return Counter((p.location, p.code) for p in problems)


def outcome(function: Callable[..., Any], document: Any, version: str) -> tuple[Any, ...]:
    """("problems", pairs) or ("parse error", code) for one function on one document."""
    try:
        result = function(document, version=version)
    except ParseError as exc:
        return ("parse error", exc.problems[0].code)
    problems = result if isinstance(result, tuple) else result.problems
    if not isinstance(result, tuple):
        assert result.conforms == (not problems)
    return ("problems", pairs(problems))


def assert_same_verdict(document: Any, shacl: Callable[..., Any], version: str = "3.2") -> None:
    expected = outcome(shacl, document, version)
    found = outcome(check_edc, document, version)
    assert found == expected


# ============================================================================ the corpus
@attrs.frozen
class Case:
    """One corpus document: a base document, an edit, the context version and a wrapper."""

    name: str
    base: str
    edit: Edit | None = None
    version: str = "3.2"
    wrap: str = ""

    def document(self) -> Any:
        doc = BASES[self.base]() if self.base in BASES else sample(self.base)
        if self.edit is not None:
            self.edit(doc)
        if self.wrap == "credential":
            return {"credential": doc, "deliveryDetails": {"walletAddress": "x@example.org"}}
        if self.wrap == "payload":
            return {"payload": json.dumps(doc), "signatures": []}
        return doc


@cache
def _rules() -> Mapping[str, Any]:
    rules: Mapping[str, Any] = json.loads(DATA.joinpath("edc-rules-3.2.json").read_text("utf-8"))
    return rules


@cache
def class_rules() -> dict[str, dict[str, dict[str, Any]]]:
    """Class term → JSON term → the constraints of the target shapes, merged."""
    rules = _rules()
    terms = rules["terms"]["3.2"]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for cls, shape_names in rules["targets"].items():
        if cls not in terms:
            continue
        props = out.setdefault(terms[cls], {})
        for shape_name in shape_names:
            for prop in rules["shapes"][shape_name].get("properties", ()):
                term = terms.get(prop["path"])
                if term is None:
                    continue
                merged = props.setdefault(
                    term, {"min": 0, "max": None, "class": False, "cv": False, "lang": False}
                )
                merged["min"] = max(merged["min"], prop.get("minCount", 0))
                if "maxCount" in prop:
                    merged["max"] = min(merged["max"] or prop["maxCount"], prop["maxCount"])
                merged["class"] = merged["class"] or "class" in prop
                merged["cv"] = merged["cv"] or ("node" in prop and shape_name.startswith("edcf:"))
                merged["lang"] = merged["lang"] or prop.get("uniqueLang", False)
    return out


def typed_objects(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Doc]]:
    """Every JSON object with a ``type``, with its path, in document order."""
    if isinstance(value, dict):
        if "type" in value:
            yield path, value
        for key, item in value.items():
            if key != "@context":
                yield from typed_objects(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from typed_objects(item, (*path, index))


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for segment in path:
        doc = doc[segment]
    return doc


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _another(value: Any) -> Any:
    """A second value of the same kind as ``value``."""
    if isinstance(value, dict):
        other = copy.deepcopy(value)
        if "id" in other:
            other["id"] = f"{other['id']}-another"
        return other
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if re.match(r"^\d{4}-\d\d-\d\dT", value):
        return "2011-11-11T11:11:11Z"
    if value.startswith("P"):
        return "PT1H"
    return f"{value} (another)"


def _delete(path: tuple[Any, ...], key: str) -> Edit:
    return lambda doc: at(doc, path).pop(key)


def _second_value(path: tuple[Any, ...], key: str) -> Edit:
    def edit(doc: Doc) -> None:
        node = at(doc, path)
        value = node[key]
        if isinstance(value, dict) and "id" not in value and "type" not in value:
            value["zz"] = "another language"  # a language map: a second literal
        else:
            node[key] = [value, _another(value)]

    return edit


def _wrong_type(path: tuple[Any, ...], key: str) -> Edit:
    def edit(doc: Doc) -> None:
        value = _first(at(doc, path)[key])
        value["type"] = "Concept" if value["type"] == "Note" else "Note"

    return edit


def _wrong_scheme(path: tuple[Any, ...], key: str) -> Edit:
    def edit(doc: Doc) -> None:
        concept = _first(at(doc, path)[key])
        # A new concept IRI: the same concept elsewhere (same id, one node) would still
        # carry its right scheme.
        concept["id"] = "http://data.europa.eu/snb/isced-f/0000-wrong"
        scheme = (
            "http://publications.europa.eu/resource/authority/country"
            if key == "thematicArea"
            else "http://data.europa.eu/snb/isced-f/25831c2"
        )
        concept["inScheme"] = {"id": scheme, "type": "ConceptScheme"}

    return edit


def _same_language_twice(path: tuple[Any, ...], key: str) -> Edit:
    def edit(doc: Doc) -> None:
        language_map = at(doc, path)[key]
        language = next(iter(language_map))
        language_map[language] = [_first(language_map[language]), "another value"]

    return edit


@cache
def generated_cases() -> tuple[Case, ...]:
    """Broken variants of the conforming official samples, derived from the shape rules.

    Each (kind of break, class, property) is made once, on the first sample and the
    first place where it can be made.
    """
    rules = class_rules()
    done: set[tuple[str, str, str]] = set()
    cases: list[Case] = []
    for base in OFFICIAL_BASES:
        document = OFFICIAL_BASES[base]()
        for path, obj in typed_objects(document):
            types = obj["type"] if isinstance(obj["type"], list) else [obj["type"]]
            for cls in types:
                for key, rule in rules.get(cls, {}).items():
                    if key not in obj:
                        continue
                    value = _first(obj[key])
                    candidates: list[tuple[str, Edit]] = []
                    if rule["min"] >= 1:
                        candidates.append(("delete", _delete(path, key)))
                    if rule["max"] == 1:
                        candidates.append(("second value of", _second_value(path, key)))
                    if rule["class"] and isinstance(value, dict) and "type" in value:
                        candidates.append(("wrong type of", _wrong_type(path, key)))
                    if rule["cv"] and isinstance(value, dict):
                        candidates.append(("wrong scheme for", _wrong_scheme(path, key)))
                    if rule["lang"] and isinstance(obj[key], dict):
                        candidates.append(
                            ("one language twice in", _same_language_twice(path, key))
                        )
                    for kind, edit in candidates:
                        if (kind, cls, key) in done:
                            continue
                        done.add((kind, cls, key))
                        cases.append(Case(f"{base}: {kind} {cls}.{key}", base, edit))
    return tuple(cases)


def _display_detail(doc: Doc) -> Doc:
    detail: Doc = doc["displayParameter"]["individualDisplay"][0]["displayDetail"][0]
    return detail


def _qualification(doc: Doc) -> Doc:
    specification: Doc = doc["credentialSubject"]["hasClaim"]["specifiedBy"]
    return specification


def _set(getter: Callable[[Doc], Doc], key: str, value: Any) -> Edit:
    return lambda doc: getter(doc).__setitem__(key, copy.deepcopy(value))


def _root(doc: Doc) -> Doc:
    return doc


def _blank_small_nodes(doc: Doc) -> None:
    for _, obj in typed_objects(doc):
        if obj["type"] in ("Note", "PeriodOfTime", "Address", "Location", "WebResource"):
            obj.pop("id", None)


def _blank_nodes_with_bad_notes(doc: Doc) -> None:
    _blank_small_nodes(doc)
    for _, obj in typed_objects(doc):
        if obj["type"] == "Note":
            obj["noteLiteral"] = "plain text, no language"


def _shared_blank_location(doc: Doc) -> None:
    doc["issuer"]["location"]["id"] = "_:location"
    awarding = doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
    awarding["location"] = {"id": "_:location", "type": "Location"}
    doc["issuer"]["location"]["address"].pop("countryCode")


def _claim_with_type(doc: Doc) -> None:
    claim = doc["credentialSubject"]["hasClaim"]
    claim["type"] = "Claim"
    claim["dcType"] = {
        "id": "http://data.europa.eu/snb/claim-type/c_example",
        "type": "Concept",
        "inScheme": {"id": "http://data.europa.eu/snb/claim-type/25831c2", "type": "ConceptScheme"},
    }


def _two_national_ids(doc: Doc) -> None:
    person = doc["credentialSubject"]
    other = copy.deepcopy(person["nationalID"])
    other["id"] = "urn:epass:identifier:another"
    person["nationalID"] = [person["nationalID"], other]


def _amount(value: Any) -> Edit:
    def edit(doc: Doc) -> None:
        doc["http://example.org/price"] = {
            "id": "urn:amount:1",
            "type": "Amount",
            "value": value,
            "unit": {
                "id": "http://publications.europa.eu/resource/authority/currency/EUR",
                "type": "Concept",
                "inScheme": {
                    "id": "http://publications.europa.eu/resource/authority/currency",
                    "type": "ConceptScheme",
                },
            },
        }

    return edit


ANNEX = "elm-3.1/Sample-MC-Annex1-unsigned.jsonld"


def ACTIVITY(doc: Doc) -> Doc:
    """The learning activity of the EC sample."""
    activity: Doc = doc["credentialSubject"]["hasClaim"]["influencedBy"]
    return activity


HAND_WRITTEN: tuple[Case, ...] = (
    # datatypes
    Case("issued: 'yesterday'", "small", _set(_root, "issued", "yesterday")),
    Case("page: 0", "small", _set(_display_detail, "page", 0)),
    Case("page: '1' (a string, coerced)", "small", _set(_display_detail, "page", "1")),
    Case("page: 1.5", "small", _set(_display_detail, "page", 1.5)),
    Case("page: 1.0", "small", _set(_display_detail, "page", 1.0)),
    Case("page: true", "small", _set(_display_detail, "page", True)),
    Case(
        "isPartialQualification: 'no'",
        "annex",
        _set(_qualification, "isPartialQualification", "no"),
    ),
    Case(
        "isPartialQualification: 'true'",
        "annex",
        _set(_qualification, "isPartialQualification", "true"),
    ),
    Case(
        "volumeOfLearning: '60 hours'",
        "annex",
        _set(_qualification, "volumeOfLearning", "60 hours"),
    ),
    Case("validFrom: 5", "small", _set(_root, "validFrom", 5)),
    Case(
        "validFrom: typed value object",
        "small",
        _set(_root, "validFrom", {"@value": "2010-10-01T00:00:00", "type": "xsd:dateTime"}),
    ),
    Case(
        "validFrom: xsd:string value object",
        "small",
        _set(_root, "validFrom", {"@value": "2010-10-01T00:00:00", "type": "xsd:string"}),
    ),
    Case("levelOfCompletion: 150", "annex", _set(ACTIVITY, "levelOfCompletion", 150)),
    Case("levelOfCompletion: 50", "annex", _set(ACTIVITY, "levelOfCompletion", 50)),
    Case("levelOfCompletion: 'abc'", "annex", _set(ACTIVITY, "levelOfCompletion", "abc")),
    Case("Amount value: '12.50'", "small", _amount("12.50")),
    Case("Amount value: 2", "small", _amount(2)),
    # language maps
    Case(
        "title: a plain string",
        "small",
        _set(lambda d: d["displayParameter"], "title", "A credential"),
    ),
    Case(
        "givenName: a plain string",
        "small",
        _set(lambda d: d["credentialSubject"], "givenName", "Max"),
    ),
    Case(
        "title: an array of language maps",
        "small",
        _set(lambda d: d["displayParameter"], "title", [{"en": "a"}, {"fr": "b"}]),
    ),
    Case(
        "title: value objects, en and EN",
        "small",
        _set(
            lambda d: d["displayParameter"],
            "title",
            [{"@value": "a", "@language": "en"}, {"@value": "b", "@language": "EN"}],
        ),
    ),
    Case(
        "title: the same text twice in en",
        "small",
        _set(lambda d: d["displayParameter"], "title", {"en": ["a", "a"]}),
    ),
    Case("title: @none", "small", _set(lambda d: d["displayParameter"], "title", {"@none": "a"})),
    # nodes, references, blank nodes
    Case("issuer without eIDASIdentifier", "small", lambda d: d["issuer"].pop("eIDASIdentifier")),
    Case(
        "issuer: a reference to a node described nowhere else",
        "small",
        _set(_root, "issuer", "http://example.org/issuer565049"),
    ),
    Case(
        "issuer: an IRI the document does not describe",
        "small",
        _set(_root, "issuer", "urn:nowhere"),
    ),
    Case("issuer: a blank node", "small", lambda d: d["issuer"].pop("id")),
    Case(
        "a concept without id",
        "small",
        lambda d: d["issuer"]["location"]["address"]["countryCode"].pop("id"),
    ),
    Case("blank notes, locations, addresses …", "annex", _blank_small_nodes),
    Case("blank notes without language", "annex", _blank_nodes_with_bad_notes),
    Case("one blank node named twice (_:location)", "small", _shared_blank_location),
    Case(
        "a node repeated with other content",
        "small",
        _set(
            lambda d: d["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"],
            "legalName",
            {"en": "another name"},
        ),
    ),
    Case(
        "hasClaim: a Claim without dcType",
        "small",
        _set(lambda d: d["credentialSubject"]["hasClaim"], "type", "Claim"),
    ),
    Case("hasClaim: a Claim with dcType", "small", _claim_with_type),
    Case(
        "hasClaim without type", "small", lambda d: d["credentialSubject"]["hasClaim"].pop("type")
    ),
    Case(
        "inScheme without type", "small", lambda d: d["credentialProfiles"]["inScheme"].pop("type")
    ),
    Case("inScheme without id", "small", lambda d: d["credentialProfiles"]["inScheme"].pop("id")),
    Case("issuer of an unknown type", "small", _set(lambda d: d["issuer"], "type", "Organization")),
    Case("a relative id", "small", _set(lambda d: d["issuer"]["location"], "id", "location-1")),
    # JSON-LD forms
    Case("an unknown key (dropped)", "small", _set(_root, "unknownThing", {"type": "Note"})),
    Case("a compact IRI key", "small", _set(lambda d: d["displayParameter"], "dc:title", "plain")),
    Case(
        "an absolute IRI key",
        "small",
        _set(
            lambda d: d["displayParameter"],
            "http://purl.org/dc/terms/title",
            {"@value": "x", "@language": "de"},
        ),
    ),
    Case(
        "a node under an unknown absolute IRI",
        "small",
        _set(_root, "http://example.org/p", {"id": "urn:x", "type": "Address"}),
    ),
    Case(
        "proof (a graph container)",
        "small",
        _set(_root, "proof", {"id": "urn:proof:1", "type": "Proof"}),
    ),
    Case("sec:proof: a string", "small", _set(_root, "sec:proof", "not a node")),
    Case(
        "credentialStatus: an IRI string",
        "small",
        _set(_root, "credentialStatus", "http://example.org/status"),
    ),
    Case(
        "@list",
        "small",
        lambda d: d.__setitem__("credentialProfiles", {"@list": [d["credentialProfiles"]]}),
    ),
    Case(
        "@set",
        "small",
        lambda d: d.__setitem__("credentialProfiles", {"@set": [d["credentialProfiles"]]}),
    ),
    Case(
        "an embedded @context",
        "small",
        lambda d: d["displayParameter"].update(
            {"@context": {"headline": "http://purl.org/dc/terms/title"}, "headline": "plain"}
        ),
    ),
    Case(
        "an inline @context with @vocab",
        "small",
        lambda d: d.update(
            {"@context": [*d["@context"], {"@vocab": "http://example.org/vocab#"}], "anything": 1}
        ),
    ),
    # versions and wrappers
    Case("3.2 sample read with the 3.1 context", "small", version="3.1"),
    Case("3.1 sample", "elm-3.1/credential-sample.jsonld"),
    Case("3.1 sample read with the 3.1 context", "elm-3.1/credential-sample.jsonld", version="3.1"),
    Case("EC sample read with the 3.1 context", "annex", version="3.1"),
    Case("two nationalID (3.2: elm:nationalId, max 1)", "annex", _two_national_ids),
    Case("two nationalID (3.1: elm:nationalID, free)", "annex", _two_national_ids, version="3.1"),
    Case("EC sample, unsigned", ANNEX),
    Case("EC sample, upload form", "elm-3.1/Sample-MC-Annex1-unsigned-uploadable.json"),
    Case("EC sample, sealed", "elm-3.1/Sample-MC-Annex1-signed.jsonld"),
    Case("small sample, sealed form", "small", wrap="payload"),
    Case(
        "small sample, upload form, page 0",
        "small",
        _set(_display_detail, "page", 0),
        wrap="credential",
    ),
    Case("EC sample sealed, issued removed", "annex", lambda d: d.pop("issued"), wrap="payload"),
)


def exported_cases() -> tuple[Case, ...]:
    """eumicro's own EDC exports of the built-in samples, as extra bases."""
    try:
        from eumicro.formats.europass import to_edc
    except ImportError:  # pragma: no cover - while the exporter is being written
        return ()
    cases = []
    for name in samples.names():
        if name == "draft-green-skills":
            continue
        BASES[f"export:{name}"] = lambda name=name: to_edc(samples.load(name))
        cases.append(Case(f"export {name}", f"export:{name}"))
    cases.append(
        Case(
            "export data-literacy-ie without issued",
            "export:data-literacy-ie",
            lambda d: d.pop("issued"),
        )
    )
    cases.append(
        Case(
            "export data-literacy-ie, issuer without eIDAS",
            "export:data-literacy-ie",
            lambda d: _first(d["issuer"]).pop("eIDASIdentifier", None),
        )
    )
    return tuple(cases)


EXPORTED = exported_cases()
CORPUS: tuple[Case, ...] = (*generated_cases(), *HAND_WRITTEN, *EXPORTED)


# ============================================================================ official samples
def test_official_samples(shacl: Callable[..., Any]) -> None:
    """The verdicts of the conformance README, by both functions."""
    small_32 = sample("elm-3.2/credential-sample.jsonld")
    small_31 = sample("elm-3.1/credential-sample.jsonld")
    sealed = sample("elm-3.1/Sample-MC-Annex1-signed.jsonld")
    unsigned = sample("elm-3.1/Sample-MC-Annex1-unsigned.jsonld")
    upload = sample("elm-3.1/Sample-MC-Annex1-unsigned-uploadable.json")

    for document in (small_32, sealed):
        assert shacl(document).conforms
        assert check_edc(document) == ()

    # The 3.1 sample writes credentialStatus and termsOfUse as xsd:anyURI literals, which
    # the 3.2 shapes want as nodes (CredentialStatus, TermsOfUse) - whichever context.
    expected_31 = Counter(
        {
            ("$.credentialStatus", "ClassConstraintComponent"): 1,
            ("$.credentialStatus", "NodeKindConstraintComponent"): 1,
            ("$.termsOfUse[0]", "ClassConstraintComponent"): 1,
        }
    )
    for version in ("3.2", "3.1"):
        assert pairs(shacl(small_31, version=version).problems) == expected_31
        assert pairs(check_edc(small_31, version=version)) == expected_31

    # Unsigned: exactly `issued` (minCount 1) and the issuer's eIDASIdentifier, which
    # the sealing service adds.
    for document, prefix in ((unsigned, "$"), (upload, "$.credential")):
        expected = Counter(
            {
                (f"{prefix}.issued", "MinCountConstraintComponent"): 1,
                (f"{prefix}.issuer", "NodeConstraintComponent"): 1,
            }
        )
        report = shacl(document)
        assert not report.conforms
        assert pairs(report.problems) == expected
        problems = check_edc(document)
        assert pairs(problems) == expected
        issuer = next(p for p in problems if p.code == "NodeConstraintComponent")
        assert "eIDASIdentifier" in issuer.message
        assert (
            "eIDASIdentifier"
            in next(p for p in report.problems if p.code == "NodeConstraintComponent").message
        )


def test_the_unsigned_forms_hold_the_same_credential() -> None:
    unsigned = sample("elm-3.1/Sample-MC-Annex1-unsigned.jsonld")
    upload, prefix = unwrap_edc(sample("elm-3.1/Sample-MC-Annex1-unsigned-uploadable.json"))
    assert prefix == ("credential",)
    assert set(upload) == set(unsigned)


# ============================================================================ the corpus
def test_corpus_size_and_coverage() -> None:
    generated = generated_cases()
    kinds = Counter(case.name.split(": ", 1)[1].split(" ")[0] for case in generated)
    assert len(generated) >= 40
    assert {"delete", "second", "wrong", "one"} <= set(kinds)
    assert any("wrong scheme" in case.name for case in generated)
    assert any("wrong type" in case.name for case in generated)
    assert len(CORPUS) == len(generated) + len(HAND_WRITTEN) + len(EXPORTED)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_same_verdict_as_pyshacl(case: Case, shacl: Callable[..., Any]) -> None:
    assert_same_verdict(case.document(), shacl, case.version)


def test_the_corpus_has_both_verdicts() -> None:
    verdicts = Counter(bool(check_edc(case.document(), version=case.version)) for case in CORPUS)
    assert verdicts[True] >= 40  # documents with problems
    assert verdicts[False] >= 10  # conforming documents


def test_exports_conform() -> None:
    if not EXPORTED:  # pragma: no cover - while the exporter is being written
        pytest.skip("eumicro.formats.europass.to_edc is not available")
    for case in EXPORTED:
        if case.edit is None:
            assert check_edc(case.document()) == (), case.name


# ============================================================================ messages and paths
def test_message_for_a_missing_property() -> None:
    document = sample("elm-3.2/credential-sample.jsonld")
    del document["credentialSubject"]["hasClaim"]["awardedBy"]
    (problem,) = check_edc(document)
    assert str(problem) == (
        "$.credentialSubject.hasClaim.awardedBy: LearningAchievement needs exactly 1 "
        "awardedBy (AwardingProcess), found 0"
    )
    assert problem.code == "MinCountConstraintComponent"
    assert problem.path == ("credentialSubject", "hasClaim", "awardedBy")


@pytest.mark.parametrize(
    ("edit", "location", "code", "words"),
    [
        (
            _set(_root, "issued", "yesterday"),
            "$.issued",
            "DatatypeConstraintComponent",
            "xsd:dateTime",
        ),
        (
            _set(_display_detail, "page", 0),
            "$.displayParameter.individualDisplay[0].displayDetail[0].page",
            "DatatypeConstraintComponent",
            "positive integer",
        ),
        (
            lambda d: d["issuer"].pop("eIDASIdentifier"),
            "$.issuer",
            "NodeConstraintComponent",
            "eIDASIdentifier (LegalIdentifier), found 0",
        ),
        (
            _set(lambda d: d["displayParameter"], "title", {"en": ["One", "Two"]}),
            "$.displayParameter.title",
            "UniqueLangConstraintComponent",
            "language 'en'",
        ),
        (
            _set(lambda d: d["credentialSubject"], "givenName", "Max"),
            "$.credentialSubject.givenName",
            "DatatypeConstraintComponent",
            "'Max' without a language",
        ),
        (
            lambda d: d["displayParameter"]["language"].append(
                {
                    "id": "http://publications.europa.eu/resource/authority/country/FRA",
                    "type": "Concept",
                    "inScheme": {
                        "id": "http://publications.europa.eu/resource/authority/country",
                        "type": "ConceptScheme",
                    },
                }
            ),
            "$.displayParameter.language[2]",
            "NodeConstraintComponent",
            "inScheme must include <http://publications.europa.eu/resource/authority/language>",
        ),
        (
            _set(lambda d: d["credentialSubject"]["hasClaim"], "type", "Organisation"),
            "$.credentialSubject.hasClaim",
            "NodeConstraintComponent",
            "must be LearningAchievement or LearningActivity",
        ),
        (
            _set(_root, "validFrom", ["2010-10-01T00:00:00", "2011-10-01T00:00:00"]),
            "$.validFrom",
            "MaxCountConstraintComponent",
            "at most 1 validFrom, found 2",
        ),
    ],
)
def test_messages_and_paths(edit: Edit, location: str, code: str, words: str) -> None:
    document = sample("elm-3.2/credential-sample.jsonld")
    edit(document)
    found = [p for p in check_edc(document) if p.code == code and p.location == location]
    assert found, check_edc(document)
    assert words in found[0].message


def test_messages_name_the_terms_of_the_chosen_context() -> None:
    document = annex_payload()
    _two_national_ids(document)
    (problem,) = check_edc(document, version="3.2")
    assert problem.location == "$.credentialSubject.nationalID"
    assert "Person allows at most 1 nationalID" in problem.message
    # With the 3.1 context `nationalID` is elm:nationalID, which no shape constrains.
    assert check_edc(document, version="3.1") == ()


def test_paths_into_wrapped_documents() -> None:
    document = sample("elm-3.2/credential-sample.jsonld")
    _display_detail(document)["page"] = 0
    sealed = {"payload": json.dumps(document), "signatures": []}
    uploaded = {"credential": document}
    page = ("displayParameter", "individualDisplay", 0, "displayDetail", 0, "page")
    assert [p.path for p in check_edc(sealed)] == [("payload", *page)]
    assert [p.path for p in check_edc(uploaded)] == [("credential", *page)]


def test_check_does_not_change_the_document() -> None:
    document = annex_payload()
    before = copy.deepcopy(document)
    check_edc(document)
    assert document == before


# ============================================================================ deliberate differences
@pytest.mark.parametrize(
    ("name", "edit", "pyshacl_conforms"),
    [
        (
            "dateOfBirth: a date",
            _set(lambda d: d["credentialSubject"], "dateOfBirth", "1990-05-17"),
            True,
        ),
        (
            "dateOfBirth: no seconds",
            _set(lambda d: d["credentialSubject"], "dateOfBirth", "1990-05-17T10:00"),
            True,
        ),
        (
            "dateOfBirth: a space for T",
            _set(lambda d: d["credentialSubject"], "dateOfBirth", "1990-05-17 10:00:00"),
            True,
        ),
        (
            "dateOfBirth: 24:00:00",
            _set(lambda d: d["credentialSubject"], "dateOfBirth", "1990-05-17T24:00:00Z"),
            False,
        ),
        ("volumeOfLearning: PT", _set(_qualification, "volumeOfLearning", "PT"), True),
        ("volumeOfLearning: weeks", _set(_qualification, "volumeOfLearning", "P2W"), True),
        (
            "volumeOfLearning: a decimal year",
            _set(_qualification, "volumeOfLearning", "P1.5Y"),
            True,
        ),
        ("levelOfCompletion: ' 7'", _set(ACTIVITY, "levelOfCompletion", " 7"), True),
        ("levelOfCompletion: '1_0'", _set(ACTIVITY, "levelOfCompletion", "1_0"), True),
        ("Amount value: 1.5 (pyld writes 1.5E0)", _amount(1.5), True),
        ("Amount value: '1e3'", _amount("1e3"), True),
    ],
)
def test_known_divergences_from_pyshacl(
    name: str, edit: Edit, pyshacl_conforms: bool, shacl: Callable[..., Any]
) -> None:
    """XSD lexical forms: the built-in check follows XSD, rdflib (under pySHACL) Python."""
    document = annex_payload()
    edit(document)
    assert shacl(document).conforms is pyshacl_conforms
    problems = check_edc(document)
    assert (not problems) is (not pyshacl_conforms)
    if problems:  # ill-formed for the datatype, and so no number to compare either
        assert {p.code for p in problems} <= {
            "DatatypeConstraintComponent",
            "MaxInclusiveConstraintComponent",
        }


# ============================================================================ errors
def _with_context(context: Any) -> Edit:
    return lambda doc: doc.__setitem__("@context", context)


@pytest.mark.parametrize(
    ("edit", "wrap", "code", "location"),
    [
        (
            _with_context([VC_V1_CONTEXT_URL, "https://data.europa.eu/snb/model/context/edc-ap"]),
            "",
            "unknown-context",
            "$['@context']",
        ),
        (
            _with_context("http://example.org/context"),
            "credential",
            "unknown-context",
            "$.credential['@context']",
        ),
        (lambda d: d.pop("@context"), "", "not-edc", "$"),
        (lambda d: d.__setitem__("type", "VerifiableCredential"), "", "not-edc", "$"),
        (_set(lambda d: d["displayParameter"], "title", {"en": 5}), "", "jsonld", None),
        (_set(lambda d: d["displayParameter"], "title", {"en-": "x"}), "", "jsonld", None),
        (_set(lambda d: d["issuer"], "id", 5), "", "jsonld", None),
        (_set(lambda d: d["issuer"], "type", 5), "", "jsonld", None),
        (
            _set(_root, "validFrom", {"@value": "x", "@language": "en", "@type": "xsd:string"}),
            "",
            "jsonld",
            None,
        ),
    ],
)
def test_documents_that_cannot_be_read(
    edit: Edit, wrap: str, code: str, location: str | None, shacl: Callable[..., Any]
) -> None:
    document = Case("", "small", edit, wrap=wrap).document()
    for function in (check_edc, shacl):
        with pytest.raises(ParseError) as caught:
            function(document)
        assert caught.value.problems[0].code == code
        if location is not None:
            assert caught.value.problems[0].location == location


def test_a_sealed_payload_that_is_not_json(shacl: Callable[..., Any]) -> None:
    for function in (check_edc, shacl):
        with pytest.raises(ParseError) as caught:
            function({"payload": "{not json", "signatures": []})
        assert caught.value.problems[0].path == ("payload",)


def test_unknown_version(shacl: Callable[..., Any]) -> None:
    document = sample("elm-3.2/credential-sample.jsonld")
    for function in (check_edc, shacl):
        with pytest.raises(UnsupportedFormatError):
            function(document, version="3.0")


def test_reverse_properties_are_left_to_pyshacl(shacl: Callable[..., Any]) -> None:
    document = sample("elm-3.2/credential-sample.jsonld")
    document["issuer"]["@reverse"] = {"http://example.org/p": {"id": "urn:x"}}
    with pytest.raises(ParseError) as caught:
        check_edc(document)
    assert caught.value.problems[0].code == "unsupported"
    assert shacl(document).conforms


def test_missing_extra_is_a_library_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from eumicro.formats.europass import _shacl

    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(EumicroError, match=r"pip install 'eumicro\[shacl\]'"):
        _shacl.shacl_validate_edc(sample("elm-3.2/credential-sample.jsonld"))


# ============================================================================ offline data
def test_offline(monkeypatch: pytest.MonkeyPatch, shacl: Callable[..., Any]) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    small = sample("elm-3.2/credential-sample.jsonld")
    assert shacl(small, version="3.2").conforms
    assert not shacl(small, version="3.1").conforms
    assert check_edc(small, version="3.2") == ()
    assert check_edc(small, version="3.1") != ()


def test_versions_do_not_leak_into_each_other(shacl: Callable[..., Any]) -> None:
    """pyld caches contexts by URL process-wide; the two EDC contexts share one URL."""
    document = sample("elm-3.2/credential-sample.jsonld")
    verdicts = [shacl(document, version=v).conforms for v in ("3.2", "3.1", "3.2", "3.1")]
    assert verdicts == [True, False, True, False]


def test_document_loader() -> None:
    for version, name in (("3.2", "context-3.2.jsonld"), ("3.1", "context-3.1.jsonld")):
        loader = document_loader(version)
        remote = loader(EDC_CONTEXT_URL)
        assert remote["documentUrl"] == EDC_CONTEXT_URL
        assert remote["document"] == json.loads(DATA.joinpath(name).read_text("utf-8"))
        vc = loader(VC_V1_CONTEXT_URL)["document"]
        assert vc == json.loads(DATA.joinpath("credentials-v1.jsonld").read_text("utf-8"))
        with pytest.raises(ParseError, match="did you mean"):
            loader("https://data.europa.eu/snb/model/context/edc-ap")
    # a fresh copy each time: callers may change it
    context_document(EDC_CONTEXT_URL)["@context"].clear()
    assert context_document(EDC_CONTEXT_URL)["@context"]
    assert set(CONTEXT_URLS) == {VC_V1_CONTEXT_URL, EDC_CONTEXT_URL}


def test_the_3_1_context_differs_as_documented() -> None:
    c32 = context_document(EDC_CONTEXT_URL, "3.2")["@context"]
    c31 = context_document(EDC_CONTEXT_URL, "3.1")["@context"]
    assert c32["nationalID"]["@id"] == "elm:nationalId"
    assert c31["nationalID"]["@id"] == "elm:nationalID"
    assert "resultDestribution" in c31
    assert "resultDistribution" in c32
    assert {k for k in c32 if k not in c31} == {
        "CredentialStatus",
        "Proof",
        "TermsOfUse",
        "resultDistribution",
    }


def test_shapes_graph_is_parsed_once(shacl: Callable[..., Any]) -> None:
    from eumicro.formats.europass._shacl import _shapes_graph

    assert _shapes_graph() is _shapes_graph()


def _provenance_hashes() -> dict[str, str]:
    text = DATA.joinpath("PROVENANCE.md").read_text("utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", text, re.MULTILINE))


def test_bundled_files_match_their_provenance() -> None:
    recorded = _provenance_hashes()
    assert set(recorded) == {
        "context-3.2.jsonld",
        "context-3.1.jsonld",
        "EDC-generic-no-cv.ttl",
        "EDC-generic-full.ttl",
        "credentials-v1.jsonld",
    }
    for name, digest in recorded.items():
        assert hashlib.sha256(DATA.joinpath(name).read_bytes()).hexdigest() == digest, name
    assert _rules()["sources"] == {
        name: recorded[name]
        for name in (
            "EDC-generic-no-cv.ttl",
            "EDC-generic-full.ttl",
            "context-3.2.jsonld",
            "context-3.1.jsonld",
            "credentials-v1.jsonld",
        )
    }


def test_rules_file_is_up_to_date() -> None:
    pytest.importorskip("rdflib")
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_rules_cover_the_shapes() -> None:
    rules = _rules()
    assert rules["elm"] == "3.2"
    assert len(rules["targets"]) >= 50
    issuer = rules["shapes"]["edc:IssuerNodeShape"]["properties"]
    assert [(p["path"], p["minCount"], p["maxCount"]) for p in issuer] == [
        ("elm:eidasLegalIdentifier", 1, 1)
    ]
    assert "edc:VerifiableCredentialShape" not in rules["shapes"]  # sh:deactivated
    assert any("sh:nodekind" in note for note in rules["notes"])
