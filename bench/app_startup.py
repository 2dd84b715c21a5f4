"""Desktop app start-up: cold start to the shown main window, and idle memory, each in a fresh process.

Runs `run_app()` (the real start-up path: logging, QApplication, database, main window with its first screen)
offscreen in a throwaway profile, several times, and prints the median and best start-up time and the idle RSS,
then the idle RSS once a short call has been analysed (the encoder and the behaviour model loaded).
Targets: ≤ 1.5 s to a shown window, ≤ 250 MB idle, ≤ 300 MB idle with the models loaded. Timings on a shared
2-core machine are noisy.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
IDLE_S = 3.0

CHILD = """
import json, sys, time
from PySide6.QtCore import QTimer
from coach_app.ui.app import create_application, run_app

app = create_application()

def shown():
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")
    print(json.dumps({"shown": window.isVisible(), "title": window.windowTitle()}), flush=True)
    QTimer.singleShot(int(%(idle_s)s * 1000), idle)

def rss_mb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:")) / 1024

def idle():
    print(json.dumps({"idle_rss_mb": rss_mb()}), flush=True)
    from coach_app.analysis import analyze
    from coach_app.core import Transcript, Turn
    analyze(Transcript((Turn("customer", 0.0, 2.0, "My bill is wrong."), Turn("rep", 2.5, 4.0, "Sorry, let me look."))))
    QTimer.singleShot(int(%(idle_s)s * 1000), models_idle)

def models_idle():
    print(json.dumps({"models_rss_mb": rss_mb()}), flush=True)
    app.quit()

QTimer.singleShot(0, shown)  # runs once the event loop starts, i.e. after run_app has shown the window
sys.exit(run_app())
"""


def prepared_profile(root: Path) -> None:
    """A profile that has been through the first-run wizard, so start-up shows the main window only."""
    env = {**os.environ, "COACH_APP_HOME": str(root)}
    code = (
        "from coach_app.storage.db import open_db; from coach_app.settings import Settings, save_settings; "
        "save_settings(open_db(), Settings(rep_name='Bench', first_run_done=True))"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def one_start(root: Path) -> tuple[float, float, float]:
    env = {**os.environ, "COACH_APP_HOME": str(root), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD % {"idle_s": IDLE_S}], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    first = json.loads(child.stdout.readline())
    shown_s = time.perf_counter() - started
    assert first["shown"], "the main window was not shown"
    rss_mb = json.loads(child.stdout.readline())["idle_rss_mb"]
    models_mb = json.loads(child.stdout.readline())["models_rss_mb"]
    child.wait(timeout=60)
    return shown_s, rss_mb, models_mb


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as scratch:
        root = Path(scratch)
        prepared_profile(root)
        results = [one_start(root) for _ in range(RUNS)]
    starts = [s for s, _, _ in results]
    rss = [r for _, r, _ in results]
    models = [m for _, _, m in results]
    print(
        f"cold start to shown main window: median {statistics.median(starts):.2f} s, best {min(starts):.2f} s "
        f"over {RUNS} fresh processes (target ≤ 1.5 s)"
    )
    print(
        f"idle RSS after {IDLE_S:.0f} s: median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB "
        f"(target ≤ 250 MB)"
    )
    print(
        f"idle RSS with the analysis models loaded (one call analysed): median {statistics.median(models):.0f} MB, "
        f"max {max(models):.0f} MB (target ≤ 300 MB)"
    )
    print("(offscreen Qt platform; shared 2-core machine, so timings are noisy)")


if __name__ == "__main__":
    main()
