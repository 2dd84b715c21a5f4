"""Where the behaviour model meets the phrase rules: a rep turn's findings once the model has heard it.

The rules run first. For every label the model knows (see `behaviour_features.LABELS`), a rule finding stands by
itself where the label's rules proved sure on the training script's validation set, and otherwise only when the
model agrees; the model adds a finding of its own for a label the rules missed. Kinds the model does not know
(timing, patience, a vague promise unless a real plan was heard, …) pass through. If the model or the encoder cannot
be loaded, the rules stand alone and `model_notice()` says why, so the CLI and the UI can show it.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from coach_app.analysis.behaviour import BehaviourModel, shipped_model
from coach_app.analysis.behaviour_features import KIND_LABEL, TurnContext
from coach_app.analysis.context import Conversation
from coach_app.analysis.encoder import SentenceEncoder, shipped_encoder
from coach_app.analysis.judgement import customer_settled, invites_more
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import STOPWORDS, TurnText
from coach_app.analysis.utterance_features import WH_WORDS, is_punctuated
from coach_app.core import Finding
from coach_app.errors import ModelError
from coach_app.heap import release_freed_memory

# A live turn runs its two encoders at once: the sentence encoder here, the behaviour model in the caller's thread
# (onnxruntime releases the GIL), so the turn waits for the slower one only. One long-lived thread, so its heap is
# reused rather than a new one made per turn.
_BESIDE = ThreadPoolExecutor(1, thread_name_prefix="encoder-live")

# label → the lexicon category whose reason and tip a model-only finding of that label uses
EXPLAINED_BY: dict[str, tuple[str, str]] = {
    "open_question": ("questions", "open"),
    "closed_question": ("questions", "closed"),
    "reflection": ("reflecting", "weak_opener"),
    "summary": ("reflecting", "summary"),
    "empathy": ("empathy", "feelings"),
    "acknowledgement": ("empathy", "acknowledgement"),
    "apology": ("ownership", "apology"),
    "action_plan": ("action_plan", "commitment"),
    "agreement_check": ("action_plan", "agreement"),
    "judgemental": ("judgement", "condescending"),
    "dismissive": ("judgement", "dismissive"),
    "blame_shifting": ("ownership", "blame"),
    "rushing": ("judgement", "rushing"),
}
# A rule finding dropped when the turn is heard to have the label that contradicts it: a vague promise gives way
# to a real plan, and a question checking agreement with the plan is not also a closed question.
CONTRADICTED_BY: dict[str, str] = {"vague_promise": "action_plan", "closed_question": "agreement_check"}
# Labels the model alone may not add to a turn where the phrase rules heard sure listening (empathy, patience, or
# a reflection with a reflective opener): a negative one beside them is a guess, and so is acknowledgement (which
# the labelling guide gives only to turns that do not name feelings).
NOT_WITH_SURE_LISTENING = frozenset({"judgemental", "dismissive", "blame_shifting", "rushing", "acknowledgement"})
# Faults the model alone may not add where it hears the turn's opposite more strongly ("that's a real problem"
# after restating the customer's trouble is more likely empathy than blame), or where the phrase rules heard the rep
# own the fault ("we should have kept you updated" is an apology, not a judgement of the customer).
OPPOSITE: dict[str, str] = {"judgemental": "empathy", "dismissive": "empathy", "blame_shifting": "empathy"}
NOT_WITH_OWNED_FAULT = frozenset({"judgemental", "blame_shifting"})
OPEN_WORDS = WH_WORDS | {"tell", "walk", "talk", "explain", "describe"}
# Labels the model alone may not add when the turn has one of these labels: an apology is cancelled by blame
# (as in the ownership rules), and "anything else?" after a plan made in the same turn is not rushing.
MODEL_ONLY_CANCELLED_BY: dict[str, frozenset[str]] = {
    "apology": frozenset({"blame_shifting"}),
    "rushing": frozenset({"action_plan"}),
}
MODEL_REASON = " (Heard by the behaviour model from the meaning of the turn.)"
MAX_MODEL_WORDS = 400  # longer "turns" (a pasted document, a merged monologue) are left to the rules
MIN_ENGLISH_SHARE = 0.15  # of a turn's words that are common English words, for the model to judge it


@lru_cache(maxsize=1)
def _loaded() -> tuple[SentenceEncoder, BehaviourModel]:
    models = shipped_encoder(), shipped_model()
    release_freed_memory()  # the weight files read to build both graphs are freed by now
    return models


def loaded_models() -> tuple[SentenceEncoder, BehaviourModel] | None:
    """The encoder and the behaviour model, or None when either cannot be loaded (see `model_notice`)."""
    try:
        return _loaded()
    except ModelError:
        return None


def model_notice() -> str | None:
    """Why the analysis runs on the phrase rules alone, or None when the behaviour model is loaded."""
    try:
        _loaded()
    except ModelError as exc:
        return f"Rules-only analysis: {exc}"
    return None


def prepare(conv: Conversation) -> None:
    """Run the encoders over every rep turn (and, for the behaviour model, the customer turn before it) in
    batches, faster than one at a time."""
    models = loaded_models()
    if models is None:
        return
    reps = [index for index in range(len(conv.turns)) if conv.is_rep(index)]
    models[0].encode_views(sorted({conv.turns[index].text for index in reps}))
    models[1].pooled([(conv.previous_customer_text(index), conv.turns[index].text) for index in reps])


def prepare_turn(conv: Conversation, index: int) -> None:
    """Encode a rep turn as it arrives: its text alone (for the utterance classifier) and with the customer turn
    before it (for the behaviour model), both at once; a customer turn is read with the rep's reply."""
    models = loaded_models()
    if models is None or not conv.is_rep(index):
        return
    text = conv.turns[index].text
    alone = _BESIDE.submit(models[0].encode_views, [text])
    models[1].pooled([(conv.previous_customer_text(index), text)])
    alone.result()


