"""What a one-track recording's voices sound like, computed as the audio arrives: speech probability every 32 ms,
a speaker embedding for every 1.5 s window (0.5 s apart) that holds enough speech, and one for every short
stretch of speech between pauses (a "yes", a "mm-hmm") that a window would blur with its neighbours, and the
power and pitch every 10 ms."""

from dataclasses import dataclass

import numpy as np

from coach_app.transcription import speech_detector
from coach_app.transcription.pitch_track import PitchTrack
from coach_app.transcription.speech_detector import SpeechDetector
from coach_app.transcription.voice_encoder import HOP, N_FFT, N_MELS, SAMPLERATE, mel_of_frames, voice_encoder

FRAME_S = HOP / SAMPLERATE  # 10 ms mel frames
WINDOW_FRAMES = 150  # 1.5 s
STEP_FRAMES = 50  # 0.5 s
MIN_WINDOW_SPEECH = 50  # a window with less speech than 0.5 s says too little about the voice
MIN_ISLAND = 20  # stretches of speech from 0.2 s ...
PAUSE_FRAMES = 15  # ... ending at a pause of 0.15 s or more
PENDING = 32  # embeddings are computed in batches this size (~16 s of audio)
SPEECH_POWER = 10 ** (-30.0 / 10)  # windows are brought to −30 dBFS first, as the encoder was trained
N_CEPSTRA = 19  # cepstral coefficients 1–19 of the log mel power (the spectral envelope, level left out)
_DCT = np.cos(np.pi / N_MELS * np.outer(np.arange(1, N_CEPSTRA + 1), np.arange(N_MELS) + 0.5)) * np.sqrt(2 / N_MELS)


@dataclass(frozen=True)
class VoiceFrames:
    """Speech probability per 32 ms chunk; each embedded window's and short stretch's (start_s, end_s, speech_s)
    with its unit-length embedding; the sound's power per 10 ms frame (where two voices overlap it rises) and its
    pitch (voices of the same sex still differ in it)."""

    speech_prob: np.ndarray
    windows: np.ndarray  # (n, 3)
    embeddings: np.ndarray  # (n, 256)
    islands: np.ndarray  # (m, 3)
    island_embeddings: np.ndarray  # (m, 256)
    power: np.ndarray  # (frames,) mean square of each 25 ms frame, 10 ms apart
    pitch: np.ndarray  # (frames,) log2 of the pitch (Hz) at each 10 ms frame, NaN where unvoiced
    cepstra: np.ndarray  # (frames, N_CEPSTRA) mel cepstrum of each 10 ms frame

    @property
    def speech_s(self) -> float:
        return float((self.speech_prob >= speech_detector.SPEECH_PROB).sum() * speech_detector.FRAME_S)


class _Embeddings:
    """Spans and their embeddings, computed in batches as they accumulate."""

    def __init__(self):
        self.spans: list[tuple[float, float, float]] = []
        self.vectors: list[np.ndarray] = []
        self._pending: list[np.ndarray] = []

    def add(self, span: tuple[float, float, float], mels: np.ndarray, power: np.ndarray) -> None:
        self.spans.append(span)
        self._pending.append(mels * (SPEECH_POWER / max(float(power.mean()), 1e-12)))
        if len(self._pending) >= PENDING:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.vectors.append(voice_encoder().embed(self._pending))
            self._pending = []

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        self.flush()
        vectors = np.concatenate(self.vectors) if self.vectors else np.zeros((0, 256), np.float32)
        return np.array(self.spans, dtype=np.float64).reshape(-1, 3), vectors


