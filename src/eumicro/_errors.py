"""The one exception hierarchy of eumicro.

Every error that eumicro raises on purpose derives from :class:`EumicroError`::

    EumicroError
    ├── ValidationError        one or more problems, each with a path (also a ValueError)
    │   ├── ParseError         a document could not be read (syntax, types, unknown keys …)
    │   └── AnnexIError        a credential was issued that does not meet Annex I
    ├── UnknownConceptError    a vocabulary lookup failed (also a LookupError)
    └── UnsupportedFormatError a format name or file type eumicro does not know

A :class:`ValidationError` never stops at the first problem: it carries *every*
problem found, as :class:`Problem` objects with a path into the object or the
document (``$.learner.dateOfBirth``, ``$.awardingBodies[1].name``) and, for text
formats, the line and column where that is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "AnnexIError",
    "EumicroError",
    "ParseError",
    "Problem",
    "UnknownConceptError",
    "UnsupportedFormatError",
    "ValidationError",
    "format_path",
]

PathSegment = str | int


def format_path(path: Sequence[PathSegment], root: str = "$") -> str:
    """Render a path as a JSONPath-like string.

    >>> format_path(("awardingBodies", 1, "name"))
    '$.awardingBodies[1].name'
    >>> format_path((), root="$")
    '$'
    """
    parts = [root]
    for segment in path:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        elif segment.isidentifier():
            parts.append(f".{segment}")
        else:
            escaped = segment.encode("unicode_escape").decode("ascii").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


@attrs.frozen(slots=True)
class Problem:
    """One problem found in an object or a document.

    Attributes:
        path: segments from the root to the offending value (keys and list indexes).
        message: what is wrong and, where it helps, what was expected and what was found.
        code: a short machine-readable kind (``"missing"``, ``"type"``, ``"unknown-key"`` …).
        line: 1-based line in the source document, when known.
        column: 1-based column in the source document, when known.
    """

    path: tuple[PathSegment, ...]
    message: str
    code: str = "invalid"
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        """The path as a string (``$.learner.name``)."""
        return format_path(self.path)

    def prefixed(self, *segments: PathSegment) -> Problem:
        """The same problem seen from an enclosing object."""
        return attrs.evolve(self, path=(*segments, *self.path))

    def __str__(self) -> str:
        where = self.location
        if self.line is not None:
            where += f" (line {self.line}, column {self.column or 0})"
        return f"{where}: {self.message}"


class EumicroError(Exception):
    """Base class of every error eumicro raises on purpose."""


class ValidationError(EumicroError, ValueError):
    """One or more problems with a value, an object or a document.

    Attributes:
        problems: every problem found, in the order found.
        subject: what was being validated (a class or format name), for the message.
    """

    def __init__(self, problems: Iterable[Problem], subject: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.subject = subject
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        head = f"{count} {noun}" + (f" in {self.subject}" if self.subject else "")
        return head + ":\n" + "\n".join(f"  {p}" for p in self.problems)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...], str]]:
        return (type(self), (self.problems, self.subject))

    def prefixed(self, *segments: PathSegment) -> list[Problem]:
        """The problems with ``segments`` put in front of their paths."""
        return [p.prefixed(*segments) for p in self.problems]


class ParseError(ValidationError):
    """A document could not be turned into eumicro objects."""


class AnnexIError(ValidationError):
    """A credential lacks elements that Annex I of the Recommendation makes mandatory."""


class UnknownConceptError(EumicroError, LookupError):
    """A value was not found in a controlled vocabulary.

    Attributes:
        vocabulary: name of the vocabulary searched.
        value: the value that was looked up.
        suggestions: close matches, if any.
    """

    def __init__(self, vocabulary: str, value: object, suggestions: tuple[str, ...] = ()) -> None:
        self.vocabulary = vocabulary
        self.value = value
        self.suggestions = tuple(suggestions)
        if vocabulary == "vocabulary":
            message = f"there is no vocabulary named {value!r}"
        else:
            message = f"{value!r} is not in the {vocabulary} vocabulary"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)

    def __reduce__(
        self,
    ) -> tuple[type[UnknownConceptError], tuple[str, object, tuple[str, ...]]]:
        return (type(self), (self.vocabulary, self.value, self.suggestions))

    def __str__(self) -> str:
        return str(self.args[0])


class UnsupportedFormatError(EumicroError, ValueError):
    """A format name or file type that eumicro cannot read or write."""
