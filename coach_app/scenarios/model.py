"""Practice scenario records: persona, what the customer says, hidden needs and how the customer reacts."""

from dataclasses import dataclass

# Customer mood runs from -3 to +3; the names are what the rep and the reports see.
MOOD_NAMES: dict[int, str] = {
    -3: "furious",
    -2: "angry",
    -1: "annoyed",
    0: "neutral",
    1: "calm",
    2: "content",
    3: "delighted",
}
MOOD_MIN, MOOD_MAX = min(MOOD_NAMES), max(MOOD_NAMES)
MOOD_VALUES: dict[str, int] = {name: value for value, name in MOOD_NAMES.items()}
CALM_MOOD = MOOD_VALUES["calm"]

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")


def mood_name(value: int) -> str:
    """The named level of a mood value, clamped to the scale."""
    return MOOD_NAMES[max(MOOD_MIN, min(MOOD_MAX, value))]


@dataclass(frozen=True)
class Line:
    """One thing the customer can say; `id` (e.g. `reactions.calmer.1`) also names its optional recorded clip."""

    id: str
    text: str


@dataclass(frozen=True)
class Voice:
    """How the customer sounds: a portable description that each speech engine maps to one of its voices."""

    gender: str
    language: str
    rate_wpm: int


@dataclass(frozen=True)
class Persona:
    name: str
    mood: int
    voice: Voice


@dataclass(frozen=True)
class HiddenNeed:
    """Something the customer only says once the rep asks a good open question or reflects accurately.

    `unlocked_by` are finding kinds; `topics` (empty = any) are terms one of which the rep's turn must contain,
    a trailing `*` matching any ending; `requires` are needs that must be revealed first; the customer opens up
    only at `min_mood` or better.
    """

    id: str
    description: str
    reveal: Line
    unlocked_by: tuple[str, ...]
    topics: tuple[str, ...]
    requires: tuple[str, ...]
    min_mood: int


@dataclass(frozen=True)
class Reactions:
    """Lines for each kind of reaction, and mood changes per finding kind that override the defaults."""

    calmer: tuple[Line, ...]
    escalated: tuple[Line, ...]
    neutral: tuple[Line, ...]
    not_yet: tuple[Line, ...]
    mood_effects: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Scenario:
    """One practice call, loaded from a TOML file (see resources/scenarios/README.md)."""

    id: str
    title: str
    domain: str
    difficulty: str
    persona: Persona
    brief: str
    opening: Line
    facts: tuple[Line, ...]
    hidden_needs: tuple[HiddenNeed, ...]
    reactions: Reactions
    requires_needs: tuple[str, ...]
    closing_resolved: tuple[Line, ...]
    closing_escalated: tuple[Line, ...]
    source: str

    def lines(self) -> tuple[Line, ...]:
        """Every line the customer can say, for clip checks and voice pre-synthesis."""
        r = self.reactions
        reveals = tuple(need.reveal for need in self.hidden_needs)
        return (
            (self.opening, *self.facts, *reveals, *r.calmer, *r.escalated, *r.neutral, *r.not_yet)
            + self.closing_resolved
            + self.closing_escalated
        )
