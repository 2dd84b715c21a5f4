"""What the rep says in each turn, recognised by a Vosk speech model while the rep speaks (a `TurnTranscriber`)."""

from pathlib import Path

import numpy as np
import soxr

from coach_app.transcription.engine import StreamingTranscriber, load_model, model_samplerate


class TurnRecogniser:
    """A fresh recogniser per turn, fed as the audio arrives, so only the last words are left when the turn ends."""

    def __init__(self, model_path: Path | str) -> None:
        self.model_path = Path(model_path)
        load_model(self.model_path)  # seconds: do it before the call starts, not on the first turn
        self.samplerate = model_samplerate(self.model_path)
        self._recogniser: StreamingTranscriber | None = None
        self._resampler: soxr.ResampleStream | None = None

    def start_turn(self, samplerate: int) -> None:
        self._recogniser = StreamingTranscriber(self.model_path)
        same_rate = samplerate == self.samplerate
        self._resampler = None if same_rate else soxr.ResampleStream(samplerate, self.samplerate, 1, dtype="int16")

    def accept(self, samples: np.ndarray) -> None:
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples)
        self._recogniser.accept(samples)

    def finish_turn(self) -> str:
        if self._resampler is not None:
            self._recogniser.accept(self._resampler.resample_chunk(np.zeros(0, np.int16), last=True))
        return " ".join(word.text for word in self._recogniser.finish())
