"""Inputs that are not regular files, too deep, too large or out of range get a clear error: no hang, no traceback."""

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hostile_files import deep_json, deep_toml, device, fifo, no_hang, with_first_weight

from coach_app.cli import main
from coach_app.errors import RubricError, StorageError, TranscriptError
from coach_app.paths import resource
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.db import open_db
from coach_app.storage.sessions import add_comment, list_sessions
from coach_app.transcript_io import load_transcript

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "birthday_gift_good.json"
SCENARIO = resource("scenarios", "birthday-gift.toml")
ONE_TURN = '{"turns": [{"speaker": "rep", "start": 0, "end": END, "text": "hi"}]}'


def _run(argv: list[str], capsys) -> tuple[int, str]:
    """Run the CLI in-process under a hang guard; argparse's usage errors count as exit status 2."""
    with no_hang():
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code
    return status, capsys.readouterr().err


def _saved(capsys, audio: Path | None = None) -> int:
    extra = ["--audio", str(audio)] if audio else []
    assert main(["analyze", str(SAMPLE), "--save", "--rep", "Sam", *extra]) == 0
    return int(capsys.readouterr().out.strip())


# Commands that read a file, with the FILE slot to fill with a hostile path.
READERS = {
    "transcript": lambda f: ["analyze", f],
    "bundle": lambda f: ["import", f],
    "rubric": lambda f: ["analyze", str(SAMPLE), "--rubric", f],
    "scenario": lambda f: ["scenarios", "validate", f],
    "script": lambda f: ["practice", "birthday-gift", "--text", "--script", f],
    "csv": lambda f: ["eval-utterances", f],
    "audio": lambda f: ["analyze", str(SAMPLE), "--audio", f],
    "audio to save": lambda f: ["analyze", str(SAMPLE), "--save", "--audio", f],
    "model archive": lambda f: ["models", "import", f],
}
SUFFIX = {"transcript": ".json", "bundle": ".zip", "rubric": ".toml", "scenario": ".toml", "csv": ".csv"}


@pytest.mark.parametrize("what", sorted(READERS))
def test_fifo_input_is_refused_without_hanging(tmp_path, capsys, what):
    """A FIFO given as any input is refused at once as a named pipe, never waited on."""
    path = fifo(tmp_path / f"input{SUFFIX.get(what, '.wav')}")
    status, err = _run(READERS[what](str(path)), capsys)
    assert status == 2
    assert "named pipe" in err and str(path) in err and "does not exist" not in err


@pytest.mark.parametrize("what", sorted(READERS))
def test_link_to_dev_zero_is_refused(tmp_path, capsys, what):
    """A link to /dev/zero passes no size check: it is refused as a device before anything is read."""
    path = tmp_path / f"input{SUFFIX.get(what, '.wav')}"
    path.symlink_to("/dev/zero")
    status, err = _run(READERS[what](str(path)), capsys)
    assert status == 2
    assert "is a device" in err


@pytest.mark.parametrize("what", ["audio", "audio to save", "transcript", "rubric", "bundle"])
def test_folder_input_says_it_is_a_folder(tmp_path, capsys, what):
    """A folder is named as a folder, not reported as missing."""
    path = tmp_path / f"input{SUFFIX.get(what, '.wav')}"
    path.mkdir()
    status, err = _run(READERS[what](str(path)), capsys)
    assert status == 2
    assert "is a folder" in err and "does not exist" not in err


def test_deep_json_transcript_is_refused(tmp_path):
    """A 100,000-level JSON transcript is a TranscriptError, not a RecursionError."""
    path = tmp_path / "deep.json"
    path.write_text(deep_json())
    with pytest.raises(TranscriptError, match="levels deep"):
        load_transcript(path)


def test_moderately_deep_json_is_refused_too(tmp_path):
    """Nesting below Python's recursion limit but beyond any real transcript is refused the same way."""
    path = tmp_path / "deep.json"
    path.write_text(deep_json(500))
    with pytest.raises(TranscriptError, match="levels deep"):
        load_transcript(path)


@pytest.mark.parametrize("loader", ["rubric", "scenario"])
def test_deep_toml_is_refused(tmp_path, capsys, loader):
    """5,000-level TOML in a rubric or scenario exits 2 with a clear sentence, not a RecursionError."""
    path = tmp_path / "deep.toml"
    path.write_text(deep_toml())
    status, err = _run(READERS[loader](str(path)), capsys)
    assert status == 2 and "levels deep" in err


