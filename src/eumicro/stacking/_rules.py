"""Stacking rules: how micro-credentials combine into a larger qualification.

A :class:`Qualification` carries a rule tree. Internal nodes are :class:`AllOf`,
:class:`AnyOf` and :class:`AtLeast`; leaves are :class:`Named` (one specific
micro-credential, by specification id, or a recognised equivalent) and :class:`Select`
(credentials chosen by a :class:`Filter`, with a minimum count and/or ECTS sum).
Constraints on the whole qualification apply to the set of credentials that count:
a minimum total of ECTS and :class:`Cap` limits (at most N ECTS from a group).

A credential counts at most once per qualification: it may be used by one leaf only,
unless the leaf (or one of its ancestors) is ``shared``; a credential used by shared
leaves may also count in one non-shared leaf.

Every class is immutable and validated when it is built; problems raise
:class:`~eumicro.ValidationError` with their paths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from eumicro import _converters as conv
from eumicro import vocab
from eumicro._checks import (
    Found,
    Model,
    after,
    check,
    decimal,
    iri,
    non_empty_string,
    non_negative_decimal,
    to_tuple,
    tuple_of,
    unique,
)
from eumicro._model import MicroCredential, Organisation, Specification
from eumicro._text import Text
from eumicro._vocabulary import Concept

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Cap",
    "Coverage",
    "Filter",
    "Leaf",
    "Named",
    "Node",
    "Qualification",
    "Select",
]


def _non_negative_int(value: int) -> Iterator[Found]:
    if value < 0:
        yield (), f"must not be negative, got {value}", "range"


def _days(value: int) -> Iterator[Found]:
    if not 0 <= value <= _MAX_DAYS:
        yield (), f"must be between 0 and {_MAX_DAYS} days, got {value}", "range"


_MAX_DAYS = 365_000  # a thousand years: any recency rule, and within what timedelta holds


def _positive_int(value: int) -> Iterator[Found]:
    if value < 1:
        yield (), f"must be at least 1, got {value}", "range"


def _field_matches(wanted: Concept, field: Concept) -> bool:
    # ISCED-F codes are hierarchical ("06" ⊃ "061" ⊃ "0613"): a broad field matches
    # every narrower one.
    return field.code.startswith(wanted.code)


@attrs.frozen(kw_only=True)
class Filter(Model):
    """A predicate on one credential; every condition given must hold (an empty filter matches all).

    Conditions over a list ("any of") hold when the credential has at least one of the
    listed values.

    Attributes:
        min_ects: ECTS of the specification at least this (credentials without ECTS fail).
        min_eqf: EQF level of the specification at least this (EQF vocabulary).
        fields: ISCED-F fields, any of; a broad field matches its narrower fields.
        esco_skills: ESCO skill IRIs, any of (from the learning outcomes).
        awarding_bodies: organisation ids, any of the credential's awarding bodies.
        excluded_awarding_bodies: organisation ids none of the awarding bodies may have
            (e.g. the home institution, to select external credentials).
        countries: countries of the issuer or awarding bodies, any of.
        qa_types: quality-assurance / accreditation types, any of.
        assessment_types: assessment types of the specification, any of.
        supervision: supervision and identity verification of the credential, one of.
        participation_modes: forms of participation, any of.
        grades: grade values accepted (compared case-insensitively, surrounding
            whitespace ignored); credentials without a grade fail.
        issued_after: issued at or after this moment.
        issued_before: issued before this moment.
        issued_within_days: issued at most this many days before the evaluation date
            (and not after it).
        valid_at_evaluation: valid at the evaluation date.

    >>> from eumicro.samples import load
    >>> Filter(min_eqf=7).matches(load("secure-networks-de"), at=dt.datetime.now(dt.UTC))
    True
    """

    min_ects: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )
    min_eqf: Concept | None = attrs.field(
        default=None, converter=conv.eqf, metadata=check(vocabulary=vocab.EQF)
    )
    fields: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.isced_fs, metadata=check(unique, vocabulary=vocab.ISCED_F)
    )
    esco_skills: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    awarding_bodies: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    excluded_awarding_bodies: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    countries: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.countries, metadata=check(unique, vocabulary=vocab.COUNTRY)
    )
    qa_types: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.accreditation_types,
        metadata=check(unique, vocabulary=vocab.ACCREDITATION_TYPE),
    )
    assessment_types: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.assessment_types,
        metadata=check(unique, vocabulary=vocab.ASSESSMENT_TYPE),
    )
    supervision: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.supervision_verifications,
        metadata=check(unique, vocabulary=vocab.SUPERVISION_VERIFICATION),
    )
    participation_modes: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.modes, metadata=check(unique, vocabulary=vocab.MODE)
    )
    grades: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(non_empty_string), unique)
    )
    issued_after: dt.datetime | None = None
    issued_before: dt.datetime | None = None
    issued_within_days: int | None = attrs.field(default=None, metadata=check(_days))
    valid_at_evaluation: bool = False

    def _validate(self) -> Iterable[Found]:
        yield from after("issued_before", self.issued_before, self.issued_after, "issued_after")

    def matches(self, credential: MicroCredential, *, at: dt.datetime) -> bool:
        """Whether ``credential`` meets every condition, evaluated at ``at``."""
        return self.matches_specification(credential.specification) and self.matches_award(
            credential, at=at
        )

    @property
    def reads_award(self) -> bool:
        """Whether some condition reads the award (bodies, countries, grade, dates …)."""
        return bool(
            self.awarding_bodies
            or self.excluded_awarding_bodies
            or self.countries
            or self.supervision
            or self.grades
            or self.issued_after is not None
            or self.issued_before is not None
            or self.issued_within_days is not None
            or self.valid_at_evaluation
        )

    def matches_specification(self, spec: Specification) -> bool:
        """The conditions on what was specified (ECTS, level, fields, skills, QA …)."""
        if self.min_ects is not None and (spec.ects is None or spec.ects < self.min_ects):
            return False
        if self.min_eqf is not None:
            level = spec.level.eqf_number if spec.level is not None else None
            if level is None or level < int(self.min_eqf.code):
                return False
        if self.fields and not any(_field_matches(w, f) for w in self.fields for f in spec.fields):
            return False
        if self.esco_skills and spec.esco_skills.isdisjoint(self.esco_skills):
            return False
        if self.qa_types and not any(
            qa.type in self.qa_types for qa in spec.quality_assurance if qa.type is not None
        ):
            return False
        if self.assessment_types and (
            spec.assessment is None or set(spec.assessment.types).isdisjoint(self.assessment_types)
        ):
            return False
        return not self.participation_modes or (
            spec.participation is not None
            and not set(spec.participation.modes).isdisjoint(self.participation_modes)
        )

    def matches_award(self, credential: MicroCredential, *, at: dt.datetime) -> bool:
        """The conditions on the award itself (awarding bodies, countries, grade, dates …)."""
        bodies = {org.id for org in credential.awarding_bodies if org.id is not None}
        if self.awarding_bodies and bodies.isdisjoint(self.awarding_bodies):
            return False
        if not bodies.isdisjoint(self.excluded_awarding_bodies):
            return False
        if self.countries and set(credential.issuer_countries).isdisjoint(self.countries):
            return False
        if self.supervision and credential.supervision not in self.supervision:
            return False
        if self.grades:
            if credential.grade is None:
                return False
            accepted = {g.strip().casefold() for g in self.grades}
            if credential.grade.value.strip().casefold() not in accepted:
                return False
        return self._matches_dates(credential, at)

    def _matches_dates(self, credential: MicroCredential, at: dt.datetime) -> bool:
        issued = credential.issued
        if self.issued_after is not None and (issued is None or issued < self.issued_after):
            return False
        if self.issued_before is not None and (issued is None or issued >= self.issued_before):
            return False
        if self.issued_within_days is not None and (
            issued is None
            or issued > at
            or at - issued > dt.timedelta(days=self.issued_within_days)
        ):
            return False
        return not (self.valid_at_evaluation and not credential.is_valid_at(at))


@attrs.frozen(kw_only=True)
class Node(Model):
    """Base of every rule node.

    Attributes:
        id: an optional name, unique in the qualification (results and explanations use it).
        shared: credentials used by this node (or any node below it) may also count
            elsewhere in the qualification.
    """

    id: str | None = attrs.field(default=None, metadata=check(non_empty_string))
    shared: bool = False


@attrs.frozen(kw_only=True)
class Leaf(Node):
    """Base of the leaves, the nodes that credentials are assigned to."""

    def eligible(self, credential: MicroCredential, *, at: dt.datetime) -> bool:
        """Whether ``credential`` may count for this leaf."""
        raise NotImplementedError

    @property
    def need_count(self) -> int:
        """How many credentials the leaf needs."""
        raise NotImplementedError

    @property
    def need_ects(self) -> Decimal:
        """How many ECTS (sum over its credentials) the leaf needs."""
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class Named(Leaf):
    """One specific micro-credential: its specification id, or a recognised equivalent.

    >>> Named(specification_id="urn:x:spec:a", equivalents=["urn:x:spec:b"]).equivalents
    ('urn:x:spec:b',)
    """

    specification_id: str = attrs.field(metadata=check(iri))
    equivalents: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )

    def _validate(self) -> Iterable[Found]:
        if self.specification_id in self.equivalents:
            i = self.equivalents.index(self.specification_id)
            yield ("equivalents", i), "repeats the specification id", "duplicate"

    def eligible(self, credential: MicroCredential, *, at: dt.datetime) -> bool:
        spec_id = credential.specification.id
        return spec_id == self.specification_id or spec_id in self.equivalents

    @property
    def need_count(self) -> int:
        return 1

    @property
    def need_ects(self) -> Decimal:
        return Decimal(0)


@attrs.frozen(kw_only=True)
class Select(Leaf):
    """Credentials chosen by a filter: at least ``min_count`` of them and at least ``min_ects``.

    Both needs hold together; at least one must be positive. When ``min_ects`` is
    positive, credentials without ECTS do not count here.
    """

    filter: Filter = attrs.field(factory=Filter)
    min_count: int = attrs.field(default=0, metadata=check(_non_negative_int))
    min_ects: Decimal = attrs.field(
        default=Decimal(0), converter=decimal, metadata=check(non_negative_decimal)
    )

    def _validate(self) -> Iterable[Found]:
        if self.min_count <= 0 and self.min_ects <= 0:
            yield (), "give a positive min_count or min_ects (the rule asks for nothing)", "missing"

    def eligible(self, credential: MicroCredential, *, at: dt.datetime) -> bool:
        if self.min_ects > 0 and credential.specification.ects is None:
            return False
        return self.filter.matches(credential, at=at)

    @property
    def need_count(self) -> int:
        return self.min_count

    @property
    def need_ects(self) -> Decimal:
        return self.min_ects


def _non_empty_children(value: tuple[Node, ...]) -> Iterator[Found]:
    if not value:
        yield (), "give at least one child", "missing"


@attrs.frozen(kw_only=True)
class AllOf(Node):
    """Every child must be satisfied."""

    children: tuple[Node, ...] = attrs.field(converter=to_tuple)

    def _validate(self) -> Iterable[Found]:
        for sub, message, code in _non_empty_children(self.children):
            yield ("children", *sub), message, code

    @property
    def required(self) -> int:
        """How many children must be satisfied."""
        return len(self.children)


@attrs.frozen(kw_only=True)
class AnyOf(Node):
    """At least one child must be satisfied."""

    children: tuple[Node, ...] = attrs.field(converter=to_tuple)

    def _validate(self) -> Iterable[Found]:
        for sub, message, code in _non_empty_children(self.children):
            yield ("children", *sub), message, code

    @property
    def required(self) -> int:
        """How many children must be satisfied."""
        return 1


@attrs.frozen(kw_only=True)
class AtLeast(Node):
    """At least ``n`` of the children must be satisfied (1 ≤ n ≤ number of children)."""

    n: int = attrs.field(metadata=check(_positive_int))
    children: tuple[Node, ...] = attrs.field(converter=to_tuple)

    def _validate(self) -> Iterable[Found]:
        for sub, message, code in _non_empty_children(self.children):
            yield ("children", *sub), message, code
        if self.children and self.n > len(self.children):
            yield (
                ("n",),
                f"must be at most the number of children ({len(self.children)}), got {self.n}",
                "range",
            )

    @property
    def required(self) -> int:
        """How many children must be satisfied."""
        return self.n


Inner = AllOf | AnyOf | AtLeast


@attrs.frozen(kw_only=True)
class Cap(Model):
    """At most ``max_ects`` of the counted credentials' ECTS may come from those matching ``filter``.

    Attributes:
        filter: the group capped (external issuers, unsupervised assessment …).
        max_ects: the cap.
        id: an optional name for results and explanations.
    """

    filter: Filter
    max_ects: Decimal = attrs.field(converter=decimal, metadata=check(non_negative_decimal))
    id: str | None = attrs.field(default=None, metadata=check(non_empty_string))


@attrs.frozen(kw_only=True)
class Coverage(Model):
    """The counted credentials together cover at least ``min_count`` of the listed items.

    An item is an ESCO skill or competence (IRI), covered by a credential whose
    specification has a learning outcome linked to it, or a learning outcome (its id),
    covered by a credential whose specification has it.

    Attributes:
        esco_skills: ESCO skill IRIs.
        learning_outcomes: learning outcome ids.
        min_count: how many of the items must be covered; all of them when not given.
        id: an optional name for results and explanations.

    >>> skills = ["http://data.europa.eu/esco/skill/a", "http://data.europa.eu/esco/skill/b"]
    >>> Coverage(esco_skills=skills, min_count=1).need
    1
    """

    esco_skills: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    learning_outcomes: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    min_count: int | None = attrs.field(default=None, metadata=check(_positive_int))
    id: str | None = attrs.field(default=None, metadata=check(non_empty_string))

    def _validate(self) -> Iterable[Found]:
        items = len(self.esco_skills) + len(self.learning_outcomes)
        if items == 0:
            yield (), "list at least one ESCO skill or learning outcome to cover", "missing"
        elif self.min_count is not None and self.min_count > items:
            yield (
                ("min_count",),
                f"asks for {self.min_count} of {items} items: it can never be met",
                "range",
            )

    @property
    def items(self) -> tuple[str, ...]:
        """The items to cover: the ESCO skills, then the learning outcomes."""
        return (*self.esco_skills, *self.learning_outcomes)

    @property
    def need(self) -> int:
        """How many items must be covered."""
        return len(self.items) if self.min_count is None else self.min_count

    def covered_by(self, specification: Specification) -> frozenset[str]:
        """The items a credential of this specification covers."""
        skills = specification.esco_skills
        outcomes = {lo.id for lo in specification.learning_outcomes if lo.id is not None}
        return frozenset(
            [s for s in self.esco_skills if s in skills]
            + [o for o in self.learning_outcomes if o in outcomes]
        )


def walk(node: Node, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Node]]:
    """Every node of a tree with its path (child indexes from the root), depth first."""
    yield path, node
    if isinstance(node, AllOf | AnyOf | AtLeast):
        for i, child in enumerate(node.children):
            yield from walk(child, (*path, i))


def _node_path(path: tuple[int, ...]) -> tuple[str | int, ...]:
    out: list[str | int] = ["rule"]
    for i in path:
        out.extend(("children", i))
    return tuple(out)


@attrs.frozen(kw_only=True)
class Qualification(Model):
    """A larger credential built from micro-credentials, with its stacking rules.

    Attributes:
        id: IRI or URN of the qualification.
        title: its title, in one or more languages.
        rule: the rule tree.
        eqf: EQF level of the qualification (informational).
        ects: total ECTS of the qualification (informational; see ``min_total_ects``).
        awarding_body: who awards it.
        min_total_ects: the counted credentials together carry at least this many ECTS.
        caps: limits on ECTS counted from groups of credentials.
        coverage: skills or learning outcomes the counted credentials must cover.

    >>> q = Qualification(
    ...     id="urn:x:qual:1",
    ...     title=Text(en="Certificate"),
    ...     rule=AllOf(children=[Named(specification_id="urn:x:spec:a")]),
    ... )
    >>> q.rule.required
    1
    """

    id: str = attrs.field(metadata=check(iri))
    title: Text
    rule: Node
    eqf: Concept | None = attrs.field(
        default=None, converter=conv.eqf, metadata=check(vocabulary=vocab.EQF)
    )
    ects: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )
    awarding_body: Organisation | None = None
    min_total_ects: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )
    caps: tuple[Cap, ...] = attrs.field(default=(), converter=to_tuple)
    coverage: tuple[Coverage, ...] = attrs.field(default=(), converter=to_tuple)

    def _validate(self) -> Iterable[Found]:
        seen: dict[str, tuple[int, ...]] = {}
        for path, node in walk(self.rule):
            if not isinstance(node, AllOf | AnyOf | AtLeast | Named | Select):
                yield (
                    _node_path(path),
                    f"expected AllOf, AnyOf, AtLeast, Named or Select, got {type(node).__name__}",
                    "type",
                )
            if node.id is None:
                continue
            if node.id in seen:
                yield (
                    (*_node_path(path), "id"),
                    f"node id {node.id!r} is already used (at {_node_path(seen[node.id])})",
                    "duplicate",
                )
            else:
                seen[node.id] = path
        ids = [cap.id for cap in self.caps if cap.id is not None]
        ids += [c.id for c in self.coverage if c.id is not None]
        for i, cap in enumerate(self.caps):
            if cap.id is not None and (cap.id in seen or ids.count(cap.id) > 1):
                yield ("caps", i, "id"), f"id {cap.id!r} is used more than once", "duplicate"
        for i, cov in enumerate(self.coverage):
            if cov.id is not None and (cov.id in seen or ids.count(cov.id) > 1):
                yield ("coverage", i, "id"), f"id {cov.id!r} is used more than once", "duplicate"
