"""Fixed report labels: English msgids through gettext (any thread).

Labels are marked with ``N_`` where they are defined, so ``pybabel extract`` finds them and the Welsh
lives in ``locales/`` like every other string (``tests/test_i18n.py`` keeps it complete).
"""

from __future__ import annotations

from functools import lru_cache

from desktop.i18n import CONTEXT_SEPARATOR, translator


@lru_cache(maxsize=4096)
def label(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang`` ("cy" or "en"); an ``NC_`` msgid in its context."""
    return translator(lang).gettext(msgid)


def untranslated(msgids: list[str]) -> list[str]:
    """Msgids the Welsh catalogue does not translate (the tests keep this empty)."""
    return [m for m in msgids if label("cy", m) == m.rpartition(CONTEXT_SEPARATOR)[2]]
