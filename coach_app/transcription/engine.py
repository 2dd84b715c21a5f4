"""The one module that talks to Vosk: loads models by path (cached) and turns a stream of audio into timed words."""

import contextlib
import ctypes
import json
import re
import threading
from pathlib import Path

import numpy as np

from coach_app.core import Word
from coach_app.errors import ModelError
from coach_app.transcription.models import check_layout

DEFAULT_MODEL_RATE = 16000
_models: dict[Path, object] = {}
_models_lock = threading.Lock()


def model_samplerate(path: Path | str) -> int:
    """The sample rate the model was trained on (from conf/mfcc.conf; Vosk models default to 16 kHz)."""
    mfcc = Path(path) / "conf" / "mfcc.conf"
    if mfcc.is_file():
        found = re.search(r"--sample-frequency=(\d+)", mfcc.read_text(encoding="utf-8", errors="replace"))
        if found:
            return int(found.group(1))
    return DEFAULT_MODEL_RATE


def reset_randomness() -> None:
    """Seed the C library's random numbers, which Kaldi draws on while decoding, to a fixed value.

    Without this a file's words and confidences depend on what the process decoded before; seeded before each
    file, a single-recogniser (mono) transcription is the same in any process, so batch workers, cluster workers
    and a one-off import agree, as long as nothing else draws on the generator meanwhile (hence onnxruntime's
    telemetry is off: see `speech_detector`). Two channels decode in two threads sharing the generator, so stereo
    varies a little. Best effort: where the C library cannot be reached this does nothing.
    """
    with contextlib.suppress(OSError, AttributeError, TypeError):  # no POSIX C library by that name (Windows)
        ctypes.CDLL(None).srand(0)


def _vosk():
    import vosk  # imported here so the app starts fast; this is the only place vosk is imported

    vosk.SetLogLevel(-1)
    return vosk


def load_model(path: Path | str):
    """The Vosk model in folder `path` (checked first), loaded once per process (it takes seconds and ~0.5 GB)."""
    folder = Path(path).expanduser()
    check_layout(folder)
    folder = folder.resolve()
    with _models_lock:
        if folder not in _models:
            vosk = _vosk()
            try:
                _models[folder] = vosk.Model(model_path=str(folder))
            except Exception as exc:  # vosk raises a bare Exception when Kaldi refuses the files
                raise ModelError(
                    f"Vosk could not load the speech model in {folder} (its files may be damaged); "
                    "download it again and re-import it with `coach-app models import FILE.zip`."
                ) from exc
        return _models[folder]


def _words(result_json: str) -> list[Word]:
    return [
        Word(text=item["word"], start_s=float(item["start"]), end_s=float(item["end"]), conf=float(item["conf"]))
        for item in json.loads(result_json).get("result", ())
    ]


class StreamingTranscriber:
    """One channel's recogniser: feed int16 samples at the model's rate as they arrive, then `finish()`.

    Recognition happens inside `accept`, so at the end only the last unfinished utterance is left to decode.
    After each block the text so far is published as one immutable string, so `partial()` may be called from any
    thread (e.g. a UI timer) and never waits for recognition.
    """

    def __init__(self, model_path: Path | str):
        model = load_model(model_path)
        self.samplerate = model_samplerate(model_path)
        self._recognizer = _vosk().KaldiRecognizer(model, self.samplerate)
        self._recognizer.SetWords(True)
        self._recognizer.SetPartialWords(True)
        self._words: list[Word] = []
        self._done_text = ""  # the finished utterances' words, kept joined so publishing stays cheap
        self._partial = ""

    def accept(self, samples: np.ndarray) -> None:
        """Recognise a block of mono int16 samples at `self.samplerate` (from one thread at a time)."""
        data = np.ascontiguousarray(samples, dtype=np.int16).tobytes()
        if self._recognizer.AcceptWaveform(data):
            self._add_words(_words(self._recognizer.Result()))
            pending = ""
        else:
            pending = json.loads(self._recognizer.PartialResult()).get("partial", "")
        self._partial = " ".join(part for part in (self._done_text, pending) if part)

    def partial(self) -> str:
        """Text recognised so far, including the utterance in progress (as of the last block accepted)."""
        return self._partial

    def finish(self) -> list[Word]:
        """Decode what is left and return every recognised word, in time order."""
        self._add_words(_words(self._recognizer.FinalResult()))
        self._partial = self._done_text
        return list(self._words)

    def _add_words(self, words: list[Word]) -> None:
        self._words.extend(words)
        self._done_text = " ".join(part for part in (self._done_text, *(w.text for w in words)) if part)
