"""Recording from one or two microphones into a crash-safe WAV, with a level meter and chunk hooks for streaming.

Threads: PortAudio's callback only copies each block into a queue; one writer thread lines the blocks up, appends
them to the WAV, updates the level meter and elapsed time, and hands each written block to the `on_chunk`
consumers, which only queue it for their own workers (e.g. a streaming recogniser). The UI only reads properties;
nothing it does touches the audio thread.
"""

import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

import numpy as np

from coach_app import paths
from coach_app.audio.alignment import FrameAligner
from coach_app.audio.devices import (
    PA_INVALID_SAMPLE_RATE,
    AudioDevice,
    find_input_device,
    load_sounddevice,
    portaudio_error_to_audio_error,
)
from coach_app.audio.levels import SILENCE_DBFS, LevelReading, level_of
from coach_app.audio.wavfile import CrashSafeWavWriter
from coach_app.errors import AudioError

log = logging.getLogger(__name__)

# A consumer receives every block written to the file, in order, on the writer thread:
# `frames` is int16 shaped (n, channels), a fresh array it may keep. It should only queue the block for its own
# worker (as `LiveTranscription.on_chunk` and `TurnLoop.feed` do), so the writer only writes; if it raises, it is
# dropped with a logged error and recording goes on.
ChunkConsumer = Callable[[np.ndarray, int], None]

PARTIAL_SUFFIX = ".partial.wav"
DEFAULT_SAMPLERATE = 16000  # what speech recognisers expect; devices that refuse it record at their own rate
DEFAULT_MIN_FREE_BYTES = 200 * 1024 * 1024
DEFAULT_STALL_TIMEOUT_S = 5.0  # no audio from a running device for this long: it was unplugged or died
_DISK_CHECK_INTERVAL_S = 1.0
_MAX_SKEW_S = 0.2  # with two devices, stop waiting for a lagging one after this much and pad it with silence
_POLL_S = 0.05
_START_TIMEOUT_S = 10.0  # some devices (Bluetooth headsets, sound servers) take seconds to deliver the first block
DEFAULT_STOP_TIMEOUT_S = 10.0  # closing the devices and writing the last blocks normally takes well under a second


class StopReason(Enum):
    REQUESTED = "requested"
    DURATION_REACHED = "duration reached"
    LOW_DISK = "low disk space"
    DEVICE_STOPPED = "device stopped"
    WRITE_FAILED = "write failed"


@dataclass(frozen=True)
class RecordingResult:
    path: Path
    samplerate: int
    channels: int
    frames: int
    stop_reason: StopReason
    message: str  # one sentence for the user
    input_overflows: int  # blocks where the device dropped audio because the computer could not keep up

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate


def default_recording_path() -> Path:
    """A new timestamped file name in the recordings folder."""
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    candidate, number = paths.recordings_dir() / f"{stamp}.wav", 2
    while candidate.exists() or partial_path_for(candidate).exists():
        candidate, number = paths.recordings_dir() / f"{stamp}-{number}.wav", number + 1
    return candidate


def partial_path_for(path: Path) -> Path:
    """Where a recording for `path` lives until it is stopped cleanly."""
    return path.with_name(path.name.removesuffix(".wav") + PARTIAL_SUFFIX)


