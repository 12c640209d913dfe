"""Fixed report labels: English msgids through gettext, with a bundled Welsh draft.

Labels are marked with ``N_`` where they are defined, so ``pybabel extract`` finds them and the
lead translator owns the final Welsh in ``locales/``. Until the catalogue translates a msgid,
``reports/labels_cy.json`` supplies a draft so a Welsh report is never half English; the
catalogue always wins once it has a translation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from desktop.i18n import translator

_DRAFT = Path(__file__).resolve().parent / "labels_cy.json"


@lru_cache(maxsize=1)
def _welsh_draft() -> dict[str, str]:
    return json.loads(_DRAFT.read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def label(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang`` ("cy" or "en")."""
    text = translator(lang).gettext(msgid)
    if lang == "cy" and text == msgid:
        return _welsh_draft().get(msgid, msgid)
    return text


def untranslated(msgids: list[str]) -> list[str]:
    """Msgids with neither a catalogue translation nor a Welsh draft (the tests keep this empty)."""
    return [m for m in msgids if label("cy", m) == m]