@pytest.mark.parametrize("time", ["1e400", "1" + "0" * 400, "-5", "1e12"])
def test_out_of_range_times_are_refused(tmp_path, time):
    """Times of 1e400, a 400-digit integer, a negative number or 30,000 years are TranscriptErrors."""
    path = tmp_path / "t.json"
    path.write_text(ONE_TURN.replace("END", time))
    with pytest.raises(TranscriptError, match=r"t\.json(, turn 1| is not usable JSON \(the number)"):
        load_transcript(path)


def test_nan_and_infinity_literals_are_refused(tmp_path):
    """JSON's non-standard NaN and Infinity are not times."""
    for literal in ("NaN", "Infinity", "-Infinity"):
        path = tmp_path / "t.json"
        path.write_text(ONE_TURN.replace("END", literal))
        with pytest.raises(TranscriptError):
            load_transcript(path)


def test_transcript_errors_count_turns_from_one(tmp_path):
    """The first turn is "turn 1" and its first word "word 1" in every transcript error."""
    path = tmp_path / "t.json"
    path.write_text('{"turns": [{"speaker": "rep", "start": 0, "end": 1, "text": "hi", "words": [{"word": 1}]}]}')
    with pytest.raises(TranscriptError, match="turn 1, word 1"):
        load_transcript(path)


@pytest.mark.parametrize("weight", ["1e308", "inf", "nan", "-inf", "0"])
def test_absurd_rubric_weights_are_refused(tmp_path, weight):
    """A weight of 1e308, inf or nan is a RubricError naming the key, not an overflow later."""
    text = resource("rubrics", "default.toml").read_text(encoding="utf-8")
    path = tmp_path / "r.toml"
    path.write_text(with_first_weight(text, weight), encoding="utf-8")
    with pytest.raises(RubricError, match=r"weight"):
        load_rubric(path)


@pytest.mark.parametrize("command", ["rescore", "practice"])
def test_huge_weight_through_rescore_and_practice(tmp_path, capsys, command):
    """`rescore --all` and `practice` with a weight = 1e308 rubric exit 2 with the rubric error."""
    _saved(capsys)
    text = resource("rubrics", "default.toml").read_text(encoding="utf-8")
    rubric = tmp_path / "r.toml"
    rubric.write_text(with_first_weight(text, "1e308"), encoding="utf-8")
    script = tmp_path / "lines.txt"
    script.write_text("hello, how can I help?\n")
    argv = {
        "rescore": ["rescore", "--all", "--rubric", str(rubric)],
        "practice": ["practice", "birthday-gift", "--text", "--script", str(script), "--rubric", str(rubric)],
    }[command]
    status, err = _run(argv, capsys)
    assert status == 2 and "weight" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["sessions", "show", "99999999999999999999999"],
        ["report", "99999999999999999999999", "--html", "x.html"],
        ["sessions", "comment", "1", "hi", "--at", "inf"],
        ["sessions", "comment", "1", "hi", "--at", "nan"],
        ["sessions", "comment", "1", "hi", "--at", "-5"],
        ["sessions", "comment", "1", "hi", "--turn", "99999999999999999999999"],
        ["sessions", "list", "--since", "2024-13-45"],
        ["sessions", "list", "--until", "yesterday"],
        ["progress", "--since", "2024-02-30"],
    ],
)
def test_out_of_range_command_line_values_exit_2(capsys, argv):
    """Ids, times and dates out of range are usage errors (exit 2, one message), never an OverflowError."""
    _saved(capsys)
    status, err = _run(argv, capsys)
    assert status == 2 and "Traceback" not in err and err.strip()


def test_storage_refuses_bad_comment_pins_and_dates(capsys):
    """The storage layer (used by the app as well) refuses non-finite pins, unknown turns and impossible dates."""
    session_id = _saved(capsys)
    db = open_db()
    for at_s in (float("inf"), float("nan"), -5.0):
        with pytest.raises(StorageError, match="Cannot pin"):
            add_comment(db, session_id, "hi", at_s=at_s)
    with pytest.raises(StorageError, match="no turn 999"):
        add_comment(db, session_id, "hi", turn=999)
    with pytest.raises(StorageError, match="not a real date"):
        list_sessions(db, since="2024-13-45")


def test_speakers_turn_error_reports_the_number_given(capsys):
    """`sessions speakers --turn 999999` says there is no turn 999999 (not 1000000)."""
    session_id = _saved(capsys)
    status, err = _run(["sessions", "speakers", str(session_id), "--turn", "999999", "--speaker", "rep"], capsys)
    assert status == 2 and "no turn 999999:" in err


