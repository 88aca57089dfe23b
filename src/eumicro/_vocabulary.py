"""Controlled vocabularies: concepts, lazily loaded vocabularies and their registry.

The data of every vocabulary ships with the package, one JSON file per vocabulary
under ``eumicro/_data/vocabularies/`` (written by ``tools/gen_vocabularies.py``).
A :class:`Vocabulary` reads its file the first time it is asked for a concept and
builds its lookup indexes once; every later lookup is a dictionary access.
"""

from __future__ import annotations

import difflib
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Final

import attrs

from eumicro._errors import UnknownConceptError

__all__ = [
    "Concept",
    "Vocabulary",
    "concept_by_iri",
    "find_vocabulary",
    "register",
    "registered",
]

_DATA_PACKAGE: Final = "eumicro"
_DATA_PATH: Final = ("_data", "vocabularies")
_CORE_KEYS: Final = frozenset({"iri", "code", "label", "alt"})
_NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MAX_SUGGESTIONS: Final = 3


def _normalise(text: str) -> str:
    """Case-fold ``text`` and collapse runs of whitespace to one space."""
    return " ".join(text.split()).casefold()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.frozen(slots=True, order=False)
class Concept:
    """One concept of a controlled vocabulary (a SKOS concept).

    Concepts compare and hash by all their fields, so the same concept looked up
    twice (by IRI, by code, by label …) gives equal objects.

    Attributes:
        iri: the concept's IRI, e.g. ``http://data.europa.eu/snb/eqf/6``.
        code: short code, usually the last segment of the IRI (``"6"``, ``"DEU"``).
        label: English preferred label; never empty (falls back to ``code``).
        scheme: IRI of the concept scheme the concept belongs to.
        alt_codes: other codes that identify the concept (``"DE"`` for Germany).
    """

    iri: str
    code: str
    label: str
    scheme: str
    alt_codes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.label.strip():
            object.__setattr__(self, "label", self.code)

    def __str__(self) -> str:
        return self.label


class _Index:
    """The concepts of one vocabulary and the dictionaries to find them."""

    __slots__ = ("by_code", "by_iri", "by_label", "concepts", "extras", "search_keys", "suggest")

    def __init__(self, scheme: str, records: Iterable[Mapping[str, object]]) -> None:
        concepts: list[Concept] = []
        extras: dict[str, Mapping[str, object]] = {}
        for record in records:
            iri = str(record["iri"])
            code = str(record["code"])
            label = " ".join(str(record.get("label") or "").split())
            alt = record.get("alt") or ()
            alt_codes = tuple(str(a) for a in alt) if isinstance(alt, list | tuple) else ()
            concept = Concept(iri=iri, code=code, label=label, scheme=scheme, alt_codes=alt_codes)
            concepts.append(concept)
            extra = {key: value for key, value in record.items() if key not in _CORE_KEYS}
            if extra:
                extras[iri] = MappingProxyType(extra)

        by_iri: dict[str, Concept] = {}
        by_code: dict[str, Concept] = {}
        by_label: dict[str, Concept] = {}
        for concept in concepts:
            by_iri.setdefault(concept.iri, concept)
            by_code.setdefault(concept.code.casefold(), concept)
        # Alternative codes never shadow a primary code; the first concept wins.
        for concept in concepts:
            for alt_code in concept.alt_codes:
                by_code.setdefault(alt_code.casefold(), concept)
        # Real labels first, then the labels that fell back to the code.
        for concept in concepts:
            if concept.label != concept.code:
                by_label.setdefault(_normalise(concept.label), concept)
        for concept in concepts:
            by_label.setdefault(_normalise(concept.label), concept)

        suggest: dict[str, str] = {}
        for concept in concepts:
            suggest.setdefault(_normalise(concept.label), concept.label)
        for concept in concepts:
            suggest.setdefault(concept.code.casefold(), concept.code)

        self.concepts: tuple[Concept, ...] = tuple(concepts)
        self.by_iri: Mapping[str, Concept] = by_iri
        self.by_code: Mapping[str, Concept] = by_code
        self.by_label: Mapping[str, Concept] = by_label
        self.extras: Mapping[str, Mapping[str, object]] = extras
        self.search_keys: tuple[tuple[str, str], ...] = tuple(
            (_normalise(c.label), c.code.casefold()) for c in concepts
        )
        self.suggest: Mapping[str, str] = suggest


