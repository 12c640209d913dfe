"""The one form framework (see :mod:`ui.forms.form`)."""

from ui.forms.fields import ChecksEditor, Editor, Field, label_blank
from ui.forms.form import Form, Saving

__all__ = ["ChecksEditor", "Editor", "Field", "Form", "Saving", "label_blank"]
