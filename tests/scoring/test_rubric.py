"""Rubric loading and validation: errors name the file and the key."""

import pytest

from coach_app.errors import RubricError
from coach_app.paths import resource
from coach_app.scoring.rubric import VoiceThresholds, load_rubric

DEFAULT = resource("rubrics", "default.toml").read_text(encoding="utf-8")
EMPATHY_WEIGHT = '[dimensions.empathy]\nlabel = "Empathy and validation"\nweight = '  # its number is calibrated
EMPATHY_BASE = f"base = {next(d.base for d in load_rubric().dimensions if d.key == 'empathy'):g}\ntip = "


def test_default_rubric_loads():
    """The shipped rubric validates and has a version, thresholds and weighted dimensions."""
    rubric = load_rubric()
    assert rubric.version
    assert 0.3 <= rubric.thresholds.min_pause_s <= 0.5 and rubric.thresholds.dead_air_s == 5.0
    assert {d.key for d in rubric.dimensions} >= {"empathy", "questioning", "reflecting_summarising", "turn_taking"}
    assert all(d.weight > 0 for d in rubric.dimensions)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (EMPATHY_WEIGHT, EMPATHY_WEIGHT + '"heavy"  # ', "dimensions.empathy.weight"),
        (
            "[dimensions.empathy.points]\nempathy =",
            "[dimensions.empathy.points]\nempathyy =",
            "dimensions.empathy.points.empathyy",
        ),
        ("dead_air_s = 5.0", "dead_air_s = -1", "thresholds.dead_air_s"),
        ("dead_air_s = 5.0", "", "thresholds.dead_air_s"),
        ('version = "', 'version = 3  # "', "version"),
        (EMPATHY_BASE, "base = 130\ntip = ", "dimensions.empathy.base"),
        ("[dimensions.empathy.points]", "colour = 'red'\n[dimensions.empathy.points]", "dimensions.empathy.colour"),
        ("[thresholds]", "[thresholds\n", "not valid TOML"),
        ("monotone_st = 3.0", "monotone_st = -3.0", "voice.monotone_st"),
        ("lively_st = 8.0", "lively_st = 8.0\npitch_st = 2", "voice.pitch_st"),
        ("calm_min_wpm = 100.0", "calm_min_wpm = 170.0", "voice.calm_min_wpm"),
        ("monotone_st = 3.0", "monotone_st = 9.0", "voice.monotone_st"),
        ("[voice]", "voice = 3\n[voices]", "voice"),
    ],
)
def test_invalid_rubric_names_file_and_key(tmp_path, old, new, key):
    """Each kind of mistake raises RubricError naming the file and the key to fix."""
    path = tmp_path / "mine.toml"
    assert old in DEFAULT
    path.write_text(DEFAULT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert str(path) in str(err.value) and key in str(err.value)


def test_voice_table_is_optional_and_partial(tmp_path):
    """The shipped [voice] values are the defaults; a rubric without [voice], or with some of its keys, still loads
    and keeps the defaults for what it leaves out."""
    assert load_rubric().voice == VoiceThresholds()
    start, end = DEFAULT.index("[voice]"), DEFAULT.index("[dimensions.")
    without = tmp_path / "without.toml"
    without.write_text(DEFAULT[:start] + DEFAULT[end:], encoding="utf-8")
    assert load_rubric(without).voice == VoiceThresholds()
    partial = tmp_path / "partial.toml"
    partial.write_text(DEFAULT[:start] + "[voice]\nmonotone_st = 1.5\n\n" + DEFAULT[end:], encoding="utf-8")
    assert load_rubric(partial).voice == VoiceThresholds(monotone_st=1.5)


def test_missing_rubric_file(tmp_path):
    """A missing rubric file is a clear RubricError."""
    with pytest.raises(RubricError, match="does not exist"):
        load_rubric(tmp_path / "nope.toml")
