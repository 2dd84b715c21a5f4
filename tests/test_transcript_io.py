"""The transcript loader accepts the documented format and rejects bad input with a specific message."""

import json
import os

import pytest

from coach_app.core import Transcript, Turn, Word
from coach_app.errors import TranscriptError
from coach_app.transcript_io import load_transcript, save_transcript

GOOD = {
    "turns": [
        {
            "speaker": "customer",
            "start": 0.0,
            "end": 4.1,
            "text": "Hi, my order is late.",
            "words": [{"word": "hi", "start": 0.0, "end": 0.3, "conf": 0.98}],
        },
        {"speaker": "rep", "start": 3.9, "end": 6.0, "text": "I'm sorry to hear that."},
    ]
}


def write(tmp_path, data, name="t.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_loads_valid_transcript_with_overlap_and_words(tmp_path):
    """A valid file loads with speakers, times, words, and overlapping turns kept."""
    t = load_transcript(write(tmp_path, GOOD))
    assert [turn.speaker for turn in t.turns] == ["customer", "rep"]
    assert t.turns[0].words == (Word("hi", 0.0, 0.3, 0.98),)
    assert t.turns[1].start_s < t.turns[0].end_s


def test_speaker_confidence_is_optional_and_kept(tmp_path):
    """`speaker_conf` loads when given, is left out when unknown, and survives a save and load."""
    data = {"turns": [dict(GOOD["turns"][0], speaker_conf=0.62), GOOD["turns"][1]]}
    loaded = load_transcript(write(tmp_path, data))
    assert [t.speaker_conf for t in loaded.turns] == [0.62, None]
    assert "speaker_conf" not in loaded.to_dict()["turns"][1]
    save_transcript(loaded, tmp_path / "again.json")
    assert load_transcript(tmp_path / "again.json") == loaded


def test_notes_are_optional_and_kept(tmp_path):
    """The transcript's notes (what to check about how it was transcribed) load, save and load again; a transcript
    without notes is written without the key."""
    note = "Only one voice was heard in call.wav: every turn is given to the rep."
    loaded = load_transcript(write(tmp_path, dict(GOOD, notes=[note])))
    assert loaded.notes == (note,)
    save_transcript(loaded, tmp_path / "again.json")
    assert load_transcript(tmp_path / "again.json") == loaded
    plain = load_transcript(write(tmp_path, GOOD))
    assert plain.notes == () and "notes" not in plain.to_dict()


def test_round_trip_is_lossless_and_private(tmp_path):
    """Saving then loading gives the same transcript, in a file only the user can read."""
    t = Transcript((Turn("rep", 1.0, 2.5, "Hello there", (Word("hello", 1.0, 1.4, 0.9),)),))
    out = tmp_path / "out.json"
    save_transcript(t, out)
    assert load_transcript(out) == t
    assert os.stat(out).st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"turns": [', "not valid JSON (line 1"),
        ({"turns": []}, "empty"),
        ({"utterances": []}, '"turns" list'),
        ({"turns": [{"speaker": "rep", "start": 0, "text": "hi"}]}, 'turn 1: missing key "end"'),
        (
            {"turns": [GOOD["turns"][0], {"speaker": "rep", "start": "x", "end": 1, "text": "hi"}]},
            "turn 2, start: time 'x' is not a number",
        ),
        ({"turns": [{"speaker": "rep", "start": -1, "end": 1, "text": "hi"}]}, "negative"),
        (
            {"turns": [{"speaker": "rep", "start": 5, "end": 1, "text": "hi"}]},
            "end (1.0) is before start (5.0)",
        ),
        ({"turns": [{"speaker": "agent", "start": 0, "end": 1, "text": "hi"}]}, "unknown speaker 'agent'"),
        (
            {"turns": [{"speaker": "rep", "start": 0, "end": 1, "text": "hi", "speaker_conf": 1.5}]},
            'turn 1: "speaker_conf" must be a number from 0 to 1',
        ),
        (
            {"turns": [{"speaker": "rep", "start": 0, "end": 1, "text": "hi", "words": [{"word": "hi"}]}]},
            "turn 1, word 1",
        ),
        (dict(GOOD, notes="check the speakers"), '"notes" must be a list of strings'),
        (dict(GOOD, notes=[3]), '"notes" must be a list of strings'),
    ],
)
def test_bad_transcripts_name_file_turn_and_fix(tmp_path, data, expected):
    """Each kind of malformed transcript gets an error naming the file and what is wrong."""
    path = write(tmp_path, data)
    with pytest.raises(TranscriptError) as info:
        load_transcript(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_binary_junk_fails_cleanly(tmp_path):
    """Random bytes are reported as not being UTF-8 text."""
    path = tmp_path / "junk.json"
    path.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(TranscriptError, match="not UTF-8"):
        load_transcript(path)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    """A 200 MB file is refused from its size alone (sparse file: nothing is read into memory)."""
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(TranscriptError, match="200 MB"):
        load_transcript(path)


def test_missing_file_and_folder(tmp_path):
    """A missing path and a folder each get their own message."""
    with pytest.raises(TranscriptError, match="does not exist"):
        load_transcript(tmp_path / "nope.json")
    with pytest.raises(TranscriptError, match="is a folder"):
        load_transcript(tmp_path)
