"""Packaging: build.spec makes a one-folder bundle whose program answers --version and a
headless self-check (encrypted store, Welsh catalog, fonts) with no display."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_builds_and_runs(tmp_path: Path) -> None:
    pyinstaller = shutil.which("pyinstaller", path=str(Path(sys.executable).parent))
    if pyinstaller is None:
        pytest.skip("PyInstaller is not installed in this environment (make venv installs it)")
    build = subprocess.run(
        [pyinstaller, "--noconfirm", "--clean", "--distpath", str(tmp_path / "dist"), "--workpath",
         str(tmp_path / "work"), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    program = tmp_path / "dist" / "diogel" / "diogel"
    assert (tmp_path / "dist" / "diogel" / "_internal" / "locales" / "cy" / "LC_MESSAGES").is_dir()
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"Diogel {__version__}"
    check = subprocess.run([str(program), "selfcheck"], capture_output=True, text=True, timeout=120,
                           env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Self-check passed." in check.stdout
