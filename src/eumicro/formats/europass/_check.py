"""Fast built-in check of European Digital Credentials (ELM 3.2 EDC JSON-LD).

:func:`check_edc` reads a credential as a JSON-LD processor does (with the bundled
contexts), merges the nodes that share an ``id`` as RDF does, and applies the rules of
the official SHACL shapes (``EDC-generic-no-cv.ttl`` together with
``EDC-generic-full.ttl``, ELM 3.2), which ``tools/gen_edc_rules.py`` turned into
``eumicro/_data/elm/edc-rules-3.2.json``. It needs no third-party package and takes
well under a millisecond for a credential; ``shacl_validate_edc``
(``eumicro.formats.europass._shacl``) runs a real SHACL engine, pySHACL, on the same
shapes and reaches the same verdict.

Each problem stands for one SHACL validation result: ``code`` is the SHACL constraint
component (``MinCountConstraintComponent`` …), ``path`` the place in the document:

* a missing value, too many values, a missing required value (``sh:hasValue``), two
  values in one language: the focus node's place plus the JSON key
  (``$.credentialSubject.hasClaim.awardedBy``);
* a wrong value: the value's place (``$.displayParameter.language[1]``; inside a
  language map ``$.credentialSubject.givenName.en``);
* a node written several times under the same ``id`` is one node: its first place.

Upload wrappers (``{"credential": …}``) and sealed JAdES documents
(``{"payload": "<credential JSON>", "signatures": […]}``) are read too; their paths
start with ``credential`` and ``payload``.

Literals are checked against the XSD lexical spaces, as the SHACL specification asks
(an ill-formed literal does not have its datatype): ``"2024-05-01"`` is no
``xsd:dateTime``, ``"PT"`` no ``xsd:duration``, ``"1.5E0"`` no ``xsd:decimal``,
``" 7"`` no ``xsd:positiveInteger``. rdflib, on which pySHACL relies, parses literals
with Python (``datetime.fromisoformat``, ``Decimal``, ``int``) and accepts those, so on
such literals the two verdicts differ.

>>> problems = check_edc({
...     "@context": ["https://www.w3.org/2018/credentials/v1",
...                  "http://data.europa.eu/snb/model/context/edc-ap"],
...     "id": "urn:credential:1",
...     "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
...     "issued": "yesterday"})
>>> print(problems[0])
$.issued: issued must be an xsd:dateTime such as '2024-05-31T00:00:00Z', found 'yesterday'
>>> print(next(p for p in problems if p.location == "$.issuer"))
$.issuer: EuropeanDigitalCredential needs exactly 1 issuer (Agent or Person or Organisation), found 0
>>> sorted({p.code for p in problems})
['DatatypeConstraintComponent', 'MinCountConstraintComponent']
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from eumicro._errors import ParseError, PathSegment, Problem
from eumicro.formats.europass._contexts import (
    _UNSET,
    CACHE_LIMIT,
    KEYWORDS,
    Context,
    TermDefinition,
    active_context,
    check_version,
    data_file,
    is_absolute_iri,
    process,
)

__all__ = ["Graph", "Node", "check_edc", "read_graph", "unwrap_edc"]

Path = tuple[PathSegment, ...]
RdfLiteral = tuple[str, str, str | None]
"""An RDF literal: (lexical form, datatype IRI, lower-case language tag or None)."""
Value = str | RdfLiteral
"""A value node: a node key (an IRI, or ``_:…`` for a blank node) or a literal."""

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING: Final = XSD + "string"
XSD_BOOLEAN: Final = XSD + "boolean"
XSD_INTEGER: Final = XSD + "integer"
XSD_DOUBLE: Final = XSD + "double"
RDF_LANGSTRING: Final = RDF + "langString"
RDF_NIL: Final = RDF + "nil"
EDC_CLASS: Final = "http://data.europa.eu/snb/model/elm/EuropeanDigitalCredential"
RULES_FILE: Final = "edc-rules-3.2.json"

_LANG_TAG: Final = re.compile(r"^[a-zA-Z]+(?:-[a-zA-Z0-9]+)*$")
_DOUBLE_EXPONENT: Final = re.compile(r"(\d)0*E\+?(-)?0*(\d)")
_EMPTY: Final[Mapping[Value, Path]] = {}
_GRAPH_OBJECT_KEYS: Final = frozenset({"@graph", "@id", "@index", "@context"})
_LANGUAGES: dict[str, str] = {}  # language map key → validated lower-case tag


def _language(tag: str, path: Path) -> str:
    """The lower-case language tag of a language map key (cached), or raise."""
    if not isinstance(tag, str) or not _LANG_TAG.match(tag):
        raise _parse_error((*path, tag), f"{tag!r} is not a language tag")
    language = tag.lower()
    if len(_LANGUAGES) < CACHE_LIMIT:
        _LANGUAGES[tag] = language
    return language


def _parse_error(path: Path, message: str, code: str = "jsonld") -> ParseError:
    return ParseError([Problem(path, message, code=code)], subject="EDC JSON-LD")


# ============================================================================ documents
def unwrap_edc(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], Path]:
    """The credential in ``document`` and the path prefix of the problems found in it.

    A sealed credential is validated on its payload, an upload document on its
    ``credential``; anything else is taken as a bare credential.

    >>> unwrap_edc({"credential": {"id": "x"}, "deliveryDetails": {}})
    ({'id': 'x'}, ('credential',))
    >>> unwrap_edc({"payload": '{"id": "x"}', "signatures": []})
    ({'id': 'x'}, ('payload',))
    """
    if not isinstance(document, Mapping):
        raise _parse_error((), f"an EDC document is a JSON object, not {type(document).__name__}")
    if "@context" not in document:
        payload = document.get("payload")
        if isinstance(payload, str | bytes):
            try:
                inner = json.loads(payload)
            except ValueError as exc:
                raise _parse_error(
                    ("payload",), f"the payload of a sealed credential is not JSON: {exc}"
                ) from exc
            if not isinstance(inner, Mapping):
                raise _parse_error(("payload",), "the payload is not a JSON object")
            return inner, ("payload",)
        credential = document.get("credential")
        if isinstance(credential, Mapping):
            return credential, ("credential",)
    return document, ()


# ============================================================================ the graph
class Node:
    """A node of the graph read from a document, merged over all its occurrences.

    Attributes:
        key: the IRI, or ``_:…`` for a blank node.
        types: the ``rdf:type`` IRIs (an ordered set).
        props: property IRI → value → the first path where the value appears.
        key_paths: property IRI → the first path of a JSON key holding it.
        path: where the node first appears.
        ctx: the active context there (to name properties in messages).
    """

    __slots__ = ("ctx", "key", "key_paths", "path", "props", "types")

    def __init__(self, key: str, path: Path, ctx: Context) -> None:
        self.key = key
        self.types: dict[str, None] = {}
        self.props: dict[str, dict[Value, Path]] = {}
        self.key_paths: dict[str, Path] = {}
        self.path = path
        self.ctx = ctx


class Graph:
    """The default graph of a document, with the JSON places of its parts.

    Attributes:
        version: the ELM version of the EDC context used to read the document.
        nodes: node key → node, in document order of first appearance.
        blank_objects: (kind, ``id()`` of a JSON object) → the blank node it made.
        labels: filled when read in pyld's order: pyld's blank node label (``"b3"``)
            → the (kind, ``id()``) of the JSON object that made it, or the ``_:``
            identifier written in the document.
    """

    __slots__ = (
        "_count",
        "_named",
        "blank_objects",
        "labels",
        "nodes",
        "pyld_order",
        "version",
        "walked",
    )

    def __init__(self, version: str, *, pyld_order: bool = False) -> None:
        self.version = version
        self.pyld_order = pyld_order
        self.nodes: dict[str, Node] = {}
        self.blank_objects: dict[tuple[str, int], str] = {}
        self.labels: dict[str, tuple[str, int] | str] = {}
        self._named: set[str] = set()
        self._count = 0
        self.walked: dict[str, tuple[Mapping[str, Any], Context]] = {}
        """Node key → the JSON object and context of its first full reading."""

    def _issue(self, made_by: tuple[str, int] | str) -> None:
        self.labels[f"b{self._count}"] = made_by
        self._count += 1

    def fresh_blank(self, kind: str, obj: object, *, labelled: bool = True) -> str:
        """Key of a new blank node made by the JSON object ``obj``."""
        if self.pyld_order and labelled:
            self._issue((kind, id(obj)))
        key = f"_:\x00{kind}{len(self.blank_objects)}"
        self.blank_objects[kind, id(obj)] = key
        return key

    def named_blank(self, key: str) -> str:
        """Key of the blank node written ``_:…`` in the document."""
        if self.pyld_order and key not in self._named:
            self._named.add(key)
            self._issue(key)
        return key

    def node(self, key: str, path: Path, ctx: Context, default_graph: bool) -> Node:
        found = self.nodes.get(key)
        if found is None:
            found = Node(key, path, ctx)
            if default_graph:
                self.nodes[key] = found
        elif not default_graph:
            found = Node(key, path, ctx)
        return found

    def term(self, node: Node | None, iri: str) -> str:
        """The JSON key for ``iri`` on ``node``: the one used, or the context's term."""
        if node is not None:
            used = node.key_paths.get(iri)
            if used and isinstance(used[-1], str):
                return used[-1]
            term = node.ctx.term_for(iri)
            if term is not None:
                return term
        return _rules().name(iri, self.version)


