"""The published JSON Schema (Draft 2020-12) of native eumicro JSON, built from the model.

:func:`build_json_schema` walks the model classes with the same field plan as the JSON
codec (:func:`eumicro.formats._json._plan`: the camelCase keys, which keys are required)
and the same type hints and field metadata as the model's own checks, so the schema
cannot drift from what the reader accepts. ``tools/gen_json_schema.py`` writes the result
to ``eumicro/schemas/eumicro.schema.json``, which :func:`eumicro.json_schema` returns.

What the schema says, as far as JSON Schema can say it, is what the reader accepts:

* every model class is an object with exactly its camelCase keys
  (``additionalProperties: false``), the keys without a default ``required``;
* multilingual text is a language map keyed by BCP 47 tags, each text non-blank;
* a vocabulary concept is the IRI of a concept of the field's vocabulary (an ``enum`` of
  the IRIs; for the very large vocabularies a ``pattern`` on the IRI, membership being
  checked by eumicro);
* numbers are non-negative and below 10⁹; dates and date-times have the reader's
  syntax, date-times with an offset;
* the cross-field rules that JSON Schema can express (at least one of …; a stand-alone
  micro-credential stacks towards nothing; the QF-EHEA cycle matches the EQF level).

What it cannot say is listed in the ``$comment`` of the definitions concerned: at most two
decimals, the order of the validity dates, a date of birth in the past, and that two
language tags of one text differ once put in canonical case.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, Union

import attrs

from eumicro import _checks, _model, vocab
from eumicro._model import (
    Assessment,
    Learner,
    Level,
    MicroCredential,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._text import _TAG, Text
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats._json import _COLLECTION, SCHEMA_ID, _plan

__all__ = ["DRAFT", "ENUM_LIMIT", "build_json_schema"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of the published schema."""

ENUM_LIMIT: Final = 500
"""Vocabularies with at most this many concepts are listed as an ``enum`` of their IRIs."""

_ROOTS: Final[tuple[type, ...]] = (MicroCredential, Specification)

# ----------------------------------------------------------------------------- patterns

# The characters that Python's str.isspace() (and so str.strip() and re's \s on str)
# treats as whitespace, as the body of a character class. Spelled out because \s means
# something slightly different in ECMA-262, the regex dialect of JSON Schema.
_WHITESPACE: Final = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

_NON_BLANK: Final = f"[^{_WHITESPACE}]"
"""Matches somewhere in a string that is not empty or only whitespace."""

_DATE_PATTERN: Final = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

# The reader's _DATETIME (eumicro.formats._json): RFC 3339 section 5.6, with the offset
# required (a naive date-time is refused) and the ranges datetime.fromisoformat enforces.
_DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)

# Python-only or Unicode-dependent regex syntax that must not reach the schema.
_UNPORTABLE: Final = re.compile(r"\\[dDwWbBAZSG]|\(\?[aiLmsux]|\(\?P[=>]")


