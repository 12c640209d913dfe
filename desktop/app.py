"""Entry point: ``diogel`` with no arguments opens the window; subcommands run headless.

This is the only module of the core that reaches for the GUI (``ui``), and only when asked to.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(profile: Path | None = None) -> int:
    """Open the window; on a Linux machine with no display say so instead of letting Qt abort."""
    import os

    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        from desktop.i18n import _

        print(_("diogel: there is no display to open the window on. Run it on a desktop session, or use the"
                " headless commands (diogel --help)."), file=sys.stderr)
        return 2
    from ui.application import run

    return run(profile)


def disable_core_dumps() -> None:
    """No core file, ever: a crash must not write the decrypted cases and the key in memory to disk.
    (POSIX ``RLIMIT_CORE`` 0, soft and hard; Windows writes no core files by default.)"""
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    # In the bundle, a letter-rendering worker process starts this same executable: it must become the
    # worker, not a second Diogel (a no-op when run from source).
    multiprocessing.freeze_support()
    disable_core_dumps()
    from desktop.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
