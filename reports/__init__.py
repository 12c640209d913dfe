"""Bilingual (Cymraeg/English) letters and reports as PDF bytes — Qt-free, ReportLab only.

Public API
==========

Letters (templates in ``reports/templates/<id>.json``, see :mod:`reports.templates`)::

    council = CouncilIdentity.from_json("council.json")     # format: reports/council.example.json
    lang = letter_language(recipient.language_preference)    # "cy" | "en" | "bilingual" (unknown → bilingual)
    lang = letter_language(pref, circular=True)              # same letter to many: never English-only
    lang = household_language([mum.pref, dad.pref])         # Standard 3: one letter to a household
    pdf: bytes = render_letter("n8_icpc_invitation", lang, LetterData(...), council)
    pdf: bytes = render_letters([LetterJob(...), ...], council)   # one print batch, one PDF
    validate_templates()                                     # raises TemplateValidationError
    template_placeholders("n8_icpc_invitation")              # names needed in LetterData.fields

* ``language="bilingual"``: the complete Welsh letter (letterhead, address, date, body,
  signature), a page break, then the complete English letter — Welsh is read first (Standard 6
  guidance; GOV.UK Notify's ``welsh_then_english``).
* Page footers are counted **per language part**: "Tudalen 1 o 2" … then "Page 1 of 2" …, so
  each version is a complete letter. In a batch each letter part is counted on its own.
* Welsh dates use the explicit pattern ``d MMMM y`` ("23 Tachwedd 2026").
* Every letter carries the Welsh Language Standard 7 statement in Welsh and English.
* Errors (nothing is produced): :class:`LetterError` — unknown template or language, a template
  whose sides disagree, a placeholder with no value, a :class:`BilingualText` value missing the
  side being printed; :class:`MissingAddressError` (a ``LetterError``) — no postal address, so
  the print queue can hold the letter with that reason. Messages are ``N_`` msgids:
  ``err.message("cy")``.

Conference reports (inputs: :class:`ChildConference`, :class:`AdultConference`)::

    pdf = render_conference_report(conference, council)            # Welsh part, then English part
    pdf = render_conference_report(conference, council, languages=("en",))

Both languages are produced together in **one PDF**, Welsh first, each part numbered on its own.

Committee report (seed 004; input: :class:`CommitteeStats`)::

    pdf = render_committee_report(stats, "cy", council)   # lang: "cy", "en" or "bilingual"

Fonts: the bundled DejaVu Sans family (``reports/fonts``) is registered once as "Diogel";
no built-in PDF font is used for text. Report labels are English msgids translated with
``desktop.i18n.translator(lang)`` (the Welsh catalogue is kept complete by ``tests/test_i18n.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.committee import render_committee_report
    from reports.conference import render_conference_report
    from reports.errors import LetterError, MissingAddressError, ReportError, TemplateValidationError
    from reports.letters import (
        LetterJob,
        household_language,
        letter_language,
        render_letter,
        render_letters,
        template_placeholders,
    )
    from reports.model import (
        AdultConference,
        AgencyReport,
        Attendee,
        BilingualText,
        ChildConference,
        CommitteeStats,
        ConferenceChild,
        CoreGroupContribution,
        CouncilIdentity,
        LetterData,
        MeasureFigures,
        MonthFigures,
        PlanAction,
        PlanOutcome,
        Recipient,
        Signatory,
        Timeliness,
    )
    from reports.templates import validate_templates

# Each name is imported from its module when first asked for (PEP 562): a module that needs only the plain
# data classes (reports.model) does not import ReportLab with them, so the main window starts without it.
_WHERE: dict[str, str] = {
    "AdultConference": "reports.model",
    "AgencyReport": "reports.model",
    "Attendee": "reports.model",
    "BilingualText": "reports.model",
    "ChildConference": "reports.model",
    "CommitteeStats": "reports.model",
    "ConferenceChild": "reports.model",
    "CoreGroupContribution": "reports.model",
    "CouncilIdentity": "reports.model",
    "LetterData": "reports.model",
    "LetterError": "reports.errors",
    "LetterJob": "reports.letters",
    "MeasureFigures": "reports.model",
    "MissingAddressError": "reports.errors",
    "MonthFigures": "reports.model",
    "PlanAction": "reports.model",
    "PlanOutcome": "reports.model",
    "Recipient": "reports.model",
    "ReportError": "reports.errors",
    "Signatory": "reports.model",
    "TemplateValidationError": "reports.errors",
    "Timeliness": "reports.model",
    "household_language": "reports.letters",
    "letter_language": "reports.letters",
    "render_committee_report": "reports.committee",
    "render_conference_report": "reports.conference",
    "render_letter": "reports.letters",
    "render_letters": "reports.letters",
    "template_placeholders": "reports.letters",
    "validate_templates": "reports.templates",
}


def __getattr__(name: str) -> Any:
    """The public name ``name``, imported from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup finds it at once
    return value


__all__ = [
    "AdultConference",
    "AgencyReport",
    "Attendee",
    "BilingualText",
    "ChildConference",
    "CommitteeStats",
    "ConferenceChild",
    "CoreGroupContribution",
    "CouncilIdentity",
    "LetterData",
    "LetterError",
    "LetterJob",
    "MeasureFigures",
    "MissingAddressError",
    "MonthFigures",
    "PlanAction",
    "PlanOutcome",
    "Recipient",
    "ReportError",
    "Signatory",
    "TemplateValidationError",
    "Timeliness",
    "household_language",
    "letter_language",
    "render_committee_report",
    "render_conference_report",
    "render_letter",
    "render_letters",
    "template_placeholders",
    "validate_templates",
]