def _canonical_double(value: float) -> str:
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


def _native(value: bool | int | float | str, datatype: str | None) -> RdfLiteral:
    """The RDF literal of a JSON value (JSON-LD 1.1 section 8.6, as pyld does it)."""
    if isinstance(value, bool):
        return ("true" if value else "false", datatype or XSD_BOOLEAN, None)
    if isinstance(value, float) and not value.is_integer():
        return (_canonical_double(value), datatype or XSD_DOUBLE, None)
    if datatype == XSD_DOUBLE and not isinstance(value, int | float):
        try:
            return (_canonical_double(float(value)), XSD_DOUBLE, None)
        except ValueError:
            return (value, XSD_DOUBLE, None)
    if isinstance(value, int | float):
        if abs(value) >= 1e21:
            return (_canonical_double(float(value)), datatype or XSD_DOUBLE, None)
        return (str(int(value)), datatype or XSD_INTEGER, None)
    return (value, datatype or XSD_STRING, None)


class _Plan:
    """How to read a node object with given keys in a given context."""

    __slots__ = ("entries", "error", "graph_key", "id_key", "special", "type_keys")

    def __init__(self, ctx: Context, keys: tuple[str, ...]) -> None:
        self.special: dict[str, str] = {}
        self.type_keys: tuple[str, ...] = ()
        self.entries: tuple[tuple[str, str, TermDefinition | None, bool], ...] = ()
        self.id_key: str | None = None
        self.graph_key: str | None = None
        self.error: tuple[str, str, str] | None = None
        type_keys: list[str] = []
        entries: list[tuple[str, str, TermDefinition | None, bool]] = []
        for key in keys:
            iri = ctx.expand_key(key)
            if iri is None:
                continue
            if iri[0] == "@":
                self.special[iri] = key
            if iri[0] != "@":
                definition = ctx.terms.get(key)
                simple = definition is None or not definition.containers
                entries.append((iri, key, definition, simple))
            elif iri == "@type":
                type_keys.append(key)
            elif iri == "@id":
                self.id_key = key
            elif iri == "@graph":
                self.graph_key = key
            elif iri in ("@reverse", "@included", "@nest"):
                self.error = (
                    key,
                    f"{iri} is not supported by check_edc (use shacl_validate_edc)",
                    "unsupported",
                )
            elif iri not in ("@index", "@context") and self.error is None:
                self.error = (key, f"{iri} is not allowed in a node object", "jsonld")
        self.type_keys = tuple(type_keys)
        self.entries = tuple(entries)


def _plan(ctx: Context, keys: tuple[str, ...]) -> _Plan:
    plan = _Plan(ctx, keys)
    if len(ctx.plans) < CACHE_LIMIT:
        ctx.plans[keys] = plan
    return plan


