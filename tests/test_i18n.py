"""Bilingual from the first string: the Welsh catalog is complete, keeps placeholders, and has
the six CLDR plural forms; letters get a fixed language whatever the interface shows."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from desktop.i18n import (
    LANGUAGES,
    _,
    add_language_listener,
    catalog,
    current_language,
    format_date,
    remove_language_listener,
    set_language,
    translator,
)

ROOT = Path(__file__).resolve().parent.parent
CY_PO = ROOT / "locales" / "cy" / "LC_MESSAGES" / "diogel.po"
POT = ROOT / "locales" / "messages.pot"
CLDR_INDEX = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4, 7: 5}  # zero, one, two, few, many, other
KEYWORDS = {"_": None, "N_": None, "NC_": ((1, "c"), 2), "NN_": (1, 2), "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
"""The Makefile's ``KEYWORDS`` for ``pybabel extract``, as Babel's Python API takes them."""


def _load(path: Path):
    with path.open("rb") as fh:
        return read_po(fh, locale="cy")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_welsh_catalog_has_the_six_form_plural_header() -> None:
    header = CY_PO.read_text("utf-8")
    assert "nplurals=6;" in header
    plural = catalog("cy").plural
    assert [plural(n) for n in CLDR_INDEX] == list(CLDR_INDEX.values())
    assert plural(4) == plural(5) == plural(100) == 5


def test_welsh_catalog_is_complete_and_not_fuzzy() -> None:
    cat = _load(CY_PO)
    template = _load(POT)
    untranslated, fuzzy = [], []
    for message in cat:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
    assert fuzzy == []
    assert untranslated == []
    # by context too: "Care and support protection plan" (children) is not "adult" + the same msgid
    missing = [(m.context, m.id) for m in template if m.id and cat.get(m.id, context=m.context) is None]
    assert missing == [], "run `make locales-update` and translate"


def test_every_translation_keeps_its_placeholders() -> None:
    cat = _load(CY_PO)
    broken = []
    for message in cat:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if text and _fields(text) - expected:
                broken.append((ids[0], text))
        # Every placeholder of the singular must survive in the translation (the count may be
        # spelt out in a Welsh form, so only the plural's extra fields are optional).
        for text in strings:
            if text and _fields(ids[0]) - {"count", "n"} - _fields(text):
                broken.append((ids[0], text))
        if any(re.search(r"%\(\w+\)s", t or "") for t in strings):
            broken.append((ids[0], "printf-style placeholder"))
    assert broken == []


def test_ngettext_picks_the_right_welsh_form_for_0_1_2_3_6_7() -> None:
    cat = _load(CY_PO)
    plurals = [m for m in cat if m.id and isinstance(m.id, tuple)]
    assert plurals, "the catalog has plural messages"
    cy = translator("cy")
    for message in plurals:
        singular, plural = message.id[0], message.id[1]
        for n, index in CLDR_INDEX.items():
            got = (cy.npgettext(message.context, singular, plural, n) if message.context
                   else cy.ngettext(singular, plural, n))
            assert got == message.string[index], (singular, n)


def test_language_switch_tells_listeners_and_translators_stay_fixed() -> None:
    seen: list[str] = []
    add_language_listener(seen.append)
    try:
        set_language("cy")
        assert current_language() == "cy" and seen == ["cy"]
        assert _("Enter a family name.") != "Enter a family name."
        assert translator("en").gettext("Enter a family name.") == "Enter a family name."
        set_language("en")
        assert _("Enter a family name.") == "Enter a family name."
        assert translator("cy").gettext("Enter a family name.") != "Enter a family name."
    finally:
        remove_language_listener(seen.append)
    assert seen == ["cy", "en"]
    with pytest.raises(ValueError):
        set_language("fr")


def test_picker_names_and_dates() -> None:
    assert LANGUAGES == {"cy": "Cymraeg", "en": "English"}
    assert format_date(date(2026, 11, 23), "long", lang="cy") == "23 Tachwedd 2026"
    assert format_date(date(2026, 11, 23), "long", lang="en") == "23 November 2026"
    assert format_date(date(2026, 3, 1), "short", lang="cy") == "01/03/2026"


def test_every_string_in_the_source_has_its_welsh() -> None:
    """Extract the messages from the code as it is now (not from a possibly stale messages.pot) and
    find each one translated in the Welsh catalog."""
    from babel.messages.extract import extract_from_dir

    keywords = KEYWORDS
    cat = _load(CY_PO)
    missing = set()
    for package in ("desktop", "ui", "reports"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=keywords
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = cat.get(msgid, context=context)
            strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (
                (entry.string,) if entry is not None else ())
            if not strings or not all(strings):
                missing.add(msgid)
    assert sorted(missing) == [], "run `make locales-update` and translate"
