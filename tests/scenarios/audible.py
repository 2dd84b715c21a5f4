"""A chunk consumer for the customer's playback sink that signals once the customer's voice is really heard."""

import threading

import numpy as np

LOUD = 1000  # int16 peak: speech, not the sink's silence


class Audible:
    """Sets `heard` once `needed_s` seconds of loud audio have arrived since the last `listen(...)`."""

    def __init__(self, needed_s: float = 0.0) -> None:
        self.heard = threading.Event()
        self._needed_s = needed_s
        self._heard_s = 0.0
        self._lock = threading.Lock()

    def listen(self, needed_s: float) -> None:
        """Start counting again, from now, until `needed_s` seconds of the customer's voice have been heard."""
        with self._lock:
            self._needed_s, self._heard_s = needed_s, 0.0
            self.heard.clear()

    def __call__(self, frames: np.ndarray, samplerate: int) -> None:
        if np.abs(frames.astype(np.int32)).max(initial=0) <= LOUD:
            return
        with self._lock:
            self._heard_s += len(frames) / samplerate
            if self._heard_s >= self._needed_s:
                self.heard.set()
