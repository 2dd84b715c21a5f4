"""Crash-safe 16-bit PCM WAV files: the header is kept true on disk while recording, and stale headers are repaired."""

import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be renamed anyway, which protects a live recording
    fcntl = None

from coach_app.errors import AudioError

HEADER_BYTES = 44  # canonical RIFF/WAVE header: "RIFF" size "WAVE", a 16-byte "fmt " chunk, then "data" size
_RIFF_SIZE_OFFSET = 4
_DATA_SIZE_OFFSET = 40
_SAMPLE_BYTES = 2
# RIFF sizes are unsigned 32-bit; stop before the header can no longer describe the file.
MAX_DATA_BYTES = 0xFFFFFFFF - (HEADER_BYTES - 8)


def _header(channels: int, samplerate: int, data_bytes: int) -> bytes:
    block_align = channels * _SAMPLE_BYTES
    fmt = struct.pack("<HHIIHH", 1, channels, samplerate, samplerate * block_align, block_align, 8 * _SAMPLE_BYTES)
    return (
        b"RIFF"
        + struct.pack("<I", HEADER_BYTES - 8 + data_bytes)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_bytes)
    )


class CrashSafeWavWriter:
    """Appends int16 frames to a WAV file and, at least every `sync_interval_s`, makes the file valid on disk.

    A sync flushes and fsyncs the audio, then rewrites the RIFF and data sizes and fsyncs again, so the header
    never claims audio that is not yet on disk: after a crash the file plays up to the last sync.
    """

    def __init__(self, path: Path, channels: int, samplerate: int, sync_interval_s: float = 0.25) -> None:
        if channels < 1:
            raise ValueError(f"channels must be at least 1, got {channels}")
        self.path = Path(path)
        self.channels = channels
        self.samplerate = samplerate
        self.sync_interval_s = sync_interval_s
        self.frames_written = 0
        try:
            # Unbuffered: every append reaches the OS at once, so killing the process loses nothing appended.
            # Created readable by the user only: recordings are private conversations.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._file = open(fd, "wb", buffering=0)  # noqa: SIM115 - open while recording, closed in close()
        except OSError as exc:
            raise AudioError(
                f"Cannot create the recording file {self.path} ({exc.strerror}): check the folder exists and is "
                "writable, or choose another location."
            ) from exc
        if fcntl is not None:
            # Advisory lock, released by the OS even on kill -9: tells recovery this file is still being written.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._write_all(_header(channels, samplerate, 0))
        self._last_sync = time.monotonic()
        self._frames_at_sync = 0
        self.sync()

    @property
    def data_bytes(self) -> int:
        return self.frames_written * self.channels * _SAMPLE_BYTES

    def append(self, frames: np.ndarray) -> None:
        """Append int16 frames shaped (n, channels); syncs when the interval has passed."""
        if frames.dtype != np.int16 or frames.ndim != 2 or frames.shape[1] != self.channels:
            raise ValueError(f"expected int16 frames shaped (n, {self.channels}), got {frames.dtype} {frames.shape}")
        if self.data_bytes + frames.nbytes > MAX_DATA_BYTES:
            raise AudioError(
                f"The recording {self.path} reached the 4 GB size limit of a WAV file: it was stopped and kept; "
                "start a new recording to continue."
            )
        self._write_all(np.ascontiguousarray(frames).astype("<i2", copy=False).tobytes())
        self.frames_written += len(frames)
        self.sync_if_due()

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # a raw file may accept only part of a large write
            view = view[self._file.write(view) :]

    def sync_if_due(self) -> None:
        """Sync once `sync_interval_s` has passed, in time or in audio (call it even when no audio arrives).

        Counting audio too bounds what the header can lag behind when a starved writer catches up in one burst.
        """
        unsynced_s = (self.frames_written - self._frames_at_sync) / self.samplerate
        if unsynced_s >= self.sync_interval_s or time.monotonic() - self._last_sync >= self.sync_interval_s:
            self.sync()

    def sync(self) -> None:
        """Make everything appended so far durable and described by the header."""
        self._file.flush()
        os.fsync(self._file.fileno())
        _patch_sizes(self._file, self.data_bytes)
        self._file.seek(0, os.SEEK_END)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._last_sync = time.monotonic()
        self._frames_at_sync = self.frames_written

    def close(self) -> None:
        if self._file.closed:
            return
        try:
            self.sync()
        finally:
            self._file.close()


def is_being_written(path: Path) -> bool:
    """True while a `CrashSafeWavWriter` (in any process) has `path` open."""
    if fcntl is None:
        return False
    with open(path, "rb") as file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)
    return False


def _patch_sizes(file, data_bytes: int) -> None:
    file.seek(_RIFF_SIZE_OFFSET)
    file.write(struct.pack("<I", HEADER_BYTES - 8 + data_bytes))
    file.seek(_DATA_SIZE_OFFSET)
    file.write(struct.pack("<I", data_bytes))


@dataclass(frozen=True)
class WavRepair:
    """What `recover_partial` found: the audio kept and whether the header had to change."""

    path: Path
    channels: int
    samplerate: int
    frames: int
    header_was_stale: bool

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate


def recover_partial(path: Path) -> WavRepair:
    """Rewrite the sizes in the header of a WAV written by `CrashSafeWavWriter` from the file's real length.

    Audio after the last whole frame (a write cut mid-frame) is truncated so every size in the file agrees.
    """
    path = Path(path)
    try:
        with open(path, "r+b") as file:
            header = file.read(HEADER_BYTES)
            channels, samplerate = _parse_header(path, header)
            file_bytes = file.seek(0, os.SEEK_END)
            block_align = channels * _SAMPLE_BYTES
            data_bytes = min((file_bytes - HEADER_BYTES) // block_align * block_align, MAX_DATA_BYTES)
            riff_size, stated_data = struct.unpack_from("<I", header, 4)[0], struct.unpack_from("<I", header, 40)[0]
            stale = stated_data != data_bytes or riff_size != HEADER_BYTES - 8 + data_bytes
            if stale or file_bytes != HEADER_BYTES + data_bytes:
                _patch_sizes(file, data_bytes)
                file.truncate(HEADER_BYTES + data_bytes)
                file.flush()
                os.fsync(file.fileno())
    except OSError as exc:
        raise AudioError(
            f"Cannot repair the recording {path} ({exc.strerror}): check the file exists and is writable."
        ) from exc
    return WavRepair(path, channels, samplerate, data_bytes // block_align, stale)


def _parse_header(path: Path, header: bytes) -> tuple[int, int]:
    """Channels and sample rate from a canonical 16-bit PCM header, or AudioError if it is not one."""
    if len(header) < HEADER_BYTES:
        raise AudioError(
            f"The recording {path} is too short to hold a WAV header ({len(header)} bytes): it contains no audio "
            "and cannot be recovered."
        )
    fmt_tag, channels, samplerate, _, _, bits = struct.unpack_from("<HHIIHH", header, 20)
    layout_ok = header[0:4] == b"RIFF" and header[8:16] == b"WAVE" + b"fmt " and header[36:40] == b"data"
    if not layout_ok or fmt_tag != 1 or bits != 16 or channels < 1 or samplerate < 1:
        raise AudioError(
            f"The file {path} is not a 16-bit PCM WAV recording made by Listening Coach, so its header cannot be "
            "repaired: open it in an audio editor instead."
        )
    return channels, samplerate
