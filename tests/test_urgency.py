"""Urgency is said in words and by shape as well as by colour, and every colour pair is readable
(WCAG 2.2 AA: at least 4.5:1), in both languages."""

from __future__ import annotations

import pytest

from desktop.domain.urgency import STYLES, Urgency, contrast_ratio, how_late, urgency_label
from desktop.i18n import set_language


def test_every_level_has_its_own_words_and_shape_and_readable_colours() -> None:
    assert len({s.shape for s in STYLES.values()}) == len(Urgency)
    assert len({s.label for s in STYLES.values()}) == len(Urgency)
    for urgency, style in STYLES.items():
        assert contrast_ratio(style.foreground, style.background) >= 4.5, urgency
        assert contrast_ratio(style.foreground, "#ffffff") >= 4.5, urgency  # also on a plain row


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["Overdue: 1 working day", "Overdue: 2 working days", "Overdue: 3 days", "Due today", "Due this week",
            "Later", "Cannot be worked out"]),
    ("cy", ["Yn hwyr: 1 diwrnod gwaith", "Yn hwyr: 2 ddiwrnod gwaith", "Yn hwyr: 3 diwrnod", "I'w wneud heddiw",
            "I'w wneud yr wythnos hon", "Yn nes ymlaen", "Methu ei gyfrifo"]),
])
def test_the_words_in_both_languages_count_in_the_rules_unit(lang: str, expected: list[str]) -> None:
    set_language(lang)
    got = [urgency_label(Urgency.OVERDUE, 1, "working_days"), urgency_label(Urgency.OVERDUE, 2, "working_days"),
           urgency_label(Urgency.OVERDUE, 3, "days"), urgency_label(Urgency.DUE_TODAY),
           urgency_label(Urgency.DUE_THIS_WEEK), urgency_label(Urgency.UPCOMING), urgency_label(Urgency.PROBLEM)]
    assert got == expected
    assert how_late(6, "working_days") == ("6 working days" if lang == "en" else "6 diwrnod gwaith")
