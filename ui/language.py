"""Runtime Cymraeg/English switching for Qt (GUI thread only).

One :class:`LanguageHub` listens to :func:`desktop.i18n.set_language`. On a switch it
re-installs :class:`CatalogTranslator` (so every widget receives ``QEvent.LanguageChange``,
delivered at once, not later), sets the default ``QLocale`` (Welsh/UK or English/UK) and emits
:attr:`LanguageHub.changed` for objects that are not widgets (table models).

Widgets follow one pattern: all their texts are set in ``retranslate()``, which the constructor
calls once and ``changeEvent`` calls again on ``QEvent.LanguageChange`` (see
:class:`ui.widgets.Retranslating`). Qt ships no Welsh for its own strings (standard buttons,
line-edit context menus), so the translator answers those from our catalog too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTranslator, Signal

from desktop.i18n import N_, _, add_language_listener, current_language

# Qt's own strings (context, source text without "&") -> our msgid.
_QT_STRINGS: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": N_("OK"),
        "Save": N_("Save"),
        "Save All": N_("Save all"),
        "Open": N_("Open"),
        "Yes": N_("Yes"),
        "Yes to All": N_("Yes to all"),
        "No": N_("No"),
        "No to All": N_("No to all"),
        "Abort": N_("Abort"),
        "Retry": N_("Retry"),
        "Ignore": N_("Ignore"),
        "Close": N_("Close"),
        "Cancel": N_("Cancel"),
        "Discard": N_("Discard"),
        "Don't Save": N_("Don't save"),
        "Close without Saving": N_("Close without saving"),
        "Help": N_("Help"),
        "Apply": N_("Apply"),
        "Reset": N_("Reset"),
        "Restore Defaults": N_("Restore defaults"),
    },
    "QLineEdit": {
        "Undo": N_("Undo"),
        "Redo": N_("Redo"),
        "Cut": N_("Cut"),
        "Copy": N_("Copy"),
        "Paste": N_("Paste"),
        "Delete": N_("Delete"),
        "Select All": N_("Select all"),
    },
}
_QT_STRINGS["QWidgetTextControl"] = {**_QT_STRINGS["QLineEdit"], "Copy Link Location": N_("Copy link location")}
_QT_STRINGS["QDialogButtonBox"] = _QT_STRINGS["QPlatformTheme"]
_QT_STRINGS["QMessageBox"] = {**_QT_STRINGS["QPlatformTheme"], "Show Details...": N_("Show details…"),
                              "Hide Details...": N_("Hide details…")}

QT_MSGIDS: frozenset[str] = frozenset(m for table in _QT_STRINGS.values() for m in table.values())


class CatalogTranslator(QTranslator):
    """Answers Qt's ``tr()`` calls for its own widgets from our gettext catalog."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        table = _QT_STRINGS.get(context)
        if not table or not source:
            return None  # None = "no translation here": Qt keeps its own text
        msgid = table.get(source.replace("&", ""))
        if msgid is None or current_language() == "en":
            return None
        return _(msgid)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def qlocale_for(lang: str) -> QLocale:
    if lang == "cy":
        return QLocale(QLocale.Language.Welsh, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


class LanguageHub(QObject):
    """The one bridge from :mod:`desktop.i18n` to Qt. Create once, after the QApplication."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._translator = CatalogTranslator(self)
        add_language_listener(self._on_language)
        self._install(current_language())

    def _install(self, lang: str) -> None:
        app = QCoreApplication.instance()
        QLocale.setDefault(qlocale_for(lang))
        if app is not None:
            app.removeTranslator(self._translator)
            app.installTranslator(self._translator)
            # Deliver the posted LanguageChange events now, so a switch is complete on return.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)

    def _on_language(self, lang: str) -> None:
        self._install(lang)
        self.changed.emit(lang)


_hub: LanguageHub | None = None


def hub() -> LanguageHub:
    """The application's hub (created on first use; GUI thread)."""
    global _hub
    if _hub is None:
        _hub = LanguageHub()
    return _hub
