"""Entry point: ``diogel`` with no arguments opens the window; subcommands run headless.

This is the only module of the core that reaches for the GUI (``ui``), and only when asked to.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(profile: Path | None = None) -> int:
    from ui.application import run

    return run(profile)


def main(argv: list[str] | None = None) -> int:
    from desktop.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
