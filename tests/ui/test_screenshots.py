"""`coach-app screenshots DIR` renders every screen with sample data into PNGs, leaving the user's profile alone."""

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_screenshots_command_writes_one_png_per_screen(tmp_path, coach_home):
    """A fresh process writes the seven PNGs of a 1280×720 window at HiDPI (2×) and touches no real profile."""
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "coach_app", "screenshots", "--scale", "2", str(out)],
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
    ]
    for name in names[:5]:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (2560, 1440), name
    assert not coach_home.exists()  # the samples went into a throwaway profile
