"""Where the behaviour model meets the phrase rules: a rep turn's findings once the model has heard it.

The rules run first. For every label the model knows (see `behaviour_features.LABELS`), a rule finding stands
when the model agrees at that label's with-rule threshold (0 where the rules proved sure), and the model adds a
finding of its own for a label the rules missed. Kinds the model does not know (timing, patience, a vague
promise unless a real plan was heard, …) pass through. If the model or the encoder cannot be loaded, the rules
stand alone and `model_notice()` says why, so the CLI and the UI can show it.
"""

from functools import lru_cache

import numpy as np

from coach_app.analysis import judgement, questions
from coach_app.analysis.behaviour import BehaviourModel, shipped_model
from coach_app.analysis.behaviour_features import KIND_LABEL, TEXT_KINDS, TurnContext
from coach_app.analysis.context import Conversation
from coach_app.analysis.encoder import SentenceEncoder, shipped_encoder
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import STOPWORDS, TurnText
from coach_app.analysis.utterance_features import WH_WORDS, is_punctuated
from coach_app.analysis.utterances import QUESTION_LABELS
from coach_app.core import Finding
from coach_app.errors import ModelError

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
# Labels the model alone may not add to a turn whose empathy the phrase rules found: a negative one, and
# acknowledgement (which the labelling guide gives only to turns that do not name feelings).
NOT_WITH_RULE_EMPATHY = frozenset({"judgemental", "dismissive", "blame_shifting", "acknowledgement"})
OPEN_WORDS = WH_WORDS | {"tell", "walk", "talk", "explain", "describe"}
# Paraphrase overlap alone misreads explanations that reuse the customer's words: a reflection the rules found
# without a reflective opener ("it sounds like…") stands only if the model gives it at least this probability.
UNOPENED_REFLECTION_MIN = 0.1
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
    return shipped_encoder(), shipped_model()


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
    """Encode every rep turn and the customer turn before it in batches (faster than one at a time)."""
    models = loaded_models()
    if models is None:
        return
    texts = set()
    for index in range(len(conv.turns)):
        if conv.is_rep(index):
            texts.add(conv.turns[index].text)
            texts.add(conv.previous_customer_text(index))
    models[0].encode_views(sorted(texts))


def prepare_turn(conv: Conversation, index: int) -> None:
    """Encode a turn as it arrives: a customer turn at once (its rep's reply will be read with it), a rep turn
    together with the customer turn before it, in one batch."""
    models = loaded_models()
    if models is None:
        return
    texts = [conv.turns[index].text]
    if conv.is_rep(index):
        texts.append(conv.previous_customer_text(index))
    models[0].encode_views(texts)


def context(conv: Conversation, index: int, rule_kinds: frozenset[str]) -> TurnContext:
    """The model's view of rep turn `index`: the customer's previous turn, the rules' kinds, the earlier turns."""
    previous = conv.previous_customer(index)
    earlier = conv.turns[: previous if previous is not None else index]
    return TurnContext(
        customer=conv.turns[previous].text if previous is not None else "",
        rule_kinds=rule_kinds & TEXT_KINDS,
        earlier_rep=tuple(turn.text for turn in conv.turns[:index] if turn.speaker == "rep"),
        earlier_customer=tuple(turn.text for turn in earlier if turn.speaker != "rep"),
    )


def probabilities(conv: Conversation, index: int, rule_kinds: frozenset[str]) -> np.ndarray | None:
    """The model's label probabilities for rep turn `index` (None without a model)."""
    models = loaded_models()
    if models is None:
        return None
    encoder, model = models
    turn_context = context(conv, index, rule_kinds)
    rep, customer = encoder.encode_views([conv.turns[index].text, turn_context.customer])
    return model.probabilities(conv.turns[index].text, turn_context, rep, customer[0])


def _opens_reflection(text: TurnText) -> bool:
    return lexicon("reflecting")["strong_opener"].search(text.norm) is not None


def _asks(conv: Conversation, index: int, label: str) -> bool:
    """Whether a turn can hold a question the rules missed: typed text has a "?"; in speech an open question has
    a question word ("what", "how", "tell me" …) and a closed one needs the utterance classifier as sure it asks as
    the question rules require without a question phrase."""
    raw = conv.turns[index].text
    if is_punctuated(raw):
        return "?" in raw
    if label == "open_question":
        return bool(OPEN_WORDS & set(conv.text(index).tokens))
    heard = conv.utterance(index)
    return heard.label in QUESTION_LABELS and heard.confidence >= questions.MODEL_ALONE_MIN_CONFIDENCE


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
    probs = probabilities(conv, index, kinds)
    if probs is None:
        return found
    model = models[1]
    found_labels = rule_labels = frozenset(KIND_LABEL[k] for k in kinds if k in KIND_LABEL)
    text = conv.text(index)
    reflection = probs[model.labels.index("reflection")]
    if "reflection" in rule_labels and reflection < UNOPENED_REFLECTION_MIN and not _opens_reflection(text):
        rule_labels -= {"reflection"}
    heard = model.decide(probs, rule_labels)
    kept = [
        f
        for f in found
        if (f.kind not in KIND_LABEL or KIND_LABEL[f.kind] in heard) and CONTRADICTED_BY.get(f.kind, "") not in heard
    ]
    added = set(heard - found_labels)
    if lexicon("ownership")["repeat_request"].search(text.norm):
        added -= {"apology", "empathy"}  # "sorry, could you spell that?" asks; it does not apologise
    if "rushing" in added and not judgement.close_down_alone(text):
        added.discard("rushing")  # "…, anything else?" after the rep dealt with something in the same turn
    if "dismissive" in added and lexicon("judgement")["offer"].search(text.norm):
        added.discard("dismissive")  # a refusal that goes on to what the rep can do
    added -= {label for label in ("open_question", "closed_question") if not _asks(conv, index, label)}
    added = {label for label in added if not MODEL_ONLY_CANCELLED_BY.get(label, frozenset()) & heard}
    if "empathy" in found_labels:  # the rules' empathy phrases are sure; the model's guesses beside them are not
        added -= NOT_WITH_RULE_EMPATHY
    for label in model.labels:
        if label in added:
            file, category = EXPLAINED_BY[label]
            explained = lexicon(file)[category]
            kept.append(conv.finding(label, index, None, explained.reason + MODEL_REASON, explained.tip))
    return kept