def _bundle_with(tmp_path: Path, capsys, change) -> Path:
    """An exported bundle with `change(name, bytes) -> bytes` applied to its members and the manifest redone."""
    import hashlib
    import json

    session_id = _saved(capsys)
    original = tmp_path / "orig.zip"
    assert main(["export", str(session_id), str(original)]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(original) as z:
        members = {name: z.read(name) for name in z.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members = {name: change(name, data) for name, data in members.items()}
    manifest = json.loads(change("manifest.json", json.dumps(manifest).encode()))
    for name, data in members.items():
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    out = tmp_path / "changed.zip"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            z.writestr(name, data)
    return out


def test_bundle_with_bad_start_date_is_refused_at_import(tmp_path, capsys, coach_home):
    """A bundle whose started_at is "not a date" is not imported, so progress never meets it."""
    import json

    def bad_date(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["session"]["started_at"] = "not a date"
        manifest["transcript_sha256"] = "0" * 64  # not a duplicate of the session it came from
        return json.dumps(manifest).encode()

    bundle = _bundle_with(tmp_path, capsys, bad_date)
    status, err = _run(["import", str(bundle)], capsys)
    assert status == 2 and "not a date" in err
    assert _run(["progress", "--json"], capsys)[0] == 0


@pytest.mark.parametrize("member", ["transcript.json", "scorecard.json", "findings.json", "comments.json"])
def test_deep_bundle_member_is_refused(tmp_path, capsys, member):
    """A bundle member nested 100,000 levels deep is a StorageError naming it, not a RecursionError."""

    def deep(name, data):
        return deep_json().encode() if name == member else data

    def fresh(name, data):
        if name != "manifest.json":
            return deep(name, data)
        import json

        manifest = json.loads(data)
        manifest["transcript_sha256"] = "1" * 64
        return json.dumps(manifest).encode()

    status, err = _run(["import", str(_bundle_with(tmp_path, capsys, fresh))], capsys)
    assert status == 2 and member in err and "levels deep" in err


def test_bundle_comment_at_infinity_is_refused(tmp_path, capsys):
    """A bundle comment pinned a thousand millennia in is malformed: nothing is imported."""
    import json

    def comment(name, data):
        if name == "comments.json":
            return json.dumps([{"body": "x", "at_s": 10**15, "turn": None, "author": None, "created_at": "x"}]).encode()
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["transcript_sha256"] = "2" * 64
            return json.dumps(manifest).encode()
        return data

    status, err = _run(["import", str(_bundle_with(tmp_path, capsys, comment))], capsys)
    assert status == 2 and "comment time" in err
    assert len(list_sessions(open_db())) == 1


CLIPS = {
    "text file": lambda p: p.write_text("not audio"),
    "empty file": lambda p: p.write_bytes(b""),
    "folder": lambda p: p.mkdir(),
    "link to a system file": lambda p: p.symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/bin/sh"),
    "fifo": fifo,
    "device": device,
}


@pytest.mark.parametrize("kind", sorted(CLIPS))
def test_scenarios_validate_opens_each_clip_as_audio(tmp_path, capsys, kind):
    """A clip that is not readable audio fails `scenarios validate` with a message naming the clip."""
    scenario = tmp_path / "birthday-gift.toml"
    scenario.write_bytes(SCENARIO.read_bytes())
    (tmp_path / "clips").mkdir()
    clip = tmp_path / "clips" / "opening.wav"
    CLIPS[kind](clip)
    status, err = _run(["scenarios", "validate", str(scenario)], capsys)
    assert status == 2 and "opening.wav" in err


def test_scenarios_validate_accepts_a_real_clip(tmp_path, capsys):
    """A real WAV clip named after a line passes validation."""
    scenario = tmp_path / "birthday-gift.toml"
    scenario.write_bytes(SCENARIO.read_bytes())
    (tmp_path / "clips").mkdir()
    sf.write(tmp_path / "clips" / "opening.wav", np.zeros(8000, dtype=np.int16), 16000)
    status, _ = _run(["scenarios", "validate", str(scenario)], capsys)
    assert status == 0


def test_audio_whose_header_promises_frames_it_lacks(tmp_path, capsys):
    """A FLAC whose metadata was spliced (found by bench/fuzz_inputs.py) decodes to nothing: exit 2, not ValueError."""
    buffer = io.BytesIO()
    sf.write(buffer, (np.sin(np.linspace(0, 3000, 16000)) * 6000).astype(np.int16), 16000, format="FLAC")
    data = buffer.getvalue()
    path = tmp_path / "call.flac"
    path.write_bytes(data[:64] + b"1e308" + data[64:])
    status, err = _run(["analyze", str(SAMPLE), "--audio", str(path)], capsys)
    assert status == 2 and "no readable audio" in err


def test_regular_inputs_still_work(tmp_path):
    """The guards refuse only what they should: a transcript reached through a link to a regular file loads."""
    link = tmp_path / "link.json"
    link.symlink_to(SAMPLE)
    assert load_transcript(link).turns
