"""Acceptance: the independently written practice scripts, played through
`coach-app practice SCENARIO --text --script FILE --json`: every strong script uncovers all hidden needs and
resolves the call, every poor one does neither. Two sets, each written blind to the scenarios' triggers:
data/practice_scripts (a strong and a poor rep per scenario) and data/practice_scripts_b (two strong reps, one warm
and one brisk, and a poor one). These scripts are test material only: nothing is tuned to them."""

import json
from pathlib import Path

import pytest

from coach_app.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"
FIRST = sorted((DATA / "practice_scripts").glob("*_*.txt"))
SECOND = sorted((DATA / "practice_scripts_b").glob("*_*.txt"))
PATHS = FIRST + SECOND


def practise(path: Path, capsys) -> dict:
    scenario, _ = path.stem.rsplit("_", 1)
    assert main(["practice", scenario, "--text", "--script", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def rep(path: Path) -> str:
    return path.stem.rsplit("_", 1)[1]


def script_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_script_is_here():
    """Ten scenarios: in the first set a strong and a poor script each, in the second two strong and a poor."""
    assert len(FIRST) == 20 and {rep(p) for p in FIRST} == {"strong", "poor"}
    assert len(SECOND) == 30 and {rep(p) for p in SECOND} == {"strong1", "strong2", "poor"}


@pytest.mark.parametrize("path", [p for p in PATHS if rep(p).startswith("strong")], ids=script_id)
def test_strong_script_uncovers_every_need_and_resolves(path, capsys):
    """A strong rep, written without sight of the triggers, uncovers every hidden need and resolves the call."""
    out = practise(path, capsys)
    assert out["hidden_needs_found"] == out["hidden_needs_total"]
    assert out["resolved"]


@pytest.mark.parametrize("path", [p for p in PATHS if rep(p) == "poor"], ids=script_id)
def test_poor_script_neither_uncovers_everything_nor_resolves(path, capsys):
    """A poor rep leaves at least one need hidden and the call unresolved."""
    out = practise(path, capsys)
    assert out["hidden_needs_found"] < out["hidden_needs_total"]
    assert not out["resolved"]
