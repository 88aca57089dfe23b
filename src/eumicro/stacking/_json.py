"""Stacking rules and qualification catalogues as native eumicro JSON.

The layout follows the credential format (:mod:`eumicro.formats._json`) and reuses its
codec: every rule class becomes a JSON object whose keys are the attribute names in
camelCase; multilingual text is a language map; a vocabulary concept is its official
IRI; numbers are JSON numbers; date-times are RFC 3339 with an offset. Absent optional
values, empty lists and the defaults ``false`` / ``0`` are left out.

A document is one of::

    {"type": "Qualification", "id": "urn:…", "title": {"en": "…"}, "rule": NODE,
     "eqf": IRI, "ects": 60, "awardingBody": {…}, "minTotalEcts": 60, "caps": [CAP…],
     "coverage": [COVERAGE…]}

    {"type": "QualificationCatalogue", "qualifications": [QUALIFICATION…]}

where each qualification of a catalogue has the keys of a ``Qualification`` document
without ``"type"``. A rule ``NODE`` is an object tagged by ``"kind"``; every node may
carry ``"id"`` (unique in the qualification) and ``"shared": true``::

    {"kind": "allOf",   "children": [NODE…]}
    {"kind": "anyOf",   "children": [NODE…]}
    {"kind": "atLeast", "n": 2, "children": [NODE…]}
    {"kind": "named",   "specificationId": "urn:…", "equivalents": ["urn:…"]}
    {"kind": "select",  "filter": FILTER, "minCount": 2, "minEcts": 10}

``FILTER`` has the :class:`~eumicro.stacking.Filter` attributes in camelCase
(``minEcts``, ``minEqf``, ``fields``, ``escoSkills``, ``awardingBodies``,
``excludedAwardingBodies``, ``countries``, ``qaTypes``, ``assessmentTypes``,
``supervision``, ``participationModes``, ``grades``, ``issuedAfter``, ``issuedBefore``,
``issuedWithinDays``, ``validAtEvaluation``); ``CAP`` is ``{"filter": FILTER,
"maxEcts": 30, "id": "…"}``; ``COVERAGE`` is ``{"escoSkills": [IRI…],
"learningOutcomes": [IRI…], "minCount": 2, "id": "…"}``. In a catalogue, qualification
ids must be unique.

Reading checks everything and raises :class:`~eumicro.ParseError` with every problem
and its JSON path. With ``strict=True`` it also refuses rules that can never be
satisfied, whatever the credentials (see :func:`unsatisfiable_reasons`).

:func:`build_stacking_schema` gives the JSON Schema (Draft 2020-12) of these documents,
built from the same field plans; ``tools/gen_json_schema.py --schema stacking`` writes it to
``eumicro/schemas/eumicro-stacking.schema.json``.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from eumicro._checks import typed_input
from eumicro._errors import ParseError, PathSegment, Problem
from eumicro._vocabulary import Vocabulary
from eumicro.formats._json import (
    _FAIL,
    _codec_for,
    _decode_object,
    _Decoder,
    _encode_object,
    _Encoder,
    _identity,
    _parse_text,
    _plan,
    _tuple_decoder,
    _want,
    register_plan,
)
from eumicro.formats._values import short_json
from eumicro.stacking._rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Named,
    Node,
    Qualification,
    Select,
)

__all__ = [
    "build_stacking_schema",
    "catalogue_from_dict",
    "catalogue_from_json",
    "catalogue_to_dict",
    "catalogue_to_json",
    "qualification_from_dict",
    "qualification_from_json",
    "qualification_to_dict",
    "qualification_to_json",
    "unsatisfiable_reasons",
]

_SUBJECT: Final = "eumicro stacking JSON"
_QUALIFICATION: Final = "Qualification"
_CATALOGUE: Final = "QualificationCatalogue"

_KINDS: Final[dict[str, type[Node]]] = {
    "allOf": AllOf,
    "anyOf": AnyOf,
    "atLeast": AtLeast,
    "named": Named,
    "select": Select,
}
_KIND_OF: Final[dict[type[Node], str]] = {cls: kind for kind, cls in _KINDS.items()}

# ----------------------------------------------------------------------------- codecs


def _decode_int(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value() and value.is_finite():
        # 2.0 read with parse_float=Decimal: an integer written as a float.
        return int(value)
    problems.append(_want(path, "an integer", value))
    return _FAIL


def _decode_bool(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, bool):
        return value
    problems.append(_want(path, "true or false", value))
    return _FAIL


def _decode_node(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    allowed = ", ".join(repr(k) for k in _KINDS)
    if not isinstance(value, dict):
        problems.append(_want(path, "an object (a rule node)", value))
        return _FAIL
    if "kind" not in value:
        problems.append(
            Problem(
                (*path, "kind"), f"required key 'kind' is missing (one of {allowed})", "missing"
            )
        )
        return _FAIL
    kind = value["kind"]
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        problems.append(
            Problem((*path, "kind"), f"expected one of {allowed}, got {short_json(kind)}", "enum")
        )
        return _FAIL
    return _decode_object(cls, value, path, problems, ignore=("kind",))


def _encode_node(node: Node) -> dict[str, Any]:
    kind = _KIND_OF.get(type(node))
    if kind is None:
        raise TypeError(f"no JSON mapping for rule node {type(node).__name__}")
    return {"kind": kind, **_encode_object(node)}


def _stacking_codec(hint: Any, vocabularies: tuple[Vocabulary, ...]) -> tuple[_Decoder, _Encoder]:
    """Like ``formats._json._codec_for``, plus ``int``, ``bool`` and polymorphic nodes."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _stacking_codec(inner, vocabularies)
    if hint is bool:
        return _decode_bool, _identity
    if hint is int:
        return _decode_int, _identity
    if hint is Node:
        return _decode_node, _encode_node
    if origin is tuple and typing.get_args(hint)[0] is Node:
        return _tuple_decoder(_decode_node), lambda v: [_encode_node(x) for x in v]
    return _codec_for(hint, vocabularies)


