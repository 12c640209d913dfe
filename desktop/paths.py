"""Where bundled resources live, from a source checkout or a PyInstaller bundle (Qt-free)."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds ``locales/``, ``reports/fonts`` and the packages.

    In a one-folder PyInstaller bundle this is ``sys._MEIPASS``; from source it is the
    repository root.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def locales_dir() -> Path:
    return app_root() / "locales"


def fonts_dir() -> Path:
    return app_root() / "reports" / "fonts"
