"""The JSON-LD contexts of European Digital Credentials, bundled for offline use.

An EDC names two remote contexts::

    "@context": ["https://www.w3.org/2018/credentials/v1",
                 "http://data.europa.eu/snb/model/context/edc-ap"]

Both ship with eumicro (``eumicro/_data/elm/``, provenance in ``PROVENANCE.md``), and
nothing here ever touches the network. The EDC context URL has served different
documents over time and a document cannot say which one it was written against, so the
caller picks the ELM version: ``"3.2"`` (the default, ELM 3.2 LTS) or ``"3.1"``. The two
differ in three terms (3.1: ``nationalID`` → ``elm:nationalID`` and the misspelt
``resultDestribution``; no ``CredentialStatus``, ``Proof`` or ``TermsOfUse`` class terms).

This module offers

* :func:`document_loader`, a pyld document loader that serves the bundled contexts and
  refuses every other URL with a :class:`~eumicro.ParseError`, and
* :class:`Context` with :func:`active_context`, the JSON-LD 1.1 context processing that
  eumicro's built-in EDC check needs (term definitions, compact IRIs, type coercion,
  ``@language`` containers, type- and property-scoped contexts), without pyld.

>>> loader = document_loader("3.2")
>>> loader("http://data.europa.eu/snb/model/context/edc-ap")["document"]["@context"]["elm"]
'http://data.europa.eu/snb/model/elm/'
>>> loader("https://example.org/context.jsonld")
Traceback (most recent call last):
...
eumicro.ParseError: 1 problem in JSON-LD @context:
  $['@context']: unknown JSON-LD context 'https://example.org/context.jsonld': ...
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any, Final

from eumicro._errors import ParseError, Problem, UnsupportedFormatError

__all__ = [
    "CONTEXT_URLS",
    "EDC_CONTEXT_URL",
    "ELM_VERSIONS",
    "VC_V1_CONTEXT_URL",
    "Context",
    "TermDefinition",
    "active_context",
    "check_version",
    "context_document",
    "document_loader",
]

VC_V1_CONTEXT_URL: Final = "https://www.w3.org/2018/credentials/v1"
"""The W3C Verifiable Credentials Data Model 1.1 context."""
EDC_CONTEXT_URL: Final = "http://data.europa.eu/snb/model/context/edc-ap"
"""The EDC application profile context (plain ``http``, as the European Commission writes it)."""
CONTEXT_URLS: Final = (VC_V1_CONTEXT_URL, EDC_CONTEXT_URL)
ELM_VERSIONS: Final = ("3.2", "3.1")
"""ELM versions whose EDC context is bundled; the first is the default."""

_DATA_PACKAGE: Final = "eumicro"
_DATA_PATH: Final = ("_data", "elm")
_FILES: Final[Mapping[tuple[str, str], str]] = {
    (VC_V1_CONTEXT_URL, "3.2"): "credentials-v1.jsonld",
    (VC_V1_CONTEXT_URL, "3.1"): "credentials-v1.jsonld",
    (EDC_CONTEXT_URL, "3.2"): "context-3.2.jsonld",
    (EDC_CONTEXT_URL, "3.1"): "context-3.1.jsonld",
}
# Near misses worth a hint: a JSON-LD processor treats these as different documents.
_NEAR_MISSES: Final[Mapping[str, str]] = {
    "https://data.europa.eu/snb/model/context/edc-ap": EDC_CONTEXT_URL,
    "http://www.w3.org/2018/credentials/v1": VC_V1_CONTEXT_URL,
    "https://www.w3.org/2018/credentials/v1/": VC_V1_CONTEXT_URL,
}


def check_version(version: str) -> str:
    """Return ``version`` if eumicro bundles its EDC context, else raise.

    >>> check_version("3.1")
    '3.1'
    >>> check_version("3.0")
    Traceback (most recent call last):
    ...
    eumicro.UnsupportedFormatError: unknown ELM version '3.0'; eumicro bundles the EDC context of 3.2, 3.1
    """
    if version not in ELM_VERSIONS:
        raise UnsupportedFormatError(
            f"unknown ELM version {version!r}; eumicro bundles the EDC context of "
            + ", ".join(ELM_VERSIONS)
        )
    return version


def data_file(name: str) -> bytes:
    """The bytes of a bundled file under ``eumicro/_data/elm/``."""
    return resources.files(_DATA_PACKAGE).joinpath(*_DATA_PATH, name).read_bytes()


@cache
def _context_text(url: str, version: str) -> str:
    return data_file(_FILES[url, version]).decode("utf-8")


def unknown_context(url: object) -> ParseError:
    """The error for a context eumicro does not bundle."""
    message = (
        f"unknown JSON-LD context {url!r}: eumicro works offline and only knows "
        + " and ".join(CONTEXT_URLS)
    )
    if isinstance(url, str) and url in _NEAR_MISSES:
        message += f" (did you mean {_NEAR_MISSES[url]!r}?)"
    return ParseError(
        [Problem(("@context",), message, code="unknown-context")], subject="JSON-LD @context"
    )


def context_document(url: str, version: str = "3.2") -> dict[str, Any]:
    """A fresh copy of the bundled context document served at ``url``.

    Raises:
        ParseError: ``url`` is not one of :data:`CONTEXT_URLS`.
        UnsupportedFormatError: ``version`` is not one of :data:`ELM_VERSIONS`.
    """
    check_version(version)
    if (url, version) not in _FILES:
        raise unknown_context(url)
    document: dict[str, Any] = json.loads(_context_text(url, version))
    return document


def document_loader(version: str = "3.2") -> Callable[..., dict[str, Any]]:
    """A pyld document loader serving the bundled contexts; it never uses the network.

    Pass it as ``options={"documentLoader": document_loader()}`` to ``pyld.jsonld``
    functions. Any URL but :data:`CONTEXT_URLS` raises :class:`~eumicro.ParseError`
    (pyld wraps it in a ``JsonLdError`` whose ``__cause__`` chain leads to it).
    """
    check_version(version)

    def load(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": context_document(url, version),
        }

    return load


# =================================================================== context processing
# The subset of JSON-LD 1.1 context processing (W3C JSON-LD 1.1 Processing Algorithms,
# section 4.1) needed to read EDC documents: everything the two bundled contexts use,
# plus simple inline contexts. Features outside it raise ParseError with code
# "unsupported" rather than being misread.

KEYWORDS: Final = frozenset(
    {
        "@base",
        "@container",
        "@context",
        "@default",
        "@direction",
        "@embed",
        "@explicit",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@omitDefault",
        "@prefix",
        "@preserve",
        "@propagate",
        "@protected",
        "@requireAll",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    }
)
_KEYWORD_LIKE: Final = re.compile(r"^@[a-zA-Z]+$")
# pyld's test for an absolute IRI (scheme ":" no white space), kept identical.
_ABSOLUTE_IRI: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
_GEN_DELIMS: Final = (":", "/", "?", "#", "[", "]", "@")
_SUPPORTED_CONTAINERS: Final = frozenset({"@language", "@set", "@list", "@graph"})
_TERM_KEYS: Final = frozenset(
    {"@id", "@type", "@container", "@context", "@language", "@prefix", "@protected"}
)
_UNSET: Final = object()
CACHE_LIMIT: Final = 4096
"""Entries per context in each of its caches (documents may hold any number of keys)."""


def is_absolute_iri(value: str) -> bool:
    """True for an absolute IRI or a blank node identifier (as pyld decides)."""
    return _ABSOLUTE_IRI.match(value) is not None


def _unsupported(what: str) -> ParseError:
    return ParseError(
        [
            Problem(
                ("@context",),
                f"{what} is not supported by eumicro's built-in JSON-LD reading "
                "(shacl_validate_edc, which uses pyld, may read it)",
                code="unsupported",
            )
        ],
        subject="JSON-LD @context",
    )


def _invalid(message: str) -> ParseError:
    return ParseError([Problem(("@context",), message, code="jsonld")], subject="JSON-LD @context")


class TermDefinition:
    """One term of an active context.

    Attributes:
        iri: the IRI (or keyword) the term expands to; None for a term mapped to null.
        type: the type mapping: ``"@id"``, ``"@vocab"``, ``"@none"``, a datatype IRI, or None.
        containers: the container mapping (``@language``, ``@set``, ``@list``, ``@graph``).
        language: the term's own default language; ``_UNSET`` when it has none.
        scoped: the term's scoped (local) context, or None.
        prefix: whether the term may be used as the prefix of a compact IRI.
    """

    __slots__ = ("containers", "iri", "language", "prefix", "scoped", "type")

    def __init__(
        self,
        iri: str | None,
        *,
        type: str | None = None,
        containers: frozenset[str] = frozenset(),
        language: object = _UNSET,
        scoped: object = None,
        prefix: bool = False,
    ) -> None:
        self.iri = iri
        self.type = type
        self.containers = containers
        self.language = language
        self.scoped = scoped
        self.prefix = prefix


class Context:
    """An active JSON-LD context (immutable once built; derived contexts are cached).

    Attributes:
        terms: term → definition.
        vocab: the ``@vocab`` mapping, or None.
        language: the default ``@language``, or None.
        previous: the context to return to on entering a new node object, when this
            one was made by a type-scoped context (which does not propagate).
    """

    __slots__ = (
        "_aliases",
        "_derived",
        "_expanded",
        "_ids",
        "_lock",
        "_reverse",
        "_scoped_types",
        "_types",
        "language",
        "plans",
        "previous",
        "terms",
        "vocab",
    )

    def __init__(self) -> None:
        self.terms: dict[str, TermDefinition] = {}
        self.vocab: str | None = None
        self.language: str | None = None
        self.previous: Context | None = None
        self._derived: dict[tuple[int, bool], tuple[object, Context]] = {}
        self._expanded: dict[str, str | None] = {}
        self._ids: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._reverse: dict[str, str] | None = None
        self._aliases: frozenset[str] | None = None
        self._scoped_types: frozenset[str] | None = None
        self.plans: dict[tuple[str, ...], Any] = {}
        """Cache for readers: per tuple of object keys, how to read such an object."""
        self._lock = threading.Lock()

    def _copy(self) -> Context:
        new = Context()
        new.terms = dict(self.terms)
        new.vocab = self.vocab
        new.language = self.language
        new.previous = self.previous
        return new

    # ---------------------------------------------------------------- IRI expansion
    def expand_key(self, key: str) -> str | None:
        """Expand a key of a node object: a keyword, an absolute property IRI, or None.

        None means that a JSON-LD processor drops the key and its value (no term, a
        relative IRI, a blank-node property). Cached per context (up to a bound).
        """
        try:
            return self._expanded[key]
        except KeyError:
            pass
        value = self.expand_iri(key, vocab=True)
        if (
            value is not None
            and value not in KEYWORDS
            and (value.startswith("_:") or not is_absolute_iri(value))
        ):
            value = None
        if len(self._expanded) < CACHE_LIMIT:
            self._expanded[key] = value
        return value

    def expand_type(self, value: str) -> str:
        """Expand a ``@type`` value (vocabulary-relative); cached per context (up to a bound).

        A value that is neither a term nor an IRI stays as it is (pyld resolves it
        against a dummy base): it names no class of the model either way.
        """
        try:
            return self._types[value]
        except KeyError:
            pass
        expanded = self.expand_iri(value, vocab=True) or value
        if len(self._types) < CACHE_LIMIT:
            self._types[value] = expanded
        return expanded

    def expand_id(self, value: str) -> str:
        """Expand an ``@id`` value (document-relative); cached per context (up to a bound)."""
        try:
            return self._ids[value]
        except KeyError:
            pass
        expanded = self.expand_iri(value) or value
        if len(self._ids) < CACHE_LIMIT:
            self._ids[value] = expanded
        return expanded

    def expand_iri(
        self,
        value: str,
        *,
        vocab: bool = False,
        local: Mapping[str, Any] | None = None,
        defined: dict[str, bool] | None = None,
        version: str = "3.2",
    ) -> str | None:
        """IRI expansion (JSON-LD 1.1 section 5.2).

        Relative IRIs stay relative (pyld resolves them against a dummy base, which
        changes no SHACL verdict: they remain distinct, named nodes).
        """
        if vocab and local is None:
            definition = self.terms.get(value)
            if definition is not None:
                return definition.iri
        if value in KEYWORDS:
            return value
        if value[:1] == "@" and _KEYWORD_LIKE.match(value):
            return None
        if (
            local is not None
            and defined is not None
            and value in local
            and defined.get(value) is not True
        ):
            _define(self, local, value, defined, version)
        if vocab and value in self.terms:
            return self.terms[value].iri
        colon = value.find(":")
        if colon > 0:
            prefix, suffix = value[:colon], value[colon + 1 :]
            if prefix == "_" or suffix.startswith("//"):
                return value
            if (
                local is not None
                and defined is not None
                and prefix in local
                and not defined.get(prefix)
            ):
                _define(self, local, prefix, defined, version)
            definition = self.terms.get(prefix)
            if definition is not None and definition.iri is not None and definition.prefix:
                return definition.iri + suffix
            if is_absolute_iri(value):
                return value
        if vocab and self.vocab is not None:
            return self.vocab + value
        return value

    # ---------------------------------------------------------------- derivation
    def derive(self, local: object, *, propagate: bool = True, version: str = "3.2") -> Context:
        """This context with ``local`` processed on top (cached for scoped contexts)."""
        key = (id(local), propagate)
        hit = self._derived.get(key)
        if hit is not None and hit[0] is local:
            return hit[1]
        result = process(self, local, propagate=propagate, version=version)
        with self._lock:
            self._derived[key] = (local, result)
        return result

    @property
    def aliases(self) -> frozenset[str]:
        """The terms that are aliases of keywords (``id``, ``type`` …)."""
        aliases = self._aliases
        if aliases is None:
            aliases = frozenset(
                term
                for term, definition in self.terms.items()
                if definition.iri is not None and definition.iri in KEYWORDS
            )
            self._aliases = aliases
        return aliases

    @property
    def scoped_types(self) -> frozenset[str]:
        """The terms with a scoped context (applied when they are a node's type)."""
        scoped = self._scoped_types
        if scoped is None:
            scoped = frozenset(t for t, d in self.terms.items() if d.scoped is not None)
            self._scoped_types = scoped
        return scoped

    def term_for(self, iri: str) -> str | None:
        """A term of this context that expands to ``iri`` (for messages), if any."""
        reverse = self._reverse
        if reverse is None:
            reverse = {}
            for term, definition in self.terms.items():
                if definition.iri is not None and not definition.prefix:
                    reverse.setdefault(definition.iri, term)
            self._reverse = reverse
        return reverse.get(iri)


def _define(
    active: Context,
    local: Mapping[str, Any],
    term: str,
    defined: dict[str, bool],
    version: str,
) -> None:
    """Create a term definition (JSON-LD 1.1 section 4.2, the supported subset)."""
    state = defined.get(term)
    if state is True:
        return
    if state is False:
        raise _invalid(f"cyclic IRI mapping for the term {term!r}")
    defined[term] = False
    value = local[term]
    if term in KEYWORDS:
        if term == "@type" and isinstance(value, Mapping):
            defined[term] = True  # "@type": {"@container": "@set"} changes nothing here
            return
        raise _invalid(f"keyword redefinition: {term!r}")
    if _KEYWORD_LIKE.match(term):
        defined[term] = True
        return  # ignored, as the algorithm says (with a warning)
    active.terms.pop(term, None)
    active._expanded.clear()
    active._ids.clear()
    active._types.clear()
    active.plans.clear()
    if value is None:
        active.terms[term] = TermDefinition(None)
        defined[term] = True
        return
    simple = isinstance(value, str)
    definition: Mapping[str, Any]
    if simple:
        definition = {"@id": value}
    elif isinstance(value, Mapping):
        definition = value
    else:
        raise _invalid(f"invalid term definition for {term!r}: {value!r}")
    extra = set(definition) - _TERM_KEYS
    if extra:
        raise _unsupported(f"the term definition key(s) {', '.join(sorted(extra))} of {term!r}")

    iri: str | None
    if "@id" in definition and definition["@id"] != term:
        raw = definition["@id"]
        if raw is None:
            iri = None
        elif not isinstance(raw, str):
            raise _invalid(f"invalid IRI mapping for {term!r}: {raw!r}")
        else:
            iri = active.expand_iri(raw, vocab=True, local=local, defined=defined, version=version)
            if iri is None or (iri not in KEYWORDS and not is_absolute_iri(iri)):
                raise _invalid(f"invalid IRI mapping for {term!r}: {raw!r}")
            if iri == "@context":
                raise _invalid(f"invalid keyword alias {term!r}")
    elif ":" in term[1:]:
        prefix, suffix = term.split(":", 1)
        if prefix in local:
            _define(active, local, prefix, defined, version)
        prefix_definition = active.terms.get(prefix)
        if prefix_definition is not None and prefix_definition.iri is not None:
            iri = prefix_definition.iri + suffix
        else:
            iri = term
    elif "/" in term:
        raise _unsupported(f"the relative-IRI term {term!r}")
    elif active.vocab is not None:
        iri = active.vocab + term
    else:
        raise _invalid(f"invalid IRI mapping for {term!r}: no @id and no @vocab")

    type_mapping: str | None = None
    if "@type" in definition:
        raw_type = definition["@type"]
        if not isinstance(raw_type, str):
            raise _invalid(f"invalid type mapping for {term!r}: {raw_type!r}")
        type_mapping = active.expand_iri(
            raw_type, vocab=True, local=local, defined=defined, version=version
        )
        if type_mapping == "@json":
            raise _unsupported(f"the @json type of {term!r}")
        if type_mapping not in ("@id", "@vocab", "@none") and (
            type_mapping is None or not is_absolute_iri(type_mapping)
        ):
            raise _invalid(f"invalid type mapping for {term!r}: {raw_type!r}")

    containers: frozenset[str] = frozenset()
    if "@container" in definition:
        raw_container = definition["@container"]
        items = raw_container if isinstance(raw_container, list) else [raw_container]
        if not all(isinstance(c, str) for c in items):
            raise _invalid(f"invalid container mapping for {term!r}")
        containers = frozenset(items)
        if not containers <= _SUPPORTED_CONTAINERS:
            raise _unsupported(f"the container {raw_container!r} of {term!r}")

    language: object = _UNSET
    if "@language" in definition:
        raw_language = definition["@language"]
        if raw_language is not None and not isinstance(raw_language, str):
            raise _invalid(f"invalid language mapping for {term!r}")
        language = raw_language.lower() if isinstance(raw_language, str) else None

    prefix_flag = False
    if "@prefix" in definition:
        prefix_flag = definition["@prefix"] is True
    elif simple and ":" not in term and "/" not in term and iri is not None:
        prefix_flag = iri.endswith(_GEN_DELIMS)

    active.terms[term] = TermDefinition(
        iri,
        type=type_mapping,
        containers=containers,
        language=language,
        scoped=definition.get("@context"),
        prefix=prefix_flag,
    )
    defined[term] = True


def process(
    active: Context,
    local: object,
    *,
    propagate: bool = True,
    version: str = "3.2",
    _remote: tuple[str, ...] = (),
) -> Context:
    """Context processing (JSON-LD 1.1 section 4.1, the supported subset)."""
    result = active._copy()
    if not propagate and result.previous is None:
        result.previous = active
    for context in local if isinstance(local, list) else [local]:
        if context is None:
            fresh = Context()
            if not propagate:
                fresh.previous = result.previous
            result = fresh
        elif isinstance(context, str):
            if context in _remote:
                raise _invalid(f"recursive context inclusion of {context!r}")
            if (context, version) not in _FILES:
                raise unknown_context(context)
            document = json.loads(_context_text(context, version))
            if not isinstance(document, dict) or "@context" not in document:
                raise _invalid(f"the document at {context!r} has no @context")
            result = process(
                result,
                document["@context"],
                propagate=True,
                version=version,
                _remote=(*_remote, context),
            )
        elif isinstance(context, Mapping):
            for keyword in ("@base", "@import", "@direction"):
                if keyword in context:
                    raise _unsupported(f"{keyword} in a context")
            if "@propagate" in context and context["@propagate"] is not True:
                raise _unsupported("@propagate: false")
            if "@version" in context and context["@version"] != 1.1:
                raise _invalid(f"invalid @version {context['@version']!r}")
            if "@vocab" in context:
                vocab = context["@vocab"]
                if vocab is None:
                    result.vocab = None
                elif isinstance(vocab, str):
                    expanded = result.expand_iri(vocab, vocab=True, version=version)
                    if expanded is None or not is_absolute_iri(expanded):
                        raise _unsupported(f"the relative @vocab {vocab!r}")
                    result.vocab = expanded
                else:
                    raise _invalid(f"invalid @vocab {vocab!r}")
                result._expanded.clear()
                result._ids.clear()
                result._types.clear()
                result.plans.clear()
            if "@language" in context:
                language = context["@language"]
                if language is not None and not isinstance(language, str):
                    raise _invalid(f"invalid default language {language!r}")
                result.language = language.lower() if isinstance(language, str) else None
            defined: dict[str, bool] = {}
            for term in context:
                if term in ("@version", "@vocab", "@language", "@protected", "@propagate"):
                    continue
                _define(result, context, term, defined, version)
        else:
            raise _invalid(f"invalid local context {context!r}")
    return result


_ACTIVE_CACHE: dict[tuple[str, tuple[str, ...]], Context] = {}
_ACTIVE_LOCK = threading.Lock()


def active_context(local: object, version: str = "3.2") -> Context:
    """The active context for a document's ``@context`` value.

    Contexts made only of bundled URLs (the usual case) are processed once and cached.
    """
    check_version(version)
    urls: tuple[str, ...] | None = None
    if isinstance(local, str):
        urls = (local,)
    elif isinstance(local, list) and all(isinstance(c, str) for c in local):
        urls = tuple(local)
    if urls is None:
        return process(Context(), local, version=version)
    key = (version, urls)
    cached = _ACTIVE_CACHE.get(key)
    if cached is None:
        cached = process(Context(), list(urls), version=version)
        with _ACTIVE_LOCK:
            _ACTIVE_CACHE[key] = cached
    return cached