def _omit(default: Any) -> bool:
    """Empty tuples, False and zero are the defaults "nothing asked": left out."""
    return isinstance(default, tuple | bool | int | Decimal) and not default


for _cls in (Filter, Cap, Coverage, Named, Select, AllOf, AnyOf, AtLeast, Qualification):
    register_plan(_cls, _stacking_codec, _omit)


# ----------------------------------------------------------------------------- unsatisfiable


def _implies(narrow: Filter, broad: Filter) -> bool:
    """Whether every credential matching ``narrow`` matches ``broad``, for any date.

    A filter is a conjunction of independent conditions, one per attribute (the default
    value meaning "no condition"); ``broad`` is implied when each of its conditions is
    also a condition of ``narrow``, with the same value.
    """
    for field in attrs.fields(Filter):
        wanted = getattr(broad, field.name)
        if wanted != field.default and wanted != getattr(narrow, field.name):
            return False
    return True


def _path(node_path: tuple[int, ...], *tail: PathSegment) -> tuple[PathSegment, ...]:
    out: list[PathSegment] = ["rule"]
    for i in node_path:
        out.extend(("children", i))
    return (*out, *tail)


def _leaf_reasons(qualification: Qualification, node: Node, path: tuple[int, ...]) -> list[Problem]:
    found: list[Problem] = []
    if not isinstance(node, Select):
        return found
    flt = node.filter
    if flt.awarding_bodies and set(flt.awarding_bodies) <= set(flt.excluded_awarding_bodies):
        found.append(
            Problem(
                _path(path, "filter", "awardingBodies"),
                "every awarding body accepted is also excluded: no credential can match",
                "unsatisfiable",
            )
        )
    if node.min_ects > 0:
        for i, cap in enumerate(qualification.caps):
            if cap.max_ects < node.min_ects and _implies(flt, cap.filter):
                found.append(
                    Problem(
                        _path(path, "minEcts"),
                        f"needs {node.min_ects} ECTS from credentials that all fall under "
                        f"cap {cap.id or i} (at most {cap.max_ects} ECTS, $.caps[{i}])",
                        "unsatisfiable",
                    )
                )
    return found


def _node_reasons(
    qualification: Qualification, node: Node, path: tuple[int, ...]
) -> list[Problem] | None:
    """Why ``node`` can never be satisfied, or None when that is not proven."""
    if not isinstance(node, AllOf | AnyOf | AtLeast):
        return _leaf_reasons(qualification, node, path) or None
    results = [_node_reasons(qualification, c, (*path, i)) for i, c in enumerate(node.children)]
    impossible = [r for r in results if r is not None]
    possible = len(results) - len(impossible)
    if possible >= node.required:
        return None
    found: list[Problem] = []
    if not isinstance(node, AllOf):
        found.append(
            Problem(
                _path(path),
                f"needs {node.required} of its children, but only {possible} can ever be satisfied",
                "unsatisfiable",
            )
        )
    for reasons in impossible:
        found.extend(reasons)
    return found