class VoiceTrack:
    """Streams int16 audio at 16 kHz; `finish()` returns its `VoiceFrames`. Memory stays small: only the last
    window's mel frames, the current stretch of speech and the pitch tracker's block are kept, besides 4 bytes of
    power and 4 of pitch per 10 ms (480 kB for a 10-minute call)."""

    def __init__(self):
        self._detector = SpeechDetector()
        self._pitch = PitchTrack(SAMPLERATE, FRAME_S)
        self._audio = np.zeros(N_FFT // 2, dtype=np.float32)  # frame k is centred on sample k·HOP
        self._audio_start = -(N_FFT // 2)  # sample index of self._audio[0]
        self._mels = np.zeros((0, N_MELS), dtype=np.float32)  # frames from self._mel_start on
        self._power = np.zeros(0, dtype=np.float32)
        self._all_power: list[np.ndarray] = []
        self._all_cepstra: list[np.ndarray] = []
        self._speech = np.zeros(0, dtype=bool)
        self._mel_start = 0
        self._next_window = 0
        self._island: list[int] = []  # frame indices of the current stretch of speech
        self._quiet = 0
        self._windows = _Embeddings()
        self._islands = _Embeddings()

    def add(self, samples: np.ndarray) -> None:
        self._detector.add(samples)
        self._pitch.add(samples.astype(np.float32) / 32768.0)
        self._audio = np.concatenate([self._audio, samples.astype(np.float32) / 32768.0])
        self._advance(final=False)

    def finish(self) -> VoiceFrames:
        self._audio = np.concatenate([self._audio, np.zeros(N_FFT // 2, dtype=np.float32)])
        self._advance(final=True)
        self._close_island()
        windows, embeddings = self._windows.arrays()
        islands, island_embeddings = self._islands.arrays()
        power = np.concatenate(self._all_power) if self._all_power else np.zeros(0, dtype=np.float32)
        cepstra = np.concatenate(self._all_cepstra) if self._all_cepstra else np.zeros((0, N_CEPSTRA), np.float32)
        probs = self._detector.probabilities()
        pitch = self._pitch.finish()
        return VoiceFrames(probs, windows, embeddings, islands, island_embeddings, power, pitch, cepstra)

    def _advance(self, final: bool) -> None:
        probs = self._detector.probabilities()
        first = self._mel_start + len(self._mels)  # the next frame to compute
        # a frame needs its whole 25 ms window of audio and the speech decision for its centre
        known = min(self._audio_start + len(self._audio) - N_FFT // 2, len(probs) * speech_detector.CHUNK)
        if final:
            known = self._audio_start + len(self._audio) - N_FFT // 2
        last = (known - 1) // HOP + 1 if known > 0 else 0
        if last > first:
            begin = first * HOP - N_FFT // 2 - self._audio_start
            audio = self._audio[begin : begin + (last - first - 1) * HOP + N_FFT]
            frames = np.lib.stride_tricks.sliding_window_view(audio, N_FFT)[::HOP]
            mels = mel_of_frames(frames)
            chunks = np.minimum((np.arange(first, last) * HOP) // speech_detector.CHUNK, max(len(probs) - 1, 0))
            speech = probs[chunks] >= speech_detector.SPEECH_PROB if len(probs) else np.zeros(last - first, bool)
            self._mels = np.concatenate([self._mels, mels])
            power = np.square(frames).mean(axis=1)
            self._power = np.concatenate([self._power, power])
            self._all_power.append(power)
            self._all_cepstra.append(cepstra_of_mels(mels))
            self._speech = np.concatenate([self._speech, speech])
            for offset, is_speech in enumerate(speech):
                self._track_island(first + offset, bool(is_speech))
            keep_from = last * HOP - N_FFT // 2 - self._audio_start
            self._audio, self._audio_start = self._audio[keep_from:], self._audio_start + keep_from
        self._take_windows(final)

    def _track_island(self, frame: int, is_speech: bool) -> None:
        if is_speech:
            if len(self._island) <= WINDOW_FRAMES:  # longer stretches are left to the windows
                self._island.append(frame)
            self._quiet = 0
            return
        self._quiet += 1
        if self._quiet == PAUSE_FRAMES:
            self._close_island()

    def _close_island(self) -> None:
        island, self._island = self._island, []
        if not MIN_ISLAND <= len(island) <= WINDOW_FRAMES:
            return  # too short to judge, or long enough for the windows to judge
        rows = np.array(island) - self._mel_start
        if rows[0] < 0:
            return
        span = (island[0] * FRAME_S, (island[-1] + 1) * FRAME_S, len(island) * FRAME_S)
        self._islands.add(span, self._mels[rows], self._power[rows])

    def _take_windows(self, final: bool) -> None:
        available = self._mel_start + len(self._mels)
        while True:
            start = self._next_window
            if start + WINDOW_FRAMES > available and not (final and start + MIN_WINDOW_SPEECH <= available):
                break
            rows = slice(start - self._mel_start, min(start + WINDOW_FRAMES, available) - self._mel_start)
            speech = self._speech[rows]
            if speech.sum() >= MIN_WINDOW_SPEECH:
                end = min(start + WINDOW_FRAMES, available)
                span = (start * FRAME_S, end * FRAME_S, float(speech.sum()) * FRAME_S)
                self._windows.add(span, self._mels[rows][speech], self._power[rows][speech])
            self._next_window += STEP_FRAMES
        # keep what the next window and the current stretch of speech still need
        keep = min(self._next_window, self._island[0] if self._island else self._next_window)
        drop = max(0, min(keep, available) - self._mel_start)
        self._mels, self._power, self._speech = self._mels[drop:], self._power[drop:], self._speech[drop:]
        self._mel_start += drop


def cepstra_of_mels(mels: np.ndarray) -> np.ndarray:
    """Mel cepstrum (n × N_CEPSTRA) of mel power frames (n × 40)."""
    return (np.log(mels + 1e-10) @ _DCT.T).astype(np.float32)
