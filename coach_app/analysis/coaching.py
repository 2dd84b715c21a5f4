"""Coaching that speaks to the turn: every finding's reason and tip rewritten from the conversation around it.

Detectors say *what* happened; this module says it about *this* call. Reasons quote the customer's own words
(the clause of their previous turn that carries a feeling or a stake), the facts the rep gave back, the plan's
missing time or owner; tips suggest a next line built from the same words. Advice on one turn never contradicts
itself (a question that confirms the plan is not told to be open), numbers never read as equal to their target,
and every quoted phrase is whole words. Kinds without a writer (voice delivery, talk share) keep their text.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from coach_app.analysis import timing
from coach_app.analysis.coaching_text import key_phrase, noun_phrase, open_form, trim_words
from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import content_stems, normalise, stem
from coach_app.core import Finding

QUOTE_WORDS = 12
CONCERN_LOOKBACK = 3  # customer turns searched for the concern a hurried or dismissive turn leaves open
_DAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_NOTE = re.compile(r"\s*(\([^()]*\))\s*$")  # a trailing '(…)' note from the detector, e.g. which model heard it
_PRONOUNS = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "we're": "you're",
    "we've": "you've",
    "our": "your",
    "us": "you",
}


@dataclass(frozen=True)
class Scene:
    """What a writer needs about one finding: the conversation, the finding, the other kinds on its turn."""

    conv: Conversation
    finding: Finding
    kinds: frozenset[str]
    plan_turns: frozenset[int]  # turns whose findings include a plan

    @property
    def planned(self) -> bool:
        """Whether a concrete plan was offered on this turn or before it."""
        turn = self.finding.turn
        return any(t <= turn for t in self.plan_turns) or _plan_said_before(self.conv, turn)

    @property
    def quote(self) -> str:
        return trim_words(self.finding.quote, QUOTE_WORDS)

    @property
    def rep_text(self) -> str:
        return self.conv.turns[self.finding.turn].text

    @property
    def customer_text(self) -> str:
        j = self.conv.previous_customer(self.finding.turn)
        return self.conv.turns[j].text if j is not None else ""

    @property
    def said(self) -> str:
        """The telling clause of the customer's previous turn, as they said it."""
        return key_phrase(self.customer_text)

    @property
    def concern(self) -> str:
        """What the customer raised most recently: the telling clause of their latest turn that has one."""
        for j in self.conv.earlier_customers(self.finding.turn, CONCERN_LOOKBACK):
            phrase = key_phrase(self.conv.turns[j].text)
            if phrase:
                return phrase
        return ""

    def after_said(self) -> str:
        return f" after the customer said '{self.said}'" if self.said else ""

    def cue(self, name: str, text: str | None = None) -> re.Match[str] | None:
        return lexicon("coaching")[name].search(normalise(self.rep_text if text is None else text))

    def shared_words(self, limit: int = 4) -> list[str]:
        """The rep's words (as said, in order) whose stems the customer used in their last two turns."""
        customer = frozenset().union(
            *(self.conv.text(j).content for j in self.conv.earlier_customers(self.finding.turn, 2))
        )
        words: list[str] = []
        for token in normalise(self.rep_text).split():
            if stem(token) in customer and content_stems(token) and token not in words:
                words.append(token)
        return words[:limit]


def coach(conv: Conversation, findings: Sequence[Finding]) -> list[Finding]:
    """The findings with reasons and tips written for this conversation (same kinds, turns, times and quotes)."""
    kinds: dict[int, set[str]] = defaultdict(set)
    for finding in findings:
        kinds[finding.turn].add(finding.kind)
    plan_turns = frozenset(turn for turn, found in kinds.items() if "action_plan" in found)
    coached = []
    for finding in findings:
        writer = WRITERS.get(finding.kind)
        if writer is None or not 0 <= finding.turn < len(conv.turns):
            coached.append(finding)
            continue
        reason, tip = writer(Scene(conv, finding, frozenset(kinds[finding.turn]), plan_turns))
        note = _NOTE.search(finding.reason)
        if note and note.group(1) not in reason:
            reason = f"{reason} {note.group(1)}"
        coached.append(replace(finding, quote=trim_words(finding.quote, 40), reason=reason, tip=tip))
    return coached


def _plan_said_before(conv: Conversation, index: int) -> bool:
    """Whether an earlier rep turn made a commitment (live analysis sees only the current turn's findings)."""
    commitment = lexicon("action_plan")["commitment"]
    return any(conv.is_rep(j) and commitment.search(conv.text(j).norm) for j in range(min(index, len(conv.turns))))


