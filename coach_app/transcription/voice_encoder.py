"""Speaker embeddings: Resemblyzer's GE2E encoder (3-layer LSTM over 40 mel bands) run in numpy.

The weights are `resources/models/voice_encoder.npz`, converted from Resemblyzer's `pretrained.pt` by
`training/convert_voice_encoder.py`. Two stretches of one voice give embeddings with a cosine similarity near 1;
different voices lower (typically 0.5–0.8).
"""

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from coach_app.errors import ModelError
from coach_app.paths import resource

MODEL_FILE = "voice_encoder.npz"
SAMPLERATE = 16000
N_FFT = 400  # 25 ms windows
HOP = 160  # 10 ms steps
N_MELS = 40
WINDOW_FRAMES = 160  # the encoder was trained on 1.6 s partial utterances
LAYERS = 3
BATCH = 32  # windows run through the network together (bounds memory: ~15 MB of gate values)


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log_part, linear)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    return np.where(mel >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0)), mel * (200.0 / 3))


@lru_cache(maxsize=1)
def _mel_filters() -> np.ndarray:
    """Triangular, area-normalised mel filters (n_mels × n_fft/2+1), as the encoder was trained with."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLERATE / 2), N_MELS + 2))
    freqs = np.linspace(0, SAMPLERATE / 2, N_FFT // 2 + 1)
    ramps = edges[:, None] - freqs[None, :]
    widths = np.diff(edges)
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    filters = np.maximum(0.0, np.minimum(rising, falling))
    filters *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return filters.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann


def mel_frames(wav: np.ndarray) -> np.ndarray:
    """Mel power frames (n_frames × 40, not log) of float audio at 16 kHz; frame k is centred on sample k·160."""
    padded = np.pad(np.asarray(wav, dtype=np.float32), N_FFT // 2)
    return mel_of_frames(np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP])


def mel_of_frames(frames: np.ndarray) -> np.ndarray:
    """Mel power (n × 40) of 25 ms frames of audio (n × 400)."""
    power = np.square(np.abs(np.fft.rfft(frames * _window(), axis=1))).astype(np.float32)
    return power @ _mel_filters().T


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * x)


class VoiceEncoder:
    """The GE2E network with its weights loaded; `embed_mels` maps (batch, 160, 40) mel windows to unit vectors."""

    def __init__(self, path: Path | str):
        try:
            with np.load(path, allow_pickle=False) as data:
                weights = {name: data[name] for name in data.files}
            self._layers = [
                (
                    weights[f"lstm_weight_ih_l{k}"].T.copy(),
                    weights[f"lstm_weight_hh_l{k}"].T.copy(),
                    weights[f"lstm_bias_ih_l{k}"] + weights[f"lstm_bias_hh_l{k}"],
                )
                for k in range(LAYERS)
            ]
            self._linear = weights["linear_weight"].T.copy(), weights["linear_bias"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(
                f"The voice model {path} is missing or damaged: reinstall Listening Coach "
                "(it ships in resources/models)."
            ) from exc

    def embed_mels(self, mels: np.ndarray) -> np.ndarray:
        """Unit-length 256-d embeddings of equal-length mel windows shaped (batch, frames, 40)."""
        return self.embed([m for m in mels])

    def embed(self, windows: list[np.ndarray]) -> np.ndarray:
        """Unit-length 256-d embeddings of mel windows (each frames × 40; lengths may differ)."""
        # One BLAS thread: the products are small, and OpenBLAS's threads spin-wait between them, which costs
        # ten times the CPU on a busy 2-core machine.
        with threadpool_limits(limits=1, user_api="blas"):
            out = [self._embed_batch(windows[i : i + BATCH]) for i in range(0, len(windows), BATCH)]
        return np.concatenate(out) if out else np.zeros((0, 256), dtype=np.float32)

    def _embed_batch(self, windows: list[np.ndarray]) -> np.ndarray:
        # Shorter windows are padded at the front and the state is held at zero there, which is exactly the
        # same as starting the network later: all windows of a batch then end on the same step.
        steps = max(len(w) for w in windows)
        x = np.zeros((len(windows), steps, N_MELS), dtype=np.float32)
        started = np.zeros((len(windows), steps), dtype=bool)
        for row, window in enumerate(windows):
            x[row, steps - len(window) :] = window
            started[row, steps - len(window) :] = True
        batch = len(windows)
        for layer, (w_in, w_rec, bias) in enumerate(self._layers):
            gates_in = x @ w_in + bias  # the input's share of every gate, for all steps at once
            hidden = np.zeros((batch, w_rec.shape[0]), dtype=np.float32)
            cell = np.zeros_like(hidden)
            last = layer == LAYERS - 1
            outputs = None if last else np.zeros((batch, steps, hidden.shape[1]), dtype=np.float32)
            for t in range(steps):
                i, f, g, o = np.split(gates_in[:, t] + hidden @ w_rec, 4, axis=1)  # PyTorch's gate order
                new_cell = _sigmoid(f) * cell + _sigmoid(i) * np.tanh(g)
                new_hidden = _sigmoid(o) * np.tanh(new_cell)
                live = started[:, t, None]
                cell = np.where(live, new_cell, cell)
                hidden = np.where(live, new_hidden, hidden)
                if outputs is not None:
                    outputs[:, t] = hidden
            x = outputs
        weight, bias = self._linear
        raw = np.maximum(hidden @ weight + bias, 0.0)
        return raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-9)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared_encoder(path: Path) -> VoiceEncoder:
    return VoiceEncoder(path)


def voice_encoder() -> VoiceEncoder:
    """The shipped encoder, loaded once per process."""
    with _lock:
        return _shared_encoder(resource("models", MODEL_FILE))
