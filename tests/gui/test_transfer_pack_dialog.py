""""Prepare the information pack…" on the child protection tab, offscreen on the demo (the Jones family is
moving to Powys, told four days ago, so C17 is overdue): the form lists the open transfers out by child and
authority (never an id), takes the authority's address and the pack's language, refuses what is missing
under its field with nothing saved or recorded, and once saved leaves a real PDF where the person chose
(read back), opens it, records the pack in the case's correspondence and closes C17."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.services.demo import DemoContext, build_demo
from tests.conftest import demo_clock, fast_kdf, settle
from tests.gui.forms import filled, saved

PASSWORD = "demo-password-pack"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoContext]:
    ctx = build_demo(tmp_path / "demo", PASSWORD, role="social_worker", kdf=fast_kdf(), clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store

    forget_store(ctx.session("sw_tom"))
    ctx.store.close()


def _c17(ctx: DemoContext) -> list[str]:
    from desktop.services.my_work import MyWorkService

    s = ctx.session("sw_tom")
    return [i.person_id for i in MyWorkService(s).all_items(s.today()) if i.rule_id == "C17"]


def test_the_pack_is_made_saved_opened_and_recorded(qtbot: Any, demo: DemoContext, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from ui.child_protection.tab import ChildProtectionTab
    from ui.child_protection.transfer_dialogs import InformationPackDialog

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    s, case_id = demo.session("sw_tom"), demo.cases["jones_cp"]
    ruby, mason = demo.families["jones"]["ruby"], demo.families["jones"]["mason"]
    assert sorted(_c17(demo)) == sorted([ruby, mason])
    tab = ChildProtectionTab(s, case_id)
    qtbot.addWidget(tab)
    settle(qtbot)
    action = tab.bar.action("information_pack")
    assert action.isEnabled()
    action.trigger()
    form = filled(tab.dialog, qtbot)
    assert isinstance(form, InformationPackDialog)
    combo = form.widgets["transfer_id"]
    choices = [combo.itemText(i) for i in range(combo.count())]
    assert len(choices) == 2 and all("moving out to Cyngor Sir Powys" in c for c in choices)
    assert not any(combo.itemData(i) in c for i, c in enumerate(choices))  # the id is data, never shown
    assert form.value("other_la") == "Cyngor Sir Powys"  # as recorded on the move out
    assert form.value("on_date") == s.today().isoformat()
    out = tmp_path / "pack.pdf"
    form.choose_path = lambda _suggested: str(out)

    assert saved(form, qtbot) is False  # no address
    assert form.errors["address"].text() == "Enter the receiving authority's postal address."
    assert not out.exists() and not s.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")

    form.set_value("address", "Neuadd y Sir\nSpa Road East\nLlandrindod Wells\nLD1 5LG")
    form.set_value("language", "en")
    chosen = combo.currentData()
    child = s.store.rows("SELECT given_names, family_name, date_of_birth FROM person p JOIN cp_transfer t"
                         " ON t.person_id = p.id WHERE t.id = ?", [chosen])[0]
    assert saved(form, qtbot), form.general_error.text()
    text = " ".join("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert f"information for the receiving authority about {child['given_names']} {child['family_name']}" in text
    assert "Cyngor Sir Powys Neuadd y Sir Spa Road East Llandrindod Wells LD1 5LG" in text
    assert "4 Stryd Aberriw, Y Trallwng SY21 7JP" in text and "Page 1 of" in text
    assert opened == [str(out)] and form.saved_to == out
    letter = s.store.rows("SELECT status, recipient_name, language FROM letter WHERE template_id = 'N7'")
    assert letter == [{"status": "printed", "recipient_name": "Cyngor Sir Powys", "language": "en"}]
    assert s.store.rows("SELECT information_sent_on FROM cp_transfer WHERE id = ?", [chosen])[0][
        "information_sent_on"] == s.today().isoformat()
    assert len(_c17(demo)) == 1  # the other child's pack is still due
    assert not list(tmp_path.glob("*.part"))

    # The other child's pack: the authority's address and language come from the first pack (kept, m0033).
    again = filled(tab.information_pack(), qtbot)
    assert again.widgets["transfer_id"].currentData() != chosen  # the one still to send comes first
    assert again.value("address") == "Neuadd y Sir\nSpa Road East\nLlandrindod Wells\nLD1 5LG"
    assert (again.value("other_la"), again.value("language")) == ("Cyngor Sir Powys", "en")
    second = tmp_path / "pack-2.pdf"
    again.choose_path = lambda _suggested: str(second)
    assert saved(again, qtbot), again.general_error.text()
    assert second.exists() and _c17(demo) == []


def test_no_file_chosen_records_nothing(qtbot: Any, demo: DemoContext, tmp_path: Path) -> None:
    from ui.child_protection.transfer_dialogs import InformationPackDialog

    s = demo.session("sw_tom")
    form = filled(InformationPackDialog(s, demo.cases["jones_cp"]), qtbot)
    qtbot.addWidget(form)
    form.set_value("address", "Neuadd y Sir\nLlandrindod Wells")
    form.choose_path = lambda _suggested: ""
    assert not saved(form, qtbot)
    assert form.general_error.text() == "The pack was not saved: no file was chosen."
    assert not s.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")
    assert not s.store.rows("SELECT 1 FROM cp_transfer WHERE information_sent_on IS NOT NULL")
