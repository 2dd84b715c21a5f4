"""`coach-app screenshots DIR` renders every screen with sample data into PNGs, leaving the user's profile alone."""

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_screenshots_command_writes_one_png_per_screen(tmp_path, coach_home):
    """A fresh process writes the eight PNGs of a 1024×640 window at HiDPI (2×) and touches no real profile."""
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "coach_app", "screenshots", "--scale", "2", "--size", "1024x640", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == [
        "1-practice.png",
        "2-review.png",
        "3-progress.png",
        "4-library.png",
        "5-settings.png",
        "6-first-run.png",
        "7-first-run-speech-model.png",
        "8-first-run-done.png",
    ]
    for name in names[:5]:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (2048, 1280), name
    assert not coach_home.exists()  # the samples went into a throwaway profile


def test_a_wrong_size_is_refused_with_the_expected_form(coach_home):
    """`--size big` and sizes below the app's minimum end with a one-line usage error, not a traceback."""
    for size in ("big", "800x600"):
        done = subprocess.run(
            [sys.executable, "-m", "coach_app", "screenshots", "--size", size, "out"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and ("WIDTHxHEIGHT" in done.stderr or "960x600" in done.stderr), done.stderr
        assert "Traceback" not in done.stderr
