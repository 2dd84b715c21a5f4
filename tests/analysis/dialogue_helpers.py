"""Build small timed transcripts for detector tests, in typed and speech-recognition (ASR) form."""

import re

from coach_app.analysis import analyze_turn
from coach_app.core import Transcript, Turn, Word

WORDS_PER_S = 2.5
PAUSE_S = 0.8


def asr(text: str) -> str:
    """What speech recognition would give: lower case, no punctuation."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'")).split())


def conversation(*lines: tuple[str, str], form=str) -> Transcript:
    """Alternating turns with natural pauses; `form` rewrites each text (e.g. `asr`), which also adds word timings."""
    turns, start = [], 0.0
    for speaker, text in lines:
        text = form(text)
        duration = max(len(text.split()), 1) / WORDS_PER_S
        words = _words(text, start) if form is asr else ()
        turns.append(Turn(speaker, start, start + duration, text, words))
        start += duration + PAUSE_S
    return Transcript(tuple(turns))


def _words(text: str, start: float) -> tuple[Word, ...]:
    step = 1 / WORDS_PER_S
    return tuple(Word(w, start + i * step, start + i * step + step * 0.8, 0.9) for i, w in enumerate(text.split()))


def rep_kinds(customer: str, rep: str, form=str) -> set[str]:
    """Finding kinds for a rep turn that answers one customer turn."""
    transcript = conversation(("customer", customer), ("rep", rep), form=form)
    return {f.kind for f in analyze_turn(transcript, 1)}


def last_turn_kinds(*lines: tuple[str, str], form=str) -> set[str]:
    transcript = conversation(*lines, form=form)
    return {f.kind for f in analyze_turn(transcript, len(transcript.turns) - 1)}


FORMS = (str, asr)  # every detector is tested on typed and on ASR text
