"""Tests of the shipped utterance classifier: its contract, its export, and typed vs recognised text."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from coach_app.analysis.utterance_features import asr_normalise
from coach_app.analysis.utterances import (
    LABELS,
    QUESTION_LABELS,
    UtteranceLabel,
    classify,
    classify_many,
    load_model,
    question_type,
    sentence_embedding,
)
from coach_app.errors import ModelError

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "annomi" / "listening-dev.csv"

# Hand-labelled customer-service lines (rep line, customer's previous line, label): not counselling language.
SERVICE_UTTERANCES: tuple[tuple[str, str, str], ...] = (
    ("Can you tell me more about what happened with the delivery?", "My parcel never turned up.", "open_question"),
    ("What would make this right for you?", "I'm just really fed up with all of this.", "open_question"),
    ("How has the outage affected your business this week?", "We've had no internet since Monday.", "open_question"),
    ("What did the engineer say when he came out?", "Someone came on Tuesday but it's still broken.", "open_question"),
    ("Why do you think the subscription isn't working for you anymore?", "I want to cancel.", "open_question"),
    ("How would you like us to handle the refund?", "I just want my money back.", "open_question"),
    ("What happened when you tried to log in?", "The app won't let me in.", "open_question"),
    ("Walk me through what you see on the screen.", "It just shows an error.", "open_question"),
    ("Is your account number 1234?", "I can give you my details.", "closed_question"),
    ("Did you try restarting it?", "The router keeps dropping the connection.", "closed_question"),
    ("Have you received the confirmation email?", "I placed the order yesterday.", "closed_question"),
    ("Would you like me to send a replacement today?", "The blender arrived cracked.", "closed_question"),
    ("Is the charge still showing on your statement?", "You billed me twice last month.", "closed_question"),
    ("Are you calling about the order from last week?", "Hi, I'm calling about my order.", "closed_question"),
    ("Do you have the tracking number handy?", "It was supposed to come on Monday.", "closed_question"),
    ("Can I put you on hold for a moment?", "Okay, I'll wait.", "closed_question"),
    (
        "So if I'm hearing you right, the drone was meant for Saturday.",
        "I ordered the drone for my son's birthday on Saturday and it still hasn't come.",
        "reflection",
    ),
    (
        "It sounds like you've been let down more than once and you're tired of chasing us.",
        "This is the third time I've called and nobody ever calls me back.",
        "reflection",
    ),
    (
        "You're worried the gift won't arrive in time for the party.",
        "The party is on Friday and the gift still hasn't shipped.",
        "reflection",
    ),
    (
        "So the internet drops every evening, right when your team needs it most.",
        "Every evening the connection drops and my staff can't work.",
        "reflection",
    ),
    (
        "That sounds really frustrating, waiting in all day for an engineer who never came.",
        "I took the day off work and the engineer never showed up.",
        "reflection",
    ),
    (
        "You'd rather keep the account but the price has become too much for you.",
        "I like the service, I just can't afford it anymore.",
        "reflection",
    ),
    ("I'll call you back on Friday with an update.", "Okay, thanks.", "other"),
    ("Thank you for your patience while I looked into that.", "Sure.", "other"),
    ("Our returns policy covers thirty days from delivery.", "Can I still send it back?", "other"),
    ("I've issued the refund and it will reach your card in three to five days.", "Okay.", "other"),
    ("Let me check that for you.", "My order number is 5521.", "other"),
    ("I'm sorry, that's our mistake and I'll put it right.", "You sent me the wrong size.", "other"),
    ("Good morning, you're through to Sam at Brightline.", "", "other"),
    ("The replacement will be dispatched today by courier.", "So what happens now?", "other"),
)


def _training_module():
    spec = importlib.util.spec_from_file_location(
        "train_utterance_model", REPO / "training" / "train_utterance_model.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "prev"),
    [("What brings you here today?", ""), ("It sounds like the move has been hard on you.", "Moving was so hard.")],
)
def test_classify_returns_a_label_with_probabilities_over_all_labels(text, prev):
    """classify gives one of LABELS, probabilities that sum to one, and as confidence the probability of its label,
    or for a question the probability that the utterance asks at all."""
    result = classify(text, prev)
    assert isinstance(result, UtteranceLabel)
    assert result.label in LABELS
    assert set(result.probabilities) == set(LABELS)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    if result.label in QUESTION_LABELS:
        asks = sum(result.probabilities[label] for label in QUESTION_LABELS)
        assert result.confidence == pytest.approx(asks)
    else:
        assert result.confidence == pytest.approx(result.probabilities[result.label])


@pytest.mark.parametrize(
    ("model_label", "text", "expected"),
    [
        ("open_question", "Okay. So how many do you usually have?", "closed_question"),
        ("open_question", "okay so how many do you usually have", "closed_question"),
        ("open_question", "Would you like to talk more about that?", "open_question"),
        ("closed_question", "Have you got a date in mind?", "closed_question"),
        ("closed_question", "And how are you feeling about it?", "open_question"),
        ("closed_question", "and how are you feeling about it", "open_question"),
        ("closed_question", "Did it arrive? And what happened then?", "open_question"),
        ("open_question", "mm right", "open_question"),
        ("reflection", "Did you try restarting it?", "reflection"),
        ("other", "what happened next", "other"),
    ],
)
def test_question_phrases_type_a_question_the_model_finds(model_label, text, expected):
    """The model decides whether an utterance asks; open and single-fact question phrases say open or closed (any
    open question makes it open); a yes/no form or no phrase leaves the model's type; non-questions stay."""
    assert question_type(model_label, text) == expected


