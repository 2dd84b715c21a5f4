"""The spoken practice loop: the rep's microphone in, end of turn from silence, the customer's voice out.

Everything runs on one clock, seconds of microphone audio fed so far. `feed` (a `Recorder` chunk consumer) only
queues each block with the moment it arrived; the loop's own worker thread detects the end of each turn,
recognises and analyses it, and synthesises and plays the customer's reply, so none of that holds up the
recording. The customer's turns are placed on the clock from the moment their playback actually started, so the
transcript, and the interruption analysis, see exact times. After each change the worker hands out an immutable
`CallSnapshot` (`on_change`).
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from coach_app.scenarios.conversation import CallSnapshot, Conversation, PracticeResult
from coach_app.scenarios.playback import Player
from coach_app.scenarios.simulator import CustomerReply
from coach_app.scenarios.vad import SpeechStarted, TurnDetector, TurnEnded, VadSettings
from coach_app.scenarios.voice import CustomerVoice
from coach_app.scoring.rubric import Rubric

log = logging.getLogger(__name__)


class TurnTranscriber(Protocol):
    """Recognises the rep's speech while it is spoken, so little is left to decode when the turn ends."""

    def start_turn(self, samplerate: int) -> None:
        """A new rep turn begins (the samples that follow are mono int16 at `samplerate`)."""

    def accept(self, samples: np.ndarray) -> None:
        """More of the turn's audio, as it arrives."""

    def finish_turn(self) -> str:
        """What the rep said in the turn (empty if no words were recognised)."""


STOP_TIMEOUT_S = 1.0  # `finish` and `close` wait at most this long for the worker
PRE_ROLL_S = 0.2  # audio kept before the detected start, so the first syllable reaches the recogniser
KEEP_WHILE_SILENT_S = 1.0  # between turns only the last second is kept: enough for the pre-roll and onset


@dataclass(frozen=True)
class ReplyTiming:
    """Wall-clock seconds from the end-of-turn decision to the reply's audio being ready and to playback start."""

    speech_ready_s: float
    playback_start_s: float


