"""Speech probability per 32 ms of 16 kHz audio: Silero VAD (MIT, `resources/models/silero_vad.onnx`) via onnxruntime.

Unlike a loudness threshold it tells speech from music, hum and noise, so stretches without speech are neither
clustered into voices nor given to a speaker.
"""

import threading
from functools import lru_cache

import numpy as np

from coach_app import onnx_runtime
from coach_app.errors import ModelError
from coach_app.paths import resource

MODEL_FILE = "silero_vad.onnx"
SAMPLERATE = 16000
CHUNK = 512  # samples per decision (32 ms), what the model was trained on at 16 kHz
CONTEXT = 64  # each chunk is preceded by the last samples of the one before
FRAME_S = CHUNK / SAMPLERATE
SPEECH_PROB = 0.5

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _session():
    onnxruntime = onnx_runtime.onnxruntime()  # on first use: it takes a moment and only mono recordings need it

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one decision at a time: threads only add overhead
    options.inter_op_num_threads = 1
    path = resource("models", MODEL_FILE)
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for unreadable models
        raise ModelError(f"The speech-activity model {path} is missing or damaged: reinstall Listening Coach.") from exc


class SpeechDetector:
    """Streams int16 audio at 16 kHz and keeps the speech probability of each 32 ms chunk."""

    def __init__(self):
        with _lock:
            self._model = _session()
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)
        self._probs: list[float] = []
        self._rate = np.array(SAMPLERATE, dtype=np.int64)

    def add(self, samples: np.ndarray) -> None:
        audio = np.concatenate([self._rest, samples.astype(np.float32) / 32768.0])
        whole = len(audio) // CHUNK * CHUNK
        self._rest = audio[whole:]
        for start in range(0, whole, CHUNK):
            chunk = audio[start : start + CHUNK]
            model_input = np.concatenate([self._context, chunk])[None, :]
            prob, self._state = self._model.run(None, {"input": model_input, "state": self._state, "sr": self._rate})
            self._context = chunk[-CONTEXT:]
            self._probs.append(float(prob[0, 0]))

    def probabilities(self) -> np.ndarray:
        """Speech probability of each 32 ms chunk so far (chunk k covers k·32 ms to (k+1)·32 ms)."""
        return np.asarray(self._probs, dtype=np.float32)