class _Reader:
    """JSON-LD expansion and RDF conversion of one document, straight into a Graph."""

    __slots__ = ("graph", "version")

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.version = graph.version

    # ------------------------------------------------------------------ node objects
    def node(
        self,
        obj: Mapping[str, Any],
        parent: Context,
        path: Path,
        default: bool,
        scoped: object = None,
        top: bool = False,
        keys: tuple[str, ...] | None = None,
        plan: _Plan | None = None,
    ) -> str | None:
        ctx = parent
        if ctx.previous is not None and not (
            len(obj) == 1 and ctx.expand_key(next(iter(obj))) == "@id"
        ):
            ctx = ctx.previous  # a type-scoped context does not reach nested nodes
            plan = None
        if scoped is not None:
            ctx = ctx.derive(scoped, version=self.version)
            plan = None
        if not top and "@context" in obj:
            ctx = process(ctx, obj["@context"], version=self.version)
            plan = None
        if keys is None:
            keys = tuple(obj)
        if plan is None:
            plan = ctx.plans.get(keys) or _plan(ctx, keys)
        types: list[str] = []
        for type_key in plan.type_keys:
            value = obj[type_key]
            if type(value) is str:
                types.append(value)
                continue
            for item in value if isinstance(value, list) else (value,):
                if not isinstance(item, str):
                    raise _parse_error((*path, type_key), f"a type must be a string, not {item!r}")
                types.append(item)
        pre = ctx
        if types and not ctx.scoped_types.isdisjoint(types):
            terms = pre.terms
            for name in sorted(types):
                definition = terms.get(name)
                if definition is not None and definition.scoped is not None:
                    ctx = ctx.derive(definition.scoped, propagate=False, version=self.version)
            plan = ctx.plans.get(keys) or _plan(ctx, keys)
        if plan.error is not None:
            key, message, code = plan.error
            raise _parse_error((*path, key), message, code)
        entries = plan.entries
        has_id = plan.id_key is not None
        id_value = obj[plan.id_key] if plan.id_key is not None else None
        graph_entry = (plan.graph_key, obj[plan.graph_key]) if plan.graph_key is not None else None

        graph = self.graph
        if top and graph_entry is not None and not entries and not types and not has_id:
            self._graph_content(graph_entry[1], ctx, (*path, graph_entry[0]), default)
            return None
        if graph.pyld_order:
            entries = tuple(sorted(entries, key=lambda e: (e[0], e[1])))

        if has_id:
            if not isinstance(id_value, str):
                raise _parse_error(path, f"an id must be a string, not {id_value!r}")
            node_key = ctx.expand_id(id_value)
            if node_key.startswith("_:"):
                node_key = graph.named_blank(node_key)
        else:
            node_key = graph.fresh_blank("n", obj)
        node = graph.nodes.get(node_key) if default else None
        if node is None:
            node = Node(node_key, path, ctx)
            if default:
                graph.nodes[node_key] = node
        elif has_id:
            # The same node written out again in full (as the EC does): equal JSON in the
            # same context makes the same triples - unless it holds nodes without an id,
            # each a new blank node. Skip it then (a C-speed comparison, not a walk).
            first = graph.walked.get(node_key)
            if first is not None and first[1] is ctx and first[0] == obj:
                return node_key
        blanks_before = len(graph.blank_objects)
        if types:
            node_types = node.types
            for name in types:
                node_types.setdefault(pre.expand_type(name))
        if graph_entry is not None:
            self._graph_content(graph_entry[1], ctx, (*path, graph_entry[0]), False)
        key_paths = node.key_paths
        for iri, key, definition, simple in entries:
            key_path = path + (key,)  # noqa: RUF005 - faster than unpacking, in the hot loop
            if default and iri not in key_paths:
                key_paths[iri] = key_path
            value = obj[key]
            if not simple or type(value) is list:
                self._values(node, iri, value, definition, ctx, key_path, default)
            elif type(value) is dict:
                self._object(node, iri, value, definition, ctx, key_path, default)
            else:
                self._item(node, iri, value, definition, ctx, key_path, default)
        if has_id and default and len(graph.blank_objects) == blanks_before:
            graph.walked.setdefault(node_key, (obj, ctx))
        return node_key

    def _graph_content(self, value: Any, ctx: Context, path: Path, default: bool) -> None:
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                where = (*path, index) if isinstance(value, list) else path
                self.node(item, ctx, where, default)

    # ------------------------------------------------------------------ values
    def _values(
        self,
        node: Node,
        iri: str,
        value: Any,
        definition: TermDefinition | None,
        ctx: Context,
        path: Path,
        default: bool,
    ) -> None:
        containers = definition.containers if definition is not None else frozenset()
        if containers:
            if "@language" in containers and isinstance(value, Mapping):
                self._language_map(node, iri, value, ctx, path, default)
                return
            if "@list" in containers and not (
                isinstance(value, Mapping) and any(ctx.expand_key(k) == "@list" for k in value)
            ):
                items = value if isinstance(value, list) else [value]
                self._add(node, iri, self._list(items, value, definition, ctx, path), path, default)
                return
        if isinstance(value, list):
            for index, item in enumerate(value):
                where = path + (index,)  # noqa: RUF005 - faster than unpacking
                if type(item) is dict:
                    self._object(node, iri, item, definition, ctx, where, default)
                else:
                    self._item(node, iri, item, definition, ctx, where, default)
        else:
            self._item(node, iri, value, definition, ctx, path, default)

    def _add(self, node: Node, iri: str, value: Value, path: Path, default: bool) -> None:
        if not default:
            return
        values = node.props.get(iri)
        if values is None:
            node.props[iri] = {value: path}
        elif value not in values:
            values[value] = path

    def _language_map(
        self,
        node: Node,
        iri: str,
        value: Mapping[str, Any],
        ctx: Context,
        path: Path,
        default: bool,
    ) -> None:
        if not default:
            return
        values = node.props.get(iri)
        if values is None:
            values = node.props[iri] = {}
        aliases = ctx.aliases
        for tag, items in value.items():
            if tag[:1] == "@" or tag in aliases:
                if ctx.expand_key(tag) != "@none":
                    raise _parse_error((*path, tag), f"{tag!r} is not a language tag")
                language = ""
            else:
                language = _LANGUAGES.get(tag) or _language(tag, path)
            if type(items) is str:
                literal: RdfLiteral = (
                    (items, RDF_LANGSTRING, language) if language else (items, XSD_STRING, None)
                )
                if literal not in values:
                    values[literal] = path + (tag,)  # noqa: RUF005 - faster than unpacking
                continue
            if not isinstance(items, list):
                items = [items]
                places = [path + (tag,)]  # noqa: RUF005 - faster than unpacking
            else:
                places = [(*path, tag, i) for i in range(len(items))]
            for item, where in zip(items, places, strict=True):
                if item is None:
                    continue
                if not isinstance(item, str):
                    raise _parse_error(where, f"a language map holds strings, not {item!r}")
                literal = (item, RDF_LANGSTRING, language) if language else (item, XSD_STRING, None)
                if literal not in values:
                    values[literal] = where

    def _item(
        self,
        node: Node,
        iri: str,
        item: Any,
        definition: TermDefinition | None,
        ctx: Context,
        path: Path,
        default: bool,
    ) -> None:
        if type(item) is dict:
            self._object(node, iri, item, definition, ctx, path, default)
            return
        if item is None:
            return
        type_mapping = definition.type if definition is not None else None
        if isinstance(item, str):
            if type_mapping == "@id":
                key = ctx.expand_id(item)
                if key.startswith("_:"):
                    key = self.graph.named_blank(key)
                self._add(node, iri, key, path, default)
            elif type_mapping == "@vocab":
                key = ctx.expand_iri(item, vocab=True) or item
                if key.startswith("_:"):
                    key = self.graph.named_blank(key)
                self._add(node, iri, key, path, default)
            elif type_mapping is not None and type_mapping != "@none":
                self._add(node, iri, _native(item, type_mapping), path, default)
            else:
                language: object = ctx.language
                if definition is not None and definition.language is not _UNSET:
                    language = definition.language
                literal: RdfLiteral = (
                    (item, RDF_LANGSTRING, language)
                    if isinstance(language, str)
                    else (item, XSD_STRING, None)
                )
                self._add(node, iri, literal, path, default)
        elif isinstance(item, bool | int | float):
            datatype = (
                type_mapping if type_mapping not in (None, "@id", "@vocab", "@none") else None
            )
            self._add(node, iri, _native(item, datatype), path, default)
        elif isinstance(item, list):
            for index, sub in enumerate(item):
                self._item(node, iri, sub, definition, ctx, (*path, index), default)
        elif isinstance(item, Mapping):
            self._object(node, iri, item, definition, ctx, path, default)
        else:
            raise _parse_error(path, f"not a JSON value: {item!r}")

    def _object(
        self,
        node: Node,
        iri: str,
        item: Mapping[str, Any],
        definition: TermDefinition | None,
        ctx: Context,
        path: Path,
        default: bool,
    ) -> None:
        keys = tuple(item)
        plan = ctx.plans.get(keys) or _plan(ctx, keys)
        special = plan.special
        if "@value" in special:
            literal = self._value_object(item, ctx, path)
            if literal is not None:
                self._add(node, iri, literal, path, default)
            return
        if "@list" in special:
            key = special["@list"]
            content = item[key]
            items = content if isinstance(content, list) else [content]
            value = self._list(items, item, definition, ctx, (*path, key))
            self._add(node, iri, value, path, default)
            return
        if "@set" in special:
            key = special["@set"]
            self._values(node, iri, item[key], definition, ctx, (*path, key), default)
            return
        scoped = definition.scoped if definition is not None else None
        graph = self.graph
        if definition is not None and "@graph" in definition.containers:
            name = graph.fresh_blank("g", item)
            self.node(item, ctx, path, False, scoped)
            self._add(node, iri, name, path, default)
            return
        if "@graph" in special and set(special) <= _GRAPH_OBJECT_KEYS:
            if "@id" in special:
                name_value = item[special["@id"]]
                if not isinstance(name_value, str):
                    raise _parse_error(path, f"an id must be a string, not {name_value!r}")
                name = ctx.expand_iri(name_value) or name_value
                if name.startswith("_:"):
                    name = graph.named_blank(name)
            else:
                name = graph.fresh_blank("g", item)
            key = special["@graph"]
            self._graph_content(item[key], ctx, (*path, key), False)
            self._add(node, iri, name, path, default)
            return
        child = self.node(item, ctx, path, default, scoped, keys=keys, plan=plan)
        if child is not None:
            self._add(node, iri, child, path, default)

    def _value_object(self, item: Mapping[str, Any], ctx: Context, path: Path) -> RdfLiteral | None:
        value: Any = None
        datatype: str | None = None
        language: str | None = None
        for key, raw in item.items():
            expanded = ctx.expand_key(key)
            if expanded == "@value":
                value = raw
            elif expanded == "@type":
                if not isinstance(raw, str):
                    raise _parse_error((*path, key), f"a value's type must be a string: {raw!r}")
                datatype = ctx.expand_iri(raw, vocab=True) or raw
                if datatype in KEYWORDS:
                    raise _parse_error(
                        (*path, key), f"{datatype} is not supported as a value type here"
                    )
            elif expanded == "@language":
                if not isinstance(raw, str):
                    raise _parse_error((*path, key), f"a language must be a string: {raw!r}")
                language = raw
            elif expanded in (None, "@index", "@context"):
                continue
            else:
                raise _parse_error((*path, key), f"{key!r} is not allowed in a value object")
        if value is None:
            return None
        if datatype is not None and language is not None:
            raise _parse_error(path, "a value object cannot have both a type and a language")
        if isinstance(value, Mapping | list):
            raise _parse_error(path, f"a value must be a string, number or boolean: {value!r}")
        if language is not None:
            if not isinstance(value, str):
                raise _parse_error(path, f"a language-tagged value must be a string: {value!r}")
            if not _LANG_TAG.match(language):
                raise _parse_error(path, f"{language!r} is not a language tag")
            return (value, RDF_LANGSTRING, language.lower())
        return _native(value, datatype)

    def _list(
        self,
        items: list[Any],
        obj: object,
        definition: TermDefinition | None,
        ctx: Context,
        path: Path,
    ) -> str:
        # The items' nodes are nodes of the graph; the list itself is an rdf:List that
        # no shape expects (pyld names its cells after the node map: unlabelled here).
        holder = Node("_:\x00list", path, ctx)
        for index, item in enumerate(items):
            self._item(holder, RDF + "first", item, definition, ctx, (*path, index), True)
        if not items:
            return RDF_NIL
        return self.graph.fresh_blank("l", obj, labelled=False)


