"""Letter templates: one JSON file per letter, a Welsh and an English side, ONE placeholder set.

File format (``reports/templates/<id>.json``)::

    {
      "id": "n8_icpc_invitation",          # must equal the file name
      "notification": "N8",                # procedures.md §4
      "audience": "family",                # who it is written for (informative)
      "description": "...",                # English, for developers and the template picker
      "event_date": "conference_date",     # optional: the date placeholder of the event the letter
                                           # asks people to; the print queue holds it once that day has passed
      "cy": {"subject": "...", "salutation": "Annwyl {recipient_name},", "body": [BLOCK, ...]},
      "en": {"subject": "...", "salutation": "Dear {recipient_name},", "body": [BLOCK, ...]}
    }

A BLOCK is one of:

* ``"text"`` – a paragraph (``<b>``/``<i>`` allowed; a blank line in a value starts a new paragraph);
* ``{"heading": "text"}``;
* ``{"items": ["text", ...]}`` – a fixed bullet list;
* ``{"list": "field"}`` – a bullet list filled from the list value of ``field``;
* ``{"table": [["label", "text"], ...]}`` – label/value rows (where values sit free of mutation).

Placeholders are ``{name}`` (identifiers, no format specs). Both sides must use exactly the same
names, and a name used for a ``list`` block on one side must be a list on the other. Welsh
mutates the word after many words, so placeholders sit where no mutation applies: after a colon,
in a table cell, after "ar" + date, or in apposition (", {name},"). Personal names are not
mutated. The renderer supplies :data:`RESERVED` placeholders itself.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop.i18n import N_, NN_
from reports.errors import TemplateValidationError

TEMPLATE_DIR = Path(__file__).resolve().parent
LANGS = ("cy", "en")
RESERVED = frozenset(
    {
        "recipient_name",
        "council_phone",
        "council_email",
        "council_website",
        "complaints_phone",
        "complaints_email",
    }
)
"""Placeholders filled from the recipient and the council, never from ``LetterData.fields``."""

_BLOCK_KINDS = ("heading", "items", "list", "table")
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class LetterTemplate:
    """A validated template. ``placeholders`` = every name either side uses (equal on both);
    ``list_fields`` = the subset used as ``{"list": ...}`` blocks."""

    id: str
    notification: str
    audience: str
    description: str
    sides: dict[str, dict[str, Any]]
    placeholders: frozenset[str]
    list_fields: frozenset[str]
    event_date: str | None = None

    @property
    def data_fields(self) -> frozenset[str]:
        """Names the caller must supply in ``LetterData.fields``."""
        return self.placeholders - RESERVED


def _names_in(text: Any, where: str, problems: list[str]) -> set[str]:
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: expected non-empty text")
        return set()
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        problems.append(f"{where}: bad braces ({exc})")
        return set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            problems.append(f"{where}: placeholder {{{name}}} is not a plain name")
        elif spec or conversion:
            problems.append(f"{where}: placeholder {{{name}}} may not have a format or conversion")
        else:
            names.add(name)
    return names


def _side_names(side: Any, where: str, problems: list[str]) -> tuple[set[str], set[str]]:
    """(text placeholder names, list field names) of one language side."""
    if not isinstance(side, dict):
        problems.append(f"{where}: missing")
        return set(), set()
    unknown = set(side) - {"subject", "salutation", "body"}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    names = _names_in(side.get("subject"), f"{where}.subject", problems)
    names |= _names_in(side.get("salutation"), f"{where}.salutation", problems)
    lists: set[str] = set()
    body = side.get("body")
    if not isinstance(body, list) or not body:
        problems.append(f"{where}.body: expected a non-empty list of blocks")
        return names, lists
    for i, block in enumerate(body):
        at = f"{where}.body[{i}]"
        if isinstance(block, str):
            names |= _names_in(block, at, problems)
            continue
        if not isinstance(block, dict) or len(block) != 1 or next(iter(block)) not in _BLOCK_KINDS:
            problems.append(f"{at}: a block is text or one of {_BLOCK_KINDS}")
            continue
        kind, value = next(iter(block.items()))
        if kind == "heading":
            names |= _names_in(value, at, problems)
        elif kind == "items":
            if not isinstance(value, list) or not value:
                problems.append(f"{at}: items must be a non-empty list")
                continue
            for j, item in enumerate(value):
                names |= _names_in(item, f"{at}[{j}]", problems)
        elif kind == "list":
            if not isinstance(value, str) or not value.isidentifier():
                problems.append(f'{at}: list names a field, e.g. "outcomes"')
            else:
                lists.add(value)
        elif kind == "table":
            if not isinstance(value, list) or not value:
                problems.append(f"{at}: table must be a non-empty list of [label, value] rows")
                continue
            for j, row in enumerate(value):
                if not (isinstance(row, list) and len(row) == 2):
                    problems.append(f"{at}[{j}]: a row is [label, value]")
                    continue
                names |= _names_in(row[0], f"{at}[{j}].label", problems)
                names |= _names_in(row[1], f"{at}[{j}].value", problems)
    return names, lists


def check_template(raw: Any, expected_id: str | None = None) -> list[str]:
    """Every problem with one template's data (empty list = valid). Never raises."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        return ["template is not a JSON object"]
    tid = raw.get("id")
    if not isinstance(tid, str) or not tid:
        problems.append("id: missing")
    elif expected_id is not None and tid != expected_id:
        problems.append(f"id: {tid!r} does not match the file name {expected_id!r}")
    for key in ("notification", "audience", "description"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            problems.append(f"{key}: missing")
    found = {lang: _side_names(raw.get(lang), lang, problems) for lang in LANGS}
    (cy_names, cy_lists), (en_names, en_lists) = found["cy"], found["en"]
    if raw.get("cy") is not None and raw.get("en") is not None:
        for name in sorted(cy_names - en_names):
            problems.append(f"placeholder {{{name}}} is in the Welsh text but not the English")
        for name in sorted(en_names - cy_names):
            problems.append(f"placeholder {{{name}}} is in the English text but not the Welsh")
        for name in sorted(cy_lists ^ en_lists):
            problems.append(f"list field {name!r} is a list on one side only")
    for name in sorted((cy_lists | en_lists) & RESERVED):
        problems.append(f"list field {name!r} is reserved")
    for name in sorted((cy_names | en_names) & (cy_lists | en_lists)):
        problems.append(f"{name!r} is used both as text and as a list")
    event = raw.get("event_date")
    if event is not None and (not isinstance(event, str) or event not in cy_names & en_names):
        problems.append(f"event_date: {event!r} is not a placeholder of both sides")
    return problems


def _build(raw: dict[str, Any]) -> LetterTemplate:
    names, lists = set(), set()
    for lang in LANGS:
        n, li = _side_names(raw[lang], lang, [])
        names |= n | li
        lists |= li
    return LetterTemplate(
        id=raw["id"],
        notification=raw["notification"],
        audience=raw["audience"],
        description=raw["description"],
        sides={lang: raw[lang] for lang in LANGS},
        placeholders=frozenset(names),
        list_fields=frozenset(lists),
        event_date=raw.get("event_date"),
    )


def check_common(path: Path) -> list[str]:
    """Problems with the shared letter furniture (page footer, closing, Standard 7 line)."""
    raw = _read(path)
    if isinstance(raw, Exception) or not isinstance(raw, dict):
        return [f"cannot read: {raw}"]
    problems = []
    for key in ("page", "date", "our_ref", "closing", "care_of", "standard7"):
        pair = raw.get(key)
        if not isinstance(pair, dict) or any(
            not isinstance(pair.get(lang), str) or not pair[lang].strip() for lang in LANGS
        ):
            problems.append(f"{key}: needs non-empty cy and en text")
        elif key == "page":
            for lang in LANGS:
                if {n for _l, n, _s, _c in _FORMATTER.parse(pair[lang]) if n} != {"page", "total"}:
                    problems.append(f"page.{lang}: must use {{page}} and {{total}}")
        elif key == "care_of":
            for lang in LANGS:
                if {n for _l, n, _s, _c in _FORMATTER.parse(pair[lang]) if n} != {"name"}:
                    problems.append(f"care_of.{lang}: must use {{name}}")
    return problems


def template_ids(directory: Path = TEMPLATE_DIR) -> list[str]:
    """Ids of the template files in ``directory`` (files starting with "_" are not letters)."""
    return sorted(p.stem for p in directory.glob("*.json") if not p.name.startswith("_"))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return exc


def validate_templates(directory: Path = TEMPLATE_DIR) -> dict[str, LetterTemplate]:
    """Validate every template file; return them by id, or raise
    :class:`TemplateValidationError` listing every problem in every file."""
    problems: list[str] = []
    out: dict[str, LetterTemplate] = {}
    for tid in template_ids(directory):
        raw = _read(directory / f"{tid}.json")
        found = [f"cannot read: {raw}"] if isinstance(raw, Exception) else check_template(raw, tid)
        if found:
            problems += [f"{tid}: {p}" for p in found]
        else:
            out[tid] = _build(raw)
    common = directory / "_common.json"
    if directory == TEMPLATE_DIR or common.exists():
        problems += [f"_common: {p}" for p in check_common(common)]
    if problems:
        raise TemplateValidationError(
            NN_("Letter templates are not valid: {count} problem.", "Letter templates are not valid: {count} problems."),
            problems,
            count=len(problems),
        )
    return out


@cache
def load_template(template_id: str, directory: Path = TEMPLATE_DIR) -> LetterTemplate:
    """One validated template (cached). Raises ``FileNotFoundError`` for an unknown id and
    :class:`TemplateValidationError` for an invalid file."""
    path = directory / f"{template_id}.json"
    if template_id.startswith("_") or not path.is_file():
        raise FileNotFoundError(template_id)
    raw = _read(path)
    problems = [f"cannot read: {raw}"] if isinstance(raw, Exception) else check_template(raw, template_id)
    if problems:
        raise TemplateValidationError(
            N_("The letter template {template} is not valid."),
            [f"{template_id}: {p}" for p in problems],
            template=template_id,
        )
    return _build(raw)