def second_person(phrase: str) -> str:
    """The customer's phrase as the rep would say it back ('I was told' → 'you were told', 'my rent' → 'your rent')."""
    phrase = re.sub(r"\b(I|i|we|We) (was|were)\b", "you were", phrase)
    phrase = re.sub(r"\b(I|i) am\b", "you are", phrase)
    words = [_PRONOUNS.get(word.lower(), word) for word in phrase.split()]
    if words and words[0][:1].isupper() and words[0] != "I":
        words[0] = words[0][:1].lower() + words[0][1:]  # it follows our words now, mid-sentence
    return " ".join(words)


def distinct_figures(value: float, target: float) -> tuple[str, str]:
    """`value` and `target` printed so they never read as equal (0.38 vs 0.4, not 0.4 vs 0.4)."""
    target_text = f"{target:g}"
    for digits in (1, 2, 3):
        value_text = f"{value:.{digits}f}"
        if float(value_text) != float(target_text):
            return value_text, target_text
    return f"just under {target_text}" if value < target else f"just over {target_text}", target_text


# --- listening ---------------------------------------------------------------------------------------------


def _empathy(s: Scene) -> tuple[str, str]:
    reason = f"You answered the feeling{s.after_said() or ' behind the words'}, not only the facts."
    if "action_plan" in s.kinds:
        return reason, "Feeling first, then the plan: keep that order on every call."
    if s.shared_words() or not s.said:
        return reason, "Follow it with what you will do about it, so the empathy leads somewhere."
    return reason, f"Tie it to what they told you ('{second_person(s.said)}') so it sounds meant, not scripted."


def _acknowledgement(s: Scene) -> tuple[str, str]:
    reason = f"You showed you heard the point{s.after_said()}."
    if not s.said or s.kinds & {"reflection", "summary", "empathy"}:
        return reason, "Good: you went on to show what you understood; keep pairing the two."
    return reason, f"Show what you understood, not just that you heard: 'So {second_person(s.said)}…'"


def _appreciation(s: Scene) -> tuple[str, str]:
    return (
        f"You thanked the customer ('{s.quote}'), which recognises their effort and keeps the tone warm.",
        "Thank them for something specific they did, such as explaining clearly or holding while you checked.",
    )


def _apology(s: Scene) -> tuple[str, str]:
    reason = f"You owned the problem ('{s.quote}'){s.after_said()}."
    if "action_plan" in s.kinds:
        return reason, "You followed it with a plan in the same turn, which makes the apology count."
    return reason, "Follow the apology with what you will do and by when, in the same breath."


def _reflection(s: Scene) -> tuple[str, str]:
    words = s.shared_words()
    if words:
        reason = f"You gave back the customer's own points ({', '.join(words)}), so they know you heard them."
    else:
        reason = f"You put the customer's point into your own words{s.after_said()}."
    if s.cue("confirmation") or "agreement_check" in s.kinds:
        return reason, "You checked it too: now pause and let them confirm or correct you."
    feeling = lexicon("coaching")["feeling"].words
    if s.said and set(normalise(s.said).split()) & feeling and not set(normalise(s.rep_text).split()) & feeling:
        return reason, f"Name the feeling as well ('{second_person(s.said)}'), then ask 'Have I got that right?'"
    return reason, "Check it: ask 'Have I got that right?' and let them correct you."


def _summary(s: Scene) -> tuple[str, str]:
    words = s.shared_words(5)
    points = f" ({', '.join(words)})" if words else ""
    reason = f"You pulled the customer's points together{points}, showing you kept track."
    if s.cue("confirmation"):
        return reason, "You checked the recap: wait for their answer before you act on it."
    return reason, "End the recap with 'Did I miss anything?' and wait for the answer."


def _customer_words(s: Scene) -> tuple[str, str]:
    words = s.shared_words()
    said = f" ({', '.join(words)})" if words else ""
    return (
        f"You brought back the customer's own words{said}, so your answer is built on what they told you.",
        "Keep building the solution from what they said mattered, in their words.",
    )


# --- questions ---------------------------------------------------------------------------------------------


def _open_question(s: Scene) -> tuple[str, str]:
    return (
        f"'{s.quote}' let the customer explain in their own words{s.after_said()}.",
        "Let them answer in full, then reflect back what they tell you before offering a fix.",
    )


def _needs_question(s: Scene) -> tuple[str, str]:
    return (
        f"'{s.quote}' asked what matters to the customer, which uncovers the need behind the complaint.",
        "Build your plan from their answer and say it back in their words.",
    )


