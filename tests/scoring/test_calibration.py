"""The rubric calibration's fast scorer matches the real scorecard, and writing the rubric keeps it valid."""

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

from coach_app.analysis import analyze
from coach_app.paths import resource
from coach_app.scoring.rubric import load_rubric
from coach_app.scoring.scorecard import opportunity_scale
from coach_app.transcript_io import load_transcript

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.json"))


@pytest.fixture(scope="module")
def calibration():
    spec = importlib.util.spec_from_file_location("calibrate_rubric", ROOT / "training" / "calibrate_rubric.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_count_based_scores_equal_the_scorecard(calibration, path):
    """Scores from finding counts (what the search optimises) are exactly the scorecard's, per dimension and overall."""
    rubric = load_rubric()
    card = analyze(load_transcript(path), rubric)
    model = calibration.Model(rubric)
    found = [(f.kind, f.quote, f.turn) for f in card.findings]
    unique, total = calibration.counts(found, model.kinds, opportunity_scale(card.metrics["rep_turns"]))
    dims = np.round(model.dimension_scores(unique[None], total[None])[0])
    assert [int(x) for x in dims] == [d.score for d in card.dimensions]
    assert int(model.overall(unique[None], total[None], exact=True)[0]) == card.overall


def test_written_rubric_loads_with_the_new_numbers(calibration, tmp_path):
    """Writing moved numbers into a copy of the rubric keeps comments and validates, with decays added."""
    path = tmp_path / "default.toml"
    shutil.copy(resource("rubrics", "default.toml"), path)
    model = calibration.Model(load_rubric(path))
    empathy = model.dims.index("empathy")
    model.base[empathy] = 42
    model.points[empathy, model.kinds.index("empathy")] = 26
    model.decay[empathy] = 0.55
    calibration.write_rubric(model, path)
    written = load_rubric(path)
    dim = next(d for d in written.dimensions if d.key == "empathy")
    assert (dim.base, dim.points["empathy"], dim.decay) == (42, 26, 0.55)
    assert "# Listening Coach scoring rubric" in path.read_text(encoding="utf-8")
