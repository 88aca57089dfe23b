#!/usr/bin/env python3
"""Write the published JSON Schemas of eumicro's JSON documents.

Each schema is built from the classes by the same field plans as the reader and writer:
``credentials`` (``eumicro.formats._json_schema.build_json_schema``) is written to
``src/eumicro/schemas/eumicro.schema.json``, the file ``eumicro.json_schema()`` reads;
``stacking`` (``eumicro.stacking.build_stacking_schema``) to
``src/eumicro/schemas/eumicro-stacking.schema.json``.

Usage::

    python tools/gen_json_schema.py                    # (re)write the credential schema
    python tools/gen_json_schema.py --schema stacking  # (re)write the stacking schema
    python tools/gen_json_schema.py --check            # exit 1 if the file is stale
    python tools/gen_json_schema.py --output PATH

Run it with the eumicro of this checkout installed (``pip install -e .``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eumicro.formats._json_schema import build_json_schema
from eumicro.stacking import build_stacking_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {
    "credentials": (build_json_schema, "eumicro.schema.json"),
    "stacking": (build_stacking_schema, "eumicro-stacking.schema.json"),
}


def render(schema: str = "credentials") -> str:
    """The text of a schema file."""
    build, _ = SCHEMAS[schema]
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the file differs from the generated schema",
    )
    parser.add_argument("--schema", choices=sorted(SCHEMAS), default="credentials")
    parser.add_argument(
        "--output", type=Path, help="default: src/eumicro/schemas/<the schema's file>"
    )
    args = parser.parse_args(argv)
    text = render(args.schema)
    target: Path = (
        args.output or REPO_ROOT / "src" / "eumicro" / "schemas" / SCHEMAS[args.schema][1]
    )
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            print(
                f"{target} is stale: run python tools/gen_json_schema.py --schema {args.schema}",
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
