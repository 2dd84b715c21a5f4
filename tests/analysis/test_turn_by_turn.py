"""Analysing a call as it grows gives, turn by turn, exactly what analysing each turn afresh gives."""

from pathlib import Path

import pytest

from coach_app.analysis import TurnByTurn, analyze_turn
from coach_app.analysis.behaviour import shipped_model
from coach_app.analysis.encoder import shipped_encoder
from coach_app.core import Transcript, Turn
from coach_app.transcript_io import load_transcript

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.json"))


def _grown(transcript: Transcript) -> list[list]:
    analysis = TurnByTurn()
    return [analysis.add(turn) for turn in transcript.turns]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_each_turn_matches_a_fresh_analysis(path):
    """Every sample call, fed turn by turn, gets the same findings on each turn as analyze_turn on its prefix."""
    transcript = load_transcript(path)
    assert _grown(transcript) == [analyze_turn(transcript, i) for i in range(len(transcript.turns))]


def test_a_turn_starting_earlier_than_the_last_is_placed_by_its_start():
    """A turn appended out of start order (a late-recognised cut-in) is timed against the turns around it."""
    turns = (
        Turn("customer", 0.0, 6.0, "My parcel never came and I have waited two weeks for it now."),
        Turn("rep", 6.8, 9.0, "I am sorry to hear that, what is the order number?"),
        Turn("customer", 9.5, 16.0, "It is one two three four and I really need it by Friday for a party."),
        Turn("rep", 12.0, 14.0, "Right, so you need it by Friday, let me check that for you."),
        Turn("rep", 11.0, 11.5, "Okay."),
    )
    transcript = Transcript(turns)
    grown = _grown(transcript)
    assert grown == [analyze_turn(transcript, i) for i in range(len(turns))]
    assert "interruption" in {f.kind for f in grown[3]}


def test_a_rep_turn_is_encoded_when_it_arrives():
    """A rep turn is encoded as soon as it is added, alone and with the customer turn before it, so the scorecard
    after Stop reuses both encodings."""
    customer = "The engineer was meant to come on Tuesday between eight and twelve and nobody turned up at all."
    rep = "Oh no, a whole morning wasted waiting in for him, I'm sorry."
    shipped_encoder().cache.forget(rep)
    shipped_model().cache.forget((customer, rep))
    live = TurnByTurn()
    live.add(Turn("customer", 0.0, 5.0, customer))
    assert (customer, rep) not in shipped_model().cache
    live.add(Turn("rep", 5.5, 8.0, rep))
    assert rep in shipped_encoder().cache
    assert (customer, rep) in shipped_model().cache
