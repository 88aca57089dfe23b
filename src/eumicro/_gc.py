"""Pausing the cyclic garbage collector around work that creates no reference cycles.

Building many objects that live on (a large document, a batch of reports) makes the
collector scan them again and again for nothing; reference counting frees everything
that is not in a cycle. Only code that creates no cycles runs inside :func:`paused`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Disable the collector for the block (and restore its state after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
