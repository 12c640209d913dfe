"""Errors raised by the report and letter renderers (Qt-free).

Messages are English msgids marked with ``N_`` so the UI can show them in the reader's language
(``err.message("cy")``); parameters are named. Nothing is produced when one is raised.
"""

from __future__ import annotations

from desktop.errors import DiogelError


class ReportError(DiogelError):
    """Base for every failure of the ``reports`` package."""


class LetterError(ReportError):
    """A letter cannot be produced: unknown template, a language side missing, a value missing.

    ``template_id`` and ``field`` (when known) let the print queue say what to fix.
    """

    def __init__(self, msgid: str, template_id: str = "", field: str = "", **params: object) -> None:
        super().__init__(msgid, template=template_id, field=field, **params)
        self.template_id = template_id
        self.field = field


class MissingAddressError(LetterError):
    """The recipient has no postal address; the print queue holds the letter with this reason."""


class TemplateValidationError(ReportError):
    """A template file is malformed, or its Welsh and English sides do not match.

    ``problems`` lists every problem found, in English, for developers and the test suite.
    """

    def __init__(self, msgid: str, problems: list[str], **params: object) -> None:
        super().__init__(msgid, **params)
        self.problems = problems

    def __str__(self) -> str:
        return super().__str__() + "\n" + "\n".join(self.problems)
