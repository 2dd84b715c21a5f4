"""Audio → transcript: live recordings and imported files share one path, a recogniser per channel fed as it arrives."""

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
import soxr

from coach_app.audio.convert import ProgressFn, read_blocks
from coach_app.core import Speaker, Transcript, Word
from coach_app.errors import AudioError
from coach_app.transcription.activity import Loudness
from coach_app.transcription.diarize import NoteFn, split_speakers
from coach_app.transcription.engine import StreamingTranscriber, load_model, model_samplerate, reset_randomness
from coach_app.transcription.level import LevelNormaliser
from coach_app.transcription.turns import turns_from_speakers
from coach_app.transcription.voice_encoder import SAMPLERATE as VOICE_RATE
from coach_app.transcription.voice_track import VoiceTrack

log = logging.getLogger(__name__)
Channel = Literal["left", "right"]
SOUND_LEVEL = 300  # int16 peak above which a chunk holds sound rather than hiss
MAX_HOLD_S = 5.0  # after this much near-silence, start as stereo anyway
DEAD_CHANNEL_S = 15.0  # one channel carrying sound this long while the other stays dead: a one-track recording
DEAD_CHANNEL_DB = 45.0  # "dead": this much quieter than the live channel (a real second line has its own noise)
FILE_BACKLOG_BLOCKS = 8  # blocks read ahead of the recognisers when importing a file (bounds memory)
CLOSE_TIMEOUT_S = 1.0  # a cancelled recogniser stops within one chunk; never wait longer than this for it
SLICE_S = 0.25  # the recogniser takes audio in pieces this long, checking for a cancel between them
_PUT_POLL_S = 0.05  # how often a producer waiting on a full queue checks whether the worker has ended


