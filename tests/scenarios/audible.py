"""A chunk consumer for the customer's playback sink that signals once the customer's voice is really heard."""

import threading

import numpy as np


class Audible:
    def __init__(self) -> None:
        self.heard = threading.Event()

    def __call__(self, frames: np.ndarray, samplerate: int) -> None:
        if np.abs(frames.astype(np.int32)).max(initial=0) > 1000:
            self.heard.set()
