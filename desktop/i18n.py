"""Translation and locale formatting for the interface and for letters (Qt-free).

Every user-visible string goes through these functions:

* ``_()`` / ``ngettext()`` / ``pgettext()`` / ``npgettext()`` translate into the *interface* language,
  which ``set_language()`` changes at runtime (listeners are told, so the GUI can retranslate).
* ``N_()`` marks a string defined at import time (labels of enums, column headers); translate it
  with ``_()`` when it is shown. ``NC_(context, message)`` does the same for a message that needs a
  ``msgctxt`` (one English string, two Welsh ones: ``NC_("adult", "Care and support protection plan")``);
  ``_()`` and ``Translator.gettext`` translate its result in its context.
* ``NN_(singular, plural, count="count")`` marks a message with a count for later: an error raised in
  a service, shown in whichever language reads it. ``format_message(msgid, params, lang)`` translates
  any marked message (plain, ``NC_`` or ``NN_``, picking the plural form from ``params[count]``) and
  fills its placeholders; ``DiogelError.message`` uses it.
* ``translator(lang)`` gives a :class:`Translator` for one fixed language, used for letters and
  reports, whose language is the recipient's and never the interface's.

Strings use named ``{placeholders}`` and ``str.format``; never concatenate translated pieces,
because Welsh mutates the word after a number, an article or a preposition.

Thread contract: translation is read-only and safe from any thread. ``set_language`` should be
called from the GUI thread; listeners run synchronously in the caller's thread.
"""

from __future__ import annotations

import functools
import gettext
import io
import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from desktop.paths import locales_dir

DOMAIN = "diogel"
CONTEXT_SEPARATOR = "\x04"
"""Between a message's context and its msgid in a marked message: the separator gettext itself uses in
``.mo`` files, so a marked message is exactly the catalogue's key."""
PLURAL_SEPARATOR = "\x00"
"""Between singular, plural and the name of the count in an ``NN_`` message (gettext's own plural
separator; a JSON round trip keeps it)."""
LANGUAGES: dict[str, str] = {"cy": "Cymraeg", "en": "English"}
"""Interface languages, each named in its own language (the picker shows these as they are)."""

BABEL_LOCALES = {"cy": "cy_GB", "en": "en_GB"}

_lock = threading.Lock()
_catalogs: dict[str, gettext.NullTranslations] = {}
_current = "en"
_listeners: list[Callable[[str], None]] = []


def _load_catalog(lang: str) -> gettext.NullTranslations:
    """Load ``locales/<lang>/LC_MESSAGES/diogel.mo``, or compile the ``.po`` in memory if the
    ``.mo`` is missing or older (a source checkout that has not run ``make locales``)."""
    folder = locales_dir() / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


def catalog(lang: str) -> gettext.NullTranslations:
    """The gettext catalog for ``lang`` ("cy" or "en"), loaded once."""
    found = _catalogs.get(lang)
    if found is not None:  # the common case, without taking the lock
        return found
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    with _lock:
        if lang not in _catalogs:
            _catalogs[lang] = _load_catalog(lang)
        return _catalogs[lang]


def reload_catalogs() -> None:
    """Forget loaded catalogs (after ``make locales`` in a running dev session, or in tests)."""
    with _lock:
        _catalogs.clear()


class Translator:
    """Translation and formatting fixed to one language; for letters, reports and CLI output."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._cat = catalog(lang)

    def gettext(self, message: str) -> str:
        """``message`` translated; an ``NC_`` message in its context."""
        if CONTEXT_SEPARATOR in message or PLURAL_SEPARATOR in message:
            return _translate(self._cat, message, None)
        return self._cat.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._cat.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._cat.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._cat.npgettext(context, singular, plural, n)

    def format_date(self, value: date | datetime | None, style: str = "medium") -> str:
        return format_date(value, style=style, lang=self.lang)

    def format_number(self, value: int | float | Decimal) -> str:
        return format_number(value, lang=self.lang)


def translator(lang: str) -> Translator:
    """A :class:`Translator` for ``lang``, independent of the interface language."""
    return Translator(lang)


def bilingual(message: str, **params: object) -> dict[str, str]:
    """``message`` in both languages, formatted: ``{"cy": …, "en": …}`` (a letter value that must
    read right whichever language the letter is printed in)."""
    return {lang: format_message(message, params, lang) for lang in LANGUAGES}


def current_language() -> str:
    """The interface language code, "cy" or "en"."""
    return _current


def set_language(lang: str) -> None:
    """Switch the interface language and tell every listener. Raises ``ValueError`` for an
    unknown language."""
    global _current
    catalog(lang)  # load (and validate) before switching
    if lang == _current:
        return
    _current = lang
    for listener in list(_listeners):
        listener(lang)


def add_language_listener(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` after every interface language change."""
    _listeners.append(callback)


