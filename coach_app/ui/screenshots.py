"""Screenshots of every screen with sample data, taken offscreen in a throwaway profile (for the README and reviews).

The caller sets COACH_APP_HOME and QT_QPA_PLATFORM before this module creates the QApplication.
"""

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.storage.db import open_db
from coach_app.transcript_io import load_transcript
from coach_app.ui.app import create_application
from coach_app.ui.main_window import SCREENS, MainWindow
from coach_app.ui.state import AppState

log = logging.getLogger(__name__)

SAMPLE_REP = "Sam Taylor"
PRACTICE_LINES = (
    "I'm so sorry about that. Can you tell me a bit more about what happened?",
    "So if I'm hearing you right, the money has left your account twice and your rent is due on Friday?",
)


def samples_dir() -> Path:
    return paths.resources_root().parent / "data" / "samples"


def fill_library(db) -> list[int]:
    """Store the sample conversations, spread over the past weeks, with tags and a trainer's comment."""
    files = sorted(samples_dir().glob("*.json"))
    if not files:
        raise CoachError(f"No sample transcripts in {samples_dir()}: run this from a Listening Coach source checkout.")
    now = datetime.now(UTC).replace(microsecond=0)
    ids = []
    for number, path in enumerate(files * 2):  # twice, so the progress charts have a trend to show
        transcript = load_transcript(path)
        when = now - timedelta(days=3 * (2 * len(files) - number))
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
                tags=("seed story",) if "birthday" in path.stem else ("billing",),
            )
        )
    sessions.add_comment(db, ids[-1], "Lovely reflection here: keep doing this.", at_s=52.0, author="Jo (trainer)")
    return ids


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    QApplication.processEvents()
    target = folder / f"{name}.png"
    if not widget.grab().save(str(target)):
        raise CoachError(f"Could not write the screenshot {target}: check the folder is writable.")
    return target


def take_screenshots(folder: Path) -> list[Path]:
    """Open each screen with sample data and save one PNG per screen into `folder`; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    create_application()
    db = open_db()
    ids = fill_library(db)
    state = AppState(db)
    state.update_settings(rep_name=SAMPLE_REP, first_run_done=True)
    window = MainWindow(state)
    window.resize(1280, 720)
    window.show()
    shots = []

    practice = window.show_screen("practice")
    practice.scenarios.setCurrentRow(1)
    practice.start_typed()
    for line in PRACTICE_LINES:
        practice.reply_edit.setText(line)
        practice.send_typed()
    shots.append(_save(window, folder, "1-practice"))

    window.open_session(ids[-1])
    review = window.page("review")
    review.step_finding(1)
    review.step_finding(1)
    shots.append(_save(window, folder, "2-review"))

    for number, key in enumerate(("progress", "library", "settings"), start=3):
        if any(spec.key == key for spec in SCREENS):
            window.show_screen(key)
            shots.append(_save(window, folder, f"{number}-{key}"))

    wizard = window.open_first_run()
    wizard.about.name.setText(SAMPLE_REP)
    shots.append(_save(wizard, folder, "6-first-run"))
    wizard.next()
    wizard.next()
    shots.append(_save(wizard, folder, "7-first-run-speech-model"))
    wizard.reject()
    window.close()
    return shots
