#!/usr/bin/env python3
"""Regenerate the rules of eumicro's built-in EDC check from the official SHACL shapes.

Reads the bundled ELM 3.2 EDC shapes (``EDC-generic-no-cv.ttl`` together with ``EDC-generic-full.ttl``)
with rdflib and the bundled JSON-LD contexts (EDC ``edc-ap`` 3.2 and 3.1, W3C VC v1),
and writes ``src/eumicro/_data/elm/edc-rules-3.2.json``, which
``eumicro.formats.europass._check`` reads at run time (no rdflib needed there).

The file holds, in compact IRIs (``prefixes`` lists the expansions):

``targets``
    class → the node shapes that target it (``sh:targetClass``); deactivated shapes
    are left out.
``shapes``
    every node shape that is a target shape or reachable through ``sh:node`` /
    ``sh:or``, with its node-level constraints (``class``, ``or``, ``node``) and its
    property shapes, each with ``path`` and its constraints: ``minCount``,
    ``maxCount``, ``datatype``, ``nodeKind``, ``class``, ``or`` (a list of inline node
    shapes), ``node``, ``hasValue``, ``uniqueLang``, ``maxInclusive``. Property
    shapes that are blank nodes get the id ``<node shape>/<path>``.
``terms``
    per context version, the JSON-LD term of every property and class IRI the shapes
    use (the terms of the W3C VC v1 context that apply inside a ``VerifiableCredential``
    node included), for messages.
``notes``
    what the generator left out or found odd, for people.

Anything in the shapes outside that set of constraint components (other paths than
predicate IRIs, ``sh:pattern``, ``sh:in``, severities other than ``sh:Violation`` …)
stops the generator: the checker must never silently ignore a rule.

Usage::

    python tools/gen_edc_rules.py [--data DIR] [--check]

``--check`` compares instead of writing (exit status 1 when the file is stale).
Needs rdflib (dev-only). The output is deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.collection import Collection

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT / "src" / "eumicro" / "_data" / "elm"
OUTPUT_NAME = "edc-rules-3.2.json"

SHAPE_FILES = ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")
CONTEXT_FILES = {"3.2": "context-3.2.jsonld", "3.1": "context-3.1.jsonld"}
VC_CONTEXT_FILE = "credentials-v1.jsonld"

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: Mapping[str, str] = {
    "edc": "http://data.europa.eu/snb/model/ap/edc-generic-no-cv/",
    "edcf": "http://data.europa.eu/snb/model/ap/edc-generic-full/",
    "elm": "http://data.europa.eu/snb/model/elm/",
    "dc": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#",
    "org": "http://www.w3.org/ns/org#",
    "rov": "http://www.w3.org/ns/regorg#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "person": "http://www.w3.org/ns/person#",
    "cred": "https://www.w3.org/2018/credentials#",
    "sec": "https://w3id.org/security#",
    "locn": "http://www.w3.org/ns/locn#",
    "clv": "http://data.europa.eu/m8g/",
}

# SHACL predicates on a shape that carry no constraint (documentation, targets, the
# list of property shapes — handled on their own).
_NON_CONSTRAINT = {
    RDF.type,
    SH.name,
    SH.description,
    SH.severity,
    SH.order,
    SH.group,
    SH.message,
    SH.targetClass,
    SH.property,
    SH.path,
    SH.deactivated,
    rdflib.RDFS.label,
    rdflib.RDFS.comment,
}
# Constraint parameters the run-time checker implements.
_PROPERTY_PARAMS = {
    SH.minCount: "minCount",
    SH.maxCount: "maxCount",
    SH.datatype: "datatype",
    SH.nodeKind: "nodeKind",
    SH["class"]: "class",
    SH["or"]: "or",
    SH.node: "node",
    SH.hasValue: "hasValue",
    SH.uniqueLang: "uniqueLang",
    SH.maxInclusive: "maxInclusive",
}
_NODE_PARAMS = {SH["class"]: "class", SH["or"]: "or", SH.node: "node", SH.nodeKind: "nodeKind"}
_NODE_KINDS = {SH.IRI: "IRI", SH.Literal: "Literal", SH.BlankNode: "BlankNode"}


class GeneratorError(Exception):
    """The shapes use something the run-time checker does not implement."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compact(iri: str) -> str:
    """``http://data.europa.eu/snb/model/elm/title`` → ``elm:title`` (longest namespace wins)."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


class _Builder:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.shapes: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []
        self._pending: list[URIRef] = []

    # ------------------------------------------------------------------ helpers
    def _one(self, subject: rdflib.term.Node, predicate: URIRef) -> rdflib.term.Node | None:
        values = list(self.g.objects(subject, predicate))
        if len(values) > 1:
            raise GeneratorError(f"{subject} has {len(values)} values of {predicate}")
        return values[0] if values else None

    def _deactivated(self, shape: rdflib.term.Node) -> bool:
        value = self._one(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def _text(self, shape: rdflib.term.Node, predicate: URIRef) -> str | None:
        values = sorted(
            self.g.objects(shape, predicate),
            key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)),
        )
        return " ".join(str(values[0]).split()) if values else None

    def _check_severity(self, shape: rdflib.term.Node, where: str) -> None:
        severity = self._one(shape, SH.severity)
        if severity not in (None, SH.Violation):
            raise GeneratorError(f"{where}: severity {severity} (only sh:Violation is supported)")

    def _unsupported(self, shape: rdflib.term.Node, known: Iterable[URIRef], where: str) -> None:
        for predicate in sorted(set(self.g.predicates(shape, None))):
            if predicate in _NON_CONSTRAINT or predicate in known:
                continue
            if str(predicate).startswith(str(SH)) and predicate == SH.nodekind:
                # Not a SHACL term (a typo of sh:nodeKind): every processor ignores it.
                self.notes.append(
                    f"{where}: `sh:nodekind` (lower-case k) is not a SHACL term and is "
                    "ignored, as by every SHACL processor"
                )
                continue
            raise GeneratorError(f"{where}: unsupported predicate {predicate}")

    def _shape_ref(self, node: rdflib.term.Node, where: str) -> str:
        if not isinstance(node, URIRef):
            raise GeneratorError(f"{where}: sh:node to a blank node is not supported")
        name = compact(str(node))
        if name not in self.shapes and node not in self._pending:
            self._pending.append(node)
        return name

    def _or_members(self, list_node: rdflib.term.Node, where: str) -> list[dict[str, Any]]:
        members: list[dict[str, Any]] = []
        for member in Collection(self.g, list_node):
            if isinstance(member, URIRef):
                members.append({"node": self._shape_ref(member, where)})
            else:
                members.append(self._node_constraints(member, f"{where}/or"))
        return members

    def _node_constraints(self, shape: rdflib.term.Node, where: str) -> dict[str, Any]:
        """Node-level constraints of a node shape (or of an inline ``sh:or`` member)."""
        self._unsupported(shape, _NODE_PARAMS, where)
        self._check_severity(shape, where)
        out: dict[str, Any] = {}
        cls = self._one(shape, SH["class"])
        if cls is not None:
            out["class"] = compact(str(cls))
        kind = self._one(shape, SH.nodeKind)
        if kind is not None:
            out["nodeKind"] = _NODE_KINDS[kind]  # type: ignore[index]
        node = self._one(shape, SH.node)
        if node is not None:
            out["node"] = self._shape_ref(node, where)
        or_list = self._one(shape, SH["or"])
        if or_list is not None:
            out["or"] = self._or_members(or_list, where)
        if (
            list(self.g.objects(shape, SH.property))
            and isinstance(shape, BNode)
            and where.endswith("/or")
        ):
            raise GeneratorError(f"{where}: property shapes inside sh:or are not supported")
        return out

    def _property(self, prop: rdflib.term.Node, owner: str) -> dict[str, Any] | None:
        path = self._one(prop, SH.path)
        if not isinstance(path, URIRef):
            raise GeneratorError(f"{owner}: property shape {prop} has a non-IRI path {path!r}")
        pid = compact(str(prop)) if isinstance(prop, URIRef) else f"{owner}/{compact(str(path))}"
        if self._deactivated(prop):
            self.notes.append(f"{pid}: deactivated (sh:deactivated true), not checked")
            return None
        self._unsupported(prop, _PROPERTY_PARAMS, pid)
        self._check_severity(prop, pid)
        out: dict[str, Any] = {"id": pid, "path": compact(str(path))}
        name = self._text(prop, SH.name)
        if name:
            out["name"] = name
        for predicate, key in _PROPERTY_PARAMS.items():
            value = self._one(prop, predicate)
            if value is None:
                continue
            if key in ("minCount", "maxCount"):
                out[key] = int(value)  # type: ignore[call-overload]
            elif key == "maxInclusive":
                assert isinstance(value, Literal)
                number = value.toPython()
                if not isinstance(number, int | float) or isinstance(number, bool):
                    raise GeneratorError(f"{pid}: non-numeric sh:maxInclusive {value!r}")
                out[key] = number
            elif key == "uniqueLang":
                out[key] = bool(value.toPython())  # type: ignore[union-attr]
            elif key == "nodeKind":
                out[key] = _NODE_KINDS[value]  # type: ignore[index]
            elif key == "or":
                out[key] = self._or_members(value, pid)
            elif key == "node":
                out[key] = self._shape_ref(value, pid)
            elif key == "hasValue":
                if not isinstance(value, URIRef):
                    raise GeneratorError(f"{pid}: sh:hasValue with a literal is not supported")
                out[key] = str(value)
            else:
                out[key] = compact(str(value))
        return out

    def node_shape(self, shape: URIRef) -> None:
        name = compact(str(shape))
        if name in self.shapes:
            return
        record: dict[str, Any] = {}
        label = self._text(shape, rdflib.RDFS.label)
        if label:
            record["label"] = label
        message = self._text(shape, SH.message)
        if message:
            record["message"] = message
        record.update(self._node_constraints(shape, name))
        properties = []
        for prop in self.g.objects(shape, SH.property):
            rule = self._property(prop, name)
            if rule is not None:
                properties.append(rule)
        ids = [p["id"] for p in properties]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise GeneratorError(f"{name}: property shape ids not unique: {sorted(duplicates)}")
        if properties:
            record["properties"] = sorted(properties, key=lambda p: (p["path"], p["id"]))
        self.shapes[name] = record

    def build(self) -> tuple[dict[str, list[str]], dict[str, dict[str, Any]]]:
        targets: dict[str, list[str]] = defaultdict(list)
        for shape, cls in self.g.subject_objects(SH.targetClass):
            if not isinstance(shape, URIRef):
                raise GeneratorError(f"a blank-node shape with sh:targetClass {cls}")
            if self._deactivated(shape):
                self.notes.append(f"{compact(str(shape))}: deactivated (sh:deactivated true)")
                continue
            targets[compact(str(cls))].append(compact(str(shape)))
            self.node_shape(shape)
        for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            if (None, predicate, None) in self.g:
                raise GeneratorError(f"{predicate} targets are not supported")
        for kind in (SH.NodeShape, SH.PropertyShape):
            for shape in self.g.subjects(RDF.type, kind):
                for cls in (rdflib.RDFS.Class, rdflib.OWL.Class):
                    if (shape, RDF.type, cls) in self.g:
                        raise GeneratorError(f"{shape}: implicit class targets are not supported")
        while self._pending:
            self.node_shape(self._pending.pop())
        return (
            {cls: sorted(shapes) for cls, shapes in sorted(targets.items())},
            dict(sorted(self.shapes.items())),
        )


# ------------------------------------------------------------------------- contexts
def _expand(value: str, prefixes: Mapping[str, str]) -> str:
    head, sep, tail = value.partition(":")
    if sep and head in prefixes and not tail.startswith("//"):
        return prefixes[head] + tail
    return value


def _context_terms(contexts: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """IRI → JSON-LD term over flat contexts (later contexts win, as in JSON-LD)."""
    by_iri: dict[str, str] = {}
    for context in contexts:
        prefixes = {
            k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#", ":"))
        }
        for term, definition in context.items():
            if term.startswith("@"):
                continue
            iri = definition if isinstance(definition, str) else definition.get("@id")
            if not isinstance(iri, str) or iri.startswith("@"):
                continue
            iri = _expand(iri, prefixes)
            if term in prefixes and iri == prefixes[term]:
                continue  # a prefix, not a term
            by_iri[iri] = term
    return by_iri


def context_terms(data: Path) -> dict[str, dict[str, str]]:
    vc = json.loads((data / VC_CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    vc_scoped = vc["VerifiableCredential"]["@context"]
    vc_top = {k: v for k, v in vc.items() if not (isinstance(v, dict) and "@context" in v)}
    vc_top.update({k: v["@id"] for k, v in vc.items() if isinstance(v, dict) and "@context" in v})
    out: dict[str, dict[str, str]] = {}
    for version, name in CONTEXT_FILES.items():
        edc = json.loads((data / name).read_text(encoding="utf-8"))["@context"]
        out[version] = _context_terms([vc_top, edc, vc_scoped])
    return out


def generate(data: Path) -> dict[str, Any]:
    graph = rdflib.Graph()
    for name in SHAPE_FILES:
        graph.parse(data / name, format="turtle")
    builder = _Builder(graph)
    targets, shapes = builder.build()

    used: set[str] = set(targets)

    def collect(rule: Mapping[str, Any]) -> None:
        for key in ("path", "class"):
            if key in rule:
                used.add(rule[key])
        for member in rule.get("or", ()):
            collect(member)
        for prop in rule.get("properties", ()):
            collect(prop)

    for shape in shapes.values():
        collect(shape)

    all_terms = context_terms(data)
    terms: dict[str, dict[str, str]] = {}
    for version, by_iri in all_terms.items():
        mapped = {}
        for name in sorted(used):
            term = by_iri.get(_expand(name, PREFIXES))
            if term is not None:
                mapped[name] = term
        terms[version] = mapped
    for version, mapped in terms.items():
        missing = sorted(n for n in used if n not in mapped and not n.startswith("edc"))
        builder.notes.append(
            f"context {version}: no JSON-LD term for {', '.join(missing)} "
            "(values can only be written with a compact or absolute IRI key)"
        )
    return {
        "about": (
            "Rules of eumicro's built-in EDC check, derived from the ELM 3.2 EDC SHACL shapes "
            "by tools/gen_edc_rules.py. Do not edit by hand."
        ),
        "elm": "3.2",
        "sources": {
            name: sha256(data / name)
            for name in (*SHAPE_FILES, *CONTEXT_FILES.values(), VC_CONTEXT_FILE)
        },
        "prefixes": dict(PREFIXES),
        "targets": targets,
        "shapes": shapes,
        "terms": terms,
        "notes": sorted(set(builder.notes)),
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render(document: Mapping[str, Any]) -> str:
    """Compact JSON, one property shape (or other leaf entry) per line, for readable diffs."""
    lines = ["{"]
    top = list(document.items())
    for i, (key, value) in enumerate(top):
        comma = "," if i < len(top) - 1 else ""
        if key == "shapes":
            lines.append(f"{_dump(key)}:{{")
            shapes = list(value.items())
            for j, (name, shape) in enumerate(shapes):
                head = {k: v for k, v in shape.items() if k != "properties"}
                props = shape.get("properties", [])
                inner = _dump(head)[1:-1]
                if props:
                    body = ",\n".join(_dump(p) for p in props)
                    inner = (inner + "," if inner else "") + f'"properties":[\n{body}]'
                end = "," if j < len(shapes) - 1 else ""
                lines.append(f"{_dump(name)}:{{{inner}}}{end}")
            lines.append("}" + comma)
        elif isinstance(value, dict) and value and key in ("targets", "terms", "sources"):
            entries = list(value.items())
            lines.append(f"{_dump(key)}:{{")
            for j, (k, v) in enumerate(entries):
                end = "," if j < len(entries) - 1 else ""
                lines.append(f"{_dump(k)}:{_dump(v)}{end}")
            lines.append("}" + comma)
        else:
            lines.append(f"{_dump(key)}:{_dump(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the bundled ELM data directory"
    )
    parser.add_argument(
        "--check", action="store_true", help="fail if the rules file is not up to date"
    )
    args = parser.parse_args(argv)
    try:
        text = render(generate(args.data))
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = args.data / OUTPUT_NAME
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run tools/gen_edc_rules.py", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    document = json.loads(text)
    count = sum(len(s.get("properties", ())) for s in document["shapes"].values())
    print(
        f"wrote {target}: {len(document['shapes'])} node shapes, {count} property shapes, "
        f"{len(document['targets'])} target classes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
