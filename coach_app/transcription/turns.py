"""Timed words → speaker turns: a speaker's words split at long pauses; speakers merged in time, overlaps kept."""

from collections.abc import Mapping, Sequence

from coach_app.core import Speaker, Transcript, Turn, Word

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


def make_turn(speaker: Speaker, words: Sequence[Word]) -> Turn:
    """One turn spanning its words, its text the words joined by spaces."""
    return Turn(
        speaker=speaker,
        start_s=words[0].start_s,
        end_s=max(w.end_s for w in words),
        text=" ".join(w.text for w in words),
        words=tuple(words),
    )


def sort_turns(turns: Sequence[Turn]) -> Transcript:
    """A transcript with turns in order of their start (ties: the earlier end first)."""
    return Transcript(turns=tuple(sorted(turns, key=lambda t: (t.start_s, t.end_s))))


def turns_from_speakers(words_by_speaker: Mapping[Speaker, Sequence[Word]], gap_s: float = TURN_GAP_S) -> Transcript:
    """Turns for each speaker's own words (e.g. one channel each), merged in time; overlapping turns stay so."""
    turns = [
        make_turn(speaker, run) for speaker, words in words_by_speaker.items() for run in split_at_pauses(words, gap_s)
    ]
    return sort_turns(turns)