def read_graph(
    credential: Mapping[str, Any],
    version: str = "3.2",
    *,
    pyld_order: bool = False,
    prefix: Path = (),
) -> Graph:
    """Read ``credential`` (a JSON-LD object) into a :class:`Graph`.

    With ``pyld_order`` the object keys are visited in the order pyld's node map visits
    them, so that ``Graph.labels`` gives pyld's blank node labels.

    Raises:
        ParseError: the document is not JSON-LD that eumicro can read.
    """
    graph = Graph(version, pyld_order=pyld_order)
    context = credential.get("@context")
    try:
        ctx = active_context(context, version) if context is not None else Context()
        _Reader(graph).node(credential, ctx, (), True, top=True)
    except ParseError as exc:
        if prefix:
            raise ParseError(exc.prefixed(*prefix), subject=exc.subject) from None
        raise
    return graph


# ============================================================================ rules
class _PropertyRule:
    __slots__ = (
        "cls",
        "datatype",
        "has_value",
        "id",
        "max",
        "max_inclusive",
        "min",
        "node",
        "node_kind",
        "or_",
        "owner",
        "path",
        "unique_lang",
        "value_checks",
    )

    def __init__(self, data: Mapping[str, Any], owner: _ShapeRule, rules: _Rules) -> None:
        self.id: str = data["id"]
        self.owner = owner
        self.path: str = rules.expand(data["path"])
        self.min: int = data.get("minCount", 0)
        self.max: int | None = data.get("maxCount")
        self.datatype: str | None = rules.expand(data["datatype"]) if "datatype" in data else None
        self.node_kind: str | None = data.get("nodeKind")
        self.cls: str | None = rules.expand(data["class"]) if "class" in data else None
        self.or_: tuple[_ShapeRule, ...] = tuple(
            _ShapeRule(f"{self.id}/or", member, rules) for member in data.get("or", ())
        )
        self.node: str | None = data.get("node")
        self.has_value: str | None = data.get("hasValue")
        self.unique_lang: bool = data.get("uniqueLang", False)
        self.max_inclusive: int | float | None = data.get("maxInclusive")
        self.value_checks = bool(
            self.datatype
            or self.node_kind
            or self.cls
            or self.or_
            or self.node
            or self.max_inclusive is not None
        )


