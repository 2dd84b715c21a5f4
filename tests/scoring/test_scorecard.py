"""Scoring: diminishing returns, penalties, evidence lists, and phrase-stuffing that cannot max a score."""

from coach_app.analysis import analyze
from coach_app.core import Finding, Transcript, Turn
from coach_app.scoring.rubric import load_rubric
from coach_app.scoring.scorecard import score


def finding(kind: str, quote: str, turn: int = 1) -> Finding:
    return Finding(kind, turn, float(turn), float(turn) + 1, quote, "reason", "tip")


def conversation(*lines: tuple[str, str]) -> Transcript:
    """Turns of two seconds with one-second pauses."""
    return Transcript(tuple(Turn(speaker, i * 3.0, i * 3.0 + 2.0, text) for i, (speaker, text) in enumerate(lines)))


def dimension(findings, key):
    dims, _ = score(findings, {}, load_rubric())
    return next(d for d in dims if d.dimension == key)


def test_repeats_earn_less_and_identical_phrases_nothing():
    """The second empathy phrase earns less than the first; the same phrase again earns nothing."""
    one = dimension([finding("empathy", "That must be frustrating.")], "empathy").score
    two = dimension(
        [finding("empathy", "That must be frustrating."), finding("empathy", "I'd be upset too.")], "empathy"
    ).score
    same = dimension([finding("empathy", "That must be frustrating.")] * 2, "empathy").score
    base = dimension([], "empathy").score
    assert one - base > two - one > 0
    assert same == one


def test_phrase_stuffing_cannot_max_a_score():
    """A rep who answers every one of 30 complaints with a stock empathy line (six variants) cannot max empathy."""
    lines = [
        "That must be really frustrating.",
        "I can see why that would be upsetting.",
        "That sounds so stressful.",
        "I'd be upset too.",
        "No wonder you're annoyed.",
        "That makes sense.",
    ]
    turns = []
    for i in range(30):
        turns += [("customer", f"It is still late, day {i}."), ("rep", lines[i % len(lines)])]
    card = analyze(conversation(*turns))
    empathy = next(d for d in card.dimensions if d.dimension == "empathy")
    assert card.metrics["empathy_statements"] == 30
    assert empathy.score < 80
    assert card.overall < 60


def test_penalties_lower_scores_and_are_listed_as_evidence():
    """Judgemental findings lower respect, and the findings behind the score are its evidence."""
    findings = [finding("patience", "Take your time."), finding("judgemental", "Calm down.", turn=3)]
    respect = dimension(findings, "respect")
    assert respect.score < dimension([finding("patience", "Take your time.")], "respect").score
    assert respect.evidence == (0, 1)
    assert "judgemental" in respect.explanation


def test_overall_is_weighted_mean_in_range():
    """Scores stay within 0–100 even with many penalties, and overall is the weighted mean."""
    findings = [finding("interruption", f"wait {i}", turn=i) for i in range(40)]
    dims, overall = score(findings, {}, load_rubric())
    assert all(0 <= d.score <= 100 for d in dims)
    expected = round(sum(d.score * d.weight for d in dims) / sum(d.weight for d in dims))
    assert overall == expected


def test_a_short_call_earns_by_rate_per_opportunity_up_to_the_same_ceiling():
    """One summary in a 10-turn call earns what three earn in a 30-turn call; a call-level finding is not scaled;
    however many summaries a short call has, it never passes the ceiling a long call approaches."""
    rubric = load_rubric()
    summaries = [finding("summary", f"So to recap, point {word}.", turn=i) for i, word in enumerate("abcdefgh")]

    def reflecting(findings, rep_turns):
        dims, _ = score(findings, {"rep_turns": rep_turns}, rubric)
        return next(d for d in dims if d.dimension == "reflecting_summarising")

    short_one = reflecting(summaries[:1], 10).score
    assert short_one == reflecting(summaries[:3], 30).score > reflecting(summaries[:1], 30).score
    dim = next(d for d in rubric.dimensions if d.key == "reflecting_summarising")
    ceiling = dim.base + dim.points["summary"] / (1 - dim.decay)
    assert reflecting(summaries, 10).score <= round(ceiling)
    calm = [finding("voice_pace_calm", "110 words per minute", turn=-1)]
    delivery = [
        next(d for d in score(calm, {"rep_turns": n}, rubric)[0] if d.dimension == "delivery") for n in (10, 30)
    ]
    assert delivery[0].score == delivery[1].score > dimension([], "delivery").score
