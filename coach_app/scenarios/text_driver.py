"""Typed or scripted practice: rep lines in, the customer's replies out, with natural synthetic timings."""

from collections.abc import Callable, Iterable

from coach_app.scenarios.conversation import Conversation, PracticeResult
from coach_app.scenarios.model import Scenario
from coach_app.scenarios.simulator import CustomerReply
from coach_app.scoring.rubric import Rubric

WORDS_PER_S = 2.5  # a natural conversational speaking rate (150 words per minute)
MIN_TURN_S = 0.6
REP_PAUSE_S = 0.8  # a considered pause before the rep answers
CUSTOMER_PAUSE_S = 0.5
INTERRUPT_MARK = ">>"  # a rep line starting with this cuts in over the end of the customer's turn
INTERRUPT_OVERLAP_S = 1.2


def speaking_time_s(text: str) -> float:
    return max(MIN_TURN_S, len(text.split()) / WORDS_PER_S)


class TypedCall:
    """A typed call in progress: the customer's line waiting for an answer, and the clock that times each turn."""

    def __init__(self, scenario: Scenario) -> None:
        self.conversation = Conversation(scenario)
        self.reply = self.conversation.customer.opening()  # the customer's line, not yet in the call
        self.clock_s = 0.0

    def answer(self, text: str, cuts_in: bool = False) -> CustomerReply:
        """Put the customer's line and the rep's answer in the call; returns the customer's next line."""
        customer_end_s = self.clock_s + speaking_time_s(self.reply.text)
        self.conversation.add_customer_turn(self.reply, round(self.clock_s, 2), round(customer_end_s, 2))
        if cuts_in:
            rep_start_s = max(self.clock_s, customer_end_s - INTERRUPT_OVERLAP_S)
        else:
            rep_start_s = customer_end_s + REP_PAUSE_S
        rep_end_s = rep_start_s + speaking_time_s(text)
        self.reply = self.conversation.add_rep_turn(text, round(rep_start_s, 2), round(rep_end_s, 2))
        self.clock_s = rep_end_s + CUSTOMER_PAUSE_S
        return self.reply

    def finish(self, rubric: Rubric | None = None) -> PracticeResult:
        """Put the customer's last line in the call and score it."""
        end_s = self.clock_s + speaking_time_s(self.reply.text)
        self.conversation.add_customer_turn(self.reply, round(self.clock_s, 2), round(end_s, 2))
        return self.conversation.finish(rubric)


def run_text_practice(
    scenario: Scenario,
    rep_lines: Iterable[str],
    on_reply: Callable[[CustomerReply], None] | None = None,
    rubric: Rubric | None = None,
) -> PracticeResult:
    """Play the scenario with these rep lines until they run out or the call ends; blank lines are skipped."""
    call = TypedCall(scenario)
    if on_reply is not None:
        on_reply(call.reply)
    for raw in rep_lines:
        text = raw.strip()
        cuts_in = text.startswith(INTERRUPT_MARK)
        text = text.removeprefix(INTERRUPT_MARK).strip()
        if not text:
            continue
        reply = call.answer(text, cuts_in)
        if on_reply is not None:
            on_reply(reply)
        if reply.ended:
            break
    return call.finish(rubric)
