"""The PyInstaller bundle builds on this machine and runs headless: CLI analysis, every app screen, clean exit."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "birthday_gift_good.json"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Build the one-folder bundle once (about 1–3 minutes) into a temporary folder."""
    work = tmp_path_factory.mktemp("pyinstaller")
    env = {**os.environ, "DIST_DIR": str(work / "dist"), "BUILD_DIR": str(work / "build")}
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")], env=env, capture_output=True, text=True, timeout=1200
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    program = work / "dist" / "listening-coach" / "listening-coach"
    assert program.is_file()
    return program


def run_bundled(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    # A clean environment: nothing from this virtualenv may leak into the frozen program.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "COACH_APP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(program), *args], env=env, capture_output=True, text=True, timeout=300)


def test_bundled_cli_analyses_a_sample(bundle, tmp_path):
    """The frozen CLI scores a sample transcript with the bundled classifier, rubric and lexicons."""
    started = time.perf_counter()
    done = run_bundled(bundle, "analyze", str(SAMPLE), "--json", home=tmp_path)
    print(f"bundled analyze: {time.perf_counter() - started:.2f} s")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"metrics", "findings", "scores", "breakdown"}
    assert result["scores"]["overall"] >= 60
    assert result["metrics"]["reflections"] >= 1


def test_bundled_app_opens_every_screen_and_exits(bundle, tmp_path):
    """The frozen app opens its window offscreen, renders each screen to PNG, and exits with status 0."""
    done = run_bundled(bundle, "screenshots", str(tmp_path / "shots"), home=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    shots = sorted((tmp_path / "shots").glob("*.png"))
    assert len(shots) >= 5
    assert all(shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000 for shot in shots)


def test_bundled_program_reports_bad_input_without_traceback(bundle, tmp_path):
    """A user mistake in the frozen program is one clear line and exit status 2."""
    done = run_bundled(bundle, "analyze", str(tmp_path / "missing.json"), home=tmp_path)
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_bundle_carries_native_libraries(bundle):
    """Vosk's native library, PortAudio and the shipped resources are inside the bundle."""
    internal = bundle.parent / "_internal"
    assert (internal / "vosk" / "libvosk.so").is_file()
    assert list(internal.glob("libportaudio*")), "PortAudio is not bundled"
    assert (internal / "resources" / "rubrics" / "default.toml").is_file()


def test_desktop_entry_and_icons_are_valid():
    """The Linux menu entry passes desktop-file-validate and every icon size the installer copies exists."""
    done = subprocess.run(
        ["desktop-file-validate", str(ROOT / "packaging" / "listening-coach.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for size in (16, 32, 48, 64, 128, 256, 512):
        png = ROOT / "packaging" / "icons" / f"listening-coach-{size}.png"
        assert png.read_bytes()[:4] == b"\x89PNG"
