"""The spoken loop's threading: the microphone side only queues, the loop's own worker answers, and it ends
cleanly on a failure or a stuck step, keeping every turn taken down so far."""

import threading
import time

import numpy as np
import pytest
import speech
from scenario_data import valid_scenario_dict

from coach_app.analysis import analyze_turn
from coach_app.core import Transcript
from coach_app.scenarios.conversation import Conversation
from coach_app.scenarios.loader import scenario_from_dict
from coach_app.scenarios.playback import Player
from coach_app.scenarios.turn_loop import TurnLoop
from coach_app.scenarios.vad import VadSettings
from coach_app.scenarios.voice import CustomerVoice

RATE = 16000
BLOCK = RATE // 10  # 0.1 s, as the recorder delivers
REP_LINE = "I am so sorry it is late. What else is going on?"


class HeldRecogniser:
    """Recognises the rep's turn as REP_LINE, but only once `release` is set (a recogniser stuck on a turn);
    with `fail`, it raises instead."""

    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.reached = threading.Event()
        self.fail = fail

    def start_turn(self, samplerate: int) -> None:
        pass

    def accept(self, samples: np.ndarray) -> None:
        pass

    def finish_turn(self) -> str:
        self.reached.set()
        if self.fail:
            raise RuntimeError("the recogniser crashed")
        self.release.wait(30)
        return REP_LINE


@pytest.fixture(scope="module")
def rep_turn_audio() -> list[np.ndarray]:
    """A second of quiet room, the rep's line, then two seconds of quiet: 0.1 s blocks, as the recorder gives."""
    rng = np.random.default_rng(7)
    quiet = lambda seconds: rng.normal(0, 20, int(seconds * RATE)).astype(np.int16)  # noqa: E731
    audio = np.concatenate([quiet(1.0), speech.synthesize(REP_LINE, speech.VOICES["rep"]), quiet(2.0)])
    return [audio[i : i + BLOCK] for i in range(0, len(audio), BLOCK)]


def _loop(tmp_path, recogniser, snapshots=None) -> TurnLoop:
    scenario = scenario_from_dict(valid_scenario_dict(), str(tmp_path / "test.toml"))
    on_change = snapshots.append if snapshots is not None else None
    return TurnLoop(Conversation(scenario), CustomerVoice(scenario), Player(), recogniser,
                    VadSettings(end_pause_s=0.8), on_change=on_change)  # fmt: skip


def test_feeding_never_waits_for_the_turn_loop(pulse_for_practice, tmp_path, rep_turn_audio):
    """While the loop is stuck recognising a turn, the recorder's blocks are still taken at once; once it
    recovers, the turn and the customer's answer arrive as snapshots, each rep turn with its findings."""
    recogniser, snapshots = HeldRecogniser(), []
    loop = _loop(tmp_path, recogniser, snapshots)
    slowest = 0.0
    for block in rep_turn_audio:
        start = time.monotonic()
        loop.feed(block, RATE)
        slowest = max(slowest, time.monotonic() - start)
    assert recogniser.reached.wait(30)  # the worker is now held inside the turn
    for block in rep_turn_audio[:10]:  # the microphone goes on
        start = time.monotonic()
        loop.feed(block, RATE)
        slowest = max(slowest, time.monotonic() - start)
    assert slowest < 0.05
    recogniser.release.set()
    assert loop.settle(30)  # the turn is taken down and answered
    result = loop.finish()
    assert [t.speaker for t in result.transcript.turns] == ["customer", "rep", "customer"]
    assert result.transcript.turns[1].text == REP_LINE
    with_rep = [s for s in snapshots if len(s.turns) >= 2]
    assert with_rep and with_rep[0].findings == tuple(analyze_turn(Transcript(with_rep[0].turns[:2]), 1))
    assert with_rep[0].findings  # the rep's turn came with its findings, not before them


def test_a_failing_loop_ends_the_call_and_keeps_what_was_said(pulse_for_practice, tmp_path, rep_turn_audio):
    """A recogniser that crashes ends the loop with its error and the call; finish() still scores the opening."""
    loop = _loop(tmp_path, HeldRecogniser(fail=True))
    for block in rep_turn_audio:
        loop.feed(block, RATE)
    assert loop.call_ended.wait(30)
    assert isinstance(loop.error, RuntimeError)
    loop.feed(rep_turn_audio[0], RATE)  # the microphone may still deliver: it is ignored, nothing blocks
    start = time.monotonic()
    result = loop.finish()
    assert time.monotonic() - start < 1.5
    assert [t.speaker for t in result.transcript.turns] == ["customer"]


def test_finish_returns_within_a_second_while_the_loop_is_stuck(pulse_for_practice, tmp_path, rep_turn_audio):
    """Stop while the loop is stuck on a turn: finish() returns within a second with the call as it stood."""
    recogniser = HeldRecogniser()
    loop = _loop(tmp_path, recogniser)
    for block in rep_turn_audio:
        loop.feed(block, RATE)
    assert recogniser.reached.wait(30)
    start = time.monotonic()
    result = loop.finish()
    assert time.monotonic() - start < 1.5
    assert [t.speaker for t in result.transcript.turns] == ["customer"]
    assert not loop.player.playing
    recogniser.release.set()
