"""Progress charts read well at small sizes: whole-number session ticks, nothing clipped, good and bad behaviours
apart with legends beside the data."""

from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from session_factory import make_scorecard, make_transcript

from coach_app.reports.charts import behaviour_figure, trend_figure
from coach_app.storage.db import open_db
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import save_session


def progress_of(tmp_path, sessions: int):
    db = open_db(tmp_path / "coach.db")
    t = make_transcript(6)
    for i in range(sessions):
        save_session(db, t, make_scorecard(t, 50 + i, reflections=i), "Sam", f"s{i}", started_at=f"2026-11-{i + 1:02d}")
    result = rep_progress(db, "Sam", today=date(2026, 11, 12))
    db.close()
    return result


@pytest.mark.parametrize("make", [trend_figure, behaviour_figure])
def test_two_sessions_get_whole_number_ticks_and_nothing_is_clipped_at_a_small_size(tmp_path, make):
    """With two sessions the axis reads 1, 2 (not 1.2, 1.4…); every label and legend stays inside the figure."""
    figure = make(progress_of(tmp_path, 2))
    figure.set_size_inches(7.0, 4.2)  # the chart area of a 1024×640 window at 100 dpi
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    bounds = figure.bbox
    for ax in figure.axes:
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks)
        for artist in (ax.yaxis.label, ax.xaxis.label, ax.get_legend()):
            if artist is not None and artist.get_visible():
                box = artist.get_window_extent(renderer)
                assert box.x0 >= bounds.x0 - 1 and box.x1 <= bounds.x1 + 1 and box.y0 >= bounds.y0 - 1, artist


def test_behaviours_chart_separates_good_and_bad_habits_with_legends_outside(tmp_path):
    """Two panels: good habits above, habits to reduce below; each legend lies right of its plot area."""
    figure = behaviour_figure(progress_of(tmp_path, 4))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    good, bad = figure.axes
    assert good.get_title(loc="left").startswith("Good habits") and bad.get_title(loc="left").startswith("To reduce")
    assert {line.get_label() for line in good.lines} >= {"Open questions", "Reflections", "Empathy"}
    assert {line.get_label() for line in bad.lines} >= {"Interruptions"}
    renderer = canvas.get_renderer()
    for ax in (good, bad):
        assert ax.get_legend().get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
