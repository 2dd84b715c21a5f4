"""Pitch (F0) of a one-track recording every 10 ms, computed as the audio arrives (Praat's autocorrelation tracker
via parselmouth, over blocks of a few seconds with a little context on each side)."""

import numpy as np
import parselmouth

FLOOR_HZ = 60.0
CEILING_HZ = 500.0
BLOCK_S = 4.0  # audio is tracked in blocks this long ...
CONTEXT_S = 0.1  # ... each with this much audio on either side (Praat's analysis window is 3 periods of the floor)


class PitchTrack:
    """Streams float audio at `samplerate`; `finish()` gives log2(F0) per 10 ms frame (frame k centred on k·10 ms),
    NaN where unvoiced. Keeps the current block of audio and 4 bytes of pitch per 10 ms."""

    def __init__(self, samplerate: int, frame_s: float):
        self._rate = samplerate
        self._frame_s = frame_s
        self._audio = np.zeros(0, dtype=np.float64)
        self._audio_start = 0  # sample index of self._audio[0]
        self._done = 0  # frames tracked so far
        self._pitch: list[np.ndarray] = []

    def add(self, samples: np.ndarray) -> None:
        self._audio = np.concatenate([self._audio, samples.astype(np.float64)])
        context, block = int(CONTEXT_S * self._rate), int(BLOCK_S * self._rate)
        while self._audio_start + len(self._audio) >= self._next_sample() + block + context:
            self._track(self._done + int(BLOCK_S / self._frame_s))

    def finish(self) -> np.ndarray:
        end = int((self._audio_start + len(self._audio)) / self._rate / self._frame_s) + 1
        if end > self._done:
            self._track(end)
        return np.concatenate(self._pitch) if self._pitch else np.zeros(0, dtype=np.float32)

    def _next_sample(self) -> int:
        return int(round(self._done * self._frame_s * self._rate))

    def _track(self, end: int) -> None:
        """Pitch of frames self._done:end from the audio around them; audio no later frame needs is dropped."""
        times = np.arange(self._done, end) * self._frame_s
        begin = max(0, self._next_sample() - int(CONTEXT_S * self._rate) - self._audio_start)
        values = self._audio[begin : int(round(end * self._frame_s * self._rate)) + int(CONTEXT_S * self._rate)]
        pitch = np.full(len(times), np.nan)
        if len(values) >= 3 * self._rate / FLOOR_HZ:
            start_s = (self._audio_start + begin) / self._rate
            sound = parselmouth.Sound(values, sampling_frequency=self._rate, start_time=start_s)
            track = sound.to_pitch(time_step=self._frame_s, pitch_floor=FLOOR_HZ, pitch_ceiling=CEILING_HZ)
            hz = track.selected_array["frequency"]
            if len(hz):
                nearest = np.clip(np.round((times - track.xs()[0]) / self._frame_s).astype(int), 0, len(hz) - 1)
                found = hz[nearest]
                pitch = np.where(found > 0, np.log2(np.maximum(found, 1.0)), np.nan)
        self._pitch.append(pitch.astype(np.float32))
        self._done = end
        keep_from = max(0, self._next_sample() - int(CONTEXT_S * self._rate) - self._audio_start)
        self._audio, self._audio_start = self._audio[keep_from:], self._audio_start + keep_from