class _ShapeRule:
    __slots__ = (
        "always",
        "by_path",
        "cls",
        "has_node_constraints",
        "label",
        "message",
        "name",
        "node",
        "node_kind",
        "or_",
        "properties",
        "target",
    )

    def __init__(self, name: str, data: Mapping[str, Any], rules: _Rules) -> None:
        self.name = name
        self.label: str | None = data.get("label")
        self.message: str | None = data.get("message")
        self.cls: str | None = rules.expand(data["class"]) if "class" in data else None
        self.node_kind: str | None = data.get("nodeKind")
        self.node: str | None = data.get("node")
        self.or_: tuple[_ShapeRule, ...] = tuple(
            _ShapeRule(f"{name}/or", member, rules) for member in data.get("or", ())
        )
        self.target: str | None = None
        self.properties = tuple(_PropertyRule(p, self, rules) for p in data.get("properties", ()))
        by_path: dict[str, list[_PropertyRule]] = {}
        for rule in self.properties:
            by_path.setdefault(rule.path, []).append(rule)
        self.by_path = {path: tuple(rules_) for path, rules_ in by_path.items()}
        self.always = tuple(p for p in self.properties if p.min > 0 or p.has_value is not None)
        self.has_node_constraints = bool(self.cls or self.node_kind or self.node or self.or_)


class _Rules:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.prefixes: dict[str, str] = dict(data["prefixes"])
        self.shapes = {
            name: _ShapeRule(name, shape, self) for name, shape in data["shapes"].items()
        }
        self.targets: dict[str, tuple[_ShapeRule, ...]] = {}
        for cls, names in data["targets"].items():
            cls_iri = self.expand(cls)
            self.targets[cls_iri] = tuple(self.shapes[n] for n in names)
            for name in names:
                self.shapes[name].target = cls_iri
        self.terms: dict[str, dict[str, str]] = {
            version: {self.expand(k): v for k, v in terms.items()}
            for version, terms in data["terms"].items()
        }

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        namespace = self.prefixes.get(prefix)
        return namespace + local if namespace is not None else name

    def compact(self, iri: str) -> str:
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def name(self, iri: str, version: str) -> str:
        """The JSON-LD term for ``iri`` in the EDC context of ``version``, or a compact IRI."""
        return self.terms.get(version, {}).get(iri) or self.compact(iri)

    def shape_name(self, shape: _ShapeRule, version: str) -> str:
        if shape.target is not None:
            return self.name(shape.target, version)
        return shape.label or shape.name


_RULES: _Rules | None = None
_RULES_LOCK = threading.Lock()


def _rules() -> _Rules:
    global _RULES
    if _RULES is None:
        with _RULES_LOCK:
            if _RULES is None:
                _RULES = _Rules(json.loads(data_file(RULES_FILE)))
    return _RULES


# ============================================================================ literals
_DATETIME: Final = re.compile(
    r"-?(?P<y>[1-9][0-9]{3,}|0[0-9]{3})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])"
    r"T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
    r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)
