"""Speech activity from loudness, to place turn edges where the speech is when the recogniser drops an edge word."""

import numpy as np

FRAME_S = 0.01
MAX_LATER_END_S = 1.0  # a turn's end moves at most this much later than its last recognised word
MAX_EARLIER_START_S = 0.3  # and its start at most this much earlier than its first
MAX_DIP_S = 0.15  # quieter stretches this short inside a word (stops, fricatives) do not end the speech
FLOOR_DB = -100.0


class Loudness:
    """Collects the level (dB full scale) of each 10 ms frame as int16 audio arrives."""

    def __init__(self, samplerate: int):
        self._frame = max(1, int(samplerate * FRAME_S))
        self._rest = np.zeros(0, dtype=np.float32)
        self._levels: list[np.ndarray] = []

    def add(self, samples: np.ndarray) -> None:
        audio = np.concatenate([self._rest, samples.astype(np.float32) / 32768.0])
        whole = len(audio) // self._frame * self._frame
        self._rest = audio[whole:]
        if whole:
            power = np.square(audio[:whole]).reshape(-1, self._frame).mean(axis=1)
            self._levels.append(10 * np.log10(np.maximum(power, 10 ** (FLOOR_DB / 10))))

    def active(self) -> np.ndarray:
        """Which frames hold speech: well above the quiet floor and within 30 dB of the loud parts."""
        levels = np.concatenate(self._levels) if self._levels else np.zeros(0)
        if not len(levels):
            return np.zeros(0, dtype=bool)
        threshold = max(np.percentile(levels, 10) + 15.0, np.percentile(levels, 95) - 30.0)
        return levels > threshold


def snap_to_speech(start_s: float, end_s: float, active: np.ndarray, lower_s: float, upper_s: float):
    """(start, end) widened to cover the speech running on from the recognised words, within the limits given."""
    if not len(active):
        return start_s, end_s
    last_frame = min(len(active), int(min(upper_s, end_s + MAX_LATER_END_S) / FRAME_S))
    end_frame, quiet = int(end_s / FRAME_S), 0
    for frame in range(int(end_s / FRAME_S), last_frame):
        quiet = 0 if active[frame] else quiet + 1
        if quiet * FRAME_S > MAX_DIP_S:
            break
        if active[frame]:
            end_frame = frame + 1
    first_frame = max(0, int(max(lower_s, start_s - MAX_EARLIER_START_S) / FRAME_S))
    start_frame = min(int(start_s / FRAME_S), len(active))
    while start_frame - 1 >= first_frame and active[start_frame - 1]:
        start_frame -= 1
    return min(start_s, start_frame * FRAME_S), max(end_s, end_frame * FRAME_S)
