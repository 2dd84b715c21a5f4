"""Coaching text that speaks to the turn: quotes the customer, never contradicts itself, whole words only."""

import re
import tomllib

import pytest
from dialogue_helpers import FORMS, asr, conversation

from coach_app.analysis import analyze, analyze_turn
from coach_app.analysis.coaching import coach, distinct_figures, second_person
from coach_app.analysis.coaching_text import key_phrase, open_form, trim_words
from coach_app.analysis.context import Conversation
from coach_app.analysis.text import normalise
from coach_app.core import Finding, Transcript, Turn
from coach_app.paths import resource
from coach_app.scoring.rubric import load_rubric

OUTAGE = (
    ("customer", "Our phone lines were down for two days. I'm really worried we've lost our biggest client over it."),
    (
        "rep",
        "Two days without your lines, that must have been awful for the business. What happened when it went down?",
    ),
    ("customer", "Nobody could reach the office, and support had me restart the router four times."),
    ("rep", "Did you try a different socket?"),
    ("customer", "Yes, of course. It made no difference at all."),
    ("rep", "Someone will look into it."),
    ("customer", "That's exactly what I was told on Tuesday."),
    ("rep", "I understand, but that's not our fault. You should have called us sooner."),
    ("customer", "I reported it on the first morning. Twice."),
    (
        "rep",
        "So your lines were down two days, you reported it twice on the first morning, and you're worried about "
        "your biggest client. I'm sorry we let you down. I'll send you a written incident report by Friday and "
        "I'll call you on Monday at ten. Does that work for you?",
    ),
)
CANCELLED_ORDER = (
    ("customer", "My order got cancelled without warning and I'm furious, it was for my mum's surgery recovery."),
    ("rep", "Your order was cancelled without any warning, and it was for your mum's recovery after surgery."),
)
# Words that belong to one practice story; a tip or reason on another call must never bring them up.
STORY_WORDS = {"birthday", "box", "parcel", "tracking", "wedding", "rent", "suitcase", "anniversary", "daughter"}


def coached(lines, form=str):
    return analyze(conversation(*lines, form=form)).findings


def by_kind(findings, kind):
    return [f for f in findings if f.kind == kind]


@pytest.mark.parametrize("form", FORMS)
def test_reasons_quote_the_customer_turn_before(form):
    """Empathy, dismissal and blame reasons quote the customer's previous turn in their own words."""
    findings = coached(OUTAGE, form)
    empathy = by_kind(findings, "empathy")[0]
    assert "really worried" in empathy.reason.lower()
    dismissive = [f for f in by_kind(findings, "dismissive") if f.turn == 7][0]
    assert "exactly what you were told on tuesday" in normalise(dismissive.tip)
    blame = by_kind(findings, "blame_shifting")[0]
    assert (
        "pushes the problem away" in blame.reason or "on the customer" in blame.reason
    ) and "your phone lines" in blame.tip.lower()


@pytest.mark.parametrize("form", FORMS)
def test_closed_question_gets_an_open_form_on_its_own_subject(form):
    """A yes/no question is shown an open alternative built from what it asked, quoting the question."""
    closed = by_kind(coached(OUTAGE, form), "closed_question")
    socket = [f for f in closed if "socket" in f.quote.lower()][0]
    assert "did you try a different socket" in normalise(socket.tip)
    assert "What have you tried so far" in socket.tip


def test_open_form_of_common_yes_no_questions():
    """Open forms take the question's own subject, else the customer's, and never repeat yes/no wording."""
    assert open_form("Was the screen cracked when it came?", "") == "How was it going with the screen?"
    assert open_form("Did it arrive damaged?", "My new kettle arrived today") == "What happened with your new kettle?"
    assert open_form("Is there anything else?", "") == "What else is on your mind about this?"
    assert open_form("Did it work?", "") == "What happened, from your side?"


@pytest.mark.parametrize("form", FORMS)
def test_confirmation_questions_are_not_told_to_be_open(form):
    """On a turn that checks the plan, no finding's tip says to open the question up."""
    findings = coached(OUTAGE, form)
    last = len(OUTAGE) - 1
    on_turn = [f for f in findings if f.turn == last]
    assert {"agreement_check", "action_plan"} <= {f.kind for f in on_turn}
    for finding in on_turn:
        assert "open question" not in finding.tip.lower() and "open it up" not in finding.tip.lower()
    plan = by_kind(on_turn, "action_plan")[0]
    assert "does that work" not in plan.tip.lower()  # already asked: the tip does not ask for it again


def test_plan_without_a_check_is_told_to_check_with_its_own_time():
    """A timed plan with no check is told to check that time with the customer."""
    lines = (
        ("customer", "The boiler has been off since Sunday and the baby is cold at night."),
        ("rep", "I'm booking an engineer for you and I'll ring you by noon tomorrow with the slot."),
    )
    plan = by_kind(coached(lines), "action_plan")[0]
    assert "does that work for you" in plan.tip.lower() and ("tomorrow" in plan.tip.lower() or "noon" in plan.tip)


