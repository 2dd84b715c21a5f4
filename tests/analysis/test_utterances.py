"""Tests of the shipped utterance classifier: its contract, its export, and typed vs recognised text."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from coach_app.analysis.utterance_features import asr_normalise
from coach_app.analysis.utterances import LABELS, UtteranceLabel, classify, classify_many, load_model
from coach_app.errors import ModelError

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "listening-dev.csv"


def _training_module():
    spec = importlib.util.spec_from_file_location(
        "train_utterance_model", REPO / "training" / "train_utterance_model.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_classify_returns_a_label_with_probabilities_over_all_labels():
    """classify gives one of LABELS, its probability as confidence, and probabilities that sum to one."""
    result = classify("What brings you here today?", "")
    assert isinstance(result, UtteranceLabel)
    assert result.label in LABELS
    assert set(result.probabilities) == set(LABELS)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert result.confidence == pytest.approx(result.probabilities[result.label])
    assert result.confidence == max(result.probabilities.values())


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
    """The exported model evaluated in numpy gives scikit-learn's probabilities on unseen rows."""
    training = _training_module()
    rows = training.read_rows(DATA)
    train_rows = rows.subset(np.arange(0, 500))
    test_rows = rows.subset(np.arange(3000, 3100))
    featurizer, classifier = training.fit(train_rows)
    path = tmp_path / "model.npz"
    training.export(featurizer, classifier, path)
    model = load_model(path)
    for variant in (test_rows, test_rows.asr()):
        expected = classifier.predict_proba(featurizer.transform(variant))
        got = np.array([model.probabilities(t, p) for t, p in zip(variant.texts, variant.prevs, strict=True)])
        assert list(model.labels) == list(classifier.classes_)
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_damaged_model_file_raises_model_error(tmp_path):
    """A model file that is not an npz archive gives a ModelError naming the file."""
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="broken.npz"):
        load_model(broken)