class _ChannelWorker:
    """A thread that takes one view of each chunk (a channel, or the mixdown), resamples it and recognises it.

    It ends on the end marker (None), on `cancel()` and on an error, and never leaves a producer blocked on its
    bounded queue: once it has ended, `put` drops the audio instead of waiting.
    """

    def __init__(
        self, model_path: Path, select: Callable[[np.ndarray], np.ndarray], in_rate: int, backlog: int, voices: bool
    ):
        self.transcriber = StreamingTranscriber(model_path)
        self._select = select
        self._resampler = None
        if in_rate != self.transcriber.samplerate:
            self._resampler = soxr.ResampleStream(in_rate, self.transcriber.samplerate, 1, dtype="int16")
        self.level = LevelNormaliser()  # quiet recordings are raised, DC offset removed, before recognition
        # speech activity and voice embeddings for telling speakers apart, as the audio arrives (one-track only)
        self.voices = VoiceTrack() if voices else None
        self._voice_resampler = None
        if voices and self.transcriber.samplerate != VOICE_RATE:
            self._voice_resampler = soxr.ResampleStream(self.transcriber.samplerate, VOICE_RATE, 1, dtype="int16")
        self.loudness = Loudness(self.transcriber.samplerate)  # to place turn edges the recogniser misses
        self.words: list[Word] = []
        self.error: BaseException | None = None
        self._cancelled = threading.Event()
        self._ended = threading.Event()
        self._queue: queue.Queue = queue.Queue(maxsize=backlog)
        self._thread = threading.Thread(target=self._run, name="transcriber", daemon=True)
        self._thread.start()

    def put(self, frames: np.ndarray | None) -> None:
        """Queue a chunk (None: the end); waits while a bounded queue is full, unless the worker has ended."""
        while not self._ended.is_set():
            try:
                self._queue.put(frames, timeout=_PUT_POLL_S)
                return
            except queue.Full:
                continue

    def cancel(self) -> None:
        """Stop at the next chunk, without finishing the transcript; never waits."""
        self._cancelled.set()
        with contextlib.suppress(queue.Full):  # a full queue already holds a chunk that wakes the worker
            self._queue.put_nowait(None)

    def _run(self) -> None:
        try:
            while (frames := self._queue.get()) is not None:
                if self._cancelled.is_set():
                    return
                samples = self._select(frames)
                if self._resampler is not None:
                    samples = self._resampler.resample_chunk(samples)
                self._accept(samples)
            if self._cancelled.is_set():
                return
            if self._resampler is not None:
                self._accept(self._resampler.resample_chunk(np.zeros(0, dtype=np.int16), last=True), last=True)
            self.words = self.transcriber.finish()
        except BaseException as exc:  # re-raised in the caller's thread by LiveTranscription.finish
            self.error = exc
        finally:
            self._ended.set()

    def _accept(self, samples: np.ndarray, last: bool = False) -> None:
        samples = self.level.process(samples)
        if self.voices is not None:
            resampler = self._voice_resampler
            self.voices.add(resampler.resample_chunk(samples, last=last) if resampler is not None else samples)
        step = round(SLICE_S * self.transcriber.samplerate)
        for begin in range(0, max(len(samples), 1), step):  # in slices, so a cancel takes effect promptly
            if self._cancelled.is_set():
                return
            piece = samples[begin : begin + step]
            self.transcriber.accept(piece)
            self.loudness.add(piece)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker to end (at most `timeout` seconds); re-raise its error."""
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error


class LiveTranscription:
    """Transcribes audio while it is recorded: plug `on_chunk` into the recorder; `finish()` after Stop.

    Stereo: each channel is one speaker (`rep_channel` says which is the rep); further channels are ignored. Mono,
    `mono=True`, or two channels that are copies of each other: the channels are mixed and split into two speakers
    by their voices after Stop (`first_speaker` says who speaks first, unless `rep_voice`, the rep's voice print,
    recognises the rep). A stereo file with one dead channel is treated as one track. `on_note` receives what the
    user should know about the split (more than two voices, only one voice, a dead channel) as it is found; the
    transcript carries the same notes, so they are kept and shown with the session.
    `on_chunk` only copies the chunk into a queue, so it never holds up the recorder's writer thread.
    """

    def __init__(
        self,
        model_path: Path | str,
        rep_channel: Channel = "left",
        mono: bool = False,
        first_speaker: Speaker = "rep",
        source: str = "the recording",
        backlog_blocks: int = 0,
        rep_voice: np.ndarray | None = None,
        on_note: NoteFn | None = None,
    ):
        if rep_channel not in ("left", "right"):
            raise AudioError(f"Rep channel {rep_channel!r} is not valid; choose left or right.")
        self.model_path = Path(model_path)
        self.rep_channel = rep_channel
        self.mono = mono
        self.first_speaker = first_speaker
        self.source = source
        self.rep_voice = rep_voice
        self.on_note = on_note or log.warning  # without a listener, notes go to the log
        self._notes: list[str] = []  # every note so far, for the transcript
        self._backlog = backlog_blocks  # 0 = unbounded (live); >0 makes on_chunk wait (file import)
        self._workers: dict[str, _ChannelWorker] = {}
        self._held: list[np.ndarray] = []
        self._watched: list[np.ndarray] | None = None  # stereo audio kept while one channel looks dead
        self._samplerate = 0
        self.voices: dict[Speaker, tuple[np.ndarray, float]] = {}  # after `finish`: each speaker's voice as heard

    def on_chunk(self, frames: np.ndarray, samplerate: int) -> None:
        """Take a block of int16 frames shaped (n, channels) at `samplerate` (the recorder's chunk hook)."""
        chunk = np.array(frames, dtype=np.int16, copy=True).reshape(len(frames), -1)
        if self._workers:
            self._feed(chunk)
            if self._watched is not None:
                self._watch_dead_channel(chunk)
            return
        # Until the first sound, hold the audio: a "stereo" file whose channels are copies of one track
        # (common in phone-system exports) must be split by voice like a mono one.
        self._held.append(chunk)
        self._samplerate = samplerate
        if self.mono or chunk.shape[1] == 1:
            self._start(samplerate, mono=True)
            return
        copies = _channels_are_copies(chunk)
        held_s = sum(len(c) for c in self._held) / samplerate
        if copies is not None or held_s >= MAX_HOLD_S:
            held = list(self._held)
            self._start(samplerate, mono=bool(copies))
            if not copies:  # keep the audio a while, in case one channel turns out to be dead
                self._watched = held

    def _watch_dead_channel(self, chunk: np.ndarray) -> None:
        """Stereo so far: once one channel has stayed silent for DEAD_CHANNEL_S while the other carried sound,
        start again as one track from the audio kept."""
        self._watched.append(chunk)
        dead = _dead_channel(self._watched)
        if dead is None:
            self._watched = None  # both channels carry sound: a real stereo recording
        elif sum(len(c) for c in self._watched) / self._samplerate >= DEAD_CHANNEL_S:
            self._restart_as_one_track(dead)

    def _restart_as_one_track(self, dead: str) -> None:
        held, self._watched = self._watched, None
        self.close()
        self._workers, self._held = {}, held
        self._start(self._samplerate, mono=self._one_track(dead))

    def _one_track(self, dead: str | None) -> bool:
        if dead is None:
            return False
        self._note(
            f"The {dead} channel of {self.source} is silent, so both voices must be on the other one: they are "
            "told apart by voice, as for a one-track recording."
        )
        return True

    def _note(self, message: str) -> None:
        self._notes.append(message)
        self.on_note(message)

    def _start(self, samplerate: int, mono: bool) -> None:
        workers = {}
        if mono:
            workers["both"] = _ChannelWorker(self.model_path, _mixdown, samplerate, self._backlog, voices=True)
        else:
            rep_index = 0 if self.rep_channel == "left" else 1
            for speaker, index in (("rep", rep_index), ("customer", 1 - rep_index)):
                workers[speaker] = _ChannelWorker(
                    self.model_path, _channel(index), samplerate, self._backlog, voices=False
                )
        self._workers = workers  # assigned whole: `partials()` may be reading from another thread
        held, self._held = self._held, []
        for chunk in held:
            self._feed(chunk)

    def _feed(self, chunk: np.ndarray) -> None:
        for worker in self._workers.values():
            worker.put(chunk)

    def partials(self) -> dict[str, str]:
        """Text so far per speaker ("rep", "customer"), or under "both" for a mono recording; safe from any thread."""
        return {name: worker.transcriber.partial() for name, worker in self._workers.items()}

    def close(self) -> None:
        """Stop the recognisers without building a transcript (after a cancel); returns within about a second."""
        for worker in self._workers.values():
            worker.cancel()
        deadline = time.monotonic() + CLOSE_TIMEOUT_S
        for worker in self._workers.values():
            with contextlib.suppress(BaseException):  # the caller is already handling the failure or cancel
                worker.join(max(0.0, deadline - time.monotonic()))

    def finish(self) -> Transcript:
        """Finish recognising the audio still in hand and return the transcript, with the notes about it (raises
        AudioError if silent)."""
        if self._held:  # a short or silent recording: nothing told the channels apart
            self._start(self._samplerate, mono=self.mono or self._held[0].shape[1] == 1)
        if self._watched is not None and (dead := _dead_channel(self._watched)) is not None:
            self._restart_as_one_track(dead)
        for worker in self._workers.values():
            worker.put(None)
        try:
            for worker in self._workers.values():
                worker.join()
        except BaseException:  # one channel failed: stop the other too rather than leave it running
            self.close()
            raise
        words = {name: worker.words for name, worker in self._workers.items()}
        if not any(words.values()):
            raise AudioError(
                f"No speech was recognised in {self.source}; check that it has speech on it, that the microphone "
                "level is up, and that the speech model matches the language spoken."
            )
        if "both" in words:
            both = self._workers["both"]
            separation = split_speakers(
                words["both"],
                both.voices.finish(),
                self.first_speaker,
                both.loudness.active(),
                self.rep_voice,
                self._note,
                self.source,
            )
            self.voices = separation.voices
            transcript = separation.transcript
        else:
            active = {name: worker.loudness.active() for name, worker in self._workers.items()}
            transcript = turns_from_speakers(words, active)
        return replace(transcript, notes=tuple(self._notes))


def _channels_are_copies(chunk: np.ndarray) -> bool | None:
    """Whether the first two channels carry the same sound (within -30 dB); None while the chunk is near silent."""
    if chunk.shape[1] < 2:
        return False
    left, right = chunk[:, 0].astype(np.float64), chunk[:, 1].astype(np.float64)
    if max(np.abs(left).max(initial=0), np.abs(right).max(initial=0)) < SOUND_LEVEL:
        return None
    return float(np.square(left - right).sum()) <= 1e-3 * float(np.square(left).sum() + np.square(right).sum()) / 2


def _dead_channel(held: list[np.ndarray]) -> str | None:
    """ "left" or "right" when that channel has stayed silent while the other carried sound, else None."""
    audio = np.concatenate(held)
    if audio.shape[1] < 2:
        return None
    power = np.square(audio[:, :2].astype(np.float64)).mean(axis=0)
    loud, quiet = int(np.argmax(power)), int(np.argmin(power))
    if np.sqrt(power[loud]) < SOUND_LEVEL / 4 or power[quiet] * 10 ** (DEAD_CHANNEL_DB / 10) > power[loud]:
        return None
    return ("left", "right")[quiet]


def _mixdown(frames: np.ndarray) -> np.ndarray:
    if frames.ndim == 1:
        return frames
    if frames.shape[1] == 1:
        return frames[:, 0]
    return frames.mean(axis=1).astype(np.int16)


def _channel(index: int) -> Callable[[np.ndarray], np.ndarray]:
    return lambda frames: np.ascontiguousarray(frames[:, index])


def transcribe_file(
    path: Path | str,
    model_path: Path | str,
    rep_channel: Channel = "left",
    mono: bool = False,
    first_speaker: Speaker = "rep",
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    rep_voice: np.ndarray | None = None,
    on_note: NoteFn | None = None,
) -> Transcript:
    """Transcribe an audio file: stereo → a speaker per channel, mono (or `mono=True`) → split by voice."""
    load_model(model_path)  # a missing or broken model is reported before any audio is read
    rate = model_samplerate(model_path)
    reset_randomness()
    live = LiveTranscription(
        model_path, rep_channel, mono, first_speaker, str(path), FILE_BACKLOG_BLOCKS, rep_voice, on_note
    )
    try:
        for block in read_blocks(path, rate, on_progress, cancel):
            live.on_chunk(block, rate)
    except BaseException:  # cancelled, a damaged file or Ctrl-C: stop the recogniser threads too
        live.close()
        raise
    if on_progress is not None:
        on_progress(1.0, "finishing")
    return live.finish()
