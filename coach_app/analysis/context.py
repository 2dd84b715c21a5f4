"""A conversation as the detectors see it: turns with cached normalised text, neighbours and utterance labels."""

from bisect import bisect_right
from functools import cached_property, lru_cache

from coach_app.analysis.behaviour_features import clear_history_cache
from coach_app.analysis.question_phrases import question_spans
from coach_app.analysis.text import Span, TurnText, utterance_text
from coach_app.analysis.utterances import UtteranceLabel, classify
from coach_app.core import Finding, Transcript, Turn
from coach_app.scoring.rubric import Thresholds

# Shared across conversations, so live per-turn analysis does not redo the turns before it on every call.
_turn_text = lru_cache(maxsize=4096)(TurnText)
_classify = lru_cache(maxsize=4096)(classify)


def clear_caches() -> None:
    """Forget cached turn texts, their question phrases and labels (benchmarks measure cold analysis with it)."""
    _turn_text.cache_clear()
    utterance_text.cache_clear()
    question_spans.cache_clear()
    _classify.cache_clear()
    clear_history_cache()


class Conversation:
    """Lazily computed views of a transcript, so analysing one turn touches only the turns it needs."""

    def __init__(self, transcript: Transcript, thresholds: Thresholds) -> None:
        self.turns = list(transcript.turns)
        self.thresholds = thresholds
        self._texts: dict[int, TurnText] = {}
        self._labels: dict[int, UtteranceLabel] = {}
        self._cover: list[tuple[int | None, float]] = [(None, -1.0)]
        self.cache: dict[tuple[str, int], object] = {}  # per-turn results detectors share (e.g. timing)

    def append(self, turn: Turn) -> int:
        """Add a turn at the end (a live call growing) and return its index.

        A turn starting after every earlier one, as live turns do, keeps what was worked out for the earlier turns,
        so each new turn costs the same however long the call; any other turn makes the order be worked out again.
        """
        index = len(self.turns)
        order, starts, positions = self.start_order, self._sorted_starts, self._positions  # as they were
        self.turns.append(turn)
        if not starts or turn.start_s > starts[-1]:
            positions[index] = len(order)
            order.append(index)
            starts.append(turn.start_s)
        else:
            for name in ("start_order", "_sorted_starts", "_positions"):
                self.__dict__.pop(name, None)
            self._cover = [(None, -1.0)]
            self.cache.clear()
        return index

    def text(self, index: int) -> TurnText:
        cached = self._texts.get(index)
        if cached is None:
            cached = self._texts[index] = _turn_text(self.turns[index])
        return cached

    def is_rep(self, index: int) -> bool:
        return self.turns[index].speaker == "rep"

    @cached_property
    def start_order(self) -> list[int]:
        """Turn indices sorted by start time (ties keep transcript order)."""
        return sorted(range(len(self.turns)), key=lambda i: (self.turns[i].start_s, i))

    @cached_property
    def _sorted_starts(self) -> list[float]:
        return [self.turns[i].start_s for i in self.start_order]

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {index: position for position, index in enumerate(self.start_order)}

    def start_position(self, index: int) -> int:
        """Where turn `index` falls in `start_order`."""
        return self._positions[index]

    def covering_customer(self, index: int) -> tuple[int | None, float]:
        """Of the customer turns starting no later than turn `index`, the one ending last, and its end."""
        position = bisect_right(self._sorted_starts, self.turns[index].start_s)
        order = self.start_order
        while len(self._cover) <= position:
            best = self._cover[-1]
            other = order[len(self._cover) - 1]
            turn = self.turns[other]
            self._cover.append((other, turn.end_s) if turn.speaker == "customer" and turn.end_s > best[1] else best)
        return self._cover[position]

    def previous_customer(self, index: int) -> int | None:
        """The nearest earlier customer turn (in transcript order), or None."""
        for j in range(index - 1, -1, -1):
            if self.turns[j].speaker == "customer":
                return j
        return None

    def earlier_customers(self, index: int, limit: int) -> list[int]:
        """Up to `limit` earlier customer turns, nearest first."""
        found = []
        for j in range(index - 1, -1, -1):
            if self.turns[j].speaker == "customer":
                found.append(j)
                if len(found) == limit:
                    break
        return found

    def previous_customer_text(self, index: int) -> str:
        j = self.previous_customer(index)
        return self.turns[j].text if j is not None else ""

    def utterance(self, index: int) -> UtteranceLabel:
        """The utterance classifier's label for a rep turn, given the customer's previous turn."""
        cached = self._labels.get(index)
        if cached is None:
            cached = self._labels[index] = _classify(self.turns[index].text, self.previous_customer_text(index))
        return cached

    def finding(self, kind: str, index: int, span: Span | None, reason: str, tip: str) -> Finding:
        """A finding quoting `span` of turn `index` (the whole turn when None), timed by its words when known."""
        text = self.text(index)
        if span is None or not text.tokens:
            turn = self.turns[index]
            return Finding(kind, index, turn.start_s, turn.end_s, _clip(turn.text.strip()), reason, tip)
        start_s, end_s = text.times(span)
        return Finding(kind, index, start_s, end_s, text.quote(span), reason, tip)


def _clip(text: str, max_words: int = 40) -> str:
    words = text.split()
    return text if len(words) <= max_words else " ".join(words[:max_words]) + " …"
