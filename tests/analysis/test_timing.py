"""Timing metrics and findings: the contract definitions of backchannel, interruption, latency and the rest."""

import pytest
from dialogue_helpers import FORMS, asr, conversation

from coach_app.analysis import analyze, analyze_turn
from coach_app.core import Transcript, Turn, Word


def timed(*turns: tuple[str, float, float, str]) -> Transcript:
    return Transcript(tuple(Turn(speaker, start, end, text) for speaker, start, end, text in turns))


def kinds_of(transcript: Transcript, index: int) -> set[str]:
    return {f.kind for f in analyze_turn(transcript, index)}


def test_backchannel_is_short_and_inside_a_customer_turn():
    """A rep turn of at most two words starting inside a customer turn is a backchannel, not an interruption."""
    t = timed(
        ("customer", 0, 6, "so the parcel was meant to come on thursday and never did"),
        ("rep", 2, 2.5, "Mm-hmm, right."),
    )
    metrics = analyze(t).metrics
    assert metrics["backchannels"] == 1 and metrics["interruptions"] == 0
    assert kinds_of(t, 1) == {"backchannel"}


def test_interruption_needs_overlap_of_at_least_0_3_s():
    """Three words starting 0.3 s or more before the customer ends interrupt; less overlap is a quick reply."""
    interrupt = timed(("customer", 0, 5, "i have been waiting all week"), ("rep", 4.7, 6, "What's the number?"))
    slight = timed(("customer", 0, 5, "i have been waiting all week"), ("rep", 4.8, 6, "What's the number?"))
    assert "interruption" in kinds_of(interrupt, 1)
    assert analyze(interrupt).metrics["interruptions"] == 1
    assert "interruption" not in kinds_of(slight, 1)
    assert "quick_response" in kinds_of(slight, 1)
    assert analyze(slight).metrics["median_response_latency_s"] == pytest.approx(-0.2)


def test_latency_ignores_backchannels_and_is_null_without_responses():
    """Latency is measured from the customer turn even when a rep backchannel came in between."""
    t = timed(
        ("customer", 0, 5, "it stopped working after two days"),
        ("rep", 2, 2.4, "right"),
        ("rep", 6, 8, "I'm sorry to hear that."),
    )
    assert analyze(t).metrics["median_response_latency_s"] == pytest.approx(1.0)
    only_customer = timed(("customer", 0, 5, "hello is anyone there"))
    assert analyze(only_customer).metrics["median_response_latency_s"] is None


def test_dead_air_and_good_pause():
    """A silence over the dead-air threshold is flagged; a normal pause is not."""
    slow = timed(("customer", 0, 3, "so can you help"), ("rep", 9.5, 11, "Let me see."))
    calm = timed(("customer", 0, 3, "so can you help"), ("rep", 3.8, 5, "Let me see."))
    assert "dead_air" in kinds_of(slow, 1)
    assert not kinds_of(calm, 1) & {"dead_air", "quick_response", "interruption"}


def test_talk_share_monologue_and_words_per_minute():
    """Talk share, the longest rep stretch (a customer 'mm-hmm' does not break it) and rep words per minute."""
    rep_words = " ".join(["word"] * 150)
    t = timed(
        ("customer", 0, 10, "tell me about the plans"),
        ("rep", 11, 41, rep_words[: len(rep_words) // 2]),
        ("customer", 20, 20.5, "mm-hmm"),
        ("rep", 41.5, 71, rep_words[len(rep_words) // 2 :]),
    )
    metrics = analyze(t).metrics
    assert metrics["rep_talk_share"] == pytest.approx(59.5 / 70.0, abs=0.001)
    assert metrics["longest_rep_monologue_s"] == pytest.approx(60.0)
    assert metrics["rep_words_per_minute"] == pytest.approx(150 / 59.5 * 60, abs=0.1)
    findings = analyze(t).findings
    assert [f.turn for f in findings if f.kind == "long_monologue"] == [3]
    assert any(f.kind == "talk_share_high" and f.turn == -1 for f in findings)


def test_recaps_and_next_steps_are_not_held_against_the_rep():
    """A rep who talks most of the call recapping the customer's points and setting out the next steps is not told
    they talked too much; the same time spent on other talk is."""
    customer = ("customer", 0, 12, "my router keeps dropping the connection every evening and I work from home")
    recap = "So to recap, your router drops every evening and you work from home, so you need it fixed."
    plan = "I'll send an engineer tomorrow morning between eight and ten and I'll call you at noon to check."
    chat = "Routers can be tricky things and there are lots of reasons why a connection might drop in the evening."
    serving = timed(customer, ("rep", 13, 28, recap), ("customer", 28.5, 30, "okay"), ("rep", 31, 46, plan))
    other = timed(customer, ("rep", 13, 28, chat), ("customer", 28.5, 30, "okay"), ("rep", 31, 46, chat))
    assert analyze(serving).metrics["rep_talk_share"] == analyze(other).metrics["rep_talk_share"] > 0.65
    assert "talk_share_high" not in {f.kind for f in analyze(serving).findings}
    assert "talk_share_high" in {f.kind for f in analyze(other).findings}


@pytest.mark.parametrize("form", FORMS)
def test_filler_words(form):
    """'um', 'uh' and filler 'you know' are counted; 'do you know' is a real question."""
    t = conversation(("customer", "It broke."), ("rep", "Um, so, uh, it's, you know, under warranty."), form=form)
    assert analyze(t).metrics["filler_words"] == 3
    clean = conversation(("customer", "It broke."), ("rep", "Do you know when it broke?"), form=form)
    assert analyze(clean).metrics["filler_words"] == 0


def test_fast_pace_from_word_timings():
    """A 12+ word turn spoken well above the words-per-minute limit is flagged, narrowed to its opening words."""
    text = asr("Okay so what we are going to do now is send you a brand new replacement unit")
    words = tuple(Word(w, 1 + i * 0.2, 1 + i * 0.2 + 0.18) for i, w in enumerate(text.split()))
    t = Transcript((Turn("customer", 0, 0.5, "help"), Turn("rep", 1, words[-1].end_s, text, words)))
    pace = next(f for f in analyze_turn(t, 1) if f.kind == "fast_pace")
    assert pace.start_s == 1 and pace.end_s < words[-1].end_s


def test_starting_together_counts_as_inside():
    """A rep turn starting at the very moment the customer starts is inside that customer turn."""
    t = timed(("customer", 1, 6, "i want to talk about my bill"), ("rep", 1, 3, "Can I get your account number?"))
    assert analyze(t).metrics["interruptions"] == 1
    assert analyze(t).metrics["median_response_latency_s"] is None