def test_training_decision_matches_classify():
    """The training script's vectorised decision gives the labels question_type gives, row by row."""
    training = _training_module()
    sample = ["How many have you tried?", "what made you decide", "You feel stuck.", "so is that right", "Go on."]
    texts = [text for text in sample for _ in LABELS]  # every text with every label scoring best
    scores = np.tile(np.eye(len(LABELS)), (len(sample), 1))
    decided = training.decide(scores, np.array(LABELS), training.phrase_kinds(texts))
    expected = [question_type(LABELS[i % len(LABELS)], text) for i, text in enumerate(texts)]
    assert list(decided) == expected
    assert decided[0] == "closed_question" and decided[5] == "open_question"  # typed by its phrase, not by the model


def test_classify_many_matches_classify():
    """classify_many labels each pair exactly as classify does."""
    pairs = [("How did that feel?", "I lost my job."), ("Okay.", "Yes.")]
    assert classify_many(pairs) == [classify(text, prev) for text, prev in pairs]


def test_clear_cases_typed_and_recognised():
    """Prototypical open, closed and reflective utterances are labelled right with and without punctuation."""
    cases = [
        ("What would make this right for you?", "", "open_question"),
        ("Did you try restarting it?", "It just stopped working.", "closed_question"),
        (
            "So it sounds like you're really frustrated that the parcel never arrived.",
            "I waited all week and the parcel never arrived, I'm so annoyed.",
            "reflection",
        ),
    ]
    for text, prev, label in cases:
        assert classify(text, prev).label == label, text
        assert classify(asr_normalise(text), asr_normalise(prev)).label == label, asr_normalise(text)


def test_numpy_inference_equals_scikit_learn(tmp_path):
    """The exported ensemble (with per-label offsets) evaluated in numpy gives the training script's probabilities."""
    training = _training_module()
    rows = training.read_rows(DATA)
    train_rows = rows.subset(np.arange(0, 500))
    test_rows = rows.subset(np.arange(3000, 3100))
    featurizer, classifier = training.fit(train_rows, tune_offsets=False)
    classifier.offsets = np.array([0.3, -0.2, 0.1, 0.0])
    path = tmp_path / "model.npz"
    training.export(featurizer, classifier, path)
    model = load_model(path)
    for variant in (test_rows, test_rows.asr()):
        expected = classifier.predict_proba(featurizer.transform(variant))
        pairs = zip(variant.texts, variant.prevs, strict=True)
        got = np.array([model.probabilities(t, p, sentence_embedding(t)) for t, p in pairs])
        assert list(model.labels) == list(classifier.classes_)
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_model_file_from_another_version_raises_model_error(tmp_path):
    """An archive with a missing array, or offsets of another shape, gives a ModelError naming the file."""
    with np.load(REPO / "resources" / "models" / "utterance_classifier.npz") as data:
        arrays = {name: data[name] for name in data.files}
    without_key = tmp_path / "without_key.npz"
    np.savez(without_key, **{name: a for name, a in arrays.items() if name != "coef"})
    old_offsets = tmp_path / "old_offsets.npz"
    np.savez(old_offsets, **{**arrays, "offsets": np.zeros((2, 4))})
    for path in (without_key, old_offsets):
        with pytest.raises(ModelError, match=path.name):
            load_model(path)


def test_damaged_model_file_raises_model_error(tmp_path):
    """A model file that is not an npz archive gives a ModelError naming the file."""
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="broken.npz"):
        load_model(broken)


@pytest.mark.parametrize(("variant", "minimum"), [("typed", 0.8), ("recognised", 0.7)])
def test_generalises_to_customer_service_phrasing(variant, minimum):
    """On hand-labelled service-call lines (not counselling), most labels are right, typed and recognised."""
    normalise = asr_normalise if variant == "recognised" else str
    right = [classify(normalise(text), normalise(prev)).label == label for text, prev, label in SERVICE_UTTERANCES]
    assert sum(right) / len(right) >= minimum


def test_training_and_export_are_deterministic(tmp_path):
    """Training twice on the same rows (offsets tuned by inner cross-validation) writes byte-identical files."""
    training = _training_module()
    rows = training.read_rows(DATA).subset(np.arange(0, 300))
    paths = [tmp_path / "first.npz", tmp_path / "second.npz"]
    for path in paths:
        training.export(*training.fit(rows), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


@pytest.mark.parametrize("text", ["", "   ", "?", "“Ünïcödé” — text…", "word " * 500])
def test_odd_input_still_gets_a_valid_label(text):
    """Empty, punctuation-only, non-ASCII and very long utterances get a label and probabilities, not an error."""
    result = classify(text, "")
    assert result.label in LABELS
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