def remove_language_listener(callback: Callable[[str], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it (translate it when shown)."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 - GLib's name for the marker with a context
    """Mark ``message`` in ``context`` for extraction (``msgctxt``) without translating it; ``_()``,
    ``Translator.gettext`` and ``format_message`` translate the result in that context."""
    return f"{context}{CONTEXT_SEPARATOR}{message}"


def NN_(singular: str, plural: str, count: str = "count") -> str:  # noqa: N802 - a gettext-style marker
    """Mark a message with a count for extraction without translating it. ``format_message`` picks the
    plural form from the parameter named ``count``; ``_()`` cannot (it has no count) and gives the
    singular."""
    return PLURAL_SEPARATOR.join((singular, plural, count))


def _translate(cat: gettext.NullTranslations, message: str, params: Mapping[str, object] | None) -> str:
    context: str | None = None
    if CONTEXT_SEPARATOR in message:
        context, _sep, message = message.partition(CONTEXT_SEPARATOR)
    if PLURAL_SEPARATOR in message:
        singular, plural, count = message.split(PLURAL_SEPARATOR, 2)
        raw = (params or {}).get(count)
        try:  # a string after a JSON round trip (the sync status keeps its last error as text)
            n = int(raw) if isinstance(raw, (int, str)) else 1
        except ValueError:
            n = 1
        if context is not None:
            return cat.npgettext(context, singular, plural, n)
        return cat.ngettext(singular, plural, n)
    return cat.pgettext(context, message) if context is not None else cat.gettext(message)


def format_message(message: str, params: Mapping[str, object] | None = None, lang: str | None = None) -> str:
    """A marked message (``N_``, ``NC_`` or ``NN_``) in ``lang`` (default: the interface language) with
    its ``{placeholders}`` filled from ``params`` (a ``date`` in words, in ``lang``). A count that is missing
    or not a whole number takes the singular form rather than failing."""
    text = _translate(catalog(lang or _current), message, params)
    if not params:
        return text
    # A date reaches a person in words, in the message's language (never as ISO).
    return text.format(**{k: format_date(v, lang=lang) if isinstance(v, date) else v for k, v in params.items()})


def _(message: str) -> str:
    if CONTEXT_SEPARATOR in message or PLURAL_SEPARATOR in message:
        return _translate(catalog(_current), message, None)
    return catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return catalog(_current).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return catalog(_current).npgettext(context, singular, plural, n)


# Explicit patterns rather than Babel's named styles: letters need an unambiguous date
# ("23 Tachwedd 2026"), and Babel's short Welsh style has a two-digit year.
_DATE_PATTERNS = {
    "short": "dd/MM/yyyy",
    "medium": "d MMM y",
    "long": "d MMMM y",
    "full": "EEEE d MMMM y",
}


def format_date(value: date | datetime | None, style: str = "medium", lang: str | None = None) -> str:
    """Format a date for ``lang`` (default: the interface language); ``None`` gives ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_date(value, _DATE_PATTERNS.get(style, style), BABEL_LOCALES[lang or _current])


@functools.lru_cache(maxsize=8192)
def _format_date(value: date, pattern: str, locale: str) -> str:
    # Babel parses the locale and pattern on every call (~40 µs); "My work" formats tens of
    # thousands of due dates drawn from a few hundred distinct days, so remember them.
    return babel_dates.format_date(value, pattern, locale=locale)


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """Local date and time, e.g. "23 Tach 2026 14:05"."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, "d MMM y HH:mm", locale=BABEL_LOCALES[lang or _current])


def format_number(value: int | float | Decimal, lang: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=BABEL_LOCALES[lang or _current])