def _closed_question(s: Scene) -> tuple[str, str]:
    if s.cue("confirmation", s.finding.quote) or s.kinds & {"agreement_check"}:
        return (
            f"'{s.quote}' confirms a fact or the plan: a yes/no question is the right tool for that.",
            "Keep it short and wait for a real yes or no; if they hesitate, ask what would work better.",
        )
    if "rushing" in s.kinds:
        return (
            f"'{s.quote}' invites a quick 'no' before the customer's concern is dealt with.",
            "Settle what they raised first; then invite more with 'What else is on your mind about this?'",
        )
    better = open_form(s.finding.quote, s.customer_text)
    if lexicon("questions")["information"].search(normalise(s.finding.quote)):
        return (
            f"'{s.quote}' asks for a single fact: needed for the record, but it doesn't let the customer explain.",
            f"Get the fact, then open it up: '{better}'",
        )
    return (
        f"'{s.quote}' can be answered with a yes or a no, so the customer tells you less than they could.",
        f"You asked '{s.quote}{'' if s.quote.endswith('…') else '?'}': try '{better}'",
    )


# --- next steps --------------------------------------------------------------------------------------------


def _time_phrase(text: str) -> str:
    match = lexicon("action_plan")["time"].search(normalise(text))
    return match.group(0) if match else ""


def _spoken_time(when: str, starts_sentence: bool = False) -> str:
    """A time phrase from normalised text as it would be written ('by friday 5 pm' → 'by Friday 5 pm')."""
    text = " ".join(w.capitalize() if w in _DAYS else w for w in when.split())
    return text[:1].upper() + text[1:] if starts_sentence else text


def _action_plan(s: Scene) -> tuple[str, str]:
    when = _time_phrase(s.finding.quote) or _time_phrase(s.rep_text)
    owner = s.cue("owner", s.finding.quote) or s.cue("owner")
    if when and owner:
        reason = f"'{s.quote}' tells the customer who will do what, and when ({_spoken_time(when)})."
    elif when:
        reason = f"'{s.quote}' gives a time ({_spoken_time(when)}) but not who will do it."
    else:
        reason = f"'{s.quote}' commits to a step but gives no time the customer can hold you to."
    if not owner:
        return reason, "Say who will do it: 'I'll …', so the customer knows whom to hold to it."
    if not when:
        return reason, "Add when: '… by a time you can keep', such as 4 pm tomorrow."
    if "agreement_check" in s.kinds:
        return reason, "You checked it works for them too; now keep to the time you gave."
    return (
        reason,
        f"Check it fits them: '{_spoken_time(when, True)}: does that work for you?', then wait for the answer.",
    )


def _vague_promise(s: Scene) -> tuple[str, str]:
    owner = s.cue("owner", s.finding.quote) and not normalise(s.finding.quote).startswith("someone")
    when = _time_phrase(s.finding.quote)
    missing = "an owner or a time" if not owner and not when else ("a time" if not when else "an owner")
    reason = f"'{s.quote}' promises something without {missing}, so the customer can't know when to chase."
    step = re.search(r"(?:will|'ll|should|going to)\s+((?:\w+\s*){1,5})", normalise(s.finding.quote))
    action = re.sub(r"^(?:try to|try and|probably|hopefully)\s+", "", step.group(1).strip()) if step else ""
    if action and not action.startswith(("be sorted", "be resolved", "be fixed", "arrive", "turn up", "be ")):
        return reason, f"Make it concrete: 'I'll {action} by 4 pm tomorrow' (a time you can keep)."
    return reason, "Make it concrete: say who will do what, by a time you can keep ('I'll … by 4 pm tomorrow')."


def _agreement_check(s: Scene) -> tuple[str, str]:
    reason = f"'{s.quote}' checks the plan with the customer, which makes it a shared one."
    if not s.planned:
        return reason, "Offer a concrete step first (who does what by when) so there is something to agree to."
    return reason, "Wait for a real answer; if they hesitate, ask what would work better for them."


# --- judging, dismissing, hurrying -------------------------------------------------------------------------


def _judgemental(s: Scene) -> tuple[str, str]:
    reason = f"'{s.quote}' judges the customer{s.after_said()}: they will defend themselves instead of explaining."
    if s.said:
        return reason, f"Describe the situation, not the person: answer '{second_person(s.said)}' with what you can do."
    return reason, "Describe the situation, not the person: 'Take your time, I'm listening.'"


