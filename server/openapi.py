"""Write the API's OpenAPI schema: ``python -m server.openapi [FILE]`` (default docs/openapi.json).

The schema comes from the app itself (``create_app(...).openapi()``), so it cannot drift from the code;
a test checks that the copy in docs/ is the current one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from server.app import create_app
from server.config import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def schema() -> dict[str, Any]:
    """The schema of an app with the default settings (no database is touched)."""
    return create_app(Settings(database_url="postgresql:///unused")).openapi()


def render() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DOCS
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
