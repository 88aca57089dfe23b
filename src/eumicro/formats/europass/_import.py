"""Import: a European Digital Credential (ELM 3.1 or 3.2 JSON-LD) as a MicroCredential.

The importer reads the compact JSON-LD that EDC issuers write (the two EDC contexts),
without a JSON-LD processor:

* a bare credential, the upload wrapper ``{"credential": …}`` and the sealed JAdES JSON
  serialisation ``{"payload": "<credential JSON>", "signatures": […]}`` (the payload is
  read; the seal is **not** verified);
* a property with one value (an object) or several (an array); a node given in full or
  by its IRI; language maps whose values are strings or arrays of strings;
* nodes that appear several times under the same ``id`` are merged, as in RDF.

What the model does not hold (a learning activity, logos, display images …) is dropped
and said so in :attr:`EdcImport.notes`. A document that is not a micro-credential or is
broken raises :class:`~eumicro.ParseError` listing every problem with its JSON path.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal, TypeVar
from urllib.parse import unquote

import attrs

from eumicro import vocab
from eumicro._errors import (
    ParseError,
    PathSegment,
    Problem,
    UnknownConceptError,
    ValidationError,
    format_path,
)
from eumicro._model import (
    Assessment,
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
    Workload,
)
from eumicro._text import Text
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats._values import json_type, short_json
from eumicro.formats.europass._common import (
    ECTS_FRAMEWORK,
    ECVET_FRAMEWORK,
    EDC_CONTEXT,
    GENERIC_PROFILE,
    NODE_PREFIX,
    NOTE_TOPIC_PARTICIPATION,
    NOTE_TOPIC_PATHWAYS,
    NOTE_TOPIC_QUALITY_ASSURANCE,
    assessment_description,
    is_generated_id,
    parse_qa_id,
)

__all__ = ["EdcImport", "from_edc"]

Path = tuple[PathSegment, ...]
Node = dict[str, Any]
_T = TypeVar("_T")
_NO_DROPS: Final[Mapping[str, str]] = {}

Wrapper = Literal["credential", "upload", "sealed"]
Version = Literal["3.1", "3.2"]


@attrs.frozen(kw_only=True)
class EdcImport:
    """The result of :func:`from_edc`.

    Attributes:
        credential: the micro-credential read.
        wrapper: how the document held the credential: ``"credential"`` (bare),
            ``"upload"`` (``{"credential": …}``) or ``"sealed"`` (JAdES JSON serialisation).
        version: the ELM version the document is written for: ``"3.1"`` when it uses a
            form that only ELM 3.1 has (a literal ``credentialStatus`` or ``termsOfUse``,
            ``cred:proof``, ``resultDestribution``), ``"3.2"`` otherwise.
        notes: what the reader did that a person may want to know: concepts mapped by
            their label, values dropped because the model does not hold them, values
            read with an assumption (a date-time without a timezone) …
        seal_verified: always ``False``: eumicro does not verify the e-seal of a sealed
            credential (it reads the payload).
    """

    credential: MicroCredential
    wrapper: Wrapper
    version: Version
    notes: tuple[str, ...] = ()
    seal_verified: bool = False


_SUBJECT: Final = "EDC"
_EDC_CONTEXT_HTTPS: Final = "https://data.europa.eu/snb/model/context/edc-ap"
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]+={0,2}")

_DATETIME: Final = re.compile(
    r"(?P<date>-?[0-9]{4,}-[0-9]{2}-[0-9]{2})"
    r"(?:T(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?P<fraction>\.[0-9]+)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_DURATION: Final = re.compile(
    r"P(?:(?P<Y>[0-9.]+)Y)?(?:(?P<Mo>[0-9.]+)M)?(?:(?P<W>[0-9.]+)W)?(?:(?P<D>[0-9.]+)D)?"
    r"(?:T(?:(?P<H>[0-9.]+)H)?(?:(?P<Mi>[0-9.]+)M)?(?:(?P<S>[0-9.]+)S)?)?"
)
_ESCO: Final = re.compile(
    r"^http://data\.europa\.eu/esco/(skill|isco|occupation)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9.]+)$"
)

# Keys read at each kind of node (others are dropped with a note).
_READ_ROOT: Final = frozenset(
    {
        "@context",
        "credentialProfiles",
        "credentialSchema",
        "identifier",
        "issuer",
        "issued",
        "issuanceDate",
        "validFrom",
        "validUntil",
        "expirationDate",
        "credentialSubject",
        "displayParameter",
    }
)
_READ_PERSON: Final = frozenset(
    {
        "identifier",
        "givenName",
        "familyName",
        "fullName",
        "dateOfBirth",
        "nationalID",
        "citizenshipCountry",
        "contactPoint",
        "hasClaim",
    }
)
_READ_ORG: Final = frozenset(
    {
        "legalName",
        "location",
        "identifier",
        "registration",
        "eIDASIdentifier",
        "vatIdentifier",
        "homepage",
        "contactPoint",
    }
)
_READ_CLAIM: Final = frozenset(
    {"title", "awardedBy", "specifiedBy", "provenBy", "learningOpportunity", "additionalNote"}
)
_READ_QUALIFICATION: Final = frozenset(
    {
        "title",
        "description",
        "identifier",
        "dcType",
        "homepage",
        "learningOutcome",
        "learningOutcomeSummary",
        "creditPoint",
        "volumeOfLearning",
        "eqfLevel",
        "nqfLevel",
        "educationLevel",
        "thematicArea",
        "language",
        "mode",
        "learningSetting",
        "entryRequirement",
        "provenBy",
        "accreditation",
        "isPartialQualification",
        "isPartOf",
        "supplementaryDocument",
        "additionalNote",
    }
)
_READ_OUTCOME: Final = frozenset(
    {"title", "dcType", "reusabilityLevel", "relatedESCOSkill", "relatedSkill"}
)
_READ_LAS: Final = frozenset({"title", "description", "dcType", "mode", "hasPart", "gradingScheme"})
_READ_ASSESSMENT: Final = frozenset(
    {"title", "awardedBy", "grade", "idVerification", "specifiedBy"}
)
_READ_ACCREDITATION: Final = frozenset(
    {"title", "dcType", "accreditingAgent", "description", "report"}
)


# Keys whose values are never nodes: language maps, the context.
_LITERAL_KEYS: Final = frozenset(
    {
        "@context",
        "title",
        "description",
        "prefLabel",
        "altLabel",
        "definition",
        "legalName",
        "givenName",
        "familyName",
        "fullName",
        "birthName",
        "patronymicName",
        "noteLiteral",
        "category",
        "geographicName",
        "schemeAgency",
        "inScheme",
    }
)


def _types(node: Mapping[str, Any]) -> tuple[str, ...]:
    kind = node.get("type", node.get("@type"))
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(k for k in kind if isinstance(k, str))
    return ()


def _union(a: Any, b: Any) -> Any:
    """Merge two values of one property of a node given twice (RDF: the union)."""
    if isinstance(a, dict) and isinstance(b, dict) and "id" not in a and "id" not in b:
        merged = dict(a)
        for key, value in b.items():
            if key not in merged:
                merged[key] = value
            elif merged[key] != value:
                merged[key] = _union(merged[key], value)
        return merged
    items = list(a) if isinstance(a, list) else [a]
    keys = {_identity(x) for x in items}
    for item in b if isinstance(b, list) else [b]:
        key = _identity(item)
        if key not in keys:
            keys.add(key)
            items.append(item)
    return items if len(items) > 1 or isinstance(a, list) else items[0]


def _identity(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return "id:" + str(value["id"])
    return json.dumps(value, sort_keys=True, default=str)


class _Reader:
    """Reads one EDC credential; collects every problem and note."""

    def __init__(self, root: Node, prefix: Path) -> None:
        self.prefix = prefix
        self.problems: list[Problem] = []
        self._notes: dict[str, None] = {}
        self._dropped: set[tuple[str, str]] = set()
        self.nodes: dict[str, Node] = {}
        self.markers_31: list[str] = []
        self.markers_32: list[str] = []
        self._orgs: dict[str, tuple[Organisation | None, int]] = {}
        self._index(root)

    # -- bookkeeping -----------------------------------------------------------------

    def where(self, path: Path) -> str:
        return format_path((*self.prefix, *path))

    def problem(self, path: Path, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem((*self.prefix, *path), message, code))

    def note(self, path: Path, message: str) -> None:
        self._notes.setdefault(f"{self.where(path)}: {message}")

    def add_notes(self, notes: Iterable[str]) -> None:
        for note in notes:
            self._notes.setdefault(note)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self._notes)

    def drop(self, node: Node, key: str, path: Path, what: str = "") -> None:
        """Note that ``key`` of ``node`` is not held by the model (once per node and key)."""
        node_id = node.get("id")
        marker = (node_id if isinstance(node_id, str) else format_path(path), key)
        if marker in self._dropped:
            return
        self._dropped.add(marker)
        detail = f" ({what})" if what else ""
        self.note((*path, key), f"{key}{detail} is not held by the eumicro model; dropped")

    def unread(self, node: Node, path: Path, read: frozenset[str]) -> None:
        for key in node:
            if key not in read and key not in ("id", "type", "@type", "@id"):
                self.drop(node, key, path, self.describe(node.get(key)))

    def describe(self, value: Any) -> str:
        """A short description of a dropped value: its type and title or label."""
        if isinstance(value, list):
            return (
                f"{len(value)} values"
                if len(value) > 1
                else self.describe(value[0])
                if value
                else ""
            )
        if isinstance(value, dict):
            node = self.nodes.get(value["id"], value) if isinstance(value.get("id"), str) else value
            kinds = "/".join(_types(node))
            for key in ("title", "prefLabel", "legalName", "noteLiteral"):
                label = node.get(key)
                if isinstance(label, dict) and label:
                    first = next(iter(label.values()))
                    if isinstance(first, list):
                        first = first[0] if first else ""
                    if isinstance(first, str):
                        return f"{kinds} {short_json(first)}".strip()
            return kinds
        return ""

    def _index(self, root: Node) -> None:
        """Index every node with an id (merging repeats) and look for version markers.

        Walks the document in order (iteratively: any depth); language maps and concepts
        are not descended into. A node is copied only when a repeat must be merged in.
        """
        owned: set[str] = set()
        stack: list[Any] = [root]
        while stack:
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(reversed(value))
                continue
            if not isinstance(value, dict):
                continue
            kind = value.get("type")
            if kind == "Concept" or kind == "ConceptScheme":
                continue
            if "resultDestribution" in value:
                self.markers_31.append("resultDestribution")
            if "resultDistribution" in value:
                self.markers_32.append("resultDistribution")
            node_id = value.get("id")
            if isinstance(node_id, str) and len(value) > 1:
                known = self.nodes.get(node_id)
                if known is None:
                    self.nodes[node_id] = value
                elif known is value or known == value:
                    continue  # the same node again: nothing new inside
                else:
                    if node_id not in owned:
                        known = self.nodes[node_id] = dict(known)
                        owned.add(node_id)
                    for key, item in value.items():
                        if key not in known:
                            known[key] = item
                        elif known[key] != item and key not in ("type", "@type"):
                            known[key] = _union(known[key], item)
            children = [
                item
                for key, item in value.items()
                if key not in _LITERAL_KEYS and isinstance(item, dict | list)
            ]
            stack.extend(reversed(children))

    # -- access ------------------------------------------------------------------------

    def node(self, value: Any, path: Path) -> Node | None:
        """The (merged) node a property value names: an object or an IRI."""
        if isinstance(value, str):
            found = self.nodes.get(value)
            return found if found is not None else {"id": value}
        if isinstance(value, dict):
            node_id = value.get("id")
            if isinstance(node_id, str):
                return self.nodes.get(node_id, value)
            return value
        self.problem(
            path, f"expected an object (a node), got {json_type(value)} {short_json(value)}", "type"
        )
        return None

    @staticmethod
    def values(node: Node, key: str, path: Path) -> list[tuple[Any, Path]]:
        """The values of a property with their paths (one value or an array)."""
        value = node.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [(v, (*path, key, i)) for i, v in enumerate(value) if v is not None]
        return [(value, (*path, key))]

    def one(self, node: Node, key: str, path: Path) -> tuple[Any, Path] | None:
        """The value of a single-valued property (the first, with a note, when several)."""
        found = self.values(node, key, path)
        if not found:
            return None
        if len(found) > 1:
            self.note((*path, key), f"{len(found)} values where one is expected; the first is read")
        return found[0]

    def nodes_of(self, node: Node, key: str, path: Path) -> list[tuple[Node, Path]]:
        out = []
        for value, where in self.values(node, key, path):
            found = self.node(value, where)
            if found is not None:
                out.append((found, where))
        return out

    def one_node(self, node: Node, key: str, path: Path) -> tuple[Node, Path] | None:
        found = self.one(node, key, path)
        if found is None:
            return None
        resolved = self.node(*found)
        return None if resolved is None else (resolved, found[1])

    # -- literals ----------------------------------------------------------------------

    def string(self, value: Any, path: Path, what: str = "a string") -> str | None:
        if isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return str(value)
        self.problem(path, f"expected {what}, got {json_type(value)} {short_json(value)}", "type")
        return None

    def text(self, value: Any, path: Path) -> Text | None:
        """A language map (``{"en": "…"}``, values strings or arrays) as Text."""
        pairs: list[tuple[str, str]] = []
        if isinstance(value, list) and all(isinstance(v, dict) and "@value" in v for v in value):
            value = {
                v.get("@language", ""): v["@value"] for v in reversed(value)
            }  # value objects with @language
        elif isinstance(value, dict) and "@value" in value:
            value = {value.get("@language", ""): value["@value"]}
        if not isinstance(value, dict):
            self.problem(
                path,
                f'expected a language map such as {{"en": "…"}}, got {json_type(value)} '
                f"{short_json(value)}",
                "type",
            )
            return None
        before = len(self.problems)
        for tag, item in value.items():
            if isinstance(item, list):
                strings = [s for s in item if s is not None]
                if not strings:
                    continue
                if len(strings) > 1:
                    self.note(
                        (*path, tag), f"{len(strings)} texts in one language; the first is read"
                    )
                item = strings[0]
            if not isinstance(item, str):
                self.problem(
                    (*path, tag),
                    f"expected a string, got {json_type(item)} {short_json(item)}",
                    "type",
                )
                continue
            if tag in ("@none", ""):
                self.note(
                    (*path, tag), "a text without a language is not held by the model; dropped"
                )
                continue
            pairs.append((tag, item))
        if not pairs:
            if len(self.problems) == before:
                self.problem(path, "must have text in at least one language", "empty")
            return None
        try:
            text = Text(pairs)
        except ValidationError as exc:
            self.problems.extend(exc.prefixed(*self.prefix, *path))
            return None
        return text if len(self.problems) == before else None

    def plain(self, value: Any, path: Path) -> str | None:
        """A language map read as one string (names, grades, addresses): the first text."""
        if isinstance(value, str):
            return value
        text = self.text(value, path)
        if text is None:
            return None
        first = str(text)
        if any(v != first for v in text.values()):
            others = ", ".join(t for t in text.languages[1:])
            self.note(
                path,
                f"the model holds one text; {text.primary_language!r} is read, {others} dropped",
            )
        return first

    def datetime(self, value: Any, path: Path) -> dt.datetime | None:
        raw = self.string(value, path, "an xsd:dateTime such as 2024-05-01T10:00:00Z")
        if raw is None:
            return None
        m = _DATETIME.fullmatch(raw.strip())
        if m is None:
            self.problem(
                path,
                f"expected an xsd:dateTime such as 2024-05-01T10:00:00Z, got {short_json(raw)}",
                "date",
            )
            return None
        time = m["time"] or "00:00:00"
        if len(time) == 5:
            time += ":00"
        fraction = (m["fraction"] or "")[:7]
        offset = m["offset"]
        if m["time"] is None:
            self.note(path, f"{raw!r} is a date without a time: read as midnight UTC")
        elif offset is None:
            self.note(path, f"{raw!r} has no timezone: read as UTC")
        text = f"{m['date']}T{time}{fraction}{'+00:00' if offset in (None, 'Z') else offset}"
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError as exc:
            self.problem(path, f"not a valid date-time {raw!r}: {exc}", "date")
            return None

    def date(self, value: Any, path: Path) -> dt.date | None:
        """A date written as an ``xsd:dateTime`` (``dateOfBirth``)."""
        stamp = self.datetime(value, path)
        if stamp is None:
            return None
        day = stamp.date()
        if stamp.time() != dt.time(0, 0):
            if stamp.time() >= dt.time(12, 0):
                day += dt.timedelta(days=1)
            self.note(
                path,
                f"the date-time {stamp.isoformat()} is read as the date {day.isoformat()} "
                "(the nearest midnight: a local midnight written in UTC)",
            )
        return day

    def decimal(self, value: Any, path: Path) -> Decimal | None:
        if isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            self.problem(
                path, f"expected a number, got {json_type(value)} {short_json(value)}", "type"
            )
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(path, f"expected a number, got {short_json(value)}", "type")
            return None

    def hours(self, value: Any, path: Path) -> Decimal | None:
        """An ``xsd:duration`` (``PT60H``) as hours; years and months cannot be converted."""
        raw = self.string(value, path, "an xsd:duration such as PT60H")
        if raw is None:
            return None
        m = _DURATION.fullmatch(raw.strip())
        if m is None or raw.strip() in ("P", "PT") or raw.strip().endswith("T"):
            self.problem(
                path, f"expected an xsd:duration such as PT60H, got {short_json(raw)}", "duration"
            )
            return None
        try:
            parts = {k: Decimal(v) for k, v in m.groupdict().items() if v is not None}
        except InvalidOperation:
            self.problem(
                path, f"expected an xsd:duration such as PT60H, got {short_json(raw)}", "duration"
            )
            return None
        if parts.get("Y") or parts.get("Mo"):
            self.note(
                path,
                f"the duration {raw!r} is in years or months, which are not a number of hours; dropped",
            )
            return None
        days = parts.get("D", Decimal(0)) + 7 * parts.get("W", Decimal(0))
        if days:
            self.note(path, f"the duration {raw!r} is read with a day as 24 hours")
        seconds = (
            days * 86400
            + parts.get("H", Decimal(0)) * 3600
            + parts.get("Mi", Decimal(0)) * 60
            + parts.get("S", Decimal(0))
        )
        hours = seconds / 3600
        rounded = hours.quantize(Decimal("0.01"))
        if rounded != hours:
            self.note(path, f"the duration {raw!r} is {hours} hours: rounded to {rounded}")
            return rounded
        return hours

    # -- concepts ------------------------------------------------------------------------

    def concept(
        self,
        value: Any,
        path: Path,
        vocabularies: tuple[Vocabulary, ...],
        *,
        strict: bool = True,
    ) -> Concept | None:
        """The concept of one of ``vocabularies`` a value names (by IRI, or else by label).

        A concept that is not found is a problem when ``strict`` (the EDC requires that
        vocabulary), and dropped with a note otherwise.
        """
        node = self.node(value, path)
        if node is None:
            return None
        iri = node.get("id", node.get("@id"))
        if not isinstance(iri, str):
            self.problem(path, "expected a concept with an id (its IRI)", "missing")
            return None
        for vocabulary in vocabularies:
            found = vocabulary.find_iri(iri)
            if found is not None:
                return found
        names = " or ".join(v.title for v in vocabularies)
        labels = node.get("prefLabel")
        scheme = self.scheme_of(node)
        if isinstance(labels, dict) and scheme not in {v.scheme for v in vocabularies}:
            # A concept of another scheme (an issuer's own list, say) with the label of
            # one of ours is taken to mean ours; an unknown IRI in our scheme is not.
            ordered = sorted(labels.items(), key=lambda kv: kv[0] != "en")
            for _, label in ordered:
                for text in label if isinstance(label, list) else [label]:
                    if not isinstance(text, str):
                        continue
                    for vocabulary in vocabularies:
                        try:
                            found = vocabulary.by_label(text)
                        except UnknownConceptError:
                            continue
                        self.note(
                            path,
                            f"the concept {iri!r} ({text!r}"
                            + (f", scheme {scheme!r}" if scheme else "")
                            + f") is not in {names}: mapped by its label to {found.iri!r}",
                        )
                        return found
        if strict:
            self.problem(path, f"{iri!r} is not a concept of {names}", "vocabulary")
        else:
            self.note(path, f"the concept {iri!r} is not in {names}: dropped")
        return None

    def scheme_of(self, node: Node) -> str | None:
        scheme = node.get("inScheme")
        if isinstance(scheme, list) and scheme:
            scheme = scheme[0]
        if isinstance(scheme, dict):
            scheme = scheme.get("id")
        return scheme if isinstance(scheme, str) else None

    def concepts(
        self,
        node: Node,
        key: str,
        path: Path,
        vocabularies: tuple[Vocabulary, ...],
        *,
        strict: bool = True,
    ) -> tuple[Concept, ...]:
        out: dict[Concept, None] = {}
        for value, where in self.values(node, key, path):
            found = self.concept(value, where, vocabularies, strict=strict)
            if found is not None:
                if found in out:
                    self.note(where, f"{found.label!r} is given more than once")
                out.setdefault(found)
        return tuple(out)

    def one_concept(
        self,
        node: Node,
        key: str,
        path: Path,
        vocabularies: tuple[Vocabulary, ...],
        *,
        strict: bool = True,
    ) -> Concept | None:
        found = self.one(node, key, path)
        if found is None:
            return None
        return self.concept(*found, vocabularies, strict=strict)

    def iri_of(self, value: Any, path: Path) -> str | None:
        node = self.node(value, path)
        if node is None:
            return None
        iri = node.get("id")
        if not isinstance(iri, str):
            self.problem(path, "expected a node with an id (an IRI)", "missing")
            return None
        return iri

    # -- building model objects ------------------------------------------------------------

    def build(
        self, cls: type[_T], kwargs: dict[str, Any], sources: Mapping[str, Path], path: Path
    ) -> _T | None:
        """``cls(**kwargs)``; model problems are reported at the JSON path of their source."""
        try:
            return cls(**kwargs)
        except ValidationError as exc:
            for p in exc.problems:
                head = p.path[0] if p.path else None
                if isinstance(head, str) and head in sources:
                    where: Path = (*sources[head], *p.path[1:])
                else:
                    where = (*path, *p.path)
                self.problems.append(attrs.evolve(p, path=(*self.prefix, *where)))
            return None

    def own_id(self, node: Node, path: Path) -> str | None:
        """The node's id for the model: None for an id eumicro generated."""
        node_id = node.get("id")
        if node_id is None:
            return None
        if not isinstance(node_id, str):
            self.problem(
                (*path, "id"),
                f"expected an IRI, got {json_type(node_id)} {short_json(node_id)}",
                "type",
            )
            return None
        return None if is_generated_id(node_id) else node_id

    # -- identifiers and agents ----------------------------------------------------------

    def flat(
        self,
        cls: type[_T],
        node: Node,
        path: Path,
        fields: Mapping[str, tuple[str, Callable[[Any, Path], Any]]],
        dropped: Mapping[str, str] = _NO_DROPS,
    ) -> _T | None:
        """A model object from a node whose properties are plain values.

        ``fields`` maps each attribute to its property and the reader of its value;
        ``dropped`` names properties the model does not hold, each noted with what it is.
        """
        before = len(self.problems)
        kwargs: dict[str, Any] = {}
        for attribute, (key, read) in fields.items():
            found = self.one(node, key, path)
            kwargs[attribute] = read(*found) if found is not None else None
        for key, what in dropped.items():
            if key in node:
                self.drop(node, key, path, what)
        known = frozenset({key for key, _ in fields.values()} | set(dropped))
        paths = {attribute: (*path, key) for attribute, (key, _) in fields.items()}
        return self.finish(cls, node, path, known, before, kwargs, paths)

    def finish(
        self,
        cls: type[_T],
        node: Node,
        path: Path,
        read: frozenset[str],
        before: int,
        kwargs: dict[str, Any],
        sources: Mapping[str, Path],
    ) -> _T | None:
        """Note the properties not ``read``; build ``cls`` unless a problem came up since ``before``."""
        self.unread(node, path, read)
        if len(self.problems) > before:
            return None
        return self.build(cls, kwargs, sources, path)

    def identifier(self, node: Node, path: Path) -> Identifier | None:
        return self.flat(
            Identifier,
            node,
            path,
            {
                "value": ("notation", self.string),
                "scheme": ("schemeName", self.string),
                "scheme_iri": ("schemeId", self.string),
            },
            {"spatial": "the country of an identifier that is not a legal identifier"},
        )

    def identifiers(self, node: Node, key: str, path: Path) -> tuple[Identifier, ...]:
        out = []
        for item, where in self.nodes_of(node, key, path):
            found = self.identifier(item, where)
            if found is not None:
                out.append(found)
        return tuple(out)

    def legal_identifier(self, node: Node, path: Path) -> LegalIdentifier | None:
        return self.flat(
            LegalIdentifier,
            node,
            path,
            {
                "value": ("notation", self.string),
                "country": ("spatial", lambda v, p: self.concept(v, p, (vocab.COUNTRY,))),
                "scheme": ("schemeName", self.string),
            },
        )

    def one_legal_identifier(self, node: Node, key: str, path: Path) -> LegalIdentifier | None:
        found = self.one_node(node, key, path)
        return self.legal_identifier(*found) if found is not None else None

    def email(self, node: Node, path: Path) -> tuple[str | None, Path]:
        """The first e-mail address of the node's contact points, and its path."""
        addresses: list[tuple[str, Path]] = []
        for point, where in self.nodes_of(node, "contactPoint", path):
            for mailbox, where2 in self.nodes_of(point, "emailAddress", where):
                iri = mailbox.get("id")
                if isinstance(iri, str) and iri.lower().startswith("mailto:"):
                    addresses.append((unquote(iri[7:]), where2))
                else:
                    self.problem(
                        where2,
                        f"expected a mailbox with a 'mailto:' id, got {short_json(iri)}",
                        "type",
                    )
            self.unread(point, where, frozenset({"emailAddress"}))
        if len(addresses) > 1:
            self.note(addresses[1][1], "the model holds one e-mail address; the first is read")
        return addresses[0] if addresses else (None, (*path, "contactPoint"))

    def web_page(self, node: Node, key: str, path: Path) -> str | None:
        found = self.one_node(node, key, path)
        if found is None:
            return None
        page, where = found
        url = self.one(page, "contentURL", where)
        self.unread(page, where, frozenset({"contentURL"}))
        if url is None:
            self.problem(
                (*where, "contentURL"),
                "required key 'contentURL' of WebResource is missing",
                "missing",
            )
            return None
        return self.string(*url)

    def organisation(self, node: Node, path: Path) -> Organisation | None:
        node_id = node.get("id")
        if isinstance(node_id, str) and node_id in self._orgs:
            found, problems = self._orgs[node_id]
            if found is None and problems:
                return None
            if found is not None:
                return found
        before = len(self.problems)
        org = self._organisation(node, path)
        if isinstance(node_id, str):
            self._orgs[node_id] = (org, len(self.problems) - before)
        return org

    def _organisation(self, node: Node, path: Path) -> Organisation | None:
        before = len(self.problems)
        if "legalName" not in node and "id" in node and len(node) == 1:
            self.problem(
                path, f"the organisation {node['id']!r} is not described in the document", "missing"
            )
            return None
        kwargs: dict[str, Any] = {"id": self.own_id(node, path)}
        sources: dict[str, Path] = {"id": (*path, "id")}
        name = self.values(node, "legalName", path)
        if not name:
            self.problem(
                (*path, "legalName"),
                "required key 'legalName' of Organisation is missing",
                "missing",
            )
        else:
            if len(name) > 1:
                self.note((*path, "legalName"), "several legal names; the first is read")
            kwargs["name"] = self.text(*name[0])
            sources["name"] = name[0][1]
        locations = self.nodes_of(node, "location", path)
        if locations:
            location, where = locations[0]
            if len(locations) > 1:
                self.note(
                    locations[1][1],
                    "the model holds one location per organisation; the first is read",
                )
            address = self.one_node(location, "address", where)
            if address is not None:
                address_node, where2 = address
                kwargs["country"] = self.one_concept(
                    address_node, "countryCode", where2, (vocab.COUNTRY,)
                )
                sources["country"] = (*where2, "countryCode")
                full = self.one_node(address_node, "fullAddress", where2)
                if full is not None:
                    literal = self.one(full[0], "noteLiteral", full[1])
                    if literal is not None:
                        kwargs["address"] = self.plain(*literal)
                        sources["address"] = literal[1]
                self.unread(address_node, where2, frozenset({"countryCode", "fullAddress"}))
            kwargs["region"] = self.one_concept(
                location, "spatialCode", where, (vocab.ATU, vocab.NUTS)
            )
            sources["region"] = (*where, "spatialCode")
            self.unread(location, where, frozenset({"address", "spatialCode"}))
        kwargs["identifiers"] = self.identifiers(node, "identifier", path)
        for key, attribute in (
            ("registration", "registration"),
            ("eIDASIdentifier", "eidas_identifier"),
            ("vatIdentifier", "vat_identifier"),
        ):
            kwargs[attribute] = self.one_legal_identifier(node, key, path)
            sources[attribute] = (*path, key)
        kwargs["homepage"] = self.web_page(node, "homepage", path)
        sources["homepage"] = (*path, "homepage")
        kwargs["email"], sources["email"] = self.email(node, path)
        return self.finish(Organisation, node, path, _READ_ORG, before, kwargs, sources)

    # -- the learner ---------------------------------------------------------------------

    def learner(self, node: Node, path: Path) -> Learner | None:
        before = len(self.problems)
        kwargs: dict[str, Any] = {"id": self.own_id(node, path)}
        sources: dict[str, Path] = {"id": (*path, "id")}
        for key, attribute in (
            ("fullName", "full_name"),
            ("givenName", "given_name"),
            ("familyName", "family_name"),
        ):
            found = self.one(node, key, path)
            if found is not None:
                kwargs[attribute] = self.plain(*found)
                sources[attribute] = found[1]
        birth = self.one(node, "dateOfBirth", path)
        if birth is not None:
            kwargs["date_of_birth"] = self.date(*birth)
            sources["date_of_birth"] = birth[1]
        kwargs["email"], sources["email"] = self.email(node, path)
        kwargs["national_id"] = self.one_legal_identifier(node, "nationalID", path)
        sources["national_id"] = (*path, "nationalID")
        kwargs["identifiers"] = self.identifiers(node, "identifier", path)
        sources["identifiers"] = (*path, "identifier")
        kwargs["citizenship"] = self.concepts(node, "citizenshipCountry", path, (vocab.COUNTRY,))
        sources["citizenship"] = (*path, "citizenshipCountry")
        return self.finish(Learner, node, path, _READ_PERSON, before, kwargs, sources)

    # -- the specification -----------------------------------------------------------------

    def learning_outcome(self, node: Node, path: Path) -> LearningOutcome | None:
        before = len(self.problems)
        kwargs: dict[str, Any] = {"id": self.own_id(node, path)}
        sources: dict[str, Path] = {"id": (*path, "id")}
        title = self.one(node, "title", path)
        if title is None:
            self.problem(
                (*path, "title"), "required key 'title' of LearningOutcome is missing", "missing"
            )
        else:
            kwargs["title"] = self.text(*title)
        kwargs["skill_type"] = self.one_concept(node, "dcType", path, (vocab.SKILL_TYPE,))
        sources["skill_type"] = (*path, "dcType")
        kwargs["reusability_level"] = self.one_concept(
            node, "reusabilityLevel", path, (vocab.SKILL_REUSE_LEVEL,)
        )
        sources["reusability_level"] = (*path, "reusabilityLevel")
        esco: dict[str, None] = {}
        related: dict[str, None] = {}
        for value, where in self.values(node, "relatedESCOSkill", path):
            iri = self.iri_of(value, where)
            if iri is None:
                continue
            if _ESCO.fullmatch(iri):
                esco.setdefault(iri)
            else:
                self.note(where, f"{iri!r} is not an ESCO skill IRI: read as a related skill")
                related.setdefault(iri)
        for value, where in self.values(node, "relatedSkill", path):
            iri = self.iri_of(value, where)
            if iri is not None:
                related.setdefault(iri)
        kwargs["esco_skills"] = tuple(esco)
        sources["esco_skills"] = (*path, "relatedESCOSkill")
        kwargs["related_skills"] = tuple(related)
        sources["related_skills"] = (*path, "relatedSkill")
        return self.finish(LearningOutcome, node, path, _READ_OUTCOME, before, kwargs, sources)

    def note_text(self, node: Node, path: Path) -> Text | None:
        literal = self.one(node, "noteLiteral", path)
        if literal is None:
            self.problem(
                (*path, "noteLiteral"), "required key 'noteLiteral' of Note is missing", "missing"
            )
            return None
        return self.text(*literal)

    def one_note_text(self, node: Node, key: str, path: Path) -> Text | None:
        found = self.one_node(node, key, path)
        if found is None:
            return None
        note, where = found
        self.unread(note, where, frozenset({"noteLiteral", "subject", "noteFormat"}))
        return self.note_text(note, where)

    def workload(self, node: Node, path: Path) -> Workload | None:
        kwargs: dict[str, Any] = {}
        sources: dict[str, Path] = {}
        for point, where in self.nodes_of(node, "creditPoint", path):
            framework = self.one(point, "framework", where)
            iri = self.iri_of(*framework) if framework else None
            if framework is None:
                self.problem(
                    (*where, "framework"),
                    "required key 'framework' of CreditPoint is missing",
                    "missing",
                )
                continue
            attribute = {ECTS_FRAMEWORK: "ects", ECVET_FRAMEWORK: "ecvet"}.get(iri or "")
            if attribute is None:
                self.note(
                    framework[1],
                    f"credit points in the framework {iri!r} (not ECTS or ECVET): dropped",
                )
                continue
            value = self.one(point, "point", where)
            if value is None:
                self.problem(
                    (*where, "point"), "required key 'point' of CreditPoint is missing", "missing"
                )
                continue
            if attribute in kwargs:
                self.note(where, f"several {attribute.upper()} credit points; the first is read")
                continue
            kwargs[attribute] = self.decimal(*value)
            sources[attribute] = value[1]
        volume = self.one(node, "volumeOfLearning", path)
        if volume is not None:
            hours = self.hours(*volume)
            if hours is not None:
                kwargs["hours"] = hours
                sources["hours"] = volume[1]
        if not kwargs or any(v is None for v in kwargs.values()):
            return None
        return self.build(Workload, kwargs, sources, path)

    def level(self, node: Node, path: Path) -> Level | None:
        kwargs: dict[str, Any] = {
            "eqf": self.one_concept(node, "eqfLevel", path, (vocab.EQF,)),
            "nqf": self.concepts(node, "nqfLevel", path, (vocab.NQF,)),
        }
        cycles = self.concepts(node, "educationLevel", path, (vocab.QF_EHEA,), strict=False)
        if cycles:
            if len(cycles) > 1:
                self.note((*path, "educationLevel"), "several QF-EHEA cycles; the first is read")
            kwargs["qf_ehea"] = cycles[0]
        if kwargs["eqf"] is None and not kwargs["nqf"] and "qf_ehea" not in kwargs:
            return None
        return self.build(
            Level,
            kwargs,
            {
                "eqf": (*path, "eqfLevel"),
                "nqf": (*path, "nqfLevel"),
                "qf_ehea": (*path, "educationLevel"),
            },
            path,
        )

    def assessment(
        self, specifications: list[tuple[Node, Path]]
    ) -> tuple[Assessment | None, Text | None]:
        """The assessment (types, modes, description) and the grading scheme."""
        types: dict[Concept, None] = {}
        modes: dict[Concept, None] = {}
        description: Text | None = None
        scheme: Text | None = None
        titles: list[tuple[Text, Path]] = []
        first_path: Path | None = None
        for node, path in specifications:
            first_path = first_path or path
            parts = [(node, path), *self.nodes_of(node, "hasPart", path)]
            for part, where in parts:
                kind = self.one_concept(
                    part, "dcType", where, (vocab.ASSESSMENT_TYPE,), strict=False
                )
                if kind is not None:
                    types.setdefault(kind)
                if part is not node:
                    self.unread(part, where, frozenset({"title", "dcType"}))
                    if not types and not is_generated_id(str(part.get("id", ""))):
                        title = self.one(part, "title", where)
                        if title is not None:
                            self.note(
                                title[1], "the title of an assessment part is not held; dropped"
                            )
            for mode in self.concepts(node, "mode", path, (vocab.MODE,), strict=False):
                modes.setdefault(mode)
            found = self.one(node, "description", path)
            if found is not None:
                text = self.text(*found)
                if description is None:
                    description = text
                elif text is not None and text != description:
                    self.note(found[1], "the model holds one assessment description; dropped")
            grading = self.one_node(node, "gradingScheme", path)
            if grading is not None:
                grading_node, where = grading
                found = self.one(grading_node, "title", where)
                if found is not None and scheme is None:
                    scheme = self.text(*found)
                if "description" in grading_node:
                    self.drop(grading_node, "description", where, "grading scheme description")
                self.unread(grading_node, where, frozenset({"title", "description"}))
            title = self.one(node, "title", path)
            if title is not None and not is_generated_id(str(node.get("id", ""))):
                text = self.text(*title)
                if text is not None:
                    titles.append((text, title[1]))
            self.unread(node, path, _READ_LAS)
        description = assessment_description(bool(types), description, titles, self.note)
        if not types and description is None:
            return None, scheme
        assert first_path is not None
        return (
            self.build(
                Assessment,
                {"types": tuple(types), "modes": tuple(modes), "description": description},
                {},
                first_path,
            ),
            scheme,
        )

    def quality_assurance(
        self, spec: Node, notes: list[tuple[Node, Path, str | None]], path: Path
    ) -> tuple[QualityAssurance, ...]:
        found: list[tuple[tuple[int, int], QualityAssurance]] = []
        reports: dict[int, str] = {}
        for document, where in self.nodes_of(spec, "supplementaryDocument", path):
            qa = parse_qa_id(document.get("id"))
            if qa is not None and qa[1]:
                url = self.one(document, "contentURL", where)
                value = self.string(*url) if url else None
                if value is not None:
                    reports[qa[0]] = value
            else:
                self.drop(document, "contentURL", where, "a supplementary document")
        for position, (node, where) in enumerate(self.nodes_of(spec, "accreditation", path)):
            before = len(self.problems)
            kind = self.one_concept(node, "dcType", where, (vocab.ACCREDITATION_TYPE,))
            agent = self.one_node(node, "accreditingAgent", where)
            agency = self.organisation(*agent) if agent is not None else None
            found_description = self.one(node, "description", where)
            description = self.text(*found_description) if found_description else None
            report = self.web_page(node, "report", where)
            title = self.one(node, "title", where)
            index = parse_qa_id(node.get("id"))
            if title is not None and index is None:
                text = self.text(*title)
                if text is not None and kind is not None and text != Text(en=kind.label):
                    self.note(
                        title[1], "the title of an accreditation is not held by the model; dropped"
                    )
            self.unread(node, where, _READ_ACCREDITATION)
            if len(self.problems) > before:
                continue
            qa_object = self.build(
                QualityAssurance,
                {"type": kind, "description": description, "agency": agency, "report": report},
                {"type": (*where, "dcType"), "report": (*where, "report")},
                where,
            )
            if qa_object is not None:
                key = (0, index[0]) if index is not None else (1, position)
                found.append((key, qa_object))
        for position, (note, where, _topic) in enumerate(notes):
            before = len(self.problems)
            subject = self.one(note, "subject", where)
            kind = None
            subject_node = self.node(*subject) if subject is not None else None
            if (
                subject is not None
                and subject_node is not None
                and subject_node.get("id") != NOTE_TOPIC_QUALITY_ASSURANCE
            ):
                kind = self.concept(subject[0], subject[1], (vocab.ACCREDITATION_TYPE,))
            text = self.note_text(note, where)
            if len(self.problems) > before or text is None:
                continue
            note_description: Text | None = text
            if kind is not None and text == Text(en=kind.label):
                note_description = None
            index = parse_qa_id(note.get("id"))
            qa_object = self.build(
                QualityAssurance,
                {
                    "type": kind,
                    "description": note_description,
                    "report": reports.pop(index[0], None) if index is not None else None,
                },
                {"description": (*where, "noteLiteral")},
                where,
            )
            if qa_object is not None:
                key = (0, index[0]) if index is not None else (1, 1000 + position)
                found.append((key, qa_object))
        for number, address in reports.items():
            self.note(
                path,
                f"the quality-assurance report {address!r} (number {number + 1}) belongs to no "
                "quality assurance; dropped",
            )
        return tuple(qa for _, qa in sorted(found, key=lambda item: item[0]))

    def topic(self, note: Node, path: Path) -> str | None:
        """What an ``additionalNote`` is about: eumicro's conventions by its subject."""
        subject = self.one(note, "subject", path)
        if subject is None:
            return None
        node = self.node(*subject)
        iri = node.get("id") if node is not None else None
        if iri in (NOTE_TOPIC_QUALITY_ASSURANCE, NOTE_TOPIC_PATHWAYS, NOTE_TOPIC_PARTICIPATION):
            return str(iri)
        if isinstance(iri, str):
            if vocab.ACCREDITATION_TYPE.find_iri(iri) is not None:
                return NOTE_TOPIC_QUALITY_ASSURANCE
            if vocab.LEARNING_SCHEDULE.find_iri(iri) is not None:
                return "schedule"
        return "other"

    def stackability(self, spec: Node, description: Text | None, path: Path) -> Stackability | None:
        partial = self.one(spec, "isPartialQualification", path)
        flag: bool | None = None
        if partial is not None:
            value = partial[0]
            if isinstance(value, dict) and "@value" in value:
                value = value["@value"]
            if isinstance(value, str) and value in ("true", "false"):
                value = value == "true"
            if not isinstance(value, bool):
                self.problem(partial[1], f"expected true or false, got {short_json(value)}", "type")
                return None
            flag = value
        towards: list[CredentialReference] = []
        before = len(self.problems)
        for node, where in self.nodes_of(spec, "isPartOf", path):
            title = self.one(node, "title", where)
            reference = self.build(
                CredentialReference,
                {"id": node.get("id"), "title": self.text(*title) if title else None},
                {"id": (*where, "id"), "title": (*where, "title")},
                where,
            )
            if reference is not None and reference not in towards:
                towards.append(reference)
            self.unread(node, where, frozenset({"title"}))
        if len(self.problems) > before:
            return None
        if flag is None and not towards and description is None:
            return None
        option = StackabilityOption.STACKABLE if flag or towards else StackabilityOption.STAND_ALONE
        if flag is False and towards:
            self.note(
                (*path, "isPartialQualification"),
                "false, but the qualification is part of others (isPartOf): read as stackable",
            )
        if flag is None and not towards:
            self.note(
                path, "a note on pathways without isPartialQualification: read as stand-alone"
            )
        return self.build(
            Stackability,
            {"option": option, "towards": tuple(towards), "description": description},
            {"towards": (*path, "isPartOf")},
            path,
        )

    def specification(
        self,
        spec: Node | None,
        spec_path: Path,
        claim_title: Text | None,
        assessments: list[tuple[Node, Path]],
        provider: Organisation | None,
        schedule: Concept | None,
    ) -> tuple[Specification | None, Text | None]:
        """The specification and the grading scheme."""
        path = spec_path
        if spec is None:
            spec = {}
        before = len(self.problems)
        spec_id = spec.get("id")
        if spec_id is None:
            spec_id = f"{NODE_PREFIX}qualification:1"
            self.note(
                path,
                f"the achievement has no specification with an id: the specification is given the id {spec_id!r}",
            )
        kwargs: dict[str, Any] = {"id": spec_id}
        sources: dict[str, Path] = {"id": (*path, "id")}
        title = self.one(spec, "title", path)
        if title is not None:
            kwargs["title"] = self.text(*title)
            sources["title"] = title[1]
            if (
                claim_title is not None
                and kwargs["title"] is not None
                and claim_title != kwargs["title"]
            ):
                self.note(
                    path,
                    "the achievement's title differs from its specification's: the specification's is read",
                )
        else:
            kwargs["title"] = claim_title
        description = self.one(spec, "description", path)
        if description is not None:
            kwargs["description"] = self.text(*description)
        kwargs["identifiers"] = self.identifiers(spec, "identifier", path)
        kinds = self.concepts(
            spec, "dcType", path, (vocab.LEARNING_OPPORTUNITY_TYPE,), strict=False
        )
        if kinds:
            if len(kinds) > 1:
                self.note(
                    (*path, "dcType"), "several learning-opportunity types; the first is read"
                )
            kwargs["opportunity_type"] = kinds[0]
        kwargs["homepage"] = self.web_page(spec, "homepage", path)
        sources["homepage"] = (*path, "homepage")
        outcomes = []
        for node, where in self.nodes_of(spec, "learningOutcome", path):
            outcome = self.learning_outcome(node, where)
            if outcome is not None:
                outcomes.append(outcome)
        kwargs["learning_outcomes"] = tuple(outcomes)
        kwargs["learning_outcome_summary"] = self.one_note_text(
            spec, "learningOutcomeSummary", path
        )
        kwargs["workload"] = self.workload(spec, path)
        kwargs["level"] = self.level(spec, path)
        kwargs["fields"] = self.concepts(spec, "thematicArea", path, (vocab.ISCED_F,))
        sources["fields"] = (*path, "thematicArea")
        kwargs["languages"] = self.concepts(spec, "language", path, (vocab.LANGUAGE,))
        sources["languages"] = (*path, "language")
        kwargs["prerequisites"] = self.one_note_text(spec, "entryRequirement", path)
        # Notes: quality assurance, pathways, participation, schedule, further information.
        qa_notes: list[tuple[Node, Path, str | None]] = []
        pathways: Text | None = None
        participation_text: Text | None = None
        further: list[Text] = []
        for note, where in self.nodes_of(spec, "additionalNote", path):
            topic = self.topic(note, where)
            self.unread(note, where, frozenset({"noteLiteral", "subject", "noteFormat"}))
            if topic == NOTE_TOPIC_QUALITY_ASSURANCE:
                qa_notes.append((note, where, topic))
                continue
            if topic == "schedule":
                subject = self.one(note, "subject", where)
                assert subject is not None
                found_schedule = self.concept(*subject, (vocab.LEARNING_SCHEDULE,))
                if schedule is None:
                    schedule = found_schedule
                continue
            text = self.note_text(note, where)
            if text is None:
                continue
            if topic == NOTE_TOPIC_PATHWAYS and pathways is None:
                pathways = text
            elif topic == NOTE_TOPIC_PARTICIPATION and participation_text is None:
                participation_text = text
            else:
                if topic == "other":
                    self.note(
                        where,
                        "a note on a subject eumicro does not know: read as further information",
                    )
                further.append(text)
        kwargs["further_information"] = self.join(further, (*path, "additionalNote"))
        kwargs["quality_assurance"] = self.quality_assurance(spec, qa_notes, path)
        las = self.nodes_of(spec, "provenBy", path) + assessments
        unique_las: dict[str, tuple[Node, Path]] = {}
        for node, where in las:
            unique_las.setdefault(str(node.get("id", id(node))), (node, where))
        assessment, scheme = self.assessment(list(unique_las.values()))
        kwargs["assessment"] = assessment
        modes = self.concepts(spec, "mode", path, (vocab.MODE,), strict=False)
        setting = self.one_concept(spec, "learningSetting", path, (vocab.LEARNING_SETTING,))
        if modes or setting is not None or participation_text is not None:
            kwargs["participation"] = self.build(
                Participation,
                {
                    "modes": modes,
                    "setting": setting,
                    "schedule": schedule,
                    "description": participation_text,
                },
                {"modes": (*path, "mode"), "setting": (*path, "learningSetting")},
                path,
            )
        elif schedule is not None:
            self.note(
                path,
                "a learning schedule without a mode, setting or description of participation: dropped",
            )
        kwargs["stackability"] = self.stackability(spec, pathways, path)
        kwargs["provider"] = provider
        self.unread(spec, path, _READ_QUALIFICATION)
        if len(self.problems) > before:
            return None, scheme
        return self.build(Specification, kwargs, sources, path), scheme

    def join(self, texts: list[Text], path: Path) -> Text | None:
        """Several notes as one text (per language, separated by a blank line)."""
        if not texts:
            return None
        if len(texts) == 1:
            return texts[0]
        self.note(path, f"{len(texts)} notes are read as one further-information text")
        merged: dict[str, list[str]] = {}
        for text in texts:
            for tag, value in text.items_in_order():
                merged.setdefault(tag, []).append(value)
        return Text([(tag, "\n\n".join(values)) for tag, values in merged.items()])

    # -- the claim and the credential --------------------------------------------------------

    def claim(self, subject: Node, path: Path) -> tuple[Node, Path] | None:
        claims = self.nodes_of(subject, "hasClaim", path)
        if not claims:
            self.problem(
                (*path, "hasClaim"), "required key 'hasClaim' of Person is missing", "missing"
            )
            return None
        achievements = [c for c in claims if "LearningAchievement" in _types(c[0])]
        if not achievements:
            kinds = ", ".join(sorted({"/".join(_types(c[0])) or "untyped" for c in claims}))
            self.problem(
                (*path, "hasClaim"),
                f"no LearningAchievement claim (found {kinds}): a micro-credential is a "
                "learning achievement",
                "not-a-micro-credential",
            )
            return None
        for other, where in claims:
            if other is not achievements[0][0]:
                self.note(
                    where, f"the claim {self.describe(other)} is not held by the model; dropped"
                )
        return achievements[0]

    def credential(self, root: Node) -> MicroCredential | None:
        before = len(self.problems)
        kwargs: dict[str, Any] = {}
        sources: dict[str, Path] = {
            "id": ("id",),
            "issued": ("issued",),
            "valid_from": ("validFrom",),
            "valid_until": ("validUntil",),
            "identifiers": ("identifier",),
            "issuer": ("issuer",),
        }
        credential_id = root.get("id")
        if credential_id is None:
            self.problem(("id",), "required key 'id' of the credential is missing", "missing")
        kwargs["id"] = credential_id
        for value, where in self.values(root, "credentialProfiles", ()):
            profile = self.node(value, where)
            iri = profile.get("id") if profile is not None else None
            if isinstance(iri, str) and iri != GENERIC_PROFILE:
                known = vocab.CREDENTIAL_TYPE.find_iri(iri)
                name = f"{known.label!r} ({iri})" if known is not None else repr(iri)
                self.note(where, f"the credential profile is {name}, not Generic")
        kwargs["identifiers"] = self.identifiers(root, "identifier", ())
        # Dates.
        issued = self.one(root, "issued", ())
        kwargs["issued"] = self.datetime(*issued) if issued else None
        issuance = self.one(root, "issuanceDate", ())
        if issuance is not None:
            issuance_date = self.datetime(*issuance)
            if kwargs["issued"] is None and issuance_date is not None:
                kwargs["issued"] = issuance_date
                sources["issued"] = ("issuanceDate",)
                self.note(
                    ("issuanceDate",), "no 'issued': the date of issuing is read from issuanceDate"
                )
            elif issuance_date is not None and issuance_date != kwargs["issued"]:
                self.note(
                    ("issuanceDate",), "differs from 'issued', which is the date of issuing read"
                )
        if issued is None and issuance is None:
            self.note(
                ("issued",),
                "the credential has no date of issuing (an unsealed credential: the e-seal adds it)",
            )
        valid_from = self.one(root, "validFrom", ())
        kwargs["valid_from"] = self.datetime(*valid_from) if valid_from else None
        until = self.one(root, "validUntil", ())
        expiration = self.one(root, "expirationDate", ())
        kwargs["valid_until"] = self.datetime(*until) if until else None
        if expiration is not None:
            expires = self.datetime(*expiration)
            if kwargs["valid_until"] is None:
                kwargs["valid_until"] = expires
                sources["valid_until"] = ("expirationDate",)
            elif expires is not None and expires != kwargs["valid_until"]:
                self.note(
                    ("expirationDate",),
                    "differs from validUntil, which is the end of validity read",
                )
        display = root.get("displayParameter")
        if isinstance(display, dict) and not is_generated_id(str(display.get("id", ""))):
            self.note(
                ("displayParameter",),
                "the display parameters (title, images) are not held by the model; eumicro draws them anew on export",
            )
        # The learner and the claim.
        subject_found = self.one_node(root, "credentialSubject", ())
        learner = None
        claim = None
        if subject_found is None:
            self.problem(
                ("credentialSubject",),
                "required key 'credentialSubject' of the credential is missing",
                "missing",
            )
        else:
            subject, subject_path = subject_found
            if "Person" not in _types(subject):
                self.problem(
                    subject_path,
                    f"expected a Person as the credential subject, got {'/'.join(_types(subject)) or 'an untyped node'}",
                    "type",
                )
            else:
                learner = self.learner(subject, subject_path)
                claim = self.claim(subject, subject_path)
        if claim is not None:
            self.read_claim(claim[0], claim[1], kwargs, sources)
        # The issuer.
        issuer_value = self.one(root, "issuer", ())
        if issuer_value is None:
            self.problem(
                ("issuer",), "required key 'issuer' of the credential is missing", "missing"
            )
        elif kwargs.get("awarding_bodies") is not None:
            kwargs["issuer"] = self.issuer(
                issuer_value[0], issuer_value[1], kwargs["awarding_bodies"]
            )
        kwargs["learner"] = learner
        self.unread(root, (), _READ_ROOT)
        if len(self.problems) > before:
            return None
        return self.build(MicroCredential, kwargs, sources, ())

    def issuer(
        self, value: Any, path: Path, bodies: tuple[Organisation, ...]
    ) -> Organisation | None:
        node = self.node(value, path)
        if node is None:
            return None
        if isinstance(value, str) and value not in self.nodes:
            self.problem(path, f"{value!r} names no node described in the document", "missing")
            return None
        org = self.organisation(node, path)
        if org is None:
            return None
        if isinstance(value, dict) and bodies and org == bodies[0]:
            return None  # the first awarding body, not stated apart from it
        return org

    def read_claim(
        self, claim: Node, path: Path, kwargs: dict[str, Any], sources: dict[str, Path]
    ) -> None:
        title = self.one(claim, "title", path)
        claim_title = self.text(*title) if title else None
        # Awarding bodies.
        bodies: list[Organisation] = []
        process = self.one_node(claim, "awardedBy", path)
        if process is None:
            self.problem(
                (*path, "awardedBy"),
                "required key 'awardedBy' of LearningAchievement is missing",
                "missing",
            )
        else:
            process_node, process_path = process
            for org_node, where in self.nodes_of(process_node, "awardingBody", process_path):
                org = self.organisation(org_node, where)
                if org is not None:
                    if org in bodies:
                        self.note(where, "the awarding body is listed more than once")
                    else:
                        bodies.append(org)
            self.unread(process_node, process_path, frozenset({"awardingBody"}))
            sources["awarding_bodies"] = (*process_path, "awardingBody")
        kwargs["awarding_bodies"] = tuple(bodies)
        # The assessment: grade and supervision.
        assessment_specs: list[tuple[Node, Path]] = []
        graded = False
        for assessment, where in self.nodes_of(claim, "provenBy", path):
            spec = self.one_node(assessment, "specifiedBy", where)
            if spec is not None:
                assessment_specs.append(spec)
            if graded:
                self.note(where, "the model holds one graded assessment; dropped")
                continue
            grade = self.one_node(assessment, "grade", where)
            if grade is not None:
                graded = True
                grade_node, grade_path = grade
                literal = self.one(grade_node, "noteLiteral", grade_path)
                if literal is None:
                    self.problem(
                        (*grade_path, "noteLiteral"),
                        "required key 'noteLiteral' of Note is missing",
                        "missing",
                    )
                else:
                    kwargs["grade"] = self.plain(*literal)
                    sources["grade"] = literal[1]
                self.unread(grade_node, grade_path, frozenset({"noteLiteral"}))
            supervision = self.one(assessment, "idVerification", where)
            if supervision is not None:
                kwargs["supervision"] = self.concept(
                    *supervision, (vocab.SUPERVISION_VERIFICATION,)
                )
                sources["supervision"] = supervision[1]
            title = self.one(assessment, "title", where)
            if title is not None and not is_generated_id(str(assessment.get("id", ""))):
                self.note(
                    title[1],
                    "the title of the learning assessment is not held by the model; dropped",
                )
            self.unread(assessment, where, _READ_ASSESSMENT)
        # The learning opportunity: provider and schedule.
        provider = None
        schedule = None
        opportunity = self.one_node(claim, "learningOpportunity", path)
        if opportunity is not None:
            node, where = opportunity
            providers = self.nodes_of(node, "providedBy", where)
            if providers:
                provider = self.organisation(*providers[0])
                if len(providers) > 1:
                    self.note(providers[1][1], "the model holds one provider; the first is read")
            schedule = self.one_concept(
                node, "learningSchedule", where, (vocab.LEARNING_SCHEDULE,), strict=False
            )
            self.unread(node, where, frozenset({"title", "providedBy", "learningSchedule"}))
        # The specification.
        spec = self.one_node(claim, "specifiedBy", path)
        spec_node, spec_path = spec if spec is not None else (None, (*path, "specifiedBy"))
        specification, scheme = self.specification(
            spec_node, spec_path, claim_title, assessment_specs, provider, schedule
        )
        kwargs["specification"] = specification
        sources["specification"] = spec_path
        if isinstance(kwargs.get("grade"), str):
            kwargs["grade"] = self.build(
                Grade,
                {"value": kwargs["grade"], "scheme": scheme},
                {"value": sources["grade"]},
                path,
            )
        elif scheme is not None:
            self.note(path, "a grading scheme without a grade: dropped")
        further: list[Text] = []
        for note, where in self.nodes_of(claim, "additionalNote", path):
            self.unread(note, where, frozenset({"noteLiteral", "subject", "noteFormat"}))
            text = self.note_text(note, where)
            if text is not None:
                further.append(text)
        kwargs["further_information"] = self.join(further, (*path, "additionalNote"))
        self.unread(claim, path, _READ_CLAIM)