def unsatisfiable_reasons(qualification: Qualification) -> tuple[Problem, ...]:
    """Why no set of credentials can ever satisfy ``qualification`` (empty: not proven).

    Only what is provably impossible without credentials is reported (paths are JSON
    paths of the qualification document):

    * a ``Select`` whose filter accepts only awarding bodies it also excludes;
    * a ``Select`` needing more ECTS than a cap allows, when every credential its
      filter accepts falls under the cap (the cap's filter is implied: every condition
      of the cap's filter is also in the select's filter, with the same value; an empty
      cap filter covers everything);
    * a minimum total ECTS above a cap with an empty filter (a cap on everything);
    * an inner node with fewer satisfiable children than it needs, up to the root.

    A leaf that can never be satisfied under an ``anyOf`` with another way out is fine,
    and is not reported. ``atLeast`` with ``n`` above the number of children is refused
    when the node is built.

    >>> from eumicro import Text
    >>> q = Qualification(
    ...     id="urn:x:q",
    ...     title=Text(en="Q"),
    ...     rule=AllOf(children=[Select(min_ects=10)]),
    ...     caps=[Cap(filter=Filter(), max_ects=5)],
    ... )
    >>> [p.location for p in unsatisfiable_reasons(q)]
    ['$.rule.children[0].minEcts']
    """
    found: list[Problem] = list(_node_reasons(qualification, qualification.rule, ()) or ())
    if qualification.min_total_ects is not None:
        for i, cap in enumerate(qualification.caps):
            if cap.filter == Filter() and cap.max_ects < qualification.min_total_ects:
                found.append(
                    Problem(
                        ("minTotalEcts",),
                        f"needs {qualification.min_total_ects} ECTS in total, but cap "
                        f"{cap.id or i} allows at most {cap.max_ects} ECTS from all "
                        f"credentials ($.caps[{i}])",
                        "unsatisfiable",
                    )
                )
    return tuple(found)


# ----------------------------------------------------------------------------- public API


def qualification_to_dict(qualification: Qualification) -> dict[str, Any]:
    """The ``Qualification`` document for a qualification, as a dict.

    >>> from eumicro import Text
    >>> q = Qualification(
    ...     id="urn:x:q", title=Text(en="Q"), rule=Named(specification_id="urn:x:spec:a")
    ... )
    >>> qualification_to_dict(q)["rule"]
    {'kind': 'named', 'specificationId': 'urn:x:spec:a'}
    """
    if not isinstance(qualification, Qualification):
        raise TypeError(f"expected a Qualification, got {type(qualification).__name__}")
    return {"type": _QUALIFICATION, **_encode_object(qualification)}


def qualification_to_json(qualification: Qualification, *, indent: int | None = 2) -> str:
    """Serialise a qualification to a JSON string (non-ASCII kept as is)."""
    return json.dumps(qualification_to_dict(qualification), ensure_ascii=False, indent=indent)


def catalogue_to_dict(qualifications: Iterable[Qualification]) -> dict[str, Any]:
    """The ``QualificationCatalogue`` document for some qualifications, as a dict."""
    items = list(qualifications)
    for i, q in enumerate(items):
        if not isinstance(q, Qualification):
            raise TypeError(f"item {i} is a {type(q).__name__}, not a Qualification")
    return {"type": _CATALOGUE, "qualifications": [_encode_object(q) for q in items]}


def catalogue_to_json(qualifications: Iterable[Qualification], *, indent: int | None = 2) -> str:
    """Serialise a catalogue of qualifications to a JSON string."""
    return json.dumps(catalogue_to_dict(qualifications), ensure_ascii=False, indent=indent)


def _check_root(data: Any, expected: str, problems: list[Problem]) -> bool:
    if not isinstance(data, dict):
        problems.append(_want((), "a JSON object", data))
        return False
    if "type" not in data:
        problems.append(
            Problem(("type",), f"required key 'type' is missing ({expected!r})", "missing")
        )
        return False
    if data["type"] != expected:
        problems.append(
            Problem(
                ("type",), f"expected a {expected} document, got {short_json(data['type'])}", "type"
            )
        )
        return False
    return True


def _strict_problems(
    q: Qualification, prefix: tuple[PathSegment, ...], problems: list[Problem]
) -> None:
    problems.extend(p.prefixed(*prefix) for p in unsatisfiable_reasons(q))


