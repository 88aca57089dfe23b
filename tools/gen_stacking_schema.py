#!/usr/bin/env python3
"""Write the JSON Schema of eumicro stacking documents (qualifications and catalogues).

The schema is built from the model by ``eumicro.stacking._json.build_stacking_schema``
and written to ``src/eumicro/schemas/eumicro-stacking.schema.json``.

Usage::

    python tools/gen_stacking_schema.py            # (re)write the file
    python tools/gen_stacking_schema.py --check    # exit 1 if the file is missing or stale
    python tools/gen_stacking_schema.py --output PATH

Run it with the eumicro of this checkout installed (``pip install -e .``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eumicro.stacking._json import build_stacking_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "src" / "eumicro" / "schemas" / "eumicro-stacking.schema.json"


def render() -> str:
    """The text of the schema file."""
    return json.dumps(build_stacking_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the file differs from the generated schema",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}"
    )
    args = parser.parse_args(argv)
    text = render()
    target: Path = args.output
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            print(
                f"{target} is stale: run python tools/gen_stacking_schema.py",
                file=sys.stderr,
            )
            return 1
        print(f"{target} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