def _portable(pattern: str, *, dash_or_underscore: bool = False) -> str:
    """Rewrite a Python regex of eumicro as an equivalent ECMA-262 pattern.

    ``\\s`` becomes the explicit whitespace class of Python, identity escapes that
    ECMA-262 (``u`` mode) refuses are dropped, named groups become plain groups. With
    ``dash_or_underscore``, every literal ``-`` outside a character class also matches
    ``_`` (the reader maps ``_`` to ``-`` in language tags before matching).
    """
    if _UNPORTABLE.search(pattern):
        raise ValueError(f"cannot publish the regex {pattern!r} portably: rewrite it")
    pattern = re.sub(r"\(\?P<\w+>", "(", pattern)
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i + 1]
            i += 2
            if escaped == "s":
                out.append(_WHITESPACE if in_class else f"[{_WHITESPACE}]")
            elif escaped in "\"'`/<>":
                out.append(escaped)
            elif escaped == "-" and not in_class:
                out.append("[-_]" if dash_or_underscore else "-")
            else:
                out.append("\\" + escaped)
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a leading ']' is a member
                out.append("\\]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "-" and not in_class and dash_or_underscore:
            out.append("[-_]")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _language_tag_pattern() -> str:
    return _portable(_TAG.pattern, dash_or_underscore=True)


# ----------------------------------------------------------------------------- docstrings


def _clean_doc(text: str) -> str:
    text = re.sub(r":[a-z]+:`~?(?:[\w.]+\.)?([\w]+)`", r"\1", text)  # :class:`~eumicro.X`
    text = text.replace("``", "`")
    return " ".join(text.split())


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return _clean_doc(doc.split("\n\n", 1)[0])


def _attribute_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` section of a class docstring, by attribute name."""
    doc = inspect.getdoc(cls) or ""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_section = False
    for line in doc.splitlines():
        if line.strip() == "Attributes:":
            in_section = True
            continue
        if not in_section:
            continue
        if not line.strip() or not line.startswith(" "):
            if out:
                break
            continue
        m = re.match(r"^    (\w+): (.*)$", line)
        if m:
            current = out.setdefault(m[1], [])
            current.append(m[2])
        elif current is not None:
            current.append(line.strip())
    return {name: _clean_doc(" ".join(parts)) for name, parts in out.items()}


# ----------------------------------------------------------------------------- vocabularies


def _vocabulary_key(vocabulary: Vocabulary) -> str:
    for name in vocab.__all__:
        if getattr(vocab, name, None) is vocabulary:
            return name
    return vocabulary.name.upper().replace("-", "_")


def _class_body(chars: set[str]) -> str:
    parts: list[str] = []
    for lo, hi in (("0", "9"), ("A", "Z"), ("a", "z")):
        members = {c for c in chars if lo <= c <= hi}
        if members:
            parts.append(f"{min(members)}-{max(members)}")
            chars = chars - members
    parts.extend(re.escape(c) if c in "\\]^-" else c for c in sorted(chars))
    return "".join(parts)


def _vocabulary_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    iris = [c.iri for c in vocabulary]
    description = (
        f"The IRI of a concept of the vocabulary {vocabulary.title!r} (concept scheme "
        f"<{vocabulary.scheme}>), eumicro.vocab.{_vocabulary_key(vocabulary)}."
    )
    schema: dict[str, Any] = {"title": vocabulary.title, "description": description}
    schema["type"] = "string"
    if len(iris) <= ENUM_LIMIT:
        schema["enum"] = iris
        return schema
    prefix = iris[0][: iris[0].rfind("/") + 1]
    if not prefix or not all(i.startswith(prefix) for i in iris):
        raise ValueError(f"no common IRI prefix in vocabulary {vocabulary.name!r}")
    codes = [i[len(prefix) :] for i in iris]
    chars = {c for code in codes for c in code}
    lengths = sorted({len(code) for code in codes})
    schema["description"] = (
        description
        + f" The vocabulary has {len(iris)} concepts, too many to list here: the schema "
        "checks the form of the IRI, eumicro checks that it names a concept of the vocabulary."
    )
    schema["pattern"] = f"^{re.escape(prefix)}[{_class_body(chars)}]{{{lengths[0]},{lengths[-1]}}}$"
    return schema


# ----------------------------------------------------------------------------- value types


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


_STRING_RULES: Final[dict[Callable[..., Any], str]] = {
    _checks.iri: "Iri",
    _checks.url: "Url",
    _checks.email: "Email",
    _checks.non_empty_string: "NonEmptyString",
    _model._esco: "EscoSkill",
}


def _value_defs() -> dict[str, dict[str, Any]]:
    """The shared definitions of the value types (not model classes, not vocabularies)."""
    return {
        "Text": {
            "title": "Text",
            "description": (
                "Text in one or more languages: an object whose keys are BCP 47 language "
                "tags (`en`, `de`, `pt-BR`; `_` is read as `-`) and whose values are the "
                "text in that language, not empty or only whitespace."
            ),
            "$comment": (
                "Not expressed: two keys that are the same tag in canonical case "
                '({"en": …, "EN": …}) are refused by eumicro.'
            ),
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _language_tag_pattern()},
            "additionalProperties": {"type": "string", "pattern": _NON_BLANK},
        },
        "NonEmptyString": {
            "title": "Non-empty string",
            "description": "A string that is not empty or only whitespace.",
            "type": "string",
            "pattern": _NON_BLANK,
        },
        "DateTime": {
            "title": "Date and time",
            "description": (
                "An RFC 3339 date-time with an offset or Z, e.g. 2024-05-01T10:00:00+02:00. "
                "A date-time without an offset is refused."
            ),
            "type": "string",
            "format": "date-time",
            "pattern": _DATETIME_PATTERN,
        },
        "Date": {
            "title": "Date",
            "description": "A calendar date YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": _DATE_PATTERN,
        },
        "Iri": {
            "title": "IRI",
            "description": "An absolute IRI such as `urn:…` or `https://…`.",
            "type": "string",
            "pattern": _portable(_checks._IRI.pattern),
        },
        "Url": {
            "title": "URL",
            "description": "An absolute http(s) URL.",
            "type": "string",
            "pattern": _portable(_checks._URL.pattern),
        },
        "Email": {
            "title": "E-mail address",
            "description": "An e-mail address.",
            "type": "string",
            "pattern": _portable(_checks._EMAIL.pattern),
        },
        "EscoSkill": {
            "title": "ESCO skill",
            "description": (
                "The IRI of an ESCO skill, competence or occupation, e.g. "
                "`http://data.europa.eu/esco/skill/<uuid>`."
            ),
            "type": "string",
            "pattern": _portable(_model._ESCO.pattern),
        },
        "Decimal": {
            "title": "Non-negative number",
            "description": (
                "A number ≥ 0 and below 10⁹, with at most two decimals "
                "(ECTS credits, ECVET points, hours)."
            ),
            "$comment": (
                "Not expressed: at most two decimals (multipleOf 0.01 is unreliable with "
                "binary floating point); eumicro refuses e.g. 2.125."
            ),
            "type": "number",
            "minimum": 0,
            "exclusiveMaximum": 1_000_000_000,
        },
    }