def _read_qualification(data: Any, strict: bool) -> Qualification:
    problems: list[Problem] = []
    result: Any = _FAIL
    if _check_root(data, _QUALIFICATION, problems):
        with typed_input():
            result = _decode_object(Qualification, data, (), problems, ignore=("type",))
        if result is not _FAIL and strict:
            _strict_problems(result, (), problems)
    if problems or result is _FAIL:
        raise ParseError(problems, _SUBJECT)
    return typing.cast(Qualification, result)


def _read_catalogue(data: Any, strict: bool) -> list[Qualification]:
    problems: list[Problem] = []
    out: list[Qualification] = []
    if _check_root(data, _CATALOGUE, problems):
        for key in data:
            if key not in ("type", "qualifications"):
                problems.append(
                    Problem((key,), f"unknown key {key!r} in {_CATALOGUE}", "unknown-key")
                )
        items = data.get("qualifications")
        if not isinstance(items, list):
            problems.append(_want(("qualifications",), "an array of qualifications", items))
        else:
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                with typed_input():
                    q = _decode_object(Qualification, item, ("qualifications", i), problems)
                if q is _FAIL:
                    continue
                out.append(q)
                if q.id in seen:
                    problems.append(
                        Problem(
                            ("qualifications", i, "id"),
                            f"qualification id {q.id!r} is already used "
                            f"(at $.qualifications[{seen[q.id]}])",
                            "duplicate",
                        )
                    )
                else:
                    seen[q.id] = i
                if strict:
                    _strict_problems(q, ("qualifications", i), problems)
    if problems:
        raise ParseError(problems, _SUBJECT)
    return out


def qualification_from_dict(data: Mapping[str, Any], *, strict: bool = False) -> Qualification:
    """Build a qualification from a ``Qualification`` document held as a dict."""
    return _read_qualification(dict(data), strict)


def qualification_from_json(data: str | bytes, *, strict: bool = False) -> Qualification:
    """Read a ``Qualification`` document from JSON text or UTF-8 bytes.

    Raises :class:`~eumicro.ParseError` with every problem and its JSON path; with
    ``strict=True`` also when the rules can never be satisfied
    (:func:`unsatisfiable_reasons`).

    >>> from eumicro import Text
    >>> q = Qualification(
    ...     id="urn:x:q", title=Text(en="Q"), rule=Named(specification_id="urn:x:spec:a")
    ... )
    >>> qualification_from_json(qualification_to_json(q)) == q
    True
    """
    return _read_qualification(_parse(data), strict)


def catalogue_from_dict(data: Mapping[str, Any], *, strict: bool = False) -> list[Qualification]:
    """Build the qualifications of a ``QualificationCatalogue`` document held as a dict."""
    return _read_catalogue(dict(data), strict)


def catalogue_from_json(data: str | bytes, *, strict: bool = False) -> list[Qualification]:
    """Read a ``QualificationCatalogue`` document from JSON text or UTF-8 bytes."""
    return _read_catalogue(_parse(data), strict)


def _parse(data: str | bytes) -> Any:
    try:
        return _parse_text(data)
    except ParseError as exc:
        raise ParseError(exc.problems, _SUBJECT) from None


# ----------------------------------------------------------------------------- JSON Schema

STACKING_SCHEMA_ID: Final = "urn:eumicro:schema:stacking:1"
"""Identifier (``$id``) of the JSON Schema of stacking documents."""

_NOT_EXPRESSED: Final[dict[type, str]] = {
    Filter: "Not expressed: issuedBefore must be after issuedAfter.",
    Named: "Not expressed: equivalents must not repeat specificationId.",
    AtLeast: "Not expressed: n is at most the number of children.",
    Coverage: "Not expressed: minCount is at most the number of items listed.",
    Qualification: (
        "Not expressed: node ids, cap ids and coverage ids are unique in the qualification; rule "
        "nodes that can never be satisfied (refused when read with strict=True)."
    ),
}