class Vocabulary:
    """A controlled vocabulary (SKOS concept scheme) bundled with eumicro.

    The concepts are read from the package data on the first lookup, not when
    the vocabulary is created or imported. Loading is thread-safe.

    Args:
        name: data name of the vocabulary (``"eqf"``); the file
            ``_data/vocabularies/{name}.json`` holds its concepts.
        title: human-readable title.
        scheme: IRI of the concept scheme.
        official: ``False`` for a vocabulary that eumicro defines itself
            because no EU vocabulary exists.

    Example:
        >>> from eumicro.vocab import EQF
        >>> EQF.lookup("Level 6").code
        '6'
    """

    __slots__ = ("_index", "_lock", "_name", "_official", "_scheme", "_title")

    def __init__(self, name: str, title: str, scheme: str, official: bool = True) -> None:
        if not _NAME_RE.match(name):
            msg = f"invalid vocabulary name {name!r} (lower-case letters, digits and '-')"
            raise ValueError(msg)
        self._name = name
        self._title = title
        self._scheme = scheme
        self._official = official
        self._lock = threading.Lock()
        self._index: _Index | None = None

    # -- metadata ---------------------------------------------------------------

    @property
    def name(self) -> str:
        """Data name of the vocabulary (``"eqf"``)."""
        return self._name

    @property
    def title(self) -> str:
        """Human-readable title."""
        return self._title

    @property
    def scheme(self) -> str:
        """IRI of the concept scheme."""
        return self._scheme

    @property
    def official(self) -> bool:
        """Whether the vocabulary is published by the EU (``False``: defined by eumicro)."""
        return self._official

    @property
    def _loaded(self) -> bool:
        """Whether the data file has been read (for tests and diagnostics)."""
        return self._index is not None

    # -- loading ----------------------------------------------------------------

    def _data(self) -> _Index:
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._index = self._read()
            return self._index

    def _read(self) -> _Index:
        resource = (
            resources.files(_DATA_PACKAGE)
            .joinpath(_DATA_PATH[0])
            .joinpath(_DATA_PATH[1])
            .joinpath(f"{self._name}.json")
        )
        document = json.loads(resource.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or not isinstance(document.get("concepts"), list):
            msg = f"corrupt vocabulary data for {self._name!r}: no concept list"
            raise RuntimeError(msg)
        if document.get("scheme") != self._scheme:
            msg = (
                f"vocabulary data for {self._name!r} names scheme {document.get('scheme')!r}, "
                f"expected {self._scheme!r}"
            )
            raise RuntimeError(msg)
        return _Index(self._scheme, document["concepts"])

    # -- container protocol -----------------------------------------------------

    def __iter__(self) -> Iterator[Concept]:
        """Iterate over the concepts in the order of the source."""
        return iter(self._data().concepts)

    def __len__(self) -> int:
        """Number of concepts."""
        return len(self._data().concepts)

    def __contains__(self, item: object) -> bool:
        """Whether ``item`` is a concept of this vocabulary, or an IRI or code of one.

        Labels are not considered; use :meth:`get` for that.
        """
        index = self._data()
        if isinstance(item, Concept):
            return item.scheme == self._scheme and item.iri in index.by_iri
        if _is_int(item):
            return str(item).casefold() in index.by_code
        if isinstance(item, str):
            key = item.strip()
            return key in index.by_iri or key.casefold() in index.by_code
        return False

    def __getitem__(self, key: str | int) -> Concept:
        """Same as :meth:`lookup`."""
        return self.lookup(key)

    def __repr__(self) -> str:
        return f"Vocabulary({self._name!r}, {len(self)} concepts)"

    # -- lookups ----------------------------------------------------------------

    def by_iri(self, iri: str) -> Concept:
        """The concept with exactly this IRI.

        Raises:
            UnknownConceptError: no concept has this IRI.
        """
        concept = self._data().by_iri.get(iri)
        if concept is None:
            raise UnknownConceptError(self._name, iri, self._suggestions(iri))
        return concept

    def find_iri(self, iri: str) -> Concept | None:
        """The concept with exactly this IRI, or ``None`` (the fastest lookup)."""
        return self._data().by_iri.get(iri)

    def by_code(self, code: str | int) -> Concept:
        """The concept with this code or alternative code (case-insensitive).

        An ``int`` is accepted for numeric codes: ``EQF.by_code(6)``.

        Raises:
            UnknownConceptError: no concept has this code.
        """
        concept: Concept | None = None
        if not isinstance(code, bool):
            concept = self._data().by_code.get(str(code).strip().casefold())
        if concept is None:
            raise UnknownConceptError(self._name, code, self._suggestions(code))
        return concept

    def by_label(self, label: str) -> Concept:
        """The concept with this English label (case- and whitespace-insensitive).

        When several concepts share a label, the first one in source order is returned.

        Raises:
            UnknownConceptError: no concept has this label.
        """
        concept = self._data().by_label.get(_normalise(label))
        if concept is None:
            raise UnknownConceptError(self._name, label, self._suggestions(label))
        return concept

    def get(self, key: str | int | Concept) -> Concept | None:
        """Find a concept by concept, IRI, code or alternative code, or label.

        The candidates are tried in that order. A :class:`Concept` is found when it
        belongs to this scheme. Returns ``None`` when nothing matches.
        """
        index = self._data()
        if isinstance(key, Concept):
            if key.scheme != self._scheme:
                return None
            return index.by_iri.get(key.iri)
        if _is_int(key):
            return index.by_code.get(str(key).casefold())
        if not isinstance(key, str):
            return None
        text = key.strip()
        concept = index.by_iri.get(text)
        if concept is None:
            concept = index.by_code.get(text.casefold())
        if concept is None:
            concept = index.by_label.get(_normalise(text))
        return concept

    def lookup(self, key: str | int | Concept) -> Concept:
        """Like :meth:`get`, but raise when nothing matches.

        Raises:
            UnknownConceptError: nothing matches; ``suggestions`` holds up to three
                close labels or codes.
        """
        concept = self.get(key)
        if concept is None:
            raise UnknownConceptError(self._name, key, self._suggestions(key))
        return concept

    def search(self, text: str, limit: int = 10) -> list[Concept]:
        """Concepts whose label or code contains ``text`` (case-insensitive), in source order.

        Args:
            text: the substring to look for.
            limit: at most this many concepts are returned.
        """
        if limit <= 0:
            return []
        needle = _normalise(text)
        index = self._data()
        found: list[Concept] = []
        for concept, (label, code) in zip(index.concepts, index.search_keys, strict=True):
            if needle in label or needle in code:
                found.append(concept)
                if len(found) >= limit:
                    break
        return found

    def extra(self, concept: Concept, key: str) -> object | None:
        """Extra data recorded for ``concept`` under ``key``, or ``None``.

        For example the EQF level of a QF-EHEA cycle:
        ``QF_EHEA.extra(QF_EHEA["2"], "eqf") == 7``.
        """
        if concept.scheme != self._scheme:
            return None
        extras = self._data().extras.get(concept.iri)
        return None if extras is None else extras.get(key)

    def _suggestions(self, key: object) -> tuple[str, ...]:
        if isinstance(key, Concept):
            text = key.code
        elif _is_int(key) or isinstance(key, str):
            text = str(key).strip()
        else:
            return ()
        if "/" in text:
            text = text.rstrip("/").rsplit("/", 1)[-1]
        needle = _normalise(text)
        if not needle:
            return ()
        pool = self._data().suggest
        matches = difflib.get_close_matches(needle, pool.keys(), n=_MAX_SUGGESTIONS, cutoff=0.6)
        return tuple(dict.fromkeys(pool[m] for m in matches))


# -- registry -----------------------------------------------------------------------

_REGISTRY: dict[str, Vocabulary] = {}
_DISPLAY_NAMES: dict[str, str] = {}
_REGISTERED: list[Vocabulary] = []
_REGISTRY_LOCK = threading.Lock()


def register(vocabulary: Vocabulary, *aliases: str) -> Vocabulary:
    """Make ``vocabulary`` findable by its name and by ``aliases`` (case-insensitive).

    Returns the registered vocabulary, so that ``EQF = register(Vocabulary(...), "EQF")``
    works. Registering a vocabulary with the same name, title, scheme and ``official``
    flag again (as when a module is reloaded) returns the one registered first.

    Raises:
        ValueError: a name or alias already belongs to a different vocabulary.
    """
    with _REGISTRY_LOCK:
        previous = _REGISTRY.get(vocabulary.name.casefold())
        if previous is not None and _same_definition(previous, vocabulary):
            vocabulary = previous
        names = [n.strip() for n in (vocabulary.name, *aliases)]
        for name in names:
            existing = _REGISTRY.get(name.casefold())
            if existing is not None and existing is not vocabulary:
                msg = f"vocabulary name {name!r} is already registered for {existing.name!r}"
                raise ValueError(msg)
        for name in names:
            _REGISTRY[name.casefold()] = vocabulary
            _DISPLAY_NAMES.setdefault(name.casefold(), name)
        if all(v is not vocabulary for v in _REGISTERED):
            _REGISTERED.append(vocabulary)
    return vocabulary


def _same_definition(a: Vocabulary, b: Vocabulary) -> bool:
    return (a.name, a.title, a.scheme, a.official) == (b.name, b.title, b.scheme, b.official)


def registered() -> tuple[Vocabulary, ...]:
    """Every registered vocabulary, in registration order."""
    with _REGISTRY_LOCK:
        return tuple(_REGISTERED)


def find_vocabulary(name: str) -> Vocabulary:
    """The registered vocabulary with this name or alias (case-insensitive).

    Raises:
        UnknownConceptError: no vocabulary has this name (``vocabulary`` is
            ``"vocabulary"``; ``suggestions`` holds close names).
    """
    key = name.strip().casefold()
    with _REGISTRY_LOCK:
        found = _REGISTRY.get(key)
        names = dict(_DISPLAY_NAMES)
        owners = dict(_REGISTRY)
    if found is None:
        close = difflib.get_close_matches(key, names.keys(), n=2 * _MAX_SUGGESTIONS, cutoff=0.6)
        # One suggestion per vocabulary: "isced-f" and "ISCED_F" name the same one.
        seen: set[int] = set()
        suggestions: list[str] = []
        for candidate in close:
            owner = id(owners[candidate])
            if owner not in seen:
                seen.add(owner)
                suggestions.append(names[candidate])
        raise UnknownConceptError("vocabulary", name, tuple(suggestions[:_MAX_SUGGESTIONS]))
    return found


def concept_by_iri(vocabularies: tuple[Vocabulary, ...], iri: str) -> Concept:
    """The concept with this IRI in one of ``vocabularies``, as documents name concepts.

    Raises:
        ValueError: no such concept; the message names the vocabularies and, when
            ``iri`` is a code or label of one (``"FRA"``), suggests its IRI.
    """
    for vocabulary in vocabularies:
        found = vocabulary.find_iri(iri)
        if found is not None:
            return found
    hint = ""
    for vocabulary in vocabularies:
        found = vocabulary.get(iri)
        if found is not None:
            hint = f"; did you mean {found.iri!r} ({found.label})?"
            break
    names = " or ".join(v.title for v in vocabularies)
    raise ValueError(f"{iri!r} is not the IRI of a concept from {names}{hint}")
