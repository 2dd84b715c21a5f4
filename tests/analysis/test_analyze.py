"""The whole analysis on the shipped sample role-plays: contract keys, good beats poor, live per-turn use."""

import time
from pathlib import Path

import pytest

from coach_app.analysis import analyze, analyze_turn
from coach_app.core import Finding
from coach_app.scoring.kinds import KINDS
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
PAIRS = [
    ("birthday_gift_good.json", "birthday_gift_poor.json"),
    ("subscription_cancel_good_asr.json", "subscription_cancel_poor.json"),
    ("telecom_complaint_good.json", "telecom_complaint_poor_asr.json"),
    ("billing_double_charge_good.json", "billing_double_charge_poor_asr.json"),
]
METRIC_KEYS = [
    "rep_talk_share", "interruptions", "backchannels", "median_response_latency_s", "longest_rep_monologue_s",
    "rep_words_per_minute", "rep_turns", "open_questions", "closed_questions", "reflections", "summaries",
    "empathy_statements", "apologies", "action_plans", "judgemental_phrases", "filler_words",
]  # fmt: skip


@pytest.fixture(scope="module")
def scorecards():
    return {path.name: analyze(load_transcript(path)) for path in sorted(SAMPLES.glob("*.json"))}


@pytest.mark.parametrize(("good", "poor"), PAIRS)
def test_good_rep_beats_poor_rep_by_15(scorecards, good, poor):
    """A calm, curious, paraphrasing rep with next steps scores at least 15 points above a rushed, dismissive one."""
    assert scorecards[good].overall >= scorecards[poor].overall + 15


def test_metrics_and_json_contract(scorecards):
    """Every scorecard has exactly the contract's metrics keys and JSON top-level keys."""
    for card in scorecards.values():
        assert list(card.metrics) == METRIC_KEYS
        data = card.to_dict()
        assert set(data) == {"metrics", "findings", "scores", "breakdown"}
        assert set(data["scores"]) == {"overall", *(d.dimension for d in card.dimensions)}
        assert all(set(f) == {"kind", "turn", "start_s", "end_s", "quote", "reason", "tip"} for f in data["findings"])
        assert card.rubric_version


def test_findings_carry_evidence_and_known_kinds(scorecards):
    """Every finding has a known kind, a quote, a reason and a tip, and sensible times."""
    for card in scorecards.values():
        for finding in card.findings:
            assert finding.kind in KINDS
            assert finding.quote and finding.reason and finding.tip
            assert 0 <= finding.start_s <= finding.end_s


def test_poor_samples_show_their_faults(scorecards):
    """The poor telecom call (ASR text) is caught interrupting, blaming, judging and closing the customer down."""
    kinds = {f.kind for f in scorecards["telecom_complaint_poor_asr.json"].findings}
    assert {"interruption", "blame_shifting", "judgemental", "rushing", "vague_promise"} <= kinds
    metrics = scorecards["telecom_complaint_poor_asr.json"].metrics
    assert metrics["interruptions"] == 2 and metrics["judgemental_phrases"] >= 2


def test_poor_delivery_and_turn_taking_are_caught(scorecards):
    """The poor billing call is caught monologuing with fillers, leaving dead air and closing the customer down."""
    card = scorecards["billing_double_charge_poor_asr.json"]
    kinds = {f.kind for f in card.findings}
    assert {"long_monologue", "filler_words", "dead_air", "quick_response", "talk_share_high", "rushing"} <= kinds
    assert card.metrics["longest_rep_monologue_s"] > 45 and card.metrics["filler_words"] >= 8


def test_good_samples_show_their_strengths(scorecards):
    """The good birthday call is credited with the behaviours the seed story describes."""
    kinds = {f.kind for f in scorecards["birthday_gift_good.json"].findings}
    assert {"clarifying_question", "reflection", "empathy", "apology", "action_plan", "agreement_check",
            "summary", "needs_question", "backchannel"} <= kinds  # fmt: skip


def test_voice_findings_feed_delivery():
    """Voice-delivery findings passed in move the delivery score and are listed as its evidence."""
    transcript = load_transcript(SAMPLES / "telecom_complaint_good.json")
    base = analyze(transcript)
    voice = Finding(
        "voice_raised", 3, 40.0, 44.0, "That must have been really frustrating.", "Raised voice.", "Breathe."
    )
    card = analyze(transcript, extra_findings=[voice])
    delivery = next(d for d in card.dimensions if d.dimension == "delivery")
    base_delivery = next(d for d in base.dimensions if d.dimension == "delivery")
    assert delivery.score < base_delivery.score
    assert any(card.findings[i].kind == "voice_raised" for i in delivery.evidence)


def test_pace_measured_from_the_voice_is_not_counted_twice():
    """A turn the recording shows as fast loses its transcript-timing `fast_pace` finding: one penalty, not two."""
    transcript = load_transcript(SAMPLES / "billing_double_charge_poor_asr.json")
    fast = [f for f in analyze(transcript).findings if f.kind == "fast_pace"]
    assert fast, "the poor billing sample is meant to have a rushed turn"
    first = fast[0]
    voice = Finding("voice_pace_fast", first.turn, first.start_s, first.end_s, first.quote, "Fast.", "Slow down.")
    card = analyze(transcript, extra_findings=[voice])
    assert first.turn not in {f.turn for f in card.findings if f.kind == "fast_pace"}
    assert [f.turn for f in card.findings if f.kind == "fast_pace"] == [f.turn for f in fast[1:]]
    assert voice in card.findings


def test_analyze_turn_is_cheap_and_matches_full_analysis():
    """Per-turn analysis finds the same text findings as the full analysis and takes only milliseconds."""
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    full = analyze(transcript)
    for index, turn in enumerate(transcript.turns):
        live = analyze_turn(transcript, index)
        if turn.speaker == "customer":
            assert live == []
        assert {f.kind for f in live} == {f.kind for f in full.findings if f.turn == index}
    analyze_turn(transcript, 10)
    start = time.perf_counter()
    for _ in range(20):
        analyze_turn(transcript, 10)
    assert (time.perf_counter() - start) / 20 < 0.05  # generous for a shared 2-core machine; typically a few ms
