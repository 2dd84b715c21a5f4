"""Text normalisation and quoting shared by the detectors."""

import re

from coach_app.analysis.text import TurnText, content_stems, normalise, spoken_word_count
from coach_app.core import Turn, Word


def test_normalise_matches_asr_form():
    """Typed text normalises to what speech recognition gives."""
    assert normalise("So, what I’m hearing is… the drone — it's late?") == "so what i'm hearing is the drone it's late"


def test_word_counts_and_content_words():
    """'mm-hmm' is one spoken word; content words drop function words and meet across inflections."""
    assert spoken_word_count("Mm-hmm, right.") == 2
    assert content_stems("The tracking stopped") == content_stems("it stops tracking")


def test_quote_keeps_typed_punctuation_and_times_follow_words():
    """Quotes keep the typed text; word timings narrow a span's times."""
    typed = TurnText(Turn("rep", 0, 4, "Okay. That must be frustrating!"))
    match = re.search("that must be frustrating", typed.norm)
    assert typed.quote(typed.span_of(match)) == "That must be frustrating!"
    tokens = ["okay", "that", "must", "be", "frustrating"]
    words = tuple(Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(tokens))
    spoken = TurnText(Turn("rep", 0, 2.4, " ".join(tokens), words))
    assert spoken.times(spoken.span_of(re.search("must be", spoken.norm))) == (1.0, 1.9)
