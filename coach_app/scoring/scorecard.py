"""Turn findings into 0–100 dimension scores with evidence; repeats earn less and less, so volume can't max a score.

Rewards are read as a rate per opportunity: in a call of fewer than REFERENCE_REP_TURNS rep turns, each turn-level
reward counts as `opportunity_scale` findings (at most MAX_SCALE), so one good summary in a 10-turn call earns what
three earn in a 30-turn call. Repeats still decay towards the same ceiling (points / (1 − decay)), so a short call
reaches that ceiling with fewer findings but no call can pass it."""

import re
from collections import defaultdict
from collections.abc import Sequence

from coach_app.core import DimensionScore, Finding, ScoreItem
from coach_app.scoring.rubric import Dimension, Rubric

_WORD = re.compile(r"[a-z']+")  # digits are ignored: the same stock phrase with another number is the same phrase
REFERENCE_REP_TURNS = 30
MAX_SCALE = 3.0


def opportunity_scale(rep_turns: int | None) -> float:
    """How many findings one turn-level reward counts as in a call of `rep_turns` rep turns (1 when unknown)."""
    if not rep_turns:
        return 1.0
    return min(MAX_SCALE, max(1.0, REFERENCE_REP_TURNS / rep_turns))


def reward_worth(points: float, decay: float, before: float, scale: float) -> float:
    """What a reward earns when `before` findings of its kind (already scaled) came first: the geometric series
    points × (decay^before + … ) over the `scale` findings it stands for, fractional counts included."""
    if decay >= 1.0:
        return points * scale
    return points * decay**before * (1.0 - decay**scale) / (1.0 - decay)


def score(findings: Sequence[Finding], metrics: dict, rubric: Rubric) -> tuple[tuple[DimensionScore, ...], int]:
    """Score every rubric dimension and the weighted overall score (0–100 each)."""
    scale = opportunity_scale(metrics.get("rep_turns"))
    dimensions = tuple(_score_dimension(dim, findings, scale) for dim in rubric.dimensions)
    total_weight = sum(d.weight for d in dimensions)
    overall = round(sum(d.score * d.weight for d in dimensions) / total_weight) if total_weight else 0
    return dimensions, overall


def _score_dimension(dim: Dimension, findings: Sequence[Finding], scale: float) -> DimensionScore:
    evidence = tuple(i for i, f in enumerate(findings) if f.kind in dim.points)
    seen_quotes: set[tuple[str, str]] = set()
    counts: dict[str, int] = defaultdict(int)
    weight: dict[str, float] = defaultdict(float)  # scaled count of a kind's rewards so far
    deltas: dict[str, float] = defaultdict(float)
    raw = []  # each evidence finding's exact contribution
    for i in evidence:
        finding = findings[i]
        points = dim.points[finding.kind]
        if points > 0:
            # The same stock phrase said again earns nothing: reward variety and fit, not repetition.
            quote_key = (finding.kind, " ".join(_WORD.findall(finding.quote.lower())))
            if quote_key in seen_quotes:
                raw.append(0.0)
                continue
            seen_quotes.add(quote_key)
            worth = scale if finding.turn >= 0 else 1.0  # a whole-call finding is one opportunity
            contribution = reward_worth(points, dim.decay, weight[finding.kind], worth)
            weight[finding.kind] += worth
        else:
            contribution = points * dim.penalty_decay ** counts[finding.kind]
        raw.append(contribution)
        deltas[finding.kind] += contribution
        counts[finding.kind] += 1
    value = max(0.0, min(100.0, dim.base + sum(deltas.values())))
    base = round(dim.base)
    whole = _whole_points(raw, round(dim.base + sum(raw)) - base)
    return DimensionScore(
        dimension=dim.key,
        label=dim.label,
        score=round(value),
        weight=dim.weight,
        evidence=evidence,
        explanation=_explain(dim, counts, deltas),
        tip=dim.tip,
        base=base,
        items=tuple(ScoreItem(i, findings[i].kind, findings[i].turn, p) for i, p in zip(evidence, whole, strict=True)),
    )


def _whole_points(raw: list[float], total: int) -> list[int]:
    """Round each contribution to whole points so they add up to `total` exactly (largest remainders move)."""
    whole = [round(x) for x in raw]
    shortfall = total - sum(whole)
    step = 1 if shortfall > 0 else -1
    by_remainder = sorted(range(len(raw)), key=lambda i: (raw[i] - whole[i]) * step, reverse=True)
    for i in by_remainder[: abs(shortfall)]:
        whole[i] += step
    return whole


def _explain(dim: Dimension, counts: dict[str, int], deltas: dict[str, float]) -> str:
    if not counts:
        return f"No evidence found; starting score {dim.base:.0f}."
    parts = [f"{counts[kind]} × {kind.replace('_', ' ')} ({deltas[kind]:+.0f})" for kind in sorted(counts)]
    return f"Start {dim.base:.0f}; " + ", ".join(parts) + "."
