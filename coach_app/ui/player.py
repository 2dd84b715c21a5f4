"""Play a recording from any moment through sounddevice; the UI polls `position_s` with a timer (no Qt here)."""

import threading
from pathlib import Path

import numpy as np
import soundfile as sf

from coach_app.audio.devices import load_sounddevice
from coach_app.errors import AudioError

BLOCK_FRAMES = 1024


class AudioPlayer:
    """Streams a file to `device` (the system default when None); the PortAudio callback only reads the next block."""

    def __init__(self, path: Path, device: int | str | None = None) -> None:
        try:
            self._file = sf.SoundFile(str(path))
        except (sf.LibsndfileError, RuntimeError, OSError) as exc:
            raise AudioError(f"Cannot play {path} ({exc}): the recording may have been moved or deleted.") from None
        self.path = path
        self.device = device
        self.samplerate = self._file.samplerate
        self.duration_s = self._file.frames / self.samplerate
        self._lock = threading.Lock()
        self._frame = 0
        self._stream = None

    @property
    def position_s(self) -> float:
        return self._frame / self.samplerate

    @property
    def playing(self) -> bool:
        return self._stream is not None and self._stream.active

    def play(self, from_s: float | None = None) -> None:
        """Start (or restart) playback, from `from_s` if given, else from where it paused."""
        sd = load_sounddevice()
        self.pause()
        with self._lock:
            if from_s is not None:
                self._frame = int(max(0.0, min(from_s, self.duration_s)) * self.samplerate)
            if self._frame >= self._file.frames:
                self._frame = 0
            self._file.seek(self._frame)
        try:
            self._stream = sd.OutputStream(
                samplerate=self.samplerate,
                channels=self._file.channels,
                dtype="float32",
                blocksize=BLOCK_FRAMES,
                device=self.device,
                callback=self._fill,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise AudioError(
                f"Cannot play sound on the output device {self.device or '(system default)'} ({exc}): connect "
                "speakers or headphones, or pick another under Settings → Microphone and speakers."
            ) from None

    def pause(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def close(self) -> None:
        self.pause()
        self._file.close()

    def _fill(self, out: np.ndarray, frames: int, _time, _status) -> None:
        with self._lock:
            block = self._file.read(frames, dtype="float32", always_2d=True)
            self._frame += len(block)
        out[: len(block)] = block
        if len(block) < frames:
            out[len(block) :] = 0
            sd = load_sounddevice()
            raise sd.CallbackStop
