"""What a person types into the notes search, as an SQLite FTS5 query (Qt-free, no database).

:func:`fts_query` turns free text into a query over the two columns of ``case_note_fts``: ``en`` (notes
written in English) and ``cy`` (notes written in Welsh). Every word must be found (AND); each word
matches as a prefix ("ysgol" finds "ysgolion"); letters with diacritics match those without, both ways
(the index and the query go through the same ``unicode61 remove_diacritics 2`` tokenizer).

In the Welsh column a word also matches its **mutated forms** (:func:`welsh_forms`): Welsh changes the
first sound of a word after certain words — *plentyn* (child) is *ei blentyn* (his child), *fy
mhlentyn* (my child), *ei phlentyn* (her child) — so a search for "plentyn" that missed those would
miss most of what was written. A word typed in a mutated form is traced back to the forms it may come
from first ("blentyn" may be *plentyn* softened, or a word that begins with b), and each of those
expands again. A noun whose plural does not begin as its singular does (*plentyn* and *plant*, *llygad* and
*llygaid*, *llaw* and *dwylo*: ``desktop/domain/welsh_plurals.json``, as data) is found in either number, each in
its mutated forms too (:func:`number_forms`). English text is matched on the word as typed.

Nothing the person types reaches FTS5's own syntax: only runs of letters and digits are kept, each
quoted, so quotes, ``*``, ``-``, ``NEAR`` or ``:`` in the box are just characters.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

PLURALS_FILE = Path(__file__).resolve().parents[1] / "domain" / "welsh_plurals.json"
MIN_MUTATED = 3
"""Words shorter than this are not expanded (too many false matches)."""
MAX_WORDS = 12

_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = "aeiouwy"
_DIGRAPHS = frozenset({"ch", "dd", "ff", "ll", "ph", "rh", "th", "ng"})

# radical initial -> its soft, nasal and aspirate mutations (welsh.md §4; Gramadeg Cymraeg, King 2015 §10).
_MUTATIONS: dict[str, tuple[str, ...]] = {
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m"),
    "d": ("dd", "n"),
    "g": ("", "ng"),
    "m": ("f",),
    "ll": ("l",),
    "rh": ("r",),
}
# mutated initial -> the radicals it may come from (the longest initial is tried first).
_RADICALS: dict[str, tuple[str, ...]] = {}
for _radical, _forms in _MUTATIONS.items():
    for _form in _forms:
        if _form:
            _RADICALS.setdefault(_form, ())
            _RADICALS[_form] = (*_RADICALS[_form], _radical)


def plain(text: str) -> str:
    """Lower case without diacritics ("Tŵr" -> "twr"), as the index stores words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _initial(word: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The word's initial that ``table`` knows, longest first; a single letter that starts one of
    Welsh's digraphs (ch, dd, ff, ll, ph, rh, th, ng) is not that letter ("chwaer" does not mutate)."""
    for size in (3, 2, 1):
        head = word[:size]
        if len(word) > size and head in table:
            if size == 1 and word[:2] in _DIGRAPHS:
                continue
            return head
    return None


def radicals(word: str) -> set[str]:
    """The word itself and every radical form it may be a mutation of."""
    out = {word}
    head = _initial(word, _RADICALS)
    if head is not None:
        out.update(radical + word[len(head):] for radical in _RADICALS[head])
    if word[0] in _VOWELS:
        out.add("g" + word)  # the soft mutation drops a g: "ardd" may be "gardd"
    if word[0] == "h" and len(word) > 1 and word[1] in _VOWELS:
        out.add(word[1:])  # h-prothesis: "ei hysgol" is "ysgol"
    return out


@lru_cache(maxsize=1)
def _numbers() -> dict[str, frozenset[str]]:
    """Each word of :data:`PLURALS_FILE`'s groups (as the index stores it) -> its whole group."""
    groups = json.loads(PLURALS_FILE.read_text(encoding="utf-8"))["groups"]
    out: dict[str, frozenset[str]] = {}
    for group in groups:
        forms = frozenset(plain(w) for w in group)
        out.update(dict.fromkeys(forms, forms))
    return out


def number_forms(word: str) -> set[str]:
    """The word in each number the plurals file knows (the word alone if it knows none): "plant" ->
    {"plant", "plentyn"}. ``word`` as the index stores it (:func:`plain`)."""
    return set(_numbers().get(word, (word,)))


def welsh_forms(word: str) -> list[str]:
    """Every form the word may take in Welsh text: its radicals in either number and their mutations
    (sorted)."""
    word = plain(word)
    if len(word) < MIN_MUTATED:
        return [word]
    forms: set[str] = set()
    for radical in {n for r in radicals(word) for n in number_forms(r)}:
        forms.add(radical)
        head = _initial(radical, _MUTATIONS)
        if head is not None:
            forms.update(mutated + radical[len(head):] for mutated in _MUTATIONS[head])
        if radical[0] in _VOWELS:
            forms.add("h" + radical)
    return sorted(f for f in forms if len(f) >= 2)


def words(text: str) -> list[str]:
    """The searchable words of what was typed (letters and digits only), at most :data:`MAX_WORDS`."""
    return [plain(w) for w in _WORD.findall(text or "")][:MAX_WORDS]


def _prefix(word: str) -> str:
    return f'"{word}"*'


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``; ``None`` when nothing searchable was typed."""
    terms = words(text)
    if not terms:
        return None
    parts = []
    for word in terms:
        welsh = " OR ".join(_prefix(f) for f in welsh_forms(word))
        parts.append(f"(en : {_prefix(word)} OR cy : ({welsh}))")
    return " AND ".join(parts)


class Highlighter:
    """Finds what was typed in a note's text, matching as the index does (prefixes, diacritics either
    way, Welsh mutations in a Welsh note): the words around each hit of a search (:meth:`snippet`), worked
    out once per search for the few notes shown."""

    def __init__(self, text: str) -> None:
        typed = words(text)
        self.prefixes = {"en": tuple(typed), "cy": tuple(f for w in typed for f in welsh_forms(w))}

    def snippet(self, body: str, language: str, *, width: int = 24) -> str:
        """Up to ``width`` words of ``body`` around the first match, each matched word between ``[`` and
        ``]`` ("…roedd ei [blentyn] wedi…")."""
        wanted = self.prefixes.get(language, self.prefixes["en"])
        tokens = list(_WORD.finditer(body))
        if not tokens:
            return ""

        def hit(token: str) -> bool:
            return bool(wanted) and (token.lower() if token.isascii() else plain(token)).startswith(wanted)

        first = next((i for i, t in enumerate(tokens) if hit(t.group())), 0)
        first = max(0, first - width // 3)
        last = min(len(tokens), first + width)
        out, pos = [], tokens[first].start()
        for t in tokens[first:last]:
            word = t.group()
            out += [body[pos:t.start()], f"[{word}]" if hit(word) else word]
            pos = t.end()
        if last == len(tokens):
            out.append(body[pos:])  # the closing punctuation
        return ("…" if first else "") + "".join(out).strip() + ("…" if last < len(tokens) else "")


def snippet(body: str, text: str, language: str, *, width: int = 24) -> str:
    """:meth:`Highlighter.snippet` for one note."""
    return Highlighter(text).snippet(body, language, width=width)
