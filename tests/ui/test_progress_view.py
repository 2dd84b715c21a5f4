"""Progress: charts drawn from stored sessions, goals added in the screen, period, rep and scenario filters."""

from datetime import UTC, datetime, timedelta

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtWidgets import QMessageBox

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.storage.sessions import save_session
from coach_app.transcript_io import load_transcript

SAMPLES = paths.resources_root().parent / "data" / "samples"


def store_history(state) -> None:
    """Six sessions for Sam over six weeks (poor calls first, good ones lately) and one for Alex."""
    now = datetime.now(UTC)
    names = ["birthday_gift_poor", "subscription_cancel_poor", "telecom_complaint_poor_asr"]
    names += ["birthday_gift_good", "subscription_cancel_good_asr", "telecom_complaint_good"]
    for weeks_ago, name in zip(range(6, 0, -1), names, strict=True):
        transcript = load_transcript(SAMPLES / f"{name}.json")
        when = (now - timedelta(weeks=weeks_ago, hours=-1)).isoformat(timespec="seconds")
        scenario = "birthday-gift" if name.startswith("birthday") else None
        save_session(state.db, transcript, analyze(transcript), "Sam", name, scenario=scenario, started_at=when)
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    save_session(state.db, transcript, analyze(transcript), "Alex", "alex call")


def test_charts_render_and_goals_and_filters_work(qtbot, window, state):
    """Three charts are drawn with data; a goal shows its progress; the period and rep filters reload."""
    store_history(state)
    state.update_settings(rep_name="Sam")
    progress = window.page("progress")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        window.show_screen("progress")
    assert progress.rep.currentText() == "Sam"
    assert [progress.charts.tabText(i) for i in range(progress.charts.count())] == ["Trend", "Skills", "Behaviours"]
    for index in range(progress.charts.count()):
        canvas = progress.charts.widget(index)
        assert isinstance(canvas, FigureCanvasQTAgg)
        assert any(axes.lines for axes in canvas.figure.axes)
    trend = progress.charts.widget(0).figure.axes[0].lines[0]
    assert len(trend.get_xdata()) == 6
    assert "6</b> sessions" in progress.summary.text()

    progress.goal_edit.setText("2+ reflections per call")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.add_goal()
    assert progress.goals.count() == 1
    assert "2+ reflections per call: met in" in progress.goals.item(0).text()

    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.period.setCurrentText("Last 30 days")
    assert len(progress.charts.widget(0).figure.axes[0].lines[0].get_xdata()) == 4

    assert progress.scenario.itemText(1) == "The birthday present that didn't arrive"
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.period.setCurrentText("All time")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.scenario.setCurrentIndex(1)
    assert len(progress.charts.widget(0).figure.axes[0].lines[0].get_xdata()) == 2
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.scenario.setCurrentIndex(0)

    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.rep.setCurrentText("Alex")
    assert "1</b> sessions" in progress.summary.text()


def test_an_unknown_goal_is_refused_clearly(qtbot, window, state):
    """A goal the app cannot measure shows one clear error and adds nothing."""
    store_history(state)
    progress = window.page("progress")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        window.show_screen("progress")
    progress.goal_edit.setText("be nicer")
    progress.add_goal()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=5000)
    assert "be nicer" in window.findChild(QMessageBox, "errorDialog").text()
    assert progress.goals.count() == 0 and progress.goal_edit.text() == "be nicer"
