"""Progress speaks plainly: "1 day" not "1 days", and an empty view names the filter that emptied it."""

from PySide6.QtCore import Qt
from test_progress_view import SAMPLES, store_history

from coach_app.analysis import analyze
from coach_app.storage.sessions import save_session
from coach_app.transcript_io import load_transcript


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a combo box with the keyboard, as a user would."""
    combo.setFocus()
    while combo.currentText() != text:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_a_one_day_streak_is_singular(qtbot, window, state):
    """One session today reads "Streak: 1 day"."""
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    save_session(state.db, transcript, analyze(transcript), "Sam", "today")
    state.update_settings(rep_name="Sam")
    progress = window.page("progress")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        window.show_screen("progress")
    assert "Streak: 1 day (longest 1 day)" in progress.summary.text()


def test_the_empty_view_names_the_scenario_filter_when_that_emptied_it(qtbot, window, state):
    """Alex has calls but none of the chosen scenario: the message names the scenario filter, not the period."""
    store_history(state)
    state.update_settings(rep_name="Alex")
    progress = window.page("progress")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        window.show_screen("progress")
    assert progress.splitter.isVisible()
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        choose(qtbot, progress.scenario, "The birthday present that didn't arrive")
    assert progress.empty.isVisible()
    message = progress.empty.text()
    assert "scenario" in message and progress.scenario.currentText() in message and "period" not in message
