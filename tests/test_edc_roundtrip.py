"""EDC round trips: model → EDC → model is the identity.

For every built-in sample that can be exported (all but the draft) and for generated
credentials in the *exportable domain*: the credentials of ``tests/strategies.py`` mapped
so that EDC can carry them and Annex I is met. The mapping (``exportable()``):

* every organisation has a country (EDC: ``Organisation.location`` → ``Address.countryCode``
  1..1), and the issuer (the stated one, or else the first awarding body) an eIDAS
  identifier;
* the Annex I elements a credential may lack are filled in (learner with a name, title,
  awarding body, date of issuing, learning outcomes, workload, level, assessment,
  participation, quality assurance), as export refuses drafts;
* a quality-assurance agency comes with a type (EDC records an agency on an
  Accreditation only), a credential stacked towards has a title, supervision comes with a
  grade (EDC records it on the graded assessment);
* no two different nodes share an id (in EDC one id names one node).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import strategies as gen
from tests.test_edc_export import EXPORTABLE, fixed_render, shacl_problems

from eumicro import (
    Learner,
    MicroCredential,
    Organisation,
    QualityAssurance,
    Specification,
    Stackability,
    check_annex_i,
    samples,
    vocab,
)
from eumicro.formats.europass import check_edc, from_edc, to_edc, to_edc_json

T = TypeVar("T")

# ----------------------------------------------------------------------------- the exportable domain


def _organisation_fixer(draw: Any, issuer: Organisation | None) -> Any:
    """Maps each organisation (by value) to one with a country; the issuer gets an eIDAS id."""
    done: dict[Organisation, Organisation] = {}

    def fix(org: Organisation) -> Organisation:
        if org in done:
            return done[org]
        changes: dict[str, Any] = {}
        if org.country is None:
            changes["country"] = draw(gen.concepts(vocab.COUNTRY))
        if org == issuer and org.eidas_identifier is None:
            changes["eidas_identifier"] = draw(gen.legal_identifiers())
        fixed = attrs.evolve(org, **changes) if changes else org
        done[org] = fixed
        return fixed

    return fix


def _node_ids(c: MicroCredential) -> list[tuple[str, object]]:
    """(id, node) for every node of the credential that has an id of its own."""
    spec = c.specification
    out: list[tuple[str, object]] = [(c.id, c), (spec.id, spec)]
    orgs = [
        *c.awarding_bodies,
        c.issuer,
        spec.provider,
        *(qa.agency for qa in spec.quality_assurance),
    ]
    out += [(o.id, o) for o in orgs if o is not None and o.id is not None]
    if c.learner is not None and c.learner.id is not None:
        out.append((c.learner.id, c.learner))
    out += [(lo.id, lo) for lo in spec.learning_outcomes if lo.id is not None]
    if spec.stackability is not None:
        out += [(ref.id, ref) for ref in spec.stackability.towards]
    return out


def _ids_distinct(c: MicroCredential) -> bool:
    seen: dict[str, object] = {}
    for node_id, node in _node_ids(c):
        if seen.setdefault(node_id, node) != node or node_id.startswith("urn:eumicro:node:"):
            return False
    return True


@st.composite
def _exportable(draw: Any) -> MicroCredential:
    c: MicroCredential = draw(gen.micro_credentials())
    spec: Specification = c.specification
    # Annex I: fill in what a draft may lack.
    learner = c.learner if c.learner is not None else draw(gen.learners())
    if learner.display_name is None:
        learner = attrs.evolve(learner, full_name=draw(gen.strings()))
    bodies = c.awarding_bodies or (draw(gen.organisations()),)
    issued, valid_until = c.issued, c.valid_until
    if issued is None:
        issued = draw(gen.aware_datetimes())
        if valid_until is not None and valid_until <= issued:
            valid_until = None
    spec_changes: dict[str, Any] = {}
    for name, strategy in (
        ("title", gen.texts()),
        ("workload", gen.workloads()),
        ("level", gen.levels()),
        ("assessment", gen.assessments()),
        ("participation", gen.participations()),
    ):
        if getattr(spec, name) is None:
            spec_changes[name] = draw(strategy)
    if not spec.learning_outcomes and spec.learning_outcome_summary is None:
        spec_changes["learning_outcomes"] = (draw(gen.learning_outcomes()),)
    qas: tuple[QualityAssurance, ...] = spec.quality_assurance or (draw(gen.quality_assurances()),)
    # EDC: an agency needs a type; a credential stacked towards needs a title.
    qas = tuple(
        attrs.evolve(qa, type=draw(gen.concepts(vocab.ACCREDITATION_TYPE)))
        if qa.agency is not None and qa.type is None
        else qa
        for qa in qas
    )
    stack: Stackability | None = spec.stackability
    if stack is not None and any(ref.title is None for ref in stack.towards):
        towards = tuple(
            ref if ref.title is not None else attrs.evolve(ref, title=draw(gen.texts()))
            for ref in stack.towards
        )
        stack = attrs.evolve(stack, towards=tuple(dict.fromkeys(towards)))
    # EDC: every organisation has a country; the issuer an eIDAS identifier.
    fix = _organisation_fixer(draw, c.issuer if c.issuer is not None else bodies[0])
    bodies = tuple(dict.fromkeys(fix(b) for b in bodies))
    qas = tuple(attrs.evolve(qa, agency=fix(qa.agency)) if qa.agency else qa for qa in qas)
    spec_changes.update(quality_assurance=qas, stackability=stack)
    if spec.provider is not None:
        spec_changes["provider"] = fix(spec.provider)
    grade = c.grade
    if c.supervision is not None and grade is None:
        grade = draw(gen.grades())
    credential = attrs.evolve(
        c,
        learner=learner,
        awarding_bodies=bodies,
        issuer=fix(c.issuer) if c.issuer is not None else None,
        issued=issued,
        valid_until=valid_until,
        grade=grade,
        specification=attrs.evolve(spec, **spec_changes),
    )
    assert check_annex_i(credential).compliant
    return credential


def exportable() -> st.SearchStrategy[MicroCredential]:
    """Credentials that EDC can carry and that meet Annex I (see the module docstring)."""
    return _exportable().filter(_ids_distinct)


# ----------------------------------------------------------------------------- samples


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_round_trips(name: str) -> None:
    credential = samples.load(name)
    result = from_edc(to_edc_json(credential))
    assert result.credential == credential
    assert result.notes == ()
    assert (result.wrapper, result.version, result.seal_verified) == ("credential", "3.2", False)


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_export_is_a_fixed_point(name: str) -> None:
    text = to_edc_json(samples.load(name), render=fixed_render)
    again = to_edc_json(from_edc(text).credential, render=fixed_render)
    assert again == text


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_round_trips_through_wrappers(name: str) -> None:
    credential = samples.load(name)
    doc = to_edc(credential)
    upload = from_edc({"credential": doc, "deliveryDetails": {"walletAddress": "a@b.eu"}})
    assert upload.credential == credential
    assert upload.wrapper == "upload"
    sealed = from_edc({"payload": json.dumps(doc), "signatures": [{"signature": "x"}]})
    assert sealed.credential == credential
    assert (sealed.wrapper, sealed.seal_verified) == ("sealed", False)


# ----------------------------------------------------------------------------- properties


@given(exportable())
def test_generated_credentials_round_trip(credential: MicroCredential) -> None:
    result = from_edc(to_edc_json(credential, render=fixed_render))
    assert result.credential == credential
    assert result.notes == ()


@given(exportable())
def test_generated_export_is_a_fixed_point(credential: MicroCredential) -> None:
    text = to_edc_json(credential, render=fixed_render)
    assert to_edc_json(from_edc(text).credential, render=fixed_render) == text


@given(exportable())
def test_generated_exports_pass_the_builtin_check(credential: MicroCredential) -> None:
    assert check_edc(to_edc(credential, render=fixed_render)) == ()


@settings(max_examples=10)
@given(exportable())
def test_generated_exports_conform_to_the_edc_shapes(credential: MicroCredential) -> None:
    assert shacl_problems(to_edc(credential)) == []


def test_valid_from_equal_to_issued_is_unstated() -> None:
    c = samples.load("ai-ethics-fr")
    assert c.valid_from is None
    assert c.issued is not None
    doc = to_edc(c)
    assert doc["validFrom"] == doc["issued"]
    later = attrs.evolve(c, valid_from=c.issued + dt.timedelta(days=1))
    assert from_edc(to_edc(later)).credential.valid_from == later.valid_from


def test_issuer_stated_or_not() -> None:
    c = samples.load("digital-health-fi-ee")
    assert from_edc(to_edc(c)).credential.issuer == c.awarding_bodies[0]
    unstated = attrs.evolve(c, issuer=None)
    assert from_edc(to_edc(unstated)).credential.issuer is None
    other = attrs.evolve(
        c,
        issuer=Organisation(
            name=c.awarding_bodies[0].name,
            country="FIN",
            eidas_identifier=c.awarding_bodies[0].eidas_identifier,
        ),
    )
    assert from_edc(to_edc(other)).credential == other


def test_learner_without_id_round_trips() -> None:
    c = samples.load("weld-inspection-pl")
    assert c.learner is not None
    assert c.learner.id is None
    learner: Learner | None = from_edc(to_edc(c)).credential.learner
    assert learner is not None
    assert learner.id is None