def _stacking_cross_field(cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cls in _NOT_EXPRESSED:
        out["$comment"] = _NOT_EXPRESSED[cls]
    if cls is Coverage:
        out["anyOf"] = [
            {"required": ["escoSkills"], "properties": {"escoSkills": {"minItems": 1}}},
            {
                "required": ["learningOutcomes"],
                "properties": {"learningOutcomes": {"minItems": 1}},
            },
        ]
    if cls is Select:
        out["anyOf"] = [
            {"required": ["minCount"], "properties": {"minCount": {"minimum": 1}}},
            {"required": ["minEcts"], "properties": {"minEcts": {"exclusiveMinimum": 0}}},
        ]
    return out


def _schema_builder() -> Any:
    """A ``formats._json_schema._Builder`` that knows ``int``, ``bool`` and rule nodes."""
    from eumicro.formats import _json_schema as base
    from eumicro.stacking import _rules

    int_rules: dict[Any, dict[str, Any]] = {
        _rules._non_negative_int: {"minimum": 0},
        _rules._positive_int: {"minimum": 1},
        _rules._days: {"minimum": 0, "maximum": _rules._MAX_DAYS},
    }

    class Builder(base._Builder):
        def value(self, hint: Any, rules: list[Any], where: str) -> dict[str, Any]:
            if hint is bool:
                return {"type": "boolean"}
            if hint is int:
                schema: dict[str, Any] = {"type": "integer"}
                for rule in [r for r in rules if r in int_rules]:
                    rules.remove(rule)
                    schema.update(int_rules[rule])
                return schema
            if hint is Node:
                if "Node" not in self.classes:
                    self.classes["Node"] = _node_schema()
                    for cls in _KINDS.values():
                        self.model(cls)
                return base._ref("Node")
            return super().value(hint, rules, where)

        def model(self, cls: type) -> None:
            if cls not in _KIND_OF and cls not in (Filter, Cap, Coverage, Qualification):
                super().model(cls)
                return
            name = cls.__name__
            if name in self.classes:
                return
            self.classes[name] = {}
            hints = typing.get_type_hints(cls)
            docs = base._attribute_docs(cls)
            plan = {f.name: f for f in _plan(cls)}
            properties: dict[str, Any] = {}
            required: list[str] = []
            if cls in _KIND_OF:
                properties["kind"] = {"const": _KIND_OF[cls]}
                required.append("kind")
            for field in attrs.fields(cls):
                entry = plan[field.name]
                schema = self.field(cls, field, hints[field.name])
                doc = docs.get(field.name)
                if doc:
                    schema = {**schema, "description": doc[:1].upper() + doc[1:]}
                properties[entry.key] = schema
                if entry.required:
                    required.append(entry.key)
            if "children" in properties:
                properties["children"] = {**properties["children"], "minItems": 1}
            definition: dict[str, Any] = {
                "title": name,
                "description": base._summary(cls),
                "type": "object",
                "properties": properties,
            }
            if required:
                definition["required"] = required
            definition["additionalProperties"] = False
            definition.update(_stacking_cross_field(cls))
            self.classes[name] = definition

    return Builder()


def _node_schema() -> dict[str, Any]:
    return {
        "title": "Node",
        "description": "A rule node, tagged by its kind.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(_KINDS)}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}},
                "then": {"$ref": f"#/$defs/{cls.__name__}"},
            }
            for kind, cls in _KINDS.items()
        ],
    }


def build_stacking_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of stacking documents, as a dict.

    >>> build_stacking_schema()["$defs"]["AtLeast"]["properties"]["n"]["minimum"]
    1
    """
    from eumicro.formats import _json_schema as base

    builder = _schema_builder()
    builder.model(Qualification)
    qualification = builder.classes[_QUALIFICATION]
    documents: dict[str, Any] = {
        f"{_QUALIFICATION}Document": base._document(qualification, _QUALIFICATION),
        _CATALOGUE: {
            "title": f"{_CATALOGUE} document",
            "description": "Several qualifications in one document; their ids are unique.",
            "type": "object",
            "properties": {
                "type": {"const": _CATALOGUE},
                "qualifications": {"type": "array", "items": base._ref(_QUALIFICATION)},
            },
            "required": ["type", "qualifications"],
            "additionalProperties": False,
        },
    }
    defs: dict[str, Any] = {
        **documents,
        **builder.classes,
        **builder.enums,
        **builder.values,
        **dict(sorted(builder.vocabularies.items())),
    }
    return {
        "$schema": base.DRAFT,
        "$id": STACKING_SCHEMA_ID,
        "title": "eumicro stacking JSON",
        "description": (
            "A qualification built from micro-credentials, with its stacking rules, or a "
            "catalogue of qualifications. Keys are the model's attribute names in "
            "camelCase; rule nodes are tagged by kind; null is never used."
        ),
        "$comment": (
            "Generated from the eumicro model by tools/gen_json_schema.py --schema stacking; "
            "do not edit. "
            "eumicro's reader checks everything this schema checks and also what JSON "
            "Schema cannot express (see the $comment of the definitions)."
        ),
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": [_QUALIFICATION, _CATALOGUE]}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": doc["properties"]["type"]["const"]}}},
                "then": base._ref(name),
            }
            for name, doc in documents.items()
        ],
        "$defs": defs,
    }