def test_vague_promise_names_what_is_missing_and_the_step():
    """A promise with no owner or time says which is missing and offers the same step made concrete."""
    vague = by_kind(coached(OUTAGE), "vague_promise")[0]
    assert "without an owner or a time" in vague.reason
    assert "I'll look into it by" in vague.tip


@pytest.mark.parametrize(("latency", "shown"), [(0.38, "0.38"), (0.35, "0.35"), (0.0, "0.0"), (0.2, "0.2")])
def test_quick_response_pause_never_reads_as_the_target(latency, shown):
    """The measured pause is printed with enough precision to differ from the 0.4 s target."""
    customer = Turn("customer", 0.0, 3.0, "I've been waiting on hold for an hour and I'm fed up.")
    rep = Turn("rep", 3.0 + latency, 6.0, "Can I take your account number please?")
    finding = [f for f in analyze_turn(Transcript((customer, rep)), 1) if f.kind == "quick_response"][0]
    assert f"Pause here: {shown} s; aim for at least 0.4 s" in finding.reason
    assert "fed up" in finding.reason


def test_distinct_figures_separates_close_values():
    """Figures rounding to their target get more digits, and identical ones say which side they are on."""
    assert distinct_figures(0.396, 0.4) == ("0.396", "0.4")
    assert distinct_figures(0.3999, 0.4) == ("just under 0.4", "0.4")
    assert distinct_figures(1.26, 0.4) == ("1.3", "0.4")


@pytest.mark.parametrize("form", FORMS)
def test_reflection_reason_lists_whole_words(form):
    """A reflection's reason lists the customer's words as said ('cancelled', never a stem like 'cancell')."""
    reflection = by_kind(coached(CANCELLED_ORDER, form), "reflection")[0]
    assert "cancelled" in reflection.reason and not re.search(r"\bcancell\b", reflection.reason)
    assert "furious" in reflection.tip  # the feeling the rep left out


@pytest.mark.parametrize("form", FORMS)
def test_quoted_phrases_are_whole_words_of_the_conversation(form):
    """Every turn's quote, and every phrase quoted in a reason or tip, is made of whole words that were said in the
    call (a whole-call finding's quote gives its figures instead: "rep 49% of the talking time, …")."""
    transcript = conversation(*OUTAGE, form=form)
    said = {w for turn in transcript.turns for w in normalise(turn.text).split()}
    said |= {second_person(w) for w in said} | {"your", "you're", "you'll"}
    for finding in analyze(transcript).findings:
        if finding.turn >= 0:
            assert set(normalise(finding.quote).split()) <= said
        for text in (finding.reason, finding.tip):
            for quoted in re.findall(r"'([^']{12,}?)'(?:[ .,:;)]|$)", text):
                words = normalise(quoted.replace("…", " ")).split()
                # a quoted customer or rep phrase: its first words come from the call (suggested lines are new)
                if words and words[0] in said and words[-1] in said:
                    assert all(w in said or w in normalise(finding.tip) for w in words)


def test_trim_words_cuts_on_word_boundaries():
    """Long phrases are cut after a whole word and marked; short tails are kept rather than cut."""
    assert trim_words("we cancelled the whole subscription yesterday afternoon", 3) == "we cancelled the …"
    assert trim_words("one two three four", 3) == "one two three four"
    assert key_phrase("Hello. My card was cancelled, and I'm really worried about the rent.") == (
        "and I'm really worried about the rent"
    )


def test_no_story_specific_wording_in_shipped_tips():
    """No lexicon or rubric reason or tip names one practice story (an outage call must not hear of a birthday)."""
    texts = []
    for path in [*resource("lexicons").glob("*.toml"), resource("rubrics", "default.toml")]:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            table = stack.pop()
            for key, value in table.items():
                if isinstance(value, dict):
                    stack.append(value)
                elif key in ("reason", "tip"):
                    texts.append((path.name, value))
    assert texts
    for name, text in texts:
        assert not set(normalise(text).split()) & STORY_WORDS, (name, text)
    for finding in coached(OUTAGE):
        assert not set(normalise(finding.reason + " " + finding.tip).split()) & STORY_WORDS


def test_finding_json_contract_is_kept():
    """Coached findings keep exactly the finding JSON keys."""
    for finding in coached(OUTAGE, asr):
        assert list(finding.to_dict()) == ["kind", "turn", "start_s", "end_s", "quote", "reason", "tip"]


def test_rushing_on_a_plan_turn_follows_the_check():
    """A plan turn that hurries on is told to check the plan, or to wait for the answer when it already asked."""
    transcript = conversation(
        ("customer", "My card was blocked abroad and I've no cash left for the hotel."),
        ("rep", "I'm unblocking it now, it works in ten minutes. Does that work? Anything else?"),
    )
    conv = Conversation(transcript, load_rubric().thresholds)

    def tip_for_rushing(*kinds):
        found = [Finding(kind, 1, 0.0, 1.0, "Anything else?", "", "") for kind in (*kinds, "rushing")]
        return next(f.tip for f in coach(conv, found) if f.kind == "rushing")

    assert "Check the plan first" in tip_for_rushing("action_plan")
    assert "wait for that answer" in tip_for_rushing("action_plan", "agreement_check")
    assert "no cash left for the hotel" in tip_for_rushing()