class TurnLoop:
    """The customer opens the call on the first microphone block and answers each turn the rep finishes.

    The customer only answers once the rep has been silent for the VAD's pause, so never talks over the rep;
    when the rep talks over the customer, the rep's turn starts inside the customer's and the analysis reports
    an interruption. The worker ends on `finish()`, on `close()` and on an error (kept in `error`; the call then
    counts as ended, so a UI stops and saves what was said).
    """

    def __init__(
        self,
        conversation: Conversation,
        voice: CustomerVoice,
        player: Player,
        transcriber: TurnTranscriber,
        vad: VadSettings | None = None,
        on_reply: Callable[[CustomerReply], None] | None = None,
        on_change: Callable[[CallSnapshot], None] | None = None,
    ) -> None:
        self.conversation = conversation
        self.voice = voice
        self.player = player
        self.transcriber = transcriber
        self.vad = vad
        self.on_reply = on_reply
        self.on_change = on_change
        self.samplerate = 0  # the microphone's, from its first block
        self.detector: TurnDetector | None = None
        self.timings: list[ReplyTiming] = []
        self.call_ended = threading.Event()  # set once the customer has resolved the call or hung up
        self.error: BaseException | None = None
        self.snapshot = conversation.snapshot()  # the latest published state; replaced whole, never changed
        self._clock = (0.0, time.monotonic())  # (audio seconds, time.monotonic()) of the latest block's end
        self._audio: list[np.ndarray] = []
        self._audio_start_s = 0.0
        self._sent_to_s = 0.0  # audio before this time has gone to the transcriber
        self._blocks: queue.Queue[tuple[np.ndarray, int, float] | None] = queue.Queue()
        self._finishing = threading.Event()  # Stop was pressed: take down remaining turns, answer no more
        self._stopped = threading.Event()  # leave now, whatever is queued
        self._ended = threading.Event()  # the worker has returned
        self._thread = threading.Thread(target=self._run, name="turn-loop", daemon=True)
        self._thread.start()

    def feed(self, frames: np.ndarray, samplerate: int) -> None:
        """Queue one block of microphone audio (int16, shape (n,) or (n, channels); the first channel is used)."""
        if not self._ended.is_set():  # a loop that has ended takes no more audio
            self._blocks.put((frames, samplerate, time.monotonic()))

    def finish(self, rubric: Rubric | None = None) -> PracticeResult:
        """Score the call once the microphone has stopped; returns within about a second whatever the worker does.

        Audio already queued is still taken down (a turn that ended is analysed, but no longer answered).
        """
        self._finishing.set()
        self._blocks.put(None)
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            log.warning("the practice loop did not finish in time; scoring the call as it stood")
        self._halt()
        return self.snapshot.score(rubric)

    def close(self) -> None:
        """Stop the worker and the customer's voice without scoring (a call abandoned); returns within a second."""
        self._halt()
        self._thread.join(STOP_TIMEOUT_S)

    def _halt(self) -> None:
        self._stopped.set()
        self._blocks.put(None)
        self.player.stop()

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until every block fed so far has been handled (or the worker has ended); False on timeout.

        For callers that feed faster than real time (benchmarks, tests) and then read `snapshot` or `detector`.
        """
        done = self._blocks.all_tasks_done
        with done:
            return done.wait_for(lambda: not self._blocks.unfinished_tasks or self._ended.is_set(), timeout)

    def _run(self) -> None:
        try:
            while not self._stopped.is_set() and (item := self._blocks.get()) is not None:
                self._process(*item)
                self._blocks.task_done()
        except BaseException as exc:  # the call ends; what was said so far stays in the snapshot
            log.exception("the practice loop failed")
            self.error = exc
            self.call_ended.set()
        finally:
            with self._blocks.all_tasks_done:  # wake anyone settling: nothing more will be handled
                self._ended.set()
                self._blocks.all_tasks_done.notify_all()

    def _process(self, frames: np.ndarray, samplerate: int, arrived_mono: float) -> None:
        first_block = self.detector is None
        if first_block:
            self.samplerate = samplerate
            self.detector = TurnDetector(samplerate, self.vad)
        elif samplerate != self.samplerate:
            raise ValueError(f"the microphone changed from {self.samplerate} Hz to {samplerate} Hz mid-call")
        mono = frames[:, 0] if frames.ndim == 2 else frames
        self._audio.append(np.asarray(mono, np.int16))
        events = self.detector.feed(mono)
        # The block's last sample was captured about when it arrived: that ties the audio clock to the wall clock.
        self._clock = (self.detector.now_s, arrived_mono)
        if first_block and not self._finishing.is_set():
            self._speak(self.conversation.customer.opening())
            self.conversation.warm_up()
        for event in events:
            if isinstance(event, SpeechStarted):
                self.transcriber.start_turn(samplerate)
                self._sent_to_s = event.start_s - PRE_ROLL_S
            elif not self.call_ended.is_set():
                self._answer(event)
        if self.detector.in_speech:
            self._send_audio(self._audio_start_s + sum(map(len, self._audio)) / samplerate)
        else:
            self._drop_audio_before(self.detector.now_s - KEEP_WHILE_SILENT_S)

    def _publish(self) -> None:
        self.snapshot = self.conversation.snapshot()
        if self.on_change is not None:
            self.on_change(self.snapshot)

    def _answer(self, turn: TurnEnded) -> None:
        self._send_audio(turn.end_s)
        text = self.transcriber.finish_turn().strip()
        if not text:
            return  # a noise the recogniser found no words in is not a turn
        reply = self.conversation.add_rep_turn(text, turn.start_s, turn.end_s)
        self._publish()
        if not self._finishing.is_set():
            self._speak(reply, turn.decided_s)

    def _speak(self, reply: CustomerReply, decided_s: float | None = None) -> None:
        """Play the reply and log it from its real start; latency is measured from the end-of-turn decision."""
        speech = self.voice.reply(reply)
        if self._stopped.is_set():  # closed while the reply was being synthesised: stay silent
            return
        ready_mono = time.monotonic()
        start_mono = self.player.play(speech)
        start_s = self._audio_time(start_mono)
        self.conversation.add_customer_turn(reply, round(start_s, 3), round(start_s + speech.duration_s, 3))
        self._publish()
        if decided_s is not None:
            decided_mono = self._wall_time(decided_s)
            self.timings.append(ReplyTiming(ready_mono - decided_mono, start_mono - decided_mono))
        if self.on_reply is not None:
            self.on_reply(reply)
        if reply.ended:
            self.call_ended.set()

    def _audio_time(self, mono: float) -> float:
        audio_s, wall_mono = self._clock
        return audio_s + (mono - wall_mono)

    def _wall_time(self, audio_s: float) -> float:
        clock_s, wall_mono = self._clock
        return wall_mono - (clock_s - audio_s)

    def _drop_audio_before(self, time_s: float) -> None:
        audio = np.concatenate(self._audio)
        drop = min(len(audio), max(0, round((time_s - self._audio_start_s) * self.samplerate)))
        self._audio = [audio[drop:]]
        self._audio_start_s += drop / self.samplerate

    def _send_audio(self, to_s: float) -> None:
        """Hand the transcriber the turn's audio it has not had yet, up to `to_s`."""
        audio = np.concatenate(self._audio)
        first = max(0, round((self._sent_to_s - self._audio_start_s) * self.samplerate))
        last = max(first, round((to_s - self._audio_start_s) * self.samplerate))
        if last > first:
            self.transcriber.accept(audio[first:last])
            self._sent_to_s = self._audio_start_s + last / self.samplerate
