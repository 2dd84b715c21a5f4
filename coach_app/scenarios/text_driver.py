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


def run_text_practice(
    scenario: Scenario,
    rep_lines: Iterable[str],
    on_reply: Callable[[CustomerReply], None] | None = None,
    rubric: Rubric | None = None,
) -> PracticeResult:
    """Play the scenario with these rep lines until they run out or the call ends; blank lines are skipped."""
    conversation = Conversation(scenario)
    reply = conversation.customer.opening()
    if on_reply is not None:
        on_reply(reply)
    clock_s = 0.0
    for raw in rep_lines:
        text = raw.strip()
        cuts_in = text.startswith(INTERRUPT_MARK)
        text = text.removeprefix(INTERRUPT_MARK).strip()
        if not text:
            continue
        customer_end_s = clock_s + speaking_time_s(reply.text)
        conversation.add_customer_turn(reply, round(clock_s, 2), round(customer_end_s, 2))
        rep_start_s = max(clock_s, customer_end_s - INTERRUPT_OVERLAP_S) if cuts_in else customer_end_s + REP_PAUSE_S
        rep_end_s = rep_start_s + speaking_time_s(text)
        reply = conversation.add_rep_turn(text, round(rep_start_s, 2), round(rep_end_s, 2))
        clock_s = rep_end_s + CUSTOMER_PAUSE_S
        if on_reply is not None:
            on_reply(reply)
        if reply.ended:
            break
    conversation.add_customer_turn(reply, round(clock_s, 2), round(clock_s + speaking_time_s(reply.text), 2))
    return conversation.finish(rubric)
