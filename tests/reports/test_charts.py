"""Charts are real matplotlib figures that render to non-trivial PNG and SVG files without pyplot."""

import sys
from datetime import date

import numpy as np
import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.reports.charts import (
    behaviour_figure,
    figure_bytes,
    radar_figure,
    rolling_mean,
    save_figure,
    timeline_figure,
    trend_figure,
)
from coach_app.storage.db import open_db
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import save_session

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def progress(tmp_path):
    db = open_db(tmp_path / "coach.db")
    t = make_transcript(6)
    for i in range(12):
        save_session(
            db, t, make_scorecard(t, 40 + 3 * i, reflections=i % 3), "Sam", f"s{i}", started_at=f"2026-11-{i + 1:02d}"
        )
    result = rep_progress(db, "Sam", today=date(2026, 11, 12))
    db.close()
    return result


def test_rolling_mean_skips_missing_values():
    """The rolling mean averages the known values in the window and ignores gaps."""
    result = rolling_mean([10, None, 20, 30, None], window=2)
    assert np.allclose(result, [10, 10, 20, 25, 30])


def test_every_chart_renders_to_a_real_png(progress, tmp_path):
    """Trend, radar, behaviour and timeline charts save as PNG files with real pixels in them."""
    t = make_transcript(8)
    figures = {
        "trend": trend_figure(progress),
        "radar": radar_figure(progress),
        "behaviours": behaviour_figure(progress),
        "timeline": timeline_figure(t, make_scorecard(t).findings),
    }
    for name, fig in figures.items():
        path = save_figure(fig, tmp_path / f"{name}.png")
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE), name
        assert len(data) > 10_000, name
    assert "matplotlib.pyplot" not in sys.modules


def test_svg_output_is_text(progress):
    """SVG rendering (for self-contained HTML) produces an svg document."""
    assert b"<svg" in figure_bytes(radar_figure(progress), "svg")[:2000]
