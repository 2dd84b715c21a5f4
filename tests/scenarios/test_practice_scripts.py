"""Acceptance: the independently written practice scripts (data/practice_scripts), played through
`coach-app practice SCENARIO --text --script FILE --json`: every strong script uncovers all hidden needs and
resolves the call, every poor one does neither. These scripts are test material only: nothing is tuned to them."""

import json
from pathlib import Path

import pytest

from coach_app.cli import main

SCRIPTS = Path(__file__).resolve().parents[2] / "data" / "practice_scripts"
PATHS = sorted(SCRIPTS.glob("*_*.txt"))


def practise(path: Path, capsys) -> dict:
    scenario, _ = path.stem.rsplit("_", 1)
    assert main(["practice", scenario, "--text", "--script", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_all_twenty_scripts_are_here():
    """Ten scenarios, each with a strong and a poor script."""
    assert len(PATHS) == 20
    assert {p.stem.rsplit("_", 1)[1] for p in PATHS} == {"strong", "poor"}


@pytest.mark.parametrize("path", [p for p in PATHS if p.stem.endswith("_strong")], ids=lambda p: p.stem)
def test_strong_script_uncovers_every_need_and_resolves(path, capsys):
    """A strong rep, written without sight of the triggers, uncovers every hidden need and resolves the call."""
    out = practise(path, capsys)
    assert out["hidden_needs_found"] == out["hidden_needs_total"]
    assert out["resolved"]


@pytest.mark.parametrize("path", [p for p in PATHS if p.stem.endswith("_poor")], ids=lambda p: p.stem)
def test_poor_script_neither_uncovers_everything_nor_resolves(path, capsys):
    """A poor rep leaves at least one need hidden and the call unresolved."""
    out = practise(path, capsys)
    assert out["hidden_needs_found"] < out["hidden_needs_total"]
    assert not out["resolved"]