def _enum_schema(cls: type[enum.Enum]) -> dict[str, Any]:
    return {
        "title": cls.__name__,
        "description": _summary(cls),
        "type": "string",
        "enum": [member.value for member in cls],
    }


def _inner(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return inner
    return hint


class _Builder:
    """Collects the ``$defs`` while it walks the model from the root classes."""

    def __init__(self) -> None:
        self.classes: dict[str, dict[str, Any]] = {}
        self.vocabularies: dict[str, dict[str, Any]] = {}
        self.enums: dict[str, dict[str, Any]] = {}
        self.values = _value_defs()

    def concept(self, vocabularies: tuple[Vocabulary, ...], where: str) -> dict[str, Any]:
        if not vocabularies:
            raise TypeError(f"{where}: a Concept field needs a vocabulary in its metadata")
        refs = []
        for vocabulary in vocabularies:
            key = _vocabulary_key(vocabulary)
            if key not in self.vocabularies:
                self.vocabularies[key] = _vocabulary_schema(vocabulary)
            refs.append(_ref(key))
        return refs[0] if len(refs) == 1 else {"anyOf": refs}

    def value(self, hint: Any, rules: list[Callable[..., Any]], where: str) -> dict[str, Any]:
        """The schema of one (non-tuple) value; consumes the rules it expresses."""
        if hint is str:
            names = [_STRING_RULES[r] for r in rules if r in _STRING_RULES]
            rules[:] = [r for r in rules if r not in _STRING_RULES]
            if len(names) > 1:
                return {"allOf": [_ref(n) for n in names]}
            return _ref(names[0]) if names else {"type": "string"}
        if hint is Decimal:
            if _checks.non_negative_decimal not in rules:
                raise TypeError(f"{where}: a Decimal field without non_negative_decimal")
            rules.remove(_checks.non_negative_decimal)
            return _ref("Decimal")
        if hint is dt.datetime:
            return _ref("DateTime")
        if hint is dt.date:
            return _ref("Date")
        if hint is Text:
            return _ref("Text")
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            if hint.__name__ not in self.enums:
                self.enums[hint.__name__] = _enum_schema(hint)
            return _ref(hint.__name__)
        if isinstance(hint, type) and attrs.has(hint):
            self.model(hint)
            return _ref(hint.__name__)
        raise TypeError(f"{where}: no JSON Schema for {hint!r}")

    def field(self, cls: type, field: attrs.Attribute[Any], hint: Any) -> dict[str, Any]:
        where = f"{cls.__name__}.{field.name}"
        rules: list[Callable[..., Any]] = list(field.metadata.get("rules", ()))
        vocabularies: tuple[Vocabulary, ...] = field.metadata.get("vocabulary", ())
        hint = _inner(hint)
        schema: dict[str, Any]
        if typing.get_origin(hint) is tuple:
            item_hint, _ = typing.get_args(hint)
            item_rules: list[Callable[..., Any]] = []
            for rule in list(rules):
                inner_rule = _tuple_of_rule(rule)
                if inner_rule is not None:
                    item_rules.append(inner_rule)
                    rules.remove(rule)
            if item_hint is Concept:
                items = self.concept(vocabularies, where)
            else:
                items = self.value(item_hint, item_rules, where)
            if item_rules:
                raise TypeError(f"{where}: no JSON Schema for the item rules {item_rules!r}")
            schema = {"type": "array", "items": items}
            if _checks.unique in rules:
                rules.remove(_checks.unique)
                schema["uniqueItems"] = True
        elif hint is Concept:
            schema = self.concept(vocabularies, where)
        else:
            schema = self.value(hint, rules, where)
        if rules:
            raise TypeError(f"{where}: no JSON Schema for the rules {rules!r}")
        return schema

    def model(self, cls: type) -> None:
        name = cls.__name__
        if name in self.classes:
            return
        self.classes[name] = {}  # reserve the slot: definitions in order of discovery
        hints = typing.get_type_hints(cls)
        docs = _attribute_docs(cls)
        plan = {f.name: f for f in _plan(cls)}
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            entry = plan[field.name]
            schema = self.field(cls, field, hints[field.name])
            doc = docs.get(field.name)
            if doc:
                schema = {**schema, "description": doc[:1].upper() + doc[1:]}
            properties[entry.key] = schema
            if entry.required:
                required.append(entry.key)
        definition: dict[str, Any] = {
            "title": name,
            "description": _summary(cls),
            "type": "object",
            "properties": properties,
        }
        if required:
            definition["required"] = required
        definition["additionalProperties"] = False
        definition.update(_cross_field(cls))
        self.classes[name] = definition


def _tuple_of_rule(rule: Callable[..., Any]) -> Callable[..., Any] | None:
    """The item rule of a ``tuple_of(rule)`` check, or None for another rule."""
    code = getattr(rule, "__code__", None)
    if code is None or rule.__qualname__ != f"{_checks.tuple_of.__name__}.<locals>.each":
        return None
    closure = rule.__closure__ or ()
    item_rule = closure[code.co_freevars.index("rule")].cell_contents
    return typing.cast(Callable[..., Any], item_rule)


# ----------------------------------------------------------------------------- cross-field rules


def _key(cls: type, name: str) -> str:
    """The JSON key of attribute ``name`` of ``cls`` (fails if the attribute is gone)."""
    for entry in _plan(cls):
        if entry.name == name:
            return entry.key
    raise AttributeError(f"{cls.__name__} has no attribute {name!r}")


def _given(cls: type, *names: str, arrays: tuple[str, ...] = ()) -> dict[str, Any]:
    """At least one of the attributes is given (an empty array counts as not given)."""
    branches = []
    for name in names:
        key = _key(cls, name)
        branch: dict[str, Any] = {"required": [key]}
        if name in arrays:
            branch["properties"] = {key: {"minItems": 1}}
        branches.append(branch)
    return {"anyOf": branches}


def _workload() -> dict[str, Any]:
    for name in ("ects", "ecvet", "hours"):
        _key(Workload, name)
    # additionalProperties is false and every property is one of the three.
    return {"minProperties": 1}


def _level() -> dict[str, Any]:
    eqf, qf_ehea = _key(Level, "eqf"), _key(Level, "qf_ehea")
    consistency = []
    for cycle in vocab.QF_EHEA:
        level = vocab.QF_EHEA.extra(cycle, "eqf")
        if level is None:
            continue
        consistency.append(
            {
                "if": {"required": [qf_ehea, eqf], "properties": {qf_ehea: {"const": cycle.iri}}},
                "then": {"properties": {eqf: {"const": vocab.EQF.by_code(str(level)).iri}}},
            }
        )
    return {
        **_given(Level, "eqf", "qf_ehea", "nqf", arrays=("nqf",)),
        "allOf": consistency,
    }


def _stackability() -> dict[str, Any]:
    option, towards = _key(Stackability, "option"), _key(Stackability, "towards")
    return {
        "if": {
            "required": [option],
            "properties": {option: {"const": StackabilityOption.STAND_ALONE.value}},
        },
        "then": {"properties": {towards: {"maxItems": 0}}},
    }


_CROSS_FIELD: Final[dict[type, Callable[[], dict[str, Any]]]] = {
    Workload: _workload,
    Level: _level,
    Assessment: lambda: _given(Assessment, "types", "description", arrays=("types",)),
    Participation: lambda: _given(
        Participation, "modes", "setting", "description", arrays=("modes",)
    ),
    QualityAssurance: lambda: _given(QualityAssurance, "type", "description"),
    Stackability: _stackability,
}

_NOT_EXPRESSIBLE: Final[dict[type, str]] = {
    Learner: "Not expressed: the date of birth must not be in the future.",
    MicroCredential: "Not expressed: validUntil must be after validFrom and after issued.",
}


def _cross_field(cls: type) -> dict[str, Any]:
    if cls in _CROSS_FIELD:
        return _CROSS_FIELD[cls]()
    if cls in _NOT_EXPRESSIBLE:
        return {"$comment": _NOT_EXPRESSIBLE[cls]}
    if getattr(cls, "_validate", None) is not getattr(_checks.Model, "_validate", None):
        raise TypeError(
            f"{cls.__name__} has cross-field rules (_validate): express them in "
            "_CROSS_FIELD or list them in _NOT_EXPRESSIBLE"
        )
    return {}


# ----------------------------------------------------------------------------- the schema


def _document(definition: dict[str, Any], kind: str) -> dict[str, Any]:
    """A root document: the class definition plus the ``type`` key."""
    out = dict(definition)
    out["title"] = f"{kind} document"
    out["properties"] = {"type": {"const": kind}, **definition["properties"]}
    out["required"] = ["type", *definition.get("required", ())]
    return out


def build_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of native eumicro JSON documents, as a dict.

    >>> schema = build_json_schema()
    >>> schema["$defs"]["Workload"]["properties"]["ects"]
    {'$ref': '#/$defs/Decimal'}
    """
    builder = _Builder()
    for root in _ROOTS:
        builder.model(root)
    documents = {
        f"{root.__name__}Document": _document(builder.classes[root.__name__], root.__name__)
        for root in _ROOTS
    }
    documents[_COLLECTION] = {
        "title": f"{_COLLECTION} document",
        "description": "Several micro-credentials in one document.",
        "type": "object",
        "properties": {
            "type": {"const": _COLLECTION},
            "credentials": {"type": "array", "items": _ref(MicroCredential.__name__)},
        },
        "required": ["type", "credentials"],
        "additionalProperties": False,
    }
    defs: dict[str, Any] = {
        **documents,
        **builder.classes,
        **builder.enums,
        **builder.values,
        **dict(sorted(builder.vocabularies.items())),
    }
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "eumicro native JSON",
        "description": (
            "A native eumicro JSON document: a micro-credential, a specification or a "
            "collection of micro-credentials (EU micro-credentials, Council Recommendation "
            "2022/C 243/02, Annex I). Keys are the model's attribute names in camelCase; "
            "empty lists and absent values are left out; null is never used."
        ),
        "$comment": (
            "Generated from the eumicro model by tools/gen_json_schema.py; do not edit. "
            "eumicro's reader checks everything this schema checks and also what JSON "
            "Schema cannot express (see the $comment of the definitions)."
        ),
        # The document type picks the definition (if/then rather than oneOf, so that a
        # validator reports the real problems of a document instead of "no branch matched").
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"enum": [doc["properties"]["type"]["const"] for doc in documents.values()]}
        },
        "allOf": [
            {
                "if": {"properties": {"type": {"const": doc["properties"]["type"]["const"]}}},
                "then": _ref(name),
            }
            for name, doc in documents.items()
        ],
        "$defs": defs,
    }