def _dismissive(s: Scene) -> tuple[str, str]:
    if re.search(r"\bbut\b", normalise(s.finding.quote)):
        reason = f"'{s.quote}' takes the acknowledgement back: the customer hears only the 'but'."
    else:
        reason = f"'{s.quote}' closes the topic before the customer feels heard."
    if s.concern:
        return reason, f"Acknowledge '{second_person(s.concern)}' first, then say what you can do, not what you can't."
    return reason, "Say what you can do, not what you can't."


def _call_topic(conv: Conversation, index: int) -> str:
    """What the call is about: the first 'my/the … thing' the customer named, addressed back to them."""
    for j in range(index):
        if not conv.is_rep(j):
            topic = noun_phrase(conv.turns[j].text)
            if topic:
                return "your " + topic.split(" ", 1)[1] if topic.startswith(("my ", "our ")) else topic
    return ""


def _blame(s: Scene) -> tuple[str, str]:
    topic = _call_topic(s.conv, s.finding.turn)
    blames_them = re.search(r"\byou\b", normalise(s.finding.quote))
    whom = "puts the blame on the customer" if blames_them else "pushes the problem away from you"
    return (
        f"'{s.quote}' {whom}{s.after_said()}, so they must defend themselves instead of being helped.",
        f"Own the next step even if someone else caused it: 'I'm sorry about {topic or 'this'}; here's what I'll do.'",
    )


def _rushing(s: Scene) -> tuple[str, str]:
    if "action_plan" in s.kinds:
        reason = f"'{s.quote}' moves on before the customer has said whether the plan works for them."
        if "agreement_check" in s.kinds:
            return reason, "You asked whether the plan works: wait for that answer before asking what else they need."
        return reason, "Check the plan first ('Does that work for you?'), then ask what else they need."
    if s.concern:
        return (
            f"'{s.quote}' hurries the customer while '{s.concern}' is still open.",
            f"Deal with '{second_person(s.concern)}' first: reflect it, agree a next step, "
            "then ask what else they need.",
        )
    return (
        f"'{s.quote}' hurries the customer before their concern is dealt with.",
        "Reflect and resolve what they raised first; then ask what else they need.",
    )


def _patience(s: Scene) -> tuple[str, str]:
    return (
        f"'{s.quote}' gives the customer time, which signals that their account matters more than the clock.",
        "After inviting them to take their time, stay quiet and let them finish.",
    )


# --- timing ------------------------------------------------------------------------------------------------


def _category_text(name: str) -> tuple[str, str]:
    category = lexicon("timing")[name]
    return category.reason, category.tip


def _quick_response(s: Scene) -> tuple[str, str]:
    reason, tip = _category_text("quick_response")
    latency = timing.turn_timing(s.conv, s.finding.turn).latency_s
    if latency is None:
        return reason, tip
    pause, target = distinct_figures(max(latency, 0.0), s.conv.thresholds.min_pause_s)
    said = f" They had just said '{s.said}'." if s.said else ""
    return f"{reason} Pause here: {pause} s; aim for at least {target} s.{said}", tip


def _interruption(s: Scene) -> tuple[str, str]:
    reason, tip = _category_text("interruption")
    cut = timing.turn_timing(s.conv, s.finding.turn).interrupted
    if cut is None:
        return reason, tip
    overlap = s.conv.turns[cut].end_s - s.conv.turns[s.finding.turn].start_s
    words = s.conv.turns[cut].text.split()
    tail = trim_words(" ".join(words[-8:]), 8)
    return f"{reason} You came in {overlap:.1f} s before they finished '… {tail}'.", tip


def _keep(s: Scene) -> tuple[str, str]:
    """Detector text already about this turn (its figures): only made whole-word safe."""
    return s.finding.reason, s.finding.tip


WRITERS: dict[str, Callable[[Scene], tuple[str, str]]] = {
    "empathy": _empathy,
    "acknowledgement": _acknowledgement,
    "appreciation": _appreciation,
    "apology": _apology,
    "reflection": _reflection,
    "summary": _summary,
    "customer_words": _customer_words,
    "open_question": _open_question,
    "clarifying_question": _open_question,
    "needs_question": _needs_question,
    "closed_question": _closed_question,
    "action_plan": _action_plan,
    "vague_promise": _vague_promise,
    "agreement_check": _agreement_check,
    "judgemental": _judgemental,
    "dismissive": _dismissive,
    "blame_shifting": _blame,
    "rushing": _rushing,
    "patience": _patience,
    "quick_response": _quick_response,
    "interruption": _interruption,
}