def context(conv: Conversation, index: int) -> TurnContext:
    """The model's view of rep turn `index` besides its text: the customer's previous turn, the earlier rep turns."""
    earlier = tuple(conv.turns[j].text for j in range(index) if conv.is_rep(j))
    return TurnContext(customer=conv.previous_customer_text(index), earlier_rep=earlier)


def probabilities(conv: Conversation, index: int) -> np.ndarray | None:
    """The model's label probabilities for rep turn `index` (None without a model)."""
    models = loaded_models()
    if models is None:
        return None
    return models[1].probabilities(conv.turns[index].text, context(conv, index))


def _opens_reflection(text: TurnText) -> bool:
    return lexicon("reflecting")["strong_opener"].search(text.norm) is not None


def _asks(conv: Conversation, index: int, label: str) -> bool:
    """Whether a turn can hold a question the rules missed: typed text has a "?"; in speech an open question has
    a question word ("what", "how", "tell me" …), and a closed one is left to the model (it was trained on speech
    form too)."""
    raw = conv.turns[index].text
    if is_punctuated(raw):
        return "?" in raw
    if label == "open_question":
        return bool(OPEN_WORDS & set(conv.text(index).tokens))
    return True


def _dealt_with(conv: Conversation, index: int) -> bool:
    """Whether the concern was dealt with just now: the rep's turn reports a fix ("I've booked the engineer…") or
    the customer's turn before it says so ("great, that's sorted then"), so an "anything else?" no longer hurries."""
    return bool(lexicon("judgement")["done"].search(conv.text(index).norm)) or customer_settled(conv, index)


def hearable(tokens: tuple[str, ...] | list[str]) -> bool:
    """Whether the model can judge a turn: some words, not too many, and recognisably English."""
    if not tokens or len(tokens) > MAX_MODEL_WORDS:
        return False
    return len(tokens) < 3 or sum(t in STOPWORDS for t in tokens) >= MIN_ENGLISH_SHARE * len(tokens)


def merge(conv: Conversation, index: int, found: list[Finding]) -> list[Finding]:
    """The rule findings the model confirms, the kinds it does not judge, and findings for labels it alone heard."""
    models = loaded_models()
    if models is None or not conv.is_rep(index):
        return found
    kinds = frozenset(f.kind for f in found)
    if not hearable(conv.text(index).tokens) or "backchannel" in kinds:
        return found  # a backchannel ("mm-hmm") only keeps the customer talking: nothing more to hear
    probs = probabilities(conv, index)
    if probs is None:
        return found
    model = models[1]
    found_labels = rule_labels = frozenset(KIND_LABEL[k] for k in kinds if k in KIND_LABEL)
    text = conv.text(index)
    heard = model.decide(probs, rule_labels)
    opened_reflection = "reflection" in rule_labels and _opens_reflection(text)
    if opened_reflection:
        heard |= {"reflection"}  # "let me make sure I've got this right: …" is sure whatever the model says
    elif lexicon("reflecting")["refusal"].search(text.norm):
        heard -= {"reflection"}  # "you want a refund, but we don't do refunds": the words serve a refusal
    sure_listening = opened_reflection or "empathy" in rule_labels or "patience" in kinds
    kept = [
        f
        for f in found
        if (f.kind not in KIND_LABEL or KIND_LABEL[f.kind] in heard) and CONTRADICTED_BY.get(f.kind, "") not in heard
    ]
    added = set(heard - found_labels)
    if lexicon("ownership")["repeat_request"].search(text.norm):
        added -= {"apology", "empathy"}  # "sorry, could you spell that?" asks; it does not apologise
    if "dismissive" in added and lexicon("judgement")["offer"].search(text.norm):
        added.discard("dismissive")  # a refusal that goes on to what the rep can do
    if "rushing" in added and _dealt_with(conv, index):
        added.discard("rushing")  # "I've booked the engineer for Friday. Anything else?" dealt with it first
    if "rushing" in added and invites_more(text.norm):
        added.discard("rushing")  # "anything else you'd like to tell me?" invites; it does not close down
    added -= {label for label in ("open_question", "closed_question") if not _asks(conv, index, label)}
    added = {label for label in added if not MODEL_ONLY_CANCELLED_BY.get(label, frozenset()) & heard}
    if sure_listening:
        added -= NOT_WITH_SURE_LISTENING
    if "apology" in rule_labels:
        added -= NOT_WITH_OWNED_FAULT
    index_of = model.labels.index
    added = {
        label for label in added if label not in OPPOSITE or probs[index_of(label)] >= probs[index_of(OPPOSITE[label])]
    }
    for label in model.labels:
        if label in added:
            file, category = EXPLAINED_BY[label]
            explained = lexicon(file)[category]
            kept.append(conv.finding(label, index, None, explained.reason + MODEL_REASON, explained.tip))
    return kept
