"""The child protection code lists and their labels (Qt-free; public)."""

from __future__ import annotations

from desktop.i18n import N_

CATEGORIES = ("physical", "emotional", "sexual", "financial", "neglect")
"""Register categories (procedures.md §5.1): physical, emotional/psychological, sexual, financial abuse; neglect."""

CATEGORY_LABELS = {
    "physical": N_("Physical abuse"),
    "emotional": N_("Emotional / psychological abuse"),
    "sexual": N_("Sexual abuse"),
    "financial": N_("Financial abuse"),
    "neglect": N_("Neglect"),
}
