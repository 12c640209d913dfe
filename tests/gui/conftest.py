"""GUI fixtures: a real encrypted profile with people and cases, built through the services.

Everything runs offscreen (``QT_QPA_PLATFORM=offscreen``, set by ``tests/conftest.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from desktop.i18n import reload_catalogs
from desktop.paths import locales_dir
from desktop.services.cases import CaseService
from desktop.services.persons import PersonService
from desktop.services.session import Session, User
from tests.conftest import PASSWORD, FixedClock, fast_kdf

GUI_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/gui needs Qt widgets: mark them ``gui``."""
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@dataclass
class World:
    """The profile folder and the ids of what was put in it."""

    folder: Path
    elis: str  # child, subject of a child protection case
    carys: str  # Elis's mother, a member of that case
    owain: str  # child in need
    gwen: str  # adult at risk
    cp_case: str
    cin_case: str
    adult_case: str


def build_world(folder: Path, clock: FixedClock) -> World:
    """Create a profile (fast KDF) as a social worker and add people and cases through the services."""
    s = Session.create_profile(
        folder, given_names="Rhian", family_name="Evans", role="social_worker", team_name="Tîm Diogelu Plant",
        password=PASSWORD, kdf=fast_kdf(), scw_number="SW-104233",
    )
    s.store.close()
    s = Session.sign_in(folder, PASSWORD, clock=clock)
    persons, cases = PersonService(s), CaseService(s)
    elis = persons.create({"given_names": "Elis", "family_name": "Jones", "date_of_birth": "2019-05-04",
                           "la_number": "LA204518", "nhs_number": "9434765919"})
    carys = persons.create({"given_names": "Carys", "family_name": "Jones", "date_of_birth": "1992-08-17",
                            "correspondence_language": "cy"})
    owain = persons.create({"given_names": "Owain", "family_name": "Prys", "date_of_birth": "2025-06-30"})
    gwen = persons.create({"given_names": "Gwen", "family_name": "Thomas", "date_of_birth": "1941-02-11"})
    cp = cases.create("child_protection", subject_ids=[elis["id"]])
    cases.add_member(cp["id"], carys["id"], "parent")
    persons.add_address(elis["id"], {"line1": "4 Heol y Dŵr", "town": "Caerfyrddin", "postcode": "SA31 1AA",
                                     "from_date": "2022-03-01"})
    cin = cases.create("child_in_need", subject_ids=[owain["id"]])
    adult = cases.create("adult_at_risk", subject_ids=[gwen["id"]])
    s.close()
    return World(folder, elis["id"], carys["id"], owain["id"], gwen["id"], cp["id"], cin["id"], adult["id"])


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> World:
    return build_world(tmp_path / "profile", clock)


@pytest.fixture(autouse=True)
def language_hub(qapp: Any) -> Iterator[None]:
    """The Qt side of language switching exists in every GUI test, and ends in English."""
    from ui.language import hub

    reload_catalogs()
    hub()
    yield


@pytest.fixture
def gui_session(world: World, clock: FixedClock, qtbot: Any) -> Iterator[Session]:
    """Signed in as the social worker who made the world."""
    s = Session.sign_in(world.folder, PASSWORD, clock=clock, backup=False)
    yield s
    _close_session(s, qtbot)


@pytest.fixture
def admin_session(world: World, clock: FixedClock, qtbot: Any) -> Iterator[Session]:
    """An admin staff member of the same team, on the same store."""
    s = Session.sign_in(world.folder, PASSWORD, clock=clock, backup=False)
    admin_id = s.write(lambda tx: tx.insert("practitioner", {"given_names": "Bethan", "family_name": "Morris",
                                                            "app_role": "admin_staff", "team_id": s.user.team_id}))["id"]
    admin = Session(s.profile, s.store, User(admin_id, "Bethan", "Morris", "admin_staff", s.user.team_id, None))
    yield admin
    _close_session(s, qtbot)


def _close_session(s: Session, qtbot: Any) -> None:
    """Close open windows, let background reads finish, then close the store."""
    from ui.sync.controller import forget_controller
    from ui.tasks import forget_store, runner
    from ui.windows import close_sensitive

    close_sensitive()
    forget_controller(s)
    forget_store(s)
    qtbot.waitUntil(lambda: runner().running() == 0, timeout=10_000)
    if not s.store._closed:  # noqa: SLF001 - teardown only
        s.store.close()


def english_msgids() -> tuple[set[str], list[re.Pattern[str]]]:
    """Every msgid whose Welsh differs from it: exact texts, and patterns for those with {fields}."""
    with (locales_dir() / "cy" / "LC_MESSAGES" / "diogel.po").open("rb") as fh:
        catalog = read_po(fh, locale="cy")
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strs:
                continue  # the same in both languages (e.g. "{area} ({count})")
            if "{" in msgid:
                parts = re.split(r"\{[a-z_]+\}", msgid)
                if sum(len(p.strip(" ,.():–-")) for p in parts) < 4:
                    continue  # nothing but punctuation around the fields
                patterns.append(re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$", re.S))
            else:
                exact.add(msgid)
    return exact, patterns


def first_run(qtbot: Any, profile: Path) -> Any:
    """A fresh profile made through the first-run window (Gareth Huws, Tîm Oedolion) and signed in: the
    ``ui.application.AppController`` with its main window shown and given to pytest-qt."""
    from ui.application import AppController

    controller = AppController(profile, kdf=fast_kdf(), idle_ms=3_600_000)
    dialog = controller.start()
    qtbot.addWidget(dialog)
    dialog.given_names.setText("Gareth")
    dialog.family_name.setText("Huws")
    dialog.team.setText("Tîm Oedolion")
    dialog.password.setText(PASSWORD)
    dialog.password2.setText(PASSWORD)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    return controller
