"""Progress → Team: the rep table from stored sessions, the trainer-only calibration table, and a rep's row
opening their progress."""

from test_progress_view import store_history

from coach_app.storage.corrections import reject_finding
from coach_app.storage.sessions import list_sessions, load_session
from coach_app.storage.team import team_view


def _rows(table) -> dict[str, list[str]]:
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    }


def test_team_tab_lists_each_rep_and_opens_their_progress(qtbot, window, state):
    """One row per rep with the stored figures; double-clicking Alex shows Alex's progress on the Rep tab."""
    store_history(state)
    state.update_settings(rep_name="Sam")
    progress = window.show_screen("progress")
    with qtbot.waitSignal(progress.team.loaded, timeout=30000):
        progress.pages.setCurrentWidget(progress.team)
    rows = _rows(progress.team.reps)
    expected = team_view(state.db)
    assert set(rows) == {"Alex", "Sam"}
    sam = next(r for r in expected.reps if r.rep == "Sam")
    assert rows["Sam"][1:3] == [str(sam.sessions), f"{sam.mean_overall:.0f}"]
    assert rows["Sam"][-2] == f"{sam.trend:+.0f}" and sam.trend > 0  # poor calls first, good ones lately
    assert rows["Alex"][-2] == "—"  # one session: no trend
    assert not progress.team.calibration.isVisible()  # reps do not see the calibration

    alex_row = next(r for r in range(progress.team.reps.rowCount()) if progress.team.reps.item(r, 0).text() == "Alex")
    with qtbot.waitSignal(progress.charts_shown, timeout=30000):
        progress.team.reps.itemActivated.emit(progress.team.reps.item(alex_row, 2))
    assert progress.pages.currentIndex() == 0 and progress.rep.currentText() == "Alex"


def test_trainers_see_how_often_findings_were_marked_wrong(qtbot, window, state):
    """A trainer sees the calibration table; a finding marked wrong shows in its kind's row."""
    store_history(state)
    session_id = list_sessions(state.db, rep="Alex")[0].id
    finding = next(f for f in load_session(state.db, session_id).findings if f.finding.kind == "empathy")
    reject_finding(state.db, finding.id, author="Tess")
    state.update_settings(role="trainer")
    progress = window.show_screen("progress")
    with qtbot.waitSignal(progress.team.loaded, timeout=30000):
        progress.pages.setCurrentWidget(progress.team)
    assert progress.team.calibration.isVisible()
    rows = _rows(progress.team.calibration)
    kind = next(k for k in team_view(state.db).calibration if k.kind == "empathy")
    assert rows["empathy"][1:4] == [str(kind.automatic), "1", f"{1 / kind.automatic:.0%}"]
