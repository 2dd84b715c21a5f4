"""The spoken loop end to end on real devices: rep speech into the microphone, the customer's voice out."""

import threading

import numpy as np
import soundfile as sf
from audible import Audible
from pulse_server import CUSTOMER_DEVICE, REP_DEVICE, REP_SINK
from scenario_data import valid_scenario_dict
from speech import speech_wav

from coach_app.audio.capture import Recorder
from coach_app.scenarios.conversation import Conversation
from coach_app.scenarios.loader import scenario_from_dict
from coach_app.scenarios.playback import Player
from coach_app.scenarios.turn_loop import TurnLoop
from coach_app.scenarios.vad import VadSettings
from coach_app.scenarios.voice import CustomerVoice

CLOCK_TOLERANCE_S = 0.15
CUT_IN_AFTER_S = 1.0
PAUSE_S = 1.2  # above espeak's comma pauses even when a loaded machine stretches them
WAIT_S = 30  # generous bound on a busy 2-core machine; every wait returns as soon as its event fires
LONG_REVEAL = "It was a present for my son. His party is on Saturday and he has asked about it every single day."
REP_LINES = (
    "I'm so sorry it's late, that must be frustrating. What else is going on?",
    "Right, and can I just say that we will sort it out.",
)


class ScriptedRecogniser:
    """Stands in for speech recognition of English (the test model is Korean): the n-th turn says the n-th line.

    It keeps the audio it was handed per turn, so the test can check the loop streamed the right stretch.
    """

    def __init__(self, lines: tuple[str, ...]) -> None:
        self.lines = list(lines)
        self.heard: list[list[np.ndarray]] = []

    def start_turn(self, samplerate: int) -> None:
        self.heard.append([])

    def accept(self, samples: np.ndarray) -> None:
        self.heard[-1].append(samples)

    def finish_turn(self) -> str:
        return self.lines.pop(0)


class Replies:
    """Counts the customer's replies and lets the test wait for the n-th one."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def __call__(self, reply) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= count, WAIT_S)


def test_spoken_call_with_a_cut_in(pulse_for_practice, tmp_path):
    """The customer opens, answers only after the rep's pause, and the rep's cut-in is timed as an interruption."""
    data = valid_scenario_dict()
    data["hidden_needs"][0]["reveal"] = LONG_REVEAL  # long enough to cut into on a slow machine
    scenario = scenario_from_dict(data, str(tmp_path / "test.toml"))
    clips = [speech_wav(tmp_path / f"rep{i}.wav", line) for i, line in enumerate(REP_LINES)]
    recogniser, replies, player = ScriptedRecogniser(REP_LINES), Replies(), Player()
    loop = TurnLoop(Conversation(scenario), CustomerVoice(scenario), player, recogniser,
                    VadSettings(end_pause_s=PAUSE_S), on_reply=replies)  # fmt: skip
    recorder = Recorder(tmp_path / "call.wav", devices=[REP_DEVICE], on_chunk=[loop.feed])
    customer_ear = Audible()
    listener = Recorder(tmp_path / "customer.wav", devices=[CUSTOMER_DEVICE], on_chunk=[customer_ear])
    listener.start()
    recorder.start()
    try:
        assert replies.wait_for(1)  # the opening line is playing
        assert player.wait(WAIT_S)
        assert pulse_for_practice.play(clips[0], REP_SINK).wait(WAIT_S) == 0
        assert replies.wait_for(2)  # the customer answers the first turn ...
        # The rep cuts in a second into the customer's answer: far more than the gap between the playback clock
        # (customer times) and the capture clock (rep times), which a loaded machine can stretch.
        customer_ear.listen(CUT_IN_AFTER_S)
        assert customer_ear.heard.wait(WAIT_S)
        assert pulse_for_practice.play(clips[1], REP_SINK).wait(WAIT_S) == 0  # ... and the rep talks over it
        assert replies.wait_for(3)
    finally:
        recorder.stop()
        listener.stop()
    result = loop.finish()

    turns = result.transcript.turns
    assert [t.speaker for t in turns] == ["customer", "rep", "customer", "rep", "customer"]
    opening, first, answer, cut_in, _ = turns
    # Customer times come from playback, rep times from the microphone: they agree within capture latency.
    assert first.start_s >= opening.end_s - CLOCK_TOLERANCE_S  # the rep waited for the opening
    assert answer.start_s >= first.end_s + PAUSE_S  # the customer waited for the rep's pause, never talked over
    assert cut_in.start_s < answer.end_s - 0.3  # the rep started while the customer was still talking
    for blocks, clip in zip(recogniser.heard, clips, strict=True):
        heard = np.concatenate(blocks)
        # The utterance (soft word endings may fall under the VAD); a loaded machine may stretch it with gaps.
        assert sf.info(clip).duration - 0.5 < len(heard) / 16000 < sf.info(clip).duration + 2.0
    cut_in_kinds = {f.kind for f in result.scorecard.findings if f.turn == 3}
    assert "interruption" in cut_in_kinds, (cut_in_kinds, [(t.speaker, t.start_s, t.end_s) for t in turns])
    assert answer.text == LONG_REVEAL  # the open question revealed the hidden need
    # The 0.7 s target is measured by bench/scenario_latency.py; here only a bound a loaded CI machine keeps.
    # The second reply waits, as it should, for the customer to finish the line the rep talked over.
    assert len(loop.timings) == 2 and all(0 < t.speech_ready_s < t.playback_start_s for t in loop.timings)
    assert loop.timings[0].playback_start_s < 2.0
