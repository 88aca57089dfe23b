"""Language-tagged text: a title in English and German, say."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import final, overload

from eumicro._errors import Problem, ValidationError

# What is not text: control characters other than tab, line feed and carriage return,
# the non-characters U+FFFE and U+FFFF, and lone surrogates. XML 1.0 cannot hold any of
# them (not even as character references), and no credential needs them.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text_problem(value: str) -> tuple[str, str] | None:
    """Why ``value`` is not text, as (message, code); None when it is.

    >>> text_problem("Data\\u0007")
    ('contains U+0007 at position 5, a control character that is not text', 'character')
    >>> text_problem("ok") is None
    True
    """
    m = _NOT_TEXT.search(value)
    if m is None:
        return None
    char = m.group()
    if "\ud800" <= char <= "\udfff":
        return "contains a lone surrogate: not valid Unicode text", "unicode"
    kind = "a non-character" if char in "\ufffe\uffff" else "a control character"
    return (
        f"contains U+{ord(char):04X} at position {m.start() + 1}, {kind} that is not text",
        "character",
    )


__all__ = ["Text", "normalise_language_tag"]

# BCP 47 language tags, as used by JSON-LD language maps and xml:lang.
_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?P<rest>(?:-[A-Za-z0-9]{1,8})*)$"
)


_TAG_CACHE: dict[str, str | None] = {}


def normalise_language_tag(tag: str) -> str | None:
    """Return the canonical case of a BCP 47 tag, or None when it is not one.

    >>> normalise_language_tag("PT-br")
    'pt-BR'
    >>> normalise_language_tag("zh-hant-tw")
    'zh-Hant-TW'
    >>> normalise_language_tag("english") is None
    True
    >>> normalise_language_tag("e") is None
    True
    """
    m = _TAG.fullmatch(tag)
    if m is None:
        return None
    out = m["lang"].lower()
    if m["script"]:
        out += "-" + m["script"].title()
    if m["region"]:
        out += "-" + m["region"].upper()
    if m["rest"]:
        out += m["rest"].lower()
    return out


@final
class Text(Mapping[str, str]):
    """Immutable text in one or more languages, keyed by BCP 47 language tag.

    Build it from keyword arguments, a mapping or pairs; the first language given is the
    text's primary language (``str(text)`` returns it)::

        >>> title = Text(en="Data literacy", de="Datenkompetenz")
        >>> title["de"]
        'Datenkompetenz'
        >>> str(title)
        'Data literacy'
        >>> Text({"pt-BR": "Letramento de dados"}).best("pt")
        'Letramento de dados'

    Comparison ignores the order of languages. Tags are put in canonical case (``pt-BR``);
    a tag that is not BCP 47, a text that is not a string, or an empty text raises
    :class:`~eumicro.ValidationError` listing every problem.
    """

    __slots__ = ("_hash", "_items")

    _items: tuple[tuple[str, str], ...]
    _hash: int | None

    def __init__(
        self,
        values: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        /,
        **by_language: str,
    ) -> None:
        pairs: list[tuple[object, object]] = []
        if values is not None:
            if isinstance(values, Mapping):
                pairs.extend(values.items())
            elif isinstance(values, str | bytes):
                raise ValidationError(
                    [
                        Problem(
                            (),
                            "expected text in one or more languages, such as "
                            f"Text(en='…'), got a plain {type(values).__name__}",
                            "type",
                        )
                    ],
                    "Text",
                )
            else:
                pairs.extend(values)
        pairs.extend(by_language.items())
        problems: list[Problem] = []
        items: dict[str, str] = {}
        for key, value in pairs:
            if not isinstance(key, str):
                problems.append(Problem((), f"language tag must be a string, got {key!r}", "type"))
                continue
            tag = normalise_language_tag(key.replace("_", "-"))
            if tag is None:
                problems.append(
                    Problem(
                        (key,),
                        f"{key!r} is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')",
                        "language",
                    )
                )
                continue
            if not isinstance(value, str):
                problems.append(
                    Problem((key,), f"expected a string, got {type(value).__name__}", "type")
                )
                continue
            if not value.strip():
                problems.append(Problem((key,), "must not be empty or only whitespace", "empty"))
                continue
            found = text_problem(value)
            if found is not None:
                problems.append(Problem((key,), found[0], found[1]))
                continue
            if tag in items:
                problems.append(
                    Problem((key,), f"language {tag!r} is given more than once", "duplicate")
                )
                continue
            items[tag] = value
        if not items and not problems:
            problems.append(Problem((), "must have text in at least one language", "empty"))
        if problems:
            raise ValidationError(problems, "Text")
        object.__setattr__(self, "_items", tuple(items.items()))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Text is immutable")

    def __getitem__(self, language: str) -> str:
        for tag, value in self._items:
            if tag == language:
                return value
        canonical = normalise_language_tag(language) if isinstance(language, str) else None
        if canonical is not None and canonical != language:
            for tag, value in self._items:
                if tag == canonical:
                    return value
        raise KeyError(language)

    def __contains__(self, language: object) -> bool:
        if not isinstance(language, str):
            return False
        try:
            self[language]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return (tag for tag, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return len(self._items) == len(other._items) and set(self._items) == set(other._items)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._items)))
        assert self._hash is not None
        return self._hash

    def __repr__(self) -> str:
        if all(tag.isidentifier() for tag, _ in self._items):
            inner = ", ".join(f"{tag}={value!r}" for tag, value in self._items)
        else:
            inner = repr(dict(self._items))
        return f"Text({inner})"

    def __str__(self) -> str:
        return self._items[0][1]

    def __reduce__(self) -> tuple[type[Text], tuple[tuple[tuple[str, str], ...]]]:
        return (Text, (self._items,))

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags, primary language first."""
        return tuple(tag for tag, _ in self._items)

    @property
    def primary_language(self) -> str:
        """The first language given."""
        return self._items[0][0]

    def items_in_order(self) -> tuple[tuple[str, str], ...]:
        """``(language, text)`` pairs in the order given."""
        return self._items

    @overload
    def best(self) -> str: ...
    @overload
    def best(self, *preferred: str) -> str: ...
    def best(self, *preferred: str) -> str:
        """The text in the first preferred language available.

        A preferred ``"pt"`` matches ``"pt-BR"`` and vice versa; with no match the
        primary language is used.
        """
        for want in preferred:
            want_norm = normalise_language_tag(want) or want
            for tag, value in self._items:
                if tag == want_norm:
                    return value
            base = want_norm.split("-")[0]
            for tag, value in self._items:
                if tag.split("-")[0] == base:
                    return value
        return self._items[0][1]
