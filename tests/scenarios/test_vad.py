"""End-of-turn detection on real espeak-ng speech fed block by block, as a microphone delivers it."""

import numpy as np
import pytest
from speech import SAMPLERATE, VOICES, synthesize

from coach_app.scenarios.vad import SpeechStarted, TurnDetector, TurnEnded, VadSettings

SENTENCE = "I'm sorry the parcel is late, that must be frustrating. Can you tell me a bit more about it?"


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return synthesize(SENTENCE, VOICES["rep"])


def with_silence(clip: np.ndarray, before_s: float, after_s: float, noise_dbfs: float | None = None) -> np.ndarray:
    audio = np.concatenate([np.zeros(int(before_s * SAMPLERATE)), clip, np.zeros(int(after_s * SAMPLERATE))])
    if noise_dbfs is not None:
        rng = np.random.default_rng(7)
        audio = audio + rng.normal(0, 32768 * 10 ** (noise_dbfs / 20), len(audio))
    return np.clip(audio, -32768, 32767).astype(np.int16)


def run(audio: np.ndarray, block: int = 1024, settings: VadSettings | None = None) -> list:
    detector = TurnDetector(SAMPLERATE, settings)
    events = []
    for begin in range(0, len(audio), block):
        events.extend(detector.feed(audio[begin : begin + block]))
    return events


def test_one_turn_with_times_close_to_the_truth(speech):
    """A spoken turn with comma pauses is one turn; its start, end and the decision time match the audio."""
    audio = with_silence(speech, 1.0, 2.0)
    events = run(audio)
    assert [type(e) for e in events] == [SpeechStarted, TurnEnded]
    turn = events[1]
    true_end = 1.0 + len(speech) / SAMPLERATE
    assert turn.start_s == pytest.approx(1.0, abs=0.05)
    assert turn.end_s == pytest.approx(true_end, abs=0.05)
    assert turn.decided_s == pytest.approx(turn.end_s + VadSettings().end_pause_s, abs=0.03)


def test_short_pause_setting_splits_at_the_sentence_break(speech):
    """The end-of-turn pause is configurable: a very short one ends the turn at espeak's sentence pause."""
    audio = with_silence(speech, 0.5, 1.0)
    turns = [e for e in run(audio, settings=VadSettings(end_pause_s=0.25)) if isinstance(e, TurnEnded)]
    assert len(turns) >= 2


def test_steady_background_noise_is_not_speech(speech):
    """With a constant noise floor the detector adapts and still finds just the one turn."""
    audio = with_silence(speech, 2.0, 2.0, noise_dbfs=-55)
    turns = [e for e in run(audio) if isinstance(e, TurnEnded)]
    assert len(turns) == 1
    assert turns[0].start_s == pytest.approx(2.0, abs=0.08)


def test_a_click_is_not_a_turn():
    """A 40 ms burst is shorter than the minimum speech length and starts no turn."""
    click = (np.sin(np.arange(int(0.04 * SAMPLERATE)) * 0.3) * 20000).astype(np.int16)
    assert run(with_silence(click, 1.0, 2.0)) == []


def test_block_size_does_not_change_the_events(speech):
    """The events depend on the audio, not on how the device chops it into blocks."""
    audio = with_silence(speech, 0.7, 1.5)
    assert run(audio, block=160) == run(audio, block=4096) == run(audio, block=len(audio))
