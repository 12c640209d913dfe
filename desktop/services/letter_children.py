"""The children a letter is about, named in one letter (Qt-free).

A letter about an event that concerns several children (a conference about a family, a plan agreed for
each child) goes once to each recipient and names every child: ``child_name`` is "Dafydd and Seren" /
"Dafydd a Seren" and ``child_dob`` gives each child's date of birth with the name. For one child the
values are exactly what a single-child letter always carried, so letters queued before keep rendering.

Welsh: "a" before a consonant, "ac" before a vowel ("Dafydd ac Osian"); personal names are not
mutated (see ``reports/templates``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services.child_protection._common import child_facts
from desktop.store import Tx

_VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúàèìòùäëïöü")


def join_names(names: list[str], lang: str) -> str:
    """"A", "A and B", "A, B and C" (English); "A", "A a B", "A, B ac Osian" (Welsh)."""
    if len(names) < 2:
        return "".join(names)
    last = names[-1]
    if lang == "cy":
        conjunction = "ac" if last[:1].lower() in _VOWELS else "a"
    else:
        conjunction = "and"
    return f"{', '.join(names[:-1])} {conjunction} {last}"


def children_facts(tx: Tx, child_ids: list[str]) -> dict[str, Any]:
    """``child_name``, ``child_dob`` (and ``child_ids``) for the children a letter is about, in order.

    One child: ``child_facts`` as it is. Several: ``child_name`` and ``child_dob`` as ``{"cy", "en"}``
    texts ("Dafydd ap Llŷr: 3 Rhagfyr 2018; Seren Tŵr: 9 Medi 2018" for the dates of birth)."""
    from reports.layout import long_date

    ids = list(dict.fromkeys(child_ids))
    facts = [child_facts(tx, c) for c in ids]
    if len(facts) == 1:
        return {**facts[0], "child_ids": ids}
    names = [f["child_name"] for f in facts]
    births = [(f["child_name"], date.fromisoformat(f["child_dob"])) for f in facts if f["child_dob"]]
    return {
        "child_name": {lang: join_names(names, lang) for lang in ("cy", "en")},
        "child_dob": {lang: "; ".join(f"{name}: {long_date(born, lang)}" for name, born in births)
                      for lang in ("cy", "en")} if len(births) == len(facts) else "",
        "child_ids": ids,
    }


def per_child(items: list[tuple[str, Any]]) -> Any:
    """One fact of several children (``(name, value)`` in order) as a letter value: the value itself
    when it is the same for every child, else ``{"cy", "en"}`` texts "Dafydd: …; Seren: …" (a value may
    be text, an ISO date or ``{"cy", "en"}`` texts; empty values are left out)."""
    from reports.layout import long_date

    values = [v for _name, v in items]
    if all(v == values[0] for v in values):
        return values[0]

    def side(value: Any, lang: str) -> str:
        if isinstance(value, dict):
            return str(value.get(lang) or "")
        if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
            try:
                return long_date(date.fromisoformat(value), lang)
            except ValueError:
                return value
        return str(value or "")

    return {lang: "; ".join(f"{name}: {side(v, lang)}" for name, v in items if side(v, lang))
            for lang in ("cy", "en")}
