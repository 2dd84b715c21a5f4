"""Words become turns at long pauses only; each speaker's turns merge in time order and overlaps survive."""

from coach_app.core import Word
from coach_app.transcription.turns import TURN_GAP_S, split_at_pauses, turns_from_speakers


def words(*spans):
    return [Word(f"w{i}", start, end, 0.9) for i, (start, end) in enumerate(spans)]


def test_comma_pauses_stay_inside_a_turn():
    """Pauses of 0.7 s (espeak's commas and full stops) do not split a speaker's turn."""
    runs = split_at_pauses(words((0.0, 0.4), (1.1, 1.5), (2.2, 2.6)))
    assert [len(run) for run in runs] == [3]


def test_long_pause_starts_a_new_turn():
    """A pause of the turn gap or more starts a new turn."""
    runs = split_at_pauses(words((0.0, 0.4), (0.4 + TURN_GAP_S, 2.0), (4.0, 4.5)))
    assert [len(run) for run in runs] == [1, 1, 1]


def test_speakers_merge_in_time_and_overlaps_stay():
    """Turns from two speakers are sorted by start, keep their words, and overlapping turns still overlap."""
    transcript = turns_from_speakers(
        {"rep": words((3.0, 3.5), (3.6, 4.5)), "customer": words((0.0, 1.0), (1.2, 3.4), (6.0, 6.5))}
    )
    assert [(t.speaker, t.start_s, t.end_s) for t in transcript.turns] == [
        ("customer", 0.0, 3.4),
        ("rep", 3.0, 4.5),
        ("customer", 6.0, 6.5),
    ]
    assert transcript.turns[1].text == "w0 w1" and len(transcript.turns[0].words) == 2
    assert transcript.turns[1].start_s < transcript.turns[0].end_s