_DURATION: Final = re.compile(
    r"-?P(?!$)(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?!$)(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)
_LEXICAL: Final[Mapping[str, re.Pattern[str]]] = {
    XSD + "duration": _DURATION,
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "positiveInteger": re.compile(r"\+?0*[1-9][0-9]*"),
    XSD + "nonNegativeInteger": re.compile(r"(?:\+?[0-9]+|-0+)"),
    XSD + "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    XSD + "double": re.compile(
        r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"
    ),
    XSD + "float": re.compile(
        r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"
    ),
}
_NUMERIC: Final = frozenset(
    XSD + name
    for name in (
        "integer",
        "positiveInteger",
        "nonNegativeInteger",
        "decimal",
        "double",
        "float",
    )
)
_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_XSD_DATETIME: Final = XSD + "dateTime"
_CHECKED_LEXICALLY: Final = frozenset({_XSD_DATETIME, *_LEXICAL})
"""Datatypes whose lexical space is checked (any string is an xsd:string, anyURI …)."""


def well_formed(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is in the XSD lexical space of ``datatype`` (known types only).

    >>> well_formed("2024-02-29T10:00:00Z", XSD + "dateTime"), well_formed("2023-02-29T10:00:00Z", XSD + "dateTime")
    (True, False)
    >>> well_formed("2024-05-01", XSD + "dateTime"), well_formed("PT60H", XSD + "duration")
    (False, True)
    """
    if datatype == _XSD_DATETIME:
        match = _DATETIME.fullmatch(lexical)
        if match is None:
            return False
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if lexical.startswith("-"):
            year = -year
        if month == 2 and day == 29:
            return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= _DAYS[month - 1]
    pattern = _LEXICAL.get(datatype)
    return pattern is None or pattern.fullmatch(lexical) is not None


# ============================================================================ checking
class _Result:
    """One SHACL validation result found by the built-in check."""

    __slots__ = ("component", "detail", "focus", "path", "rule", "shape", "value")

    def __init__(
        self,
        focus: Value,
        path: str | None,
        component: str,
        value: Value | None,
        shape: _ShapeRule,
        rule: _PropertyRule | None,
        detail: Any = None,
    ) -> None:
        self.focus = focus
        self.path = path
        self.component = component
        self.value = value
        self.shape = shape
        self.rule = rule
        self.detail = detail


class _Checker:
    __slots__ = ("_memo", "graph", "nodes", "rules")

    def __init__(self, graph: Graph, rules: _Rules) -> None:
        self.graph = graph
        self.nodes = graph.nodes
        self.rules = rules
        self._memo: dict[tuple[str, Value], bool] = {}

    def run(self) -> list[_Result]:
        out: list[_Result] = []
        targets = self.rules.targets
        for node in self.nodes.values():
            for cls in node.types:
                for shape in targets.get(cls, ()):
                    self.shape(shape, node.key, out, False)
        return out

    # ------------------------------------------------------------------ predicates
    def has_class(self, value: Value, cls: str) -> bool:
        if not isinstance(value, str):
            return False
        node = self.nodes.get(value)
        return node is not None and cls in node.types

    @staticmethod
    def kind_ok(value: Value, kind: str) -> bool:
        if kind == "IRI":
            return isinstance(value, str) and not value.startswith("_:")
        if kind == "Literal":
            return not isinstance(value, str)
        if kind == "BlankNode":
            return isinstance(value, str) and value.startswith("_:")
        return False  # pragma: no cover - the generator admits no other kind

    @staticmethod
    def datatype_ok(value: Value, datatype: str) -> bool:
        if isinstance(value, str) or value[1] != datatype:
            return False
        return datatype not in _CHECKED_LEXICALLY or well_formed(value[0], datatype)

    @staticmethod
    def at_most(value: Value, limit: float) -> bool:
        if isinstance(value, str):
            return False
        lexical, datatype, _ = value
        if datatype not in _NUMERIC or not well_formed(lexical, datatype):
            return False
        try:
            return Decimal(lexical) <= Decimal(str(limit))
        except InvalidOperation:  # INF, NaN
            return lexical == "-INF"

    def conforms(self, shape_name: str, value: Value) -> bool:
        key = (shape_name, value)
        known = self._memo.get(key)
        if known is None:
            self._memo[key] = True  # a cycle through sh:node conforms (no result found)
            known = self.shape(self.rules.shapes[shape_name], value, [], True)
            self._memo[key] = known
        return known

    def member_conforms(self, member: _ShapeRule, value: Value) -> bool:
        if member.properties or member.or_:
            return self.shape(member, value, [], True)
        if member.cls is not None and not self.has_class(value, member.cls):
            return False
        if member.node_kind is not None and not self.kind_ok(value, member.node_kind):
            return False
        return member.node is None or self.conforms(member.node, value)

    # ------------------------------------------------------------------ shapes
    def shape(self, shape: _ShapeRule, focus: Value, out: list[_Result], first: bool) -> bool:
        ok = True
        if shape.has_node_constraints:
            if shape.cls is not None and not self.has_class(focus, shape.cls):
                out.append(_Result(focus, None, "ClassConstraintComponent", focus, shape, None))
                ok = False
            if shape.node_kind is not None and not self.kind_ok(focus, shape.node_kind):
                out.append(_Result(focus, None, "NodeKindConstraintComponent", focus, shape, None))
                ok = False
            if shape.node is not None and not self.conforms(shape.node, focus):
                out.append(_Result(focus, None, "NodeConstraintComponent", focus, shape, None))
                ok = False
            if shape.or_ and not any(self.member_conforms(m, focus) for m in shape.or_):
                out.append(_Result(focus, None, "OrConstraintComponent", focus, shape, None))
                ok = False
            if first and not ok:
                return False
        if not shape.properties:
            return ok
        node = self.nodes.get(focus) if isinstance(focus, str) else None
        props = node.props if node is not None else _EMPTY_PROPS
        by_path = shape.by_path
        for path, values in props.items():
            for rule in by_path.get(path, ()):
                if not self.prop(rule, focus, values, out, first):
                    ok = False
                    if first:
                        return False
        for rule in shape.always:
            if rule.path not in props and not self.prop(rule, focus, _EMPTY, out, first):
                ok = False
                if first:
                    return False
        return ok

    def prop(
        self,
        rule: _PropertyRule,
        focus: Value,
        values: Mapping[Value, Path],
        out: list[_Result],
        first: bool,
    ) -> bool:
        ok = True
        count = len(values)
        shape = rule.owner
        if count < rule.min:
            out.append(_Result(focus, rule.path, "MinCountConstraintComponent", None, shape, rule))
            ok = False
        if rule.max is not None and count > rule.max:
            out.append(_Result(focus, rule.path, "MaxCountConstraintComponent", None, shape, rule))
            ok = False
        if first and not ok:
            return False
        if rule.value_checks:
            datatype, kind, cls, node = rule.datatype, rule.node_kind, rule.cls, rule.node
            for value in values:
                failed: list[str] | None = None
                if datatype is not None and not self.datatype_ok(value, datatype):
                    failed = ["DatatypeConstraintComponent"]
                if kind is not None and not self.kind_ok(value, kind):
                    failed = [*(failed or ()), "NodeKindConstraintComponent"]
                if cls is not None and not self.has_class(value, cls):
                    failed = [*(failed or ()), "ClassConstraintComponent"]
                if rule.or_ and not any(self.member_conforms(m, value) for m in rule.or_):
                    failed = [*(failed or ()), "OrConstraintComponent"]
                if node is not None and not self.conforms(node, value):
                    failed = [*(failed or ()), "NodeConstraintComponent"]
                if rule.max_inclusive is not None and not self.at_most(value, rule.max_inclusive):
                    failed = [*(failed or ()), "MaxInclusiveConstraintComponent"]
                if failed:
                    ok = False
                    if first:
                        return False
                    for component in failed:
                        out.append(_Result(focus, rule.path, component, value, shape, rule))
        if rule.has_value is not None and rule.has_value not in values:
            out.append(_Result(focus, rule.path, "HasValueConstraintComponent", None, shape, rule))
            ok = False
        if rule.unique_lang and count > 1:
            seen: set[str] = set()
            duplicates: list[str] = []
            for value in values:
                if isinstance(value, tuple) and value[2]:
                    if value[2] in seen:
                        if value[2] not in duplicates:
                            duplicates.append(value[2])
                    else:
                        seen.add(value[2])
            for language in duplicates:
                out.append(
                    _Result(
                        focus,
                        rule.path,
                        "UniqueLangConstraintComponent",
                        None,
                        shape,
                        rule,
                        language,
                    )
                )
                ok = False
        return ok

    def details(self, shape_name: str, value: Value) -> list[_Result]:
        """Why ``value`` does not conform to the shape (for messages)."""
        found: list[_Result] = []
        self.shape(self.rules.shapes[shape_name], value, found, False)
        return found


_EMPTY_PROPS: Final[Mapping[str, Mapping[Value, Path]]] = {}


# ============================================================================ problems
def locate(graph: Graph, focus: Value, path: str | None, value: Value | None) -> Path:
    """The JSON path for a result on ``focus`` (``path``, ``value``); see the module doc."""
    node = graph.nodes.get(focus) if isinstance(focus, str) else None
    if node is None:
        return ()
    if path is None:
        return node.path
    if value is not None:
        values = node.props.get(path)
        if values is not None:
            where = values.get(value)
            if where is not None:
                return where
    where = node.key_paths.get(path)
    if where is not None:
        return where
    return (*node.path, graph.term(node, path))


_DATATYPES: Final[Mapping[str, str]] = {
    RDF_LANGSTRING: 'a language map such as {"en": "…"}',
    XSD_STRING: "a plain string",
    XSD + "dateTime": "an xsd:dateTime such as '2024-05-31T00:00:00Z'",
    XSD + "duration": "an xsd:duration such as 'PT60H' or 'P3M'",
    XSD + "positiveInteger": "a positive integer",
    XSD + "integer": "an integer",
    XSD + "boolean": "true or false",
    XSD + "decimal": "an xsd:decimal, written as a string such as '12.50'",
    XSD + "anyURI": "an xsd:anyURI",
}


class _Messages:
    """Messages a person can act on, for the results of one graph."""

    def __init__(self, graph: Graph, rules: _Rules, checker: _Checker) -> None:
        self.graph = graph
        self.rules = rules
        self.checker = checker
        self.version = graph.version

    def cls(self, iri: str) -> str:
        return self.rules.name(iri, self.version)

    def term(self, focus: Value, path: str) -> str:
        node = self.graph.nodes.get(focus) if isinstance(focus, str) else None
        return self.graph.term(node, path)

    def describe(self, value: Value) -> str:
        if not isinstance(value, str):
            lexical, datatype, language = value
            if language:
                return f"{lexical!r}@{language}"
            if datatype == XSD_STRING:
                return f"the string {lexical!r}"
            if datatype in (XSD + "dateTime", XSD + "duration"):
                return repr(lexical)
            return f"{lexical!r} ({self.rules.compact(datatype)})"
        node = self.graph.nodes.get(value)
        if node is not None and node.types:
            return "an object of type " + " and ".join(self.type_name(t) for t in node.types)
        if value.startswith("_:"):
            return "an object without a type"
        if node is None:
            return f"<{value}>, which the document does not describe"
        return f"<{value}>, which has no type"

    def type_name(self, iri: str) -> str:
        if is_absolute_iri(iri):
            return self.cls(iri)
        return f'"{iri}" (not a term of the ELM {self.version} context)'

    def reference(self, value: Value) -> str:
        if isinstance(value, str):
            return "an object without an id" if value.startswith("_:") else f"<{value}>"
        return repr(value[0])

    def range(self, rule: _PropertyRule) -> str:
        if rule.cls is not None:
            return self.cls(rule.cls)
        if rule.or_:
            return " or ".join(self.member(m) for m in rule.or_)
        if rule.node is not None:
            return self.rules.shape_name(self.rules.shapes[rule.node], self.version)
        if rule.datatype is not None:
            if rule.datatype == RDF_LANGSTRING:
                return "a language map"
            return self.rules.compact(rule.datatype)
        if rule.node_kind == "Literal":
            return "a literal"
        if rule.node_kind == "IRI":
            return 'an object with an IRI "id"'
        return ""

    def member(self, member: _ShapeRule) -> str:
        if member.cls is not None and not member.node and not member.properties:
            return self.cls(member.cls)
        if member.node is not None:
            return "conform to " + self.rules.shape_name(
                self.rules.shapes[member.node], self.version
            )
        return member.label or member.name

    def message(self, result: _Result, owner: str | None = None) -> str:
        rule = result.rule
        shape = result.shape
        who = self.rules.shape_name(shape, self.version) if owner is None else owner
        if rule is None:  # node-level constraint of a node shape
            found = self.describe(result.focus)
            if result.component == "OrConstraintComponent":
                options = " or ".join(self.member(m) for m in shape.or_)
                return f"must be {options}, found {found}"
            if result.component == "ClassConstraintComponent" and shape.cls:
                return f"must be an object of type {self.cls(shape.cls)}, found {found}"
            if result.component == "NodeConstraintComponent" and shape.node:
                return self.nested(shape.node, result.focus, "it")
            return f"must be a {shape.node_kind or 'different'} node, found {found}"
        term = self.term(result.focus, rule.path)
        component = result.component
        values = self.values(result.focus, rule.path)
        subject = f"{who} needs" if who else "needs"
        if component == "MinCountConstraintComponent":
            quantity = f"exactly {rule.min}" if rule.max == rule.min else f"at least {rule.min}"
            what = self.range(rule)
            return f"{subject} {quantity} {term}{f' ({what})' if what else ''}, found {len(values)}"
        if component == "MaxCountConstraintComponent":
            allows = f"{who} allows" if who else "allows"
            return f"{allows} at most {rule.max} {term}, found {len(values)}"
        if component == "HasValueConstraintComponent":
            found = ", ".join(self.reference(v) for v in values)
            return f"{term} must include <{rule.has_value}>, found {found or 'none'}"
        if component == "UniqueLangConstraintComponent":
            return f"{term} has more than one value in language {result.detail!r}; give one per language"
        value = result.value
        assert value is not None
        found = self.describe(value)
        if component == "DatatypeConstraintComponent":
            assert rule.datatype is not None
            wanted = _DATATYPES.get(rule.datatype, self.rules.compact(rule.datatype))
            if rule.datatype == RDF_LANGSTRING:
                if isinstance(value, str):
                    found += (
                        " (in an array, a language map is read as an object: put all "
                        "the languages in one map)"
                    )
                elif value[1] == XSD_STRING:
                    found = f"{value[0]!r} without a language"
            return f"{term} must be {wanted}, found {found}"
        if component == "NodeKindConstraintComponent":
            if rule.node_kind == "IRI":
                if isinstance(value, str):
                    return f'{term} must be identified by an IRI: give the object an "id"'
                return f'{term} must be an object with an IRI "id", found {found}'
            kind = "a literal" if rule.node_kind == "Literal" else "a blank node"
            return f"{term} must be {kind}, found {found}"
        if component == "ClassConstraintComponent":
            assert rule.cls is not None
            wanted = self.cls(rule.cls)
            return f'{term} must be an object of type {wanted} ("type": "{wanted}"), found {found}'
        if component == "OrConstraintComponent":
            return f"{term} must be {self.range(rule)}, found {found}"
        if component == "NodeConstraintComponent":
            assert rule.node is not None
            return self.nested(rule.node, value, term)
        if component == "MaxInclusiveConstraintComponent":
            return f"{term} must be at most {rule.max_inclusive}, found {found}"
        return f"{term}: {component}"  # pragma: no cover - every component is handled

    def nested(self, shape_name: str, value: Value, term: str) -> str:
        shape = self.rules.shapes[shape_name]
        reasons = [self.message(r, owner="") for r in self.checker.details(shape_name, value)]
        name = self.rules.shape_name(shape, self.version)
        return f"{term} does not conform to {name}: " + "; ".join(reasons or ["(no reason found)"])

    def values(self, focus: Value, path: str) -> Mapping[Value, Path]:
        node = self.graph.nodes.get(focus) if isinstance(focus, str) else None
        if node is None:
            return _EMPTY
        return node.props.get(path, _EMPTY)


def _require_credential(graph: Graph, prefix: Path) -> None:
    if not any(EDC_CLASS in node.types for node in graph.nodes.values()):
        raise ParseError(
            [
                Problem(
                    prefix,
                    'no node of type EuropeanDigitalCredential: the document needs "type": '
                    '["VerifiableCredential", "EuropeanDigitalCredential"] and the EDC @context',
                    code="not-edc",
                )
            ],
            subject="EDC JSON-LD",
        )


def check_edc(document: Mapping[str, Any], *, version: str = "3.2") -> tuple[Problem, ...]:
    """Check an EDC against the rules of the ELM 3.2 EDC shapes; ``()`` means it conforms.

    Args:
        document: a credential as parsed JSON (compact JSON-LD), an upload document
            ``{"credential": …}`` or a sealed one ``{"payload": "<JSON>", …}``.
        version: the ELM version whose ``edc-ap`` context the document was written
            against: ``"3.2"`` (default) or ``"3.1"`` (the URL is the same, so the
            document cannot tell). The shapes are always 3.2's. Read with the 3.1
            context, ``nationalID`` is ``elm:nationalID`` and ``resultDestribution``
            ``elm:resultDestribution``, which no 3.2 shape constrains (so, as for
            pySHACL, their values go unchecked), and ``CredentialStatus``, ``Proof``
            and ``TermsOfUse`` are no terms (such a ``type`` names no class).

    Returns:
        One :class:`~eumicro.Problem` per SHACL validation result, in document order
        of the nodes: ``code`` is the SHACL constraint component.

    Raises:
        ParseError: not a JSON-LD document eumicro can read (an unknown ``@context``,
            invalid JSON-LD, or no ``EuropeanDigitalCredential`` node).
        UnsupportedFormatError: an unknown ``version``.
    """
    check_version(version)
    credential, prefix = unwrap_edc(document)
    graph = read_graph(credential, version, prefix=prefix)
    _require_credential(graph, prefix)
    rules = _rules()
    checker = _Checker(graph, rules)
    results = checker.run()
    if not results:
        return ()
    messages = _Messages(graph, rules, checker)
    return tuple(
        Problem(
            (*prefix, *locate(graph, r.focus, r.path, r.value)),
            messages.message(r),
            code=r.component,
        )
        for r in results
    )
