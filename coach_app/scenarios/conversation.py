"""A practice call in progress: the timed transcript, the analysis of each rep turn, and the simulated customer."""

from dataclasses import dataclass, replace

from coach_app.analysis import TurnByTurn, analyze, analyze_turn
from coach_app.core import Finding, Scorecard, Transcript, Turn, Word
from coach_app.scenarios.model import Scenario
from coach_app.scenarios.simulator import Customer, CustomerReply, ScenarioOutcome
from coach_app.scoring.rubric import Rubric


@dataclass(frozen=True)
class PracticeResult:
    """The finished call: transcript, rubric scorecard (the outcome's `to_dict()` also in `extras["scenario"]`)."""

    transcript: Transcript
    scorecard: Scorecard
    outcome: ScenarioOutcome

    def to_dict(self) -> dict:
        """The `practice --json` contract."""
        return {
            "hidden_needs_found": self.outcome.hidden_needs_found,
            "hidden_needs_total": self.outcome.hidden_needs_total,
            "final_mood": self.outcome.final_mood_name,
            "resolved": self.outcome.resolved,
            "transcript": self.transcript.to_dict(),
            "scores": self.scorecard.to_dict()["scores"],
        }


@dataclass(frozen=True)
class CallSnapshot:
    """The call as it stands, handed whole to other threads (the UI): each rep turn arrives with its findings."""

    turns: tuple[Turn, ...]
    findings: tuple[Finding, ...]
    outcome: ScenarioOutcome

    @property
    def mood(self) -> int:
        return self.outcome.final_mood

    def score(self, rubric: Rubric | None = None) -> PracticeResult:
        """Score the call with the rubric and attach the scenario outcome."""
        transcript = Transcript(self.turns)
        scorecard = analyze(transcript, rubric=rubric)
        scorecard = replace(scorecard, extras={**scorecard.extras, "scenario": self.outcome.to_dict()})  # JSON-ready
        return PracticeResult(transcript, scorecard, self.outcome)


class Conversation:
    """Each rep turn is analysed as it completes and the customer reacts to exactly those findings."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.customer = Customer(scenario)
        self.turns: list[Turn] = []
        self.findings: list[Finding] = []
        self._analysis = TurnByTurn()

    def warm_up(self) -> None:
        """Load the analysis models now (e.g. while the opening plays), so the first reply is as quick as the rest."""
        analyze_turn(Transcript((Turn("customer", 0.0, 1.0, "Hello."), Turn("rep", 1.5, 2.5, "How can I help?"))), 1)

    def add_customer_turn(self, reply: CustomerReply, start_s: float, end_s: float) -> None:
        """Record when the customer actually spoke the reply (from playback, or synthetic for typed practice)."""
        turn = Turn("customer", start_s, end_s, reply.text)
        self._analysis.add(turn)
        self.turns.append(turn)

    def add_rep_turn(self, text: str, start_s: float, end_s: float, words: tuple[Word, ...] = ()) -> CustomerReply:
        """Record the rep's turn, analyse it against the turns before it, and return the customer's reaction."""
        turn = Turn("rep", start_s, end_s, text, words)
        findings = self._analysis.add(turn)
        self.turns.append(turn)
        self.findings.extend(findings)
        return self.customer.react(findings, text)

    def snapshot(self) -> CallSnapshot:
        """The call so far as immutable values (take it on the thread that changes the conversation)."""
        return CallSnapshot(tuple(self.turns), tuple(self.findings), self.customer.outcome())

    def finish(self, rubric: Rubric | None = None) -> PracticeResult:
        """Score the whole call with the rubric and attach the scenario outcome."""
        return self.snapshot().score(rubric)