class Recorder:
    """Records `devices` into `path` (a new file in the recordings folder by default).

    One device gives `channels` (1 or 2) of its own; two devices give a stereo file, the first device's first
    channel on the left and the second's on the right (e.g. the rep's microphone and the customer's playback).
    The file is `<name>.partial.wav` while recording and is renamed to `<name>.wav` when it stops cleanly.
    A UI polls `elapsed_s` and `level` (e.g. from a timer) and waits for `finished`, set when the recording ends,
    whether by `stop()` or by itself (`max_seconds`, low disk, a dead device); `result` then says why.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        devices: Sequence[int | str | None] = (None,),
        channels: int = 1,
        samplerate: int = DEFAULT_SAMPLERATE,
        max_seconds: float | None = None,
        min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
        stall_timeout_s: float = DEFAULT_STALL_TIMEOUT_S,
        on_chunk: Sequence[ChunkConsumer] = (),
    ) -> None:
        if not 1 <= len(devices) <= 2:
            raise ValueError("record from one or two devices")
        if channels not in (1, 2) or (len(devices) == 2 and channels != 2):
            raise ValueError("channels must be 1 or 2, and 2 when recording two devices")
        self.path = Path(path) if path is not None else default_recording_path()
        self.partial_path = partial_path_for(self.path)
        self.channels = channels
        self.max_seconds = max_seconds
        self.min_free_bytes = min_free_bytes
        self.stall_timeout_s = stall_timeout_s
        self._device_specs = list(devices)
        self._requested_samplerate = samplerate
        self._consumers = list(on_chunk)
        self._queue: queue.Queue[tuple[int, np.ndarray, bool]] = queue.Queue()
        self._stop_requested = threading.Event()
        self.finished = threading.Event()  # set once the file is final and `result` is available
        self.samplerate = samplerate
        self._streams: list = []
        self._writer: CrashSafeWavWriter | None = None
        self._aligner: FrameAligner | None = None
        self._thread: threading.Thread | None = None
        self._frames_written = 0
        self._overflows = 0
        self._level = LevelReading((SILENCE_DBFS,) * channels, (SILENCE_DBFS,) * channels)
        self._result: RecordingResult | None = None

    # --- what a UI polls (plain attribute reads of immutable values: safe from any thread) ---

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio written to the file so far."""
        return self._frames_written / self.samplerate

    @property
    def level(self) -> LevelReading:
        return self._level

    @property
    def result(self) -> RecordingResult | None:
        return self._result

    # --- control ---

    def start(self) -> None:
        """Open the devices and start recording; AudioError (naming the device) if one cannot be used."""
        if self.path.exists() or self.partial_path.exists():
            raise AudioError(f"The recording {self.path} already exists: choose another file name.")
        sd = load_sounddevice()
        devices = [find_input_device(spec) for spec in self._device_specs]
        per_device = self.channels if len(devices) == 1 else 1
        for device in devices:
            if device.channels < per_device:
                raise AudioError(
                    f"The microphone {device.label} has only {device.channels} input channel: record mono, or "
                    "record two devices to get two channels."
                )
        self.samplerate = self._common_samplerate(sd, devices, per_device)
        self._writer = CrashSafeWavWriter(self.partial_path, self.channels, self.samplerate)
        self._aligner = FrameAligner([per_device] * len(devices), round(_MAX_SKEW_S * self.samplerate))
        try:
            for source, device in enumerate(devices):
                self._streams.append(self._open_stream(sd, source, device, per_device))
            for stream, device in zip(self._streams, devices, strict=True):
                try:
                    stream.start()  # blocks queue up until the writer thread below takes them
                except sd.PortAudioError as exc:
                    raise portaudio_error_to_audio_error(exc, device) from exc
        except BaseException:
            self._close_streams()
            self._writer.close()
            self.partial_path.unlink(missing_ok=True)  # nothing was recorded yet: only our empty header
            raise
        self._thread = threading.Thread(target=self._write_until_stopped, name="recording-writer", daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the recording to stop, without waiting: `finished` is set once the file is final."""
        self._stop_requested.set()

    def stop(self, timeout_s: float = DEFAULT_STOP_TIMEOUT_S) -> RecordingResult:
        """Stop, write out everything captured, finalise the file; returns once every chunk was delivered.

        If that takes over `timeout_s` (a device that will not close, a disk or a chunk consumer that hangs),
        AudioError says so: the recording stays in `partial_path`, valid up to its last sync, and the writer
        still finalises it if it gets going again; otherwise the next start offers it for recovery.
        """
        assert self._thread is not None, "stop() called before start()"
        self._stop_requested.set()
        self._thread.join(timeout_s)
        if self._result is None:
            raise AudioError(
                f"The recording did not finish within {timeout_s:g} s: the microphone or the disk is not "
                f"responding. Nothing recorded is lost: it is kept in {self.partial_path} (or, once it finishes, "
                f"{self.path.name}), and offered for recovery at the next start if it is still there."
            )
        return self._result

    def __enter__(self) -> "Recorder":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- device side ---

    def _common_samplerate(self, sd, devices: list[AudioDevice], channels: int) -> int:
        """The requested rate if every device accepts it, else the first device's own rate."""
        candidates = [self._requested_samplerate, int(devices[0].default_samplerate)]
        for rate in candidates:
            try:
                for device in devices:
                    sd.check_input_settings(device=device.index, channels=channels, dtype="int16", samplerate=rate)
                return rate
            except sd.PortAudioError as exc:
                if len(exc.args) < 2 or exc.args[1] != PA_INVALID_SAMPLE_RATE:
                    raise portaudio_error_to_audio_error(exc, device) from exc
        names = " and ".join(device.label for device in devices)
        raise AudioError(f"{names} cannot record at a common sample rate: record from one device instead.")

    def _open_stream(self, sd, source: int, device: AudioDevice, channels: int):
        put = self._queue.put

        def callback(indata, frames, time_info, status) -> None:  # PortAudio's thread: copy and enqueue only
            put((source, indata.copy(), status.input_overflow))

        try:
            return sd.InputStream(
                samplerate=self.samplerate, device=device.index, channels=channels, dtype="int16", callback=callback
            )
        except sd.PortAudioError as exc:
            raise portaudio_error_to_audio_error(exc, device) from exc

    def _close_streams(self) -> None:
        for stream in self._streams:
            try:
                stream.stop()
                stream.close()
            except Exception:  # a device that vanished can fail to close; its audio is already queued
                log.exception("closing an input stream failed")

    # --- writer thread ---

    def _write_until_stopped(self) -> None:
        reason, detail = StopReason.REQUESTED, ""
        try:
            reason, detail = self._record_loop()
        except Exception as exc:  # never lose what is on disk: finish the file whatever went wrong
            log.exception("recording failed")
            reason, detail = StopReason.WRITE_FAILED, str(exc)
        self._close_streams()
        if reason is not StopReason.WRITE_FAILED:
            try:
                self._drain(flush=True)
            except Exception as exc:
                log.exception("writing the last audio failed")
                reason, detail = StopReason.WRITE_FAILED, str(exc)
        self._finish(reason, detail)

    def _record_loop(self) -> tuple[StopReason, str]:
        started = next_disk_check = time.monotonic()
        last_audio = None
        while not self._stop_requested.is_set():
            now = time.monotonic()
            if now >= next_disk_check:
                free = shutil.disk_usage(self.partial_path.parent).free
                if free < self.min_free_bytes:
                    return StopReason.LOW_DISK, f"{free / 1e6:.0f} MB free"
                next_disk_check = now + _DISK_CHECK_INTERVAL_S
            if self._drain(wait_s=_POLL_S):
                last_audio = now
            elif last_audio is None and now - started > max(self.stall_timeout_s, _START_TIMEOUT_S):
                return StopReason.DEVICE_STOPPED, f"no audio at all in {now - started:.0f} s"
            elif last_audio is not None and now - last_audio > self.stall_timeout_s:
                return StopReason.DEVICE_STOPPED, f"no audio for {self.stall_timeout_s:g} s"
            if self._duration_reached():
                return StopReason.DURATION_REACHED, ""
            self._writer.sync_if_due()
        return StopReason.REQUESTED, ""

    def _drain(self, wait_s: float = 0.0, flush: bool = False) -> bool:
        """Move queued blocks into the file; True if any arrived."""
        arrived = False
        try:
            item = self._queue.get(timeout=wait_s) if wait_s else self._queue.get_nowait()
            while True:
                source, frames, overflowed = item
                self._aligner.add(source, frames)
                self._overflows += overflowed
                arrived = True
                item = self._queue.get_nowait()
        except queue.Empty:
            pass
        limit = None
        if self.max_seconds is not None:
            limit = max(0, round(self.max_seconds * self.samplerate) - self._frames_written)
        block = self._aligner.take(limit=limit, flush=flush)
        if block is not None:
            self._write(block)
        return arrived

    def _duration_reached(self) -> bool:
        return self.max_seconds is not None and self._frames_written >= round(self.max_seconds * self.samplerate)

    def _write(self, block: np.ndarray) -> None:
        self._writer.append(block)
        self._frames_written += len(block)
        self._level = level_of(block)
        for consumer in list(self._consumers):
            try:
                consumer(block.copy(), self.samplerate)
            except Exception:
                log.exception("a recording consumer failed and was detached; recording continues")
                self._consumers.remove(consumer)

    def _finish(self, reason: StopReason, detail: str) -> None:
        """Close the file; a clean stop renames it, a failed one leaves the `.partial.wav` for recovery."""
        path = self.partial_path
        try:
            self._writer.close()
            if reason is not StopReason.WRITE_FAILED:
                os.replace(self.partial_path, self.path)
                path = self.path
        except OSError as exc:
            log.exception("finalising the recording failed")
            reason, detail = StopReason.WRITE_FAILED, detail or exc.strerror or str(exc)
        self._result = RecordingResult(
            path=path,
            samplerate=self.samplerate,
            channels=self.channels,
            frames=self._frames_written,
            stop_reason=reason,
            message=_stop_message(reason, detail, path, self._frames_written / self.samplerate),
            input_overflows=self._overflows,
        )
        self.finished.set()


def _stop_message(reason: StopReason, detail: str, path: Path, duration_s: float) -> str:
    kept = f"{duration_s:.1f} s recorded to {path}"
    return {
        StopReason.REQUESTED: f"Recording stopped: {kept}.",
        StopReason.DURATION_REACHED: f"Recording reached its set length: {kept}.",
        StopReason.LOW_DISK: f"Recording stopped because the disk is almost full ({detail}): {kept}; free some "
        "space before recording again.",
        StopReason.DEVICE_STOPPED: f"Recording stopped because the microphone stopped sending audio ({detail}): "
        f"{kept}; check the microphone is connected.",
        StopReason.WRITE_FAILED: f"Recording stopped because the file could not be written ({detail}): {kept}; "
        "check the disk, then run `coach-app record --recover`.",
    }[reason]
