"""The score breakdown contract: base plus each finding's whole points, clamped to 0–100, is exactly the score."""

from hypothesis import given, settings
from hypothesis import strategies as st

from coach_app.core import Finding
from coach_app.scoring.kinds import KINDS, NEGATIVE_KINDS
from coach_app.scoring.rubric import load_rubric
from coach_app.scoring.scorecard import score

QUOTES = ("That must be hard.", "Tell me more.", "So the bill doubled?", "Calm down.", "I'll call you Friday.")


def finding(kind: str, quote: str, turn: int) -> Finding:
    return Finding(kind, turn, float(turn), float(turn) + 1, quote, "reason", "tip")


findings_strategy = st.lists(
    st.builds(finding, st.sampled_from(sorted(KINDS)), st.sampled_from(QUOTES), st.integers(0, 40)), max_size=60
)


def clamp(value: int) -> int:
    return max(0, min(100, value))


@settings(max_examples=300, deadline=None)
@given(findings_strategy)
def test_base_plus_items_is_the_score_exactly(findings):
    """For any mix of findings (repeats, penalties, clamping) the breakdown adds up to every dimension's score."""
    dimensions, _ = score(findings, {}, load_rubric())
    for d in dimensions:
        data = d.breakdown()
        assert clamp(data["base"] + sum(item["points"] for item in data["items"])) == data["score"] == d.score
        assert [item.finding for item in d.items] == list(d.evidence)
        for item in data["items"]:
            assert set(item) == {"kind", "turn", "points"}
            assert isinstance(item["points"], int)


@settings(max_examples=200, deadline=None)
@given(findings_strategy, st.data())
def test_dropping_a_negative_finding_never_lowers_a_score(findings, data):
    """Marking a negative (or neutral) finding wrong can only keep or raise each dimension's score."""
    candidates = [i for i, f in enumerate(findings) if f.kind in NEGATIVE_KINDS or f.kind == "closed_question"]
    if not candidates:
        return
    drop = data.draw(st.sampled_from(candidates))
    before, _ = score(findings, {}, load_rubric())
    after, _ = score([f for i, f in enumerate(findings) if i != drop], {}, load_rubric())
    for b, a in zip(before, after, strict=True):
        assert a.score >= b.score, (b.dimension, findings[drop].kind)


def test_repeated_phrase_shows_as_zero_points():
    """The same stock phrase said twice is listed twice, the second time worth nothing."""
    same = [finding("empathy", "That must be hard.", 1), finding("empathy", "That must be hard.", 3)]
    dims, _ = score(same, {}, load_rubric())
    empathy = next(d for d in dims if d.dimension == "empathy")
    assert [item.points for item in empathy.items][1] == 0
    assert empathy.items[0].points > 0
    assert [item.turn for item in empathy.items] == [1, 3]