# ----------------------------------------------------------------------------- documents


def _parse(data: str | bytes, path: Path = ()) -> Any:
    try:
        return json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ParseError(
            [Problem(path, f"not valid JSON: {exc.msg}", "syntax", exc.lineno, exc.colno)], _SUBJECT
        ) from None
    except UnicodeDecodeError as exc:
        raise ParseError([Problem(path, f"not UTF-8 text: {exc}", "syntax")], _SUBJECT) from None


def _unwrap(data: Any) -> tuple[Node, Wrapper, Path, list[str]]:
    """The credential of a document, how it was wrapped, its path and notes."""
    if isinstance(data, Mapping) and not isinstance(data, dict):
        data = dict(data)
    if not isinstance(data, dict):
        raise ParseError(
            [
                Problem(
                    (),
                    f"expected a JSON object (an EDC credential), got {json_type(data)} {short_json(data)}",
                    "type",
                )
            ],
            _SUBJECT,
        )
    if "payload" in data and ("signatures" in data or "signature" in data or "protected" in data):
        payload = data["payload"]
        if not isinstance(payload, str):
            raise ParseError(
                [
                    Problem(
                        ("payload",),
                        f"expected the credential as a JSON string, got {json_type(payload)}",
                        "type",
                    )
                ],
                _SUBJECT,
            )
        if _BASE64URL.fullmatch(payload):  # a JWS payload that is base64url-encoded
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                payload = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
        try:
            inner = json.loads(payload, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ParseError(
                [
                    Problem(
                        ("payload",),
                        f"the payload is not valid JSON: {exc.msg} (line {exc.lineno}, "
                        f"column {exc.colno} of the payload)",
                        "syntax",
                    )
                ],
                _SUBJECT,
            ) from None
        if not isinstance(inner, dict):
            raise ParseError(
                [
                    Problem(
                        ("payload",),
                        f"expected a JSON object (an EDC credential), got {json_type(inner)}",
                        "type",
                    )
                ],
                _SUBJECT,
            )
        notes = [
            "$.signatures: the credential is sealed (JAdES); the seal is not verified by eumicro"
        ]
        return inner, "sealed", ("payload",), notes
    if "credential" in data and "@context" not in data and "type" not in data:
        inner = data["credential"]
        if not isinstance(inner, dict):
            raise ParseError(
                [
                    Problem(
                        ("credential",),
                        f"expected a JSON object (an EDC credential), got {json_type(inner)} {short_json(inner)}",
                        "type",
                    )
                ],
                _SUBJECT,
            )
        notes = [
            f"$.{key}: not held by the eumicro model; dropped"
            for key in data
            if key != "credential"
        ]
        return inner, "upload", ("credential",), notes
    return data, "credential", (), []


def _check_document(root: Node, reader: _Reader) -> None:
    """The JSON-LD context and the type: is this an EDC at all?"""
    context = root.get("@context")
    if context is None:
        reader.problem(
            ("@context",),
            f"required key '@context' is missing (an EDC names {EDC_CONTEXT!r})",
            "missing",
        )
    else:
        entries = context if isinstance(context, list) else [context]
        if EDC_CONTEXT not in entries:
            if _EDC_CONTEXT_HTTPS in entries:
                reader.note(
                    ("@context",),
                    f"names {_EDC_CONTEXT_HTTPS!r}; the EDC context is {EDC_CONTEXT!r} (read as such)",
                )
            else:
                reader.problem(
                    ("@context",),
                    f"expected the EDC context {EDC_CONTEXT!r}, got {short_json(context)}",
                    "not-edc",
                )
    kinds = _types(root)
    if "EuropeanDigitalCredential" not in kinds:
        reader.problem(
            ("type",),
            "expected a type including 'EuropeanDigitalCredential', got "
            + (short_json(root.get("type")) if "type" in root else "none"),
            "not-edc",
        )


def _version(root: Node, reader: _Reader) -> Version:
    for key in ("credentialStatus", "termsOfUse"):
        given = root.get(key)
        for value in given if isinstance(given, list) else [given]:
            if isinstance(value, str) or (isinstance(value, dict) and "@value" in value):
                reader.markers_31.append(key)
            elif isinstance(value, dict) and "type" in value:
                reader.markers_32.append(key)
    if "cred:proof" in root:
        reader.markers_31.append("cred:proof")
    if "sec:proof" in root:
        reader.markers_32.append("sec:proof")
    if reader.markers_31 and reader.markers_32:
        reader.note(
            (),
            f"mixes ELM 3.1 forms ({', '.join(reader.markers_31)}) and 3.2 forms ({', '.join(reader.markers_32)}): read as 3.2",
        )
        return "3.2"
    return "3.1" if reader.markers_31 else "3.2"


def from_edc(data: str | bytes | Mapping[str, Any]) -> EdcImport:
    """Read a European Digital Credential (ELM 3.1 or 3.2 JSON-LD).

    Args:
        data: the document as JSON text or bytes, or parsed: a bare credential, an upload
            wrapper ``{"credential": …}`` or a sealed JAdES JSON document
            ``{"payload": "…", "signatures": […]}``.

    Returns:
        The credential with how it was wrapped, the ELM version and notes.

    Raises:
        ParseError: the document is broken or is not a micro-credential (every problem,
            with its JSON path).

    >>> from eumicro import samples
    >>> from eumicro.formats.europass import to_edc_json
    >>> result = from_edc(to_edc_json(samples.load("ai-ethics-fr")))
    >>> result.credential == samples.load("ai-ethics-fr"), result.wrapper, result.notes
    (True, 'credential', ())
    """
    try:
        return _read(data)
    except RecursionError:
        raise ParseError(
            [Problem((), "the document is nested too deeply to be a credential", "syntax")],
            _SUBJECT,
        ) from None


def _read(data: str | bytes | Mapping[str, Any]) -> EdcImport:
    parsed = _parse(data) if isinstance(data, str | bytes) else data
    root, wrapper, prefix, notes = _unwrap(parsed)
    reader = _Reader(root, prefix)
    reader.add_notes(notes)
    _check_document(root, reader)
    if reader.problems:
        raise ParseError(reader.problems, _SUBJECT)
    version = _version(root, reader)
    credential = reader.credential(root)
    if reader.problems or credential is None:
        raise ParseError(reader.problems, _SUBJECT)
    return EdcImport(credential=credential, wrapper=wrapper, version=version, notes=reader.notes)
