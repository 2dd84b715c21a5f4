"""Timed words → speaker turns: a speaker's words split at long pauses; speakers merged in time, overlaps kept."""

from collections.abc import Mapping, Sequence

import numpy as np

from coach_app.core import Speaker, Transcript, Turn, Word
from coach_app.transcription.activity import snap_to_speech

# A pause this long ends a turn. Speakers (and espeak) pause up to ~0.7 s at commas and full stops inside a turn;
# a second or more of silence is where a listener would reply.
TURN_GAP_S = 1.1


def split_at_pauses(words: Sequence[Word], gap_s: float = TURN_GAP_S) -> list[list[Word]]:
    """Group time-ordered words into runs separated by pauses of at least `gap_s`."""
    runs: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.start_s):
        if runs and word.start_s - runs[-1][-1].end_s < gap_s:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def make_turn(speaker: Speaker, words: Sequence[Word], span_s: tuple[float, float] | None = None) -> Turn:
    """One turn spanning its words (or `span_s` when the speech is known to reach further), text joined by spaces."""
    start_s, end_s = span_s or (words[0].start_s, max(w.end_s for w in words))
    return Turn(speaker=speaker, start_s=start_s, end_s=end_s, text=" ".join(w.text for w in words), words=tuple(words))


def speech_spans(
    runs: Sequence[Sequence[Word]], active: np.ndarray | Sequence[np.ndarray] | None
) -> list[tuple[float, float] | None]:
    """Each run's (start, end), widened to the speech around it (`active` frames, or one mask per run) without
    reaching its neighbours."""
    if active is None:
        return [None] * len(runs)
    spans = []
    for index, run in enumerate(runs):
        lower = runs[index - 1][-1].end_s if index else 0.0
        upper = runs[index + 1][0].start_s if index + 1 < len(runs) else float("inf")
        mask = active if isinstance(active, np.ndarray) else active[index]
        spans.append(snap_to_speech(run[0].start_s, max(w.end_s for w in run), mask, lower, upper))
    return spans


def sort_turns(turns: Sequence[Turn]) -> Transcript:
    """A transcript with turns in order of their start (ties: the earlier end first)."""
    return Transcript(turns=tuple(sorted(turns, key=lambda t: (t.start_s, t.end_s))))


def turns_from_speakers(
    words_by_speaker: Mapping[Speaker, Sequence[Word]], active_by_speaker: Mapping[Speaker, np.ndarray] | None = None
) -> Transcript:
    """Turns for each speaker's own words (one channel each; `active_by_speaker` its speech frames), merged in time;
    overlapping turns stay so."""
    turns = []
    for speaker, words in words_by_speaker.items():
        runs = split_at_pauses(words)
        active = active_by_speaker.get(speaker) if active_by_speaker else None
        turns += [make_turn(speaker, run, span) for run, span in zip(runs, speech_spans(runs, active), strict=True)]
    return sort_turns(turns)
