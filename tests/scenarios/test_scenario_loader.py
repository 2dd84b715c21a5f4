"""Scenario files are validated on load; every error names the file and the key."""

import pytest
from scenario_data import valid_scenario_dict

from coach_app.errors import ScenarioError
from coach_app.paths import resource
from coach_app.scenarios.loader import load_scenario_file, scenario_from_dict

SHIPPED = resource("scenarios", "birthday-gift.toml").read_text(encoding="utf-8")


def broken_file(tmp_path, old: str, new: str):
    """The shipped birthday scenario with one edit, as a trainer might make it."""
    assert old in SHIPPED
    path = tmp_path / "my-scenario.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('title = "The birthday', 'titel = "The birthday', "titel"),
        ('domain = "online retail"\n', "", "domain"),
        ('difficulty = "easy"', "difficulty = 2", "difficulty"),
        ('difficulty = "easy"', 'difficulty = "tricky"', "difficulty"),
        ('mood = "annoyed"', 'mood = "grumpy"', "persona.mood"),
        ("rate_wpm = 170", 'rate_wpm = "fast"', "persona.voice.rate_wpm"),
        ('requires = ["birthday"]', 'requires = ["birthdya"]', "hidden_needs[1].requires"),
        ('requires_needs = ["birthday", "make-it-right"]', 'requires_needs = ["refund"]', "resolution.requires_needs"),
        ('id = "make-it-right"', 'id = "birthday"', "hidden_needs[1].id"),
        ('requires_needs = ["birthday", "make-it-right"]', 'requires_needs = "birthday"', "resolution.requires_needs"),
        ('topics = ["else"', 'topic = ["else"', "hidden_needs[0].topic"),
        ("[resolution]", "[reactions.mood_effects]\nshouting = -1\n\n[resolution]", "reactions.mood_effects.shouting"),
    ],
)
def test_broken_scenario_error_names_file_and_key(tmp_path, old, new, key):
    """A missing key, a wrong type, a bad value or an unknown reference is reported with file and key."""
    path = broken_file(tmp_path, old, new)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"`{key}`" in message


def test_bad_toml_syntax_names_file_and_line(tmp_path):
    """A TOML syntax error names the file and where the parser stopped."""
    path = broken_file(tmp_path, 'domain = "online retail"', 'domain = "online retail')
    with pytest.raises(ScenarioError, match=r"my-scenario\.toml is not valid TOML .*line 4"):
        load_scenario_file(path)


def test_missing_and_non_utf8_files_fail_cleanly(tmp_path):
    """A missing file or a binary file is a clear ScenarioError, not a traceback."""
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario_file(tmp_path / "nope.toml")
    junk = tmp_path / "junk.toml"
    junk.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario_file(junk)


def test_unknown_unlocking_kind_is_rejected():
    """A hidden need unlocked by something that cannot unlock needs is named with its key."""
    data = valid_scenario_dict()
    data["hidden_needs"][0]["unlocked_by"] = ["empathy"]
    with pytest.raises(ScenarioError, match=r"test\.toml: key `hidden_needs\[0\]\.unlocked_by`"):
        scenario_from_dict(data, "test.toml")


def test_line_ids_name_their_clips():
    """Every customer line has a stable id that its optional recorded clip is named after."""
    scenario = scenario_from_dict(valid_scenario_dict(), "test.toml")
    ids = [line.id for line in scenario.lines()]
    assert ids[:3] == ["opening", "facts.0", "facts.1"]
    assert "hidden_needs.gift" in ids and "reactions.calmer.2" in ids and "closing.escalated.0" in ids
    assert len(ids) == len(set(ids))
