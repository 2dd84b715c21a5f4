"""Read an audio file (WAV, FLAC, OGG, MP3; any rate, any channels) in blocks at the speech model's sample rate."""

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from coach_app.errors import AudioError, Cancelled
from coach_app.files import MAX_AUDIO_BYTES, open_input

SUPPORTED = "WAV, FLAC, OGG (Vorbis/Opus) or MP3"
BLOCK_S = 1.0  # seconds of input per block: small enough for smooth progress and prompt cancel

ProgressFn = Callable[[float, str], None]


@dataclass(frozen=True)
class AudioInfo:
    """What an audio file holds, read from its header."""

    path: Path
    samplerate: int
    channels: int
    frames: int
    format: str

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate


@contextlib.contextmanager
def open_audio(path: Path) -> Iterator[sf.SoundFile]:
    """Open a regular audio file (never a FIFO, device or folder) as a SoundFile, or raise AudioError saying why."""
    with open_input(path, "audio file", MAX_AUDIO_BYTES, AudioError) as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            raise AudioError(f"Audio file {path} is empty (0 bytes); record or export it again.")
        try:
            audio = sf.SoundFile(stream.fileno(), closefd=False)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise AudioError(f"{path} is not an audio file that can be read ({exc}); use a {SUPPORTED} file.") from None
        with audio:
            yield audio


def probe(path: Path | str) -> AudioInfo:
    """Read the header of an audio file, or raise AudioError saying why it cannot be used."""
    path = Path(path)
    with open_audio(path) as audio:
        info = AudioInfo(path, audio.samplerate, audio.channels, audio.frames, audio.format)
    if info.frames <= 0:
        raise AudioError(f"Audio file {path} contains no audio; record or export it again.")
    return info


def read_blocks(
    path: Path | str,
    samplerate: int,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[np.ndarray]:
    """Yield int16 blocks of shape (n, channels) resampled to `samplerate`, reporting progress as it reads.

    Raises Cancelled when `cancel` is set and AudioError when the file is damaged or cut short.
    """
    info = probe(path)
    block_frames = max(1, int(info.samplerate * BLOCK_S))
    resampler = None
    if info.samplerate != samplerate:
        resampler = soxr.ResampleStream(info.samplerate, samplerate, info.channels, dtype="float32", quality="HQ")
    done = 0
    with open_audio(info.path) as audio:
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled(f"Reading {info.path} was cancelled.")
            try:
                block = audio.read(block_frames, dtype="int16" if resampler is None else "float32", always_2d=True)
            except (sf.LibsndfileError, RuntimeError) as exc:
                raise AudioError(
                    f"{info.path} is damaged after {done / info.samplerate:.1f} s ({exc}); export or copy it again."
                ) from exc
            last = len(block) < block_frames
            done += len(block)
            if last and done == 0:  # the header promised audio, but none could be decoded
                raise AudioError(
                    f"{info.path} holds no readable audio although its header says {info.duration_s:.1f} s: "
                    "it is damaged; export or copy it again."
                )
            if resampler is not None:
                block = _to_int16(resampler.resample_chunk(block, last=last))
            if len(block):
                yield block
            if on_progress is not None:
                fraction = min(1.0, done / info.frames)
                on_progress(fraction, f"{done / info.samplerate:.0f} s of {info.duration_s:.0f} s")
            if last:
                return


def _to_int16(block: np.ndarray) -> np.ndarray:
    return (np.clip(block, -1.0, 1.0) * 32767.0).astype(np.int16)
