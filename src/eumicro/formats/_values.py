"""Describing JSON values in error messages (shared by the JSON-based readers)."""

from __future__ import annotations

import json
from decimal import Decimal

__all__ = ["json_type", "short_json"]


def json_type(value: object) -> str:
    """The JSON type of a parsed value, with its article (``"an array"``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short_json(value: object) -> str:
    """The value as JSON, cut to 60 characters."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
