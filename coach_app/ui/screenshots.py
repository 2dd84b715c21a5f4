"""Screenshots of every screen with sample data, taken offscreen in a throwaway profile (for the README and reviews).

The caller sets COACH_APP_HOME and QT_QPA_PLATFORM before this module creates the QApplication.
"""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.storage.db import open_db
from coach_app.storage.goals import add_goal
from coach_app.transcript_io import load_transcript
from coach_app.ui.app import create_application
from coach_app.ui.main_window import MainWindow
from coach_app.ui.state import AppState

log = logging.getLogger(__name__)

SAMPLE_REP = "Sam Taylor"
SAMPLE_GOALS = ("2+ reflections per call", "median pause ≥ 0.8 s")
CHARTS_TIMEOUT_MS = 30_000
DEFAULT_SIZE = (1280, 720)
PRACTICE_LINES = (
    "I'm so sorry about that. Can you tell me a bit more about what happened?",
    "So if I'm hearing you right, the money has left your account twice and your rent is due on Friday?",
)


def samples_dir() -> Path:
    return paths.resources_root().parent / "data" / "samples"


def fill_library(db) -> list[int]:
    """Store the sample conversations, spread over the past weeks, with tags and a trainer's comment."""
    files = sorted(samples_dir().glob("*.json"), key=lambda path: ("good" in path.stem, path.stem))
    if not files:
        raise CoachError(f"No sample transcripts in {samples_dir()}: run this from a Listening Coach source checkout.")
    now = datetime.now(UTC).replace(microsecond=0)
    ids = []
    history = [path for path in files for _ in range(2)]  # poor calls first, then good ones: a rep improving
    for number, path in enumerate(history):
        transcript = load_transcript(path)
        when = now - timedelta(days=2 * (len(history) - number))
        title = path.stem.replace("_", " ").replace(" asr", " (speech)").capitalize()
        ids.append(
            sessions.save_session(
                db,
                transcript,
                analyze(transcript),
                SAMPLE_REP,
                title,
                source="practice" if number % 2 else "imported_call",
                started_at=when.isoformat(),
                tags=(path.stem.split("_")[0],),
            )
        )
    sessions.add_comment(db, ids[-1], "Lovely reflection here: keep doing this.", at_s=52.0, author="Jo (trainer)")
    for goal in SAMPLE_GOALS:
        add_goal(db, SAMPLE_REP, goal)
    return ids


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    QApplication.processEvents()
    target = folder / f"{name}.png"
    if not widget.grab().save(str(target)):
        raise CoachError(f"Could not write the screenshot {target}: check the folder is writable.")
    return target


def screen_tour(window: MainWindow, ids: list[int]) -> Iterator[tuple[str, QWidget]]:
    """Show each screen in turn with sample content (a typed call, a session, charts, the wizard), yielding its
    file name and the widget to capture while it is shown."""
    practice = window.show_screen("practice")
    practice.picker.list.setCurrentRow(1)
    practice.start_typed()
    for line in PRACTICE_LINES:
        practice.reply_bar.edit.setText(line)
        practice.send_typed()
    yield "1-practice", window
    practice.abandon_typed()

    window.open_session(ids[-1])
    review = window.page("review")
    review.step_finding(1)
    review.step_finding(1)
    yield "2-review", window

    progress = window.page("progress")
    charts_drawn = QEventLoop()
    progress.charts_shown.connect(charts_drawn.quit)
    window.show_screen("progress")
    QTimer.singleShot(CHARTS_TIMEOUT_MS, charts_drawn.quit)
    charts_drawn.exec()
    yield "3-progress", window
    for number, key in enumerate(("library", "settings"), start=4):
        window.show_screen(key)
        yield f"{number}-{key}", window

    wizard = window.open_first_run()
    wizard.resize(min(wizard.width(), window.width()), min(wizard.height(), window.height()))
    wizard.about.name.setText(SAMPLE_REP)
    yield "6-first-run", wizard
    wizard.next()
    wizard.next()
    yield "7-first-run-speech-model", wizard
    wizard.next()
    yield "8-first-run-done", wizard
    wizard.reject()


def take_screenshots(folder: Path, size: tuple[int, int] = DEFAULT_SIZE) -> list[Path]:
    """Open each screen with sample data at `size` (logical pixels) and save one PNG per screen into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    create_application()
    with open_db() as db:
        ids = fill_library(db)
        state = AppState(db)
        state.update_settings(rep_name=SAMPLE_REP, role="trainer", first_run_done=True)
        window = MainWindow(state)
        window.resize(*size)
        window.show()
        shots = [_save(widget, folder, name) for name, widget in screen_tour(window, ids)]
        window.close()
    return shots
