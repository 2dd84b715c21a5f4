"""Plays the customer's speech on an output device without blocking, and reports when it reached the device."""

import threading
import time

import numpy as np

from coach_app.audio.devices import load_sounddevice
from coach_app.errors import AudioError
from coach_app.scenarios.voice import SAMPLERATE, Speech

START_TIMEOUT_S = 3.0
# PortAudio streams are opened, stopped and closed one at a time: the practice loop plays on its own thread while
# Stop (another thread) may cut the voice off, and PortAudio does not guard against both at once.
_streams_lock = threading.Lock()


class Player:
    """One utterance at a time on `device` (the system default when None); `play` waits for the one before.

    `stop` and `playing` may be used from any thread while another plays.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._stream = None
        self._done = threading.Event()
        self._done.set()

    @property
    def playing(self) -> bool:
        return not self._done.is_set()

    def play(self, speech: Speech) -> float:
        """Start playing; return the `time.monotonic()` at which the first sample leaves the device."""
        self.wait()
        sd = load_sounddevice()
        samples = speech.samples.astype(np.float32)
        position = 0
        started = threading.Event()
        start_mono = [0.0]

        def callback(outdata, frames, time_info, status) -> None:
            nonlocal position
            if not started.is_set():
                # How far ahead of the device's clock this buffer is, mapped onto the monotonic clock.
                ahead_s = max(0.0, time_info.outputBufferDacTime - time_info.currentTime)
                start_mono[0] = time.monotonic() + (ahead_s if ahead_s < 1.0 else 0.0)
                started.set()
            chunk = samples[position : position + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :, 0] = 0.0
            position += len(chunk)
            if position >= len(samples):
                raise sd.CallbackStop

        self._done.clear()
        try:
            with _streams_lock:
                self._stream = sd.OutputStream(
                    samplerate=SAMPLERATE,
                    channels=1,
                    dtype="float32",
                    device=self.device,
                    callback=callback,
                    finished_callback=self._done.set,
                )
                self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._done.set()
            raise AudioError(
                f"Cannot play the customer's voice on output device {self.device or 'default'} ({exc}): "
                "check the speakers or headset are connected and chosen in the system's sound settings."
            ) from None
        if not started.wait(START_TIMEOUT_S):
            self.stop()
            raise AudioError("The output device did not start playing: check the speakers or headset, then retry.")
        return start_mono[0]

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current utterance has finished; False on timeout."""
        finished = self._done.wait(timeout)
        if finished:
            self._close(abort=False)
        return finished

    def stop(self) -> None:
        """Cut the current utterance off."""
        self._close(abort=True)
        self._done.set()

    def _close(self, abort: bool) -> None:
        with _streams_lock:
            stream, self._stream = self._stream, None
            if stream is not None:
                if abort:
                    stream.abort()
                stream.close()
