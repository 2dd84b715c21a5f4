"""Questions: open, clarifying and closed (including single-fact) questions, in typed and speech-recognition text.

Question phrases (see `question_phrases`) find and type the questions. Unpunctuated speech with no phrase where a
question starts is left to the shipped utterance classifier.
"""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.question_phrases import QUOTE_WORDS, is_typed, phrase_starts, question_spans, quote_span
from coach_app.analysis.text import Span
from coach_app.core import Finding

MODEL_MIN_CONFIDENCE = 0.6
MODEL_ALONE_MIN_CONFIDENCE = 0.85  # with no question phrase anywhere, the classifier must be this sure


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Question findings for one rep turn: at most one per kind."""
    if not conv.is_rep(index):
        return []
    text = conv.text(index)
    found = question_spans(text)
    if not found and not is_typed(text) and len(text.tokens) >= 3:
        # Unpunctuated speech with no phrase where a question starts: if the classifier hears a question, the
        # last question phrase anywhere types it (questions tend to end a turn), else the classifier's label.
        label = conv.utterance(index)
        if label.label in ("open_question", "closed_question") and label.confidence >= MODEL_MIN_CONFIDENCE:
            anywhere = phrase_starts(text, Span(0, len(text.tokens)), anywhere=True)
            if anywhere:
                found = [(anywhere[-1][0], quote_span(anywhere[-1][1], Span(0, len(text.tokens))))]
            elif label.confidence >= MODEL_ALONE_MIN_CONFIDENCE:
                category = "open" if label.label == "open_question" else "closed"
                found = [(category, Span(max(0, len(text.tokens) - QUOTE_WORDS), len(text.tokens)))]
    findings, kinds = [], set()
    for category_name, span in found:
        category = lexicon("questions")[category_name]
        if category.kind in kinds:
            continue
        kinds.add(category.kind)
        findings.append(conv.finding(category.kind, index, span, category.reason, category.tip))
    return findings
