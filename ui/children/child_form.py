"""The Children in Need and looked-after forms: :class:`ui.forms.Form` showing the children's codes."""

from __future__ import annotations

from typing import Any

from desktop.services.children.codes import label
from ui.forms import Form


class ChildForm(Form):
    def code_label(self, code: Any) -> str:
        return label(code)
