"""Turn edges move to where the speech is when the recogniser misses an edge word, but never past the limits."""

import numpy as np

from coach_app.transcription.activity import Loudness, snap_to_speech

RATE = 16000


def activity(*spans_s, total_s=6.0):
    """Speech frames of a noisy-quiet recording with a 200 Hz tone in `spans_s`, fed in odd-sized chunks."""
    rng = np.random.default_rng(1)
    audio = rng.normal(0, 20, int(total_s * RATE))
    t = np.arange(len(audio)) / RATE
    for start, end in spans_s:
        inside = (t >= start) & (t < end)
        audio[inside] += 8000 * np.sin(2 * np.pi * 200 * t[inside])
    loudness = Loudness(RATE)
    samples = audio.astype(np.int16)
    for begin in range(0, len(samples), 1234):
        loudness.add(samples[begin : begin + 1234])
    return loudness.active()


def test_end_moves_to_where_speech_stops():
    """Words recognised up to 2.0 s of speech that runs to 2.6 s give a turn ending at 2.6 s, start unchanged."""
    start, end = snap_to_speech(1.0, 2.0, activity((1.0, 2.6)), 0.0, float("inf"))
    assert abs(start - 1.0) < 0.02 and abs(end - 2.6) < 0.02


def test_start_moves_back_a_little_and_short_dips_are_bridged():
    """A missed first word moves the start back (at most 0.3 s); a 0.1 s dip inside the speech does not end it."""
    start, end = snap_to_speech(1.2, 2.0, activity((1.0, 2.2), (2.3, 2.8)), 0.0, float("inf"))
    assert abs(start - 1.0) < 0.02 and abs(end - 2.8) < 0.02
    start, _ = snap_to_speech(1.5, 2.0, activity((0.5, 2.0)), 0.0, float("inf"))
    assert abs(start - 1.2) < 0.02


def test_limits_hold():
    """The end stops at the next turn's start and at most 1 s after the last word; silence moves nothing."""
    active = activity((1.0, 5.0))
    assert abs(snap_to_speech(1.0, 2.0, active, 0.0, 2.5)[1] - 2.5) < 0.02
    assert abs(snap_to_speech(1.0, 2.0, active, 0.0, float("inf"))[1] - 3.0) < 0.02
    assert snap_to_speech(4.0, 4.5, activity((1.0, 2.0)), 0.0, float("inf")) == (4.0, 4.5)
