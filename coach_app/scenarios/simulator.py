"""The simulated customer: a state machine driven by the analysis findings on each rep turn."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from coach_app.core import Finding
from coach_app.scenarios.effects import DEFAULT_MOOD_EFFECTS, MAX_DROP_PER_TURN, MAX_RISE_PER_TURN
from coach_app.scenarios.hearing import hear
from coach_app.scenarios.matching import NEED_MIN_SIMILARITY, restates, similarity, touches
from coach_app.scenarios.model import CALM_MOOD, MOOD_MAX, MOOD_MIN, HiddenNeed, Line, Scenario, mood_name

QUESTION_KINDS = frozenset({"open_question", "closed_question", "clarifying_question", "needs_question"})
NOT_WHEN_ASKED_ABOUT_A_NEED = frozenset({"closed_question", "rushing"})


@dataclass(frozen=True)
class CustomerReply:
    """What the customer says next (one or more lines) and the state after the rep's turn."""

    lines: tuple[Line, ...]
    mood: int
    revealed: tuple[str, ...]
    resolved: bool
    ended: bool

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def mood_name(self) -> str:
        return mood_name(self.mood)


@dataclass(frozen=True)
class ScenarioOutcome:
    """Scenario-specific results on top of the rubric: needs uncovered, the customer's final mood, resolution."""

    scenario_id: str
    hidden_needs_found: int
    hidden_needs_total: int
    revealed: tuple[str, ...]
    final_mood: int
    resolved: bool
    hung_up: bool

    @property
    def final_mood_name(self) -> str:
        return mood_name(self.final_mood)

    @property
    def ended_calm(self) -> bool:
        return self.final_mood >= CALM_MOOD

    def to_dict(self) -> dict:
        return {
            "scenario": self.scenario_id,
            "hidden_needs_found": self.hidden_needs_found,
            "hidden_needs_total": self.hidden_needs_total,
            "revealed": list(self.revealed),
            "final_mood": self.final_mood_name,
            "resolved": self.resolved,
            "hung_up": self.hung_up,
        }


class Customer:
    """Tracks mood, revealed needs and resolution turn by turn; never says a line twice while another is unused."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.mood = scenario.persona.mood
        self.revealed: list[str] = []
        self.resolved = False
        self.hung_up = False
        self._plan_offered = False
        self._last_plan = ""  # the rep's previous turn, when it made a plan
        self._facts_told = 0
        self._said: Counter[str] = Counter()
        self._effects = {**DEFAULT_MOOD_EFFECTS, **dict(scenario.reactions.mood_effects)}

    @property
    def ended(self) -> bool:
        return self.resolved or self.hung_up

    def opening(self) -> CustomerReply:
        """The customer's first line, which starts the call."""
        return self._reply([self.scenario.opening], ())

    def react(self, findings: Iterable[Finding], rep_text: str) -> CustomerReply:
        """The customer's answer to one rep turn, given the analysis findings on that turn."""
        if self.ended:
            raise ValueError("the call has ended; start a new Customer to practise again")
        heard = hear(frozenset(f.kind for f in findings), rep_text, self._plan_offered, self._last_plan)
        kinds = set(heard.kinds)
        if kinds & QUESTION_KINDS and kinds & NOT_WHEN_ASKED_ABOUT_A_NEED and self._explores_a_need(rep_text):
            # A question about what really matters to them ("have you seen any of the new ones, or …?") is heard as
            # an invitation to say more, however it is framed, and not as hurrying them along.
            kinds = (kinds - NOT_WHEN_ASKED_ABOUT_A_NEED) | {"open_question"}
        change = self._mood_change(kinds)
        if change < 0 and self.mood == MOOD_MIN:
            self.hung_up = True
            return self._reply([self._pick(self.scenario.closing_escalated)], ())
        self.mood = max(MOOD_MIN, min(MOOD_MAX, self.mood + change))
        self._last_plan = rep_text if "action_plan" in kinds else ""
        self._plan_offered |= bool(self._last_plan)
        need = None if change < 0 else self._unlocked_need(kinds, rep_text)
        if need is not None:
            self.revealed.append(need.id)
            return self._reply([need.reveal], (need.id,))
        agreement_sought = self._plan_offered and heard.checks_plan
        if agreement_sought and change >= 0 and self._ready_to_agree():
            self.resolved = True
            self.mood = min(MOOD_MAX, self.mood + 1)
            return self._reply([self._pick(self.scenario.closing_resolved)], ())
        reactions = self.scenario.reactions
        if change < 0:
            return self._reply([self._pick(reactions.escalated)], ())
        if agreement_sought:
            return self._reply([self._pick(reactions.not_yet)], ())
        fact = self._next_fact()
        if change > 0:
            return self._reply([self._pick(reactions.calmer), *([fact] if fact else [])], ())
        return self._reply([fact or self._pick(reactions.neutral)], ())

    def outcome(self) -> ScenarioOutcome:
        return ScenarioOutcome(
            scenario_id=self.scenario.id,
            hidden_needs_found=len(self.revealed),
            hidden_needs_total=len(self.scenario.hidden_needs),
            revealed=tuple(self.revealed),
            final_mood=self.mood,
            resolved=self.resolved,
            hung_up=self.hung_up,
        )

    def _mood_change(self, kinds: set[str]) -> int:
        """Any escalating behaviour outweighs the listening in the same turn; each direction is capped."""
        effects = [self._effects.get(kind, 0) for kind in kinds]
        drops = sum(e for e in effects if e < 0)
        if drops:
            return max(-MAX_DROP_PER_TURN, drops)
        return min(MAX_RISE_PER_TURN, sum(effects))

    def _unlocked_need(self, kinds: set[str], rep_text: str) -> HiddenNeed | None:
        for need in self.scenario.hidden_needs:
            if (
                need.id not in self.revealed
                and all(other in self.revealed for other in need.requires)
                and self.mood >= need.min_mood
                and (
                    (kinds.intersection(need.unlocked_by) and touches(rep_text, need))
                    # saying the need itself in other words is reflecting it, whatever the findings call the turn
                    or ("reflection" in need.unlocked_by and restates(rep_text, need))
                )
            ):
                return need
        return None

    def _explores_a_need(self, rep_text: str) -> bool:
        """Whether the turn asks, by meaning, about a need the customer could reveal now."""
        return any(
            need.id not in self.revealed
            and all(other in self.revealed for other in need.requires)
            and similarity(rep_text, need) >= NEED_MIN_SIMILARITY
            for need in self.scenario.hidden_needs
        )

    def _ready_to_agree(self) -> bool:
        return self.mood >= 0 and all(need in self.revealed for need in self.scenario.requires_needs)

    def _next_fact(self) -> Line | None:
        if self._facts_told >= len(self.scenario.facts):
            return None
        self._facts_told += 1
        return self.scenario.facts[self._facts_told - 1]

    def _pick(self, pool: tuple[Line, ...]) -> Line:
        """The least-said line of the pool, earliest first, so lines repeat only once all have been used."""
        return min(pool, key=lambda line: self._said[line.id])

    def _reply(self, lines: list[Line], revealed: tuple[str, ...]) -> CustomerReply:
        self._said.update(line.id for line in lines)
        return CustomerReply(tuple(lines), self.mood, revealed, self.resolved, self.ended)
