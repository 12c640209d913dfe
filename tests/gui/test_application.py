"""The start-up flow: first run or sign-in, then the main window; sign-out at the end."""

from __future__ import annotations

from pathlib import Path

from desktop.store.profile import Profile
from tests.conftest import PASSWORD, fast_kdf
from tests.gui.conftest import World
from ui.application import AppController, default_profile_dir
from ui.first_run import FirstRunDialog
from ui.sign_in import SignInDialog


def test_default_profile_folder_is_per_user() -> None:
    folder = default_profile_dir()
    assert folder.parts[-3:] == ("Diogel", "profiles", "default") or folder.parts[-2:] == ("profiles", "default")


def test_no_profile_means_first_run_then_the_main_window(qtbot, tmp_path: Path) -> None:
    controller = AppController(tmp_path / "fresh", kdf=fast_kdf(), idle_ms=3_600_000)
    dialog = controller.start()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, FirstRunDialog)
    dialog.given_names.setText("Gareth")
    dialog.family_name.setText("Huws")
    dialog.team.setText("Tîm Oedolion")
    dialog.password.setText(PASSWORD)
    dialog.password2.setText(PASSWORD)
    dialog.language.setCurrentIndex(dialog.language.findData("cy"))
    dialog.create_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    assert controller.window.isVisible()
    assert Profile.open(tmp_path / "fresh").language == "cy"
    assert controller.window.windowTitle() == "Diogel"
    controller.window.close()
    controller.shutdown()
    assert controller.session is None


def test_existing_profile_opens_in_its_language_and_signs_in(qtbot, world: World) -> None:
    Profile.open(world.folder).set_preferences(language="cy")
    controller = AppController(world.folder, idle_ms=3_600_000)
    dialog = controller.start()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SignInDialog)
    assert dialog.sign_in_button.text() == "Mewngofnodi"
    dialog.password.setText(PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    page = controller.window.page("caseload")
    qtbot.waitUntil(lambda: page.loaded and page.proxy.rowCount() == 3, timeout=10_000)
    controller.window.close()
    controller.shutdown()
