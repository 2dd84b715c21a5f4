"""Audio → transcript: live recordings and imported files share one path, a recogniser per channel fed as it arrives."""

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np
import soxr

from coach_app.audio.convert import ProgressFn, read_blocks
from coach_app.core import Speaker, Transcript, Word
from coach_app.errors import AudioError
from coach_app.transcription.activity import Loudness
from coach_app.transcription.diarize import VoiceFeatures, split_speakers
from coach_app.transcription.engine import StreamingTranscriber, load_model, model_samplerate, reset_randomness
from coach_app.transcription.turns import turns_from_speakers

Channel = Literal["left", "right"]
SOUND_LEVEL = 300  # int16 peak above which a chunk holds sound rather than hiss
MAX_HOLD_S = 5.0  # after this much near-silence, start as stereo anyway
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
        # voice features for telling speakers apart, computed as the audio arrives (mono recordings only)
        self.features = VoiceFeatures(self.transcriber.samplerate) if voices else None
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
                self._accept(self._resampler.resample_chunk(np.zeros(0, dtype=np.int16), last=True))
            self.words = self.transcriber.finish()
        except BaseException as exc:  # re-raised in the caller's thread by LiveTranscription.finish
            self.error = exc
        finally:
            self._ended.set()

    def _accept(self, samples: np.ndarray) -> None:
        step = round(SLICE_S * self.transcriber.samplerate)
        for begin in range(0, max(len(samples), 1), step):  # in slices, so a cancel takes effect promptly
            if self._cancelled.is_set():
                return
            piece = samples[begin : begin + step]
            self.transcriber.accept(piece)
            self.loudness.add(piece)
            if self.features is not None:
                self.features.add(piece)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker to end (at most `timeout` seconds); re-raise its error."""
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error


class LiveTranscription:
    """Transcribes audio while it is recorded: plug `on_chunk` into the recorder; `finish()` after Stop.

    Stereo: each channel is one speaker (`rep_channel` says which is the rep); further channels are ignored. Mono,
    `mono=True`, or two channels that are copies of each other: the channels are mixed and split into two speakers
    by their voices after Stop (`first_speaker` says who speaks first).
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
    ):
        if rep_channel not in ("left", "right"):
            raise AudioError(f"Rep channel {rep_channel!r} is not valid; choose left or right.")
        self.model_path = Path(model_path)
        self.rep_channel = rep_channel
        self.mono = mono
        self.first_speaker = first_speaker
        self.source = source
        self._backlog = backlog_blocks  # 0 = unbounded (live); >0 makes on_chunk wait (file import)
        self._workers: dict[str, _ChannelWorker] = {}
        self._held: list[np.ndarray] = []
        self._samplerate = 0

    def on_chunk(self, frames: np.ndarray, samplerate: int) -> None:
        """Take a block of int16 frames shaped (n, channels) at `samplerate` (the recorder's chunk hook)."""
        chunk = np.array(frames, dtype=np.int16, copy=True).reshape(len(frames), -1)
        if self._workers:
            self._feed(chunk)
            return
        # Until the first sound, hold the audio: a "stereo" file whose channels are copies of one track
        # (common in phone-system exports) must be split by voice like a mono one.
        self._held.append(chunk)
        self._samplerate = samplerate
        copies = _channels_are_copies(chunk)
        held_s = sum(len(c) for c in self._held) / samplerate
        if self.mono or chunk.shape[1] == 1 or copies is not None or held_s >= MAX_HOLD_S:
            self._start(samplerate, mono=self.mono or chunk.shape[1] == 1 or bool(copies))

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
        """Finish recognising the audio still in hand and return the transcript (raises AudioError if silent)."""
        if self._held:  # a short or silent recording: nothing told the channels apart
            self._start(self._samplerate, mono=self.mono or self._held[0].shape[1] == 1)
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
            return split_speakers(words["both"], both.features.finish(), self.first_speaker, both.loudness.active())
        return turns_from_speakers(words, {name: worker.loudness.active() for name, worker in self._workers.items()})


def _channels_are_copies(chunk: np.ndarray) -> bool | None:
    """Whether the first two channels carry the same sound (within -30 dB); None while the chunk is near silent."""
    if chunk.shape[1] < 2:
        return False
    left, right = chunk[:, 0].astype(np.float64), chunk[:, 1].astype(np.float64)
    if max(np.abs(left).max(initial=0), np.abs(right).max(initial=0)) < SOUND_LEVEL:
        return None
    return float(np.square(left - right).sum()) <= 1e-3 * float(np.square(left).sum() + np.square(right).sum()) / 2


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
) -> Transcript:
    """Transcribe an audio file: stereo → a speaker per channel, mono (or `mono=True`) → split by voice."""
    load_model(model_path)  # a missing or broken model is reported before any audio is read
    rate = model_samplerate(model_path)
    reset_randomness()
    live = LiveTranscription(model_path, rep_channel, mono, first_speaker, str(path), FILE_BACKLOG_BLOCKS)
    try:
        for block in read_blocks(path, rate, on_progress, cancel):
            live.on_chunk(block, rate)
    except BaseException:  # cancelled, a damaged file or Ctrl-C: stop the recogniser threads too
        live.close()
        raise
    if on_progress is not None:
        on_progress(1.0, "finishing")
    return live.finish()
