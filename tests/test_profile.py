"""Profiles and sign-in: offline unlock, wrong passwords, growing delay, password change."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import LockedOut, StoreError, ValidationError, WrongPassword
from desktop.services.session import Session
from desktop.store.profile import FREE_ATTEMPTS, Profile, lockout_delay
from tests.conftest import PASSWORD, fast_kdf


class Ticker:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_sign_in_needs_no_connection_and_opens_the_store(session: Session) -> None:
    assert session.user.name == "Rhian Evans"
    assert session.user.role == "social_worker"
    actions = [r["action"] for r in session.store.rows("SELECT action FROM audit ORDER BY seq")]
    assert "sign_in" in actions


def test_wrong_password_message_and_growing_delay(tmp_path: Path) -> None:
    Profile.create(tmp_path / "p", PASSWORD, kdf=fast_kdf())
    profile = Profile.open(tmp_path / "p")
    profile.clock = Ticker()
    for _ in range(FREE_ATTEMPTS - 1):
        with pytest.raises(WrongPassword, match="not right"):
            profile.unlock("nope nope")
    with pytest.raises(WrongPassword) as first_delay:
        profile.unlock("nope nope")
    assert first_delay.value.params["seconds"] == lockout_delay(FREE_ATTEMPTS) > 0
    # During the delay even the right password is not tried.
    with pytest.raises(LockedOut) as locked:
        profile.unlock(PASSWORD)
    assert locked.value.seconds == lockout_delay(FREE_ATTEMPTS)
    profile.clock.now += lockout_delay(FREE_ATTEMPTS)
    with pytest.raises(WrongPassword) as second:
        profile.unlock("still wrong")
    assert second.value.params["seconds"] > first_delay.value.params["seconds"], "the delay grows"
    profile.clock.now += second.value.params["seconds"]
    assert profile.unlock(PASSWORD)
    assert Profile.open(tmp_path / "p")._lockout()["failures"] == 0  # noqa: SLF001


def test_lockout_delay_is_capped_and_free_at_first() -> None:
    assert [lockout_delay(n) for n in range(FREE_ATTEMPTS)] == [0] * FREE_ATTEMPTS
    delays = [lockout_delay(n) for n in range(FREE_ATTEMPTS, FREE_ATTEMPTS + 20)]
    assert delays == sorted(delays) and max(delays) == 300


def test_change_password_rewraps_the_same_key(session: Session) -> None:
    folder = session.profile.folder
    session.close()
    profile = Profile.open(folder)
    key = profile.unlock(PASSWORD)
    profile.change_password(PASSWORD, "a new long password")
    again = Profile.open(folder)
    with pytest.raises(WrongPassword):
        again.unlock(PASSWORD)
    again.clock = lambda: 10**12  # past any delay
    assert again.unlock("a new long password") == key
    with pytest.raises(ValidationError):
        again.change_password("a new long password", "short")


def test_create_profile_validates_and_never_overwrites(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        Session.create_profile(tmp_path / "p", given_names="A", family_name="B", role="social_worker",
                               team_name="T", password="short", kdf=fast_kdf())
    with pytest.raises(ValidationError):
        Session.create_profile(tmp_path / "p", given_names="A", family_name="B", role="boss",
                               team_name="T", password=PASSWORD, kdf=fast_kdf())
    s = Session.create_profile(tmp_path / "p", given_names="A", family_name="B", role="admin_staff",
                               team_name="T", password=PASSWORD, kdf=fast_kdf(), language="cy")
    s.close()
    assert Profile.open(tmp_path / "p").language == "cy"
    with pytest.raises(StoreError, match="already exists"):
        Session.create_profile(tmp_path / "p", given_names="A", family_name="B", role="admin_staff",
                               team_name="T", password=PASSWORD, kdf=fast_kdf())


def test_preferences_idle_lock_default_and_bounds(tmp_path: Path) -> None:
    profile, _ = Profile.create(tmp_path / "p", PASSWORD, kdf=fast_kdf())
    assert profile.idle_lock_minutes == 10
    profile.set_preferences(idle_lock_minutes=3, language="cy")
    assert Profile.open(tmp_path / "p").idle_lock_minutes == 3
    with pytest.raises(ValidationError):
        profile.set_preferences(idle_lock_minutes=0)


def test_high_contrast_preference_is_saved_and_a_nonsense_value_means_off(tmp_path: Path) -> None:
    """Settings' "Always use high contrast": off by default, kept across opening, and a value in
    profile.json that is not true or false (hand-edited, damaged) is read as off, never a traceback."""
    import json

    profile, _ = Profile.create(tmp_path / "p", PASSWORD, kdf=fast_kdf())
    assert profile.high_contrast is False
    profile.set_preferences(high_contrast=True)
    assert Profile.open(tmp_path / "p").high_contrast is True
    assert Profile.open(tmp_path / "p").idle_lock_minutes == 10  # the other preferences untouched
    path = tmp_path / "p" / "profile.json"
    data = json.loads(path.read_text())
    data["high_contrast"] = "yes please"
    path.write_text(json.dumps(data))
    assert Profile.open(tmp_path / "p").high_contrast is False
