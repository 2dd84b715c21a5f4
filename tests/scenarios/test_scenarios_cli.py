"""`coach-app scenarios list | show | validate` through the real command-line entry point."""

import json
import shutil

from coach_app.cli import main
from coach_app.paths import resource

SEED_IDS = {"birthday-gift", "streaming-cancel", "telecom-business-outage"}


def test_list_json_has_every_scenario_across_difficulties(capsys):
    """`scenarios list --json` lists at least ten scenarios, the seed stories among them, in all difficulties."""
    assert main(["scenarios", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) >= 10
    assert {s["id"] for s in listed} >= SEED_IDS
    assert {s["difficulty"] for s in listed} == {"easy", "medium", "hard"}
    assert len({s["domain"] for s in listed}) >= 8


def test_list_table_and_show(capsys):
    """The table names each scenario; `show` gives the brief, the hidden needs and the clip ids of the lines."""
    assert main(["scenarios", "list"]) == 0
    assert "streaming-cancel" in capsys.readouterr().out
    assert main(["scenarios", "show", "streaming-cancel"]) == 0
    out = capsys.readouterr().out
    assert "Jill" in out and "missed-new-releases" in out and "reactions.calmer.0" in out


def test_validate_good_file_and_unknown_id(tmp_path, capsys):
    """`validate` accepts a good file; `show` of an unknown id exits 2 with the ids there are."""
    path = shutil.copy(resource("scenarios", "hotel-anniversary.toml"), tmp_path / "mine.toml")
    assert main(["scenarios", "validate", str(path)]) == 0
    assert "valid scenario 'hotel-anniversary'" in capsys.readouterr().out
    assert main(["scenarios", "show", "no-such-call"]) == 2
    err = capsys.readouterr().err
    assert "no-such-call" in err and "birthday-gift" in err and err.count("\n") == 1


def test_validate_broken_file_names_file_and_key(tmp_path, capsys):
    """A trainer's mistake is one line on stderr naming the file and the key, exit status 2."""
    path = tmp_path / "mine.toml"
    text = resource("scenarios", "hotel-anniversary.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('requires = ["anniversary"]', 'requires = ["aniversary"]'), encoding="utf-8")
    assert main(["scenarios", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "`hidden_needs[1].requires`" in err and "Traceback" not in err


def test_validate_rejects_a_clip_named_after_no_line(tmp_path, capsys):
    """A recorded clip whose name matches no line id is reported, so it can't silently never play."""
    path = shutil.copy(resource("scenarios", "hotel-anniversary.toml"), tmp_path / "mine.toml")
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "reactions.calm.0.wav").write_bytes(b"")
    assert main(["scenarios", "validate", str(path)]) == 2
    assert "reactions.calm.0" in capsys.readouterr().err
