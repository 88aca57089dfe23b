"""The built-in samples cover what the demo, the docs and the tests rely on."""

from __future__ import annotations

import pytest

import eumicro
from eumicro import StackabilityOption, samples


def test_at_least_six_samples_all_distinct() -> None:
    creds = samples.load_all()
    assert len(creds) >= 6
    assert len({c.id for c in creds}) == len(creds)
    assert len({c.specification.id for c in creds}) == len(creds)


def test_samples_are_diverse() -> None:
    creds = samples.load_all()
    countries = {country.code for c in creds for country in c.issuer_countries}
    assert len(countries) >= 5
    languages = {tag for c in creds if c.title for tag in c.title.languages}
    assert len(languages) >= 6
    levels = {c.specification.level.eqf_number for c in creds if c.specification.level}
    assert {4, 5, 6, 7} <= levels
    assessment = {
        t for c in creds if c.specification.assessment for t in c.specification.assessment.types
    }
    modes = {
        m
        for c in creds
        if c.specification.participation
        for m in c.specification.participation.modes
    }
    qa = {q.type for c in creds for q in c.specification.quality_assurance if q.type}
    assert len(assessment) >= 5
    assert len(modes) >= 3
    assert len(qa) >= 3
    supervision = {c.supervision for c in creds if c.supervision}
    assert len(supervision) >= 3
    towards = [
        c
        for c in creds
        if c.specification.stackability
        and c.specification.stackability.option is StackabilityOption.STACKABLE
        and c.specification.stackability.towards
    ]
    assert towards
    assert any(len(c.awarding_bodies) > 1 for c in creds)


def test_exactly_one_draft() -> None:
    verdicts = {
        name: eumicro.check_annex_i(samples.load(name)).compliant for name in samples.names()
    }
    assert [name for name, ok in verdicts.items() if not ok] == ["draft-green-skills"]


def test_unknown_sample_name() -> None:
    with pytest.raises(KeyError, match="no sample 'nope'; samples are: data-literacy-ie"):
        samples.load("nope")
