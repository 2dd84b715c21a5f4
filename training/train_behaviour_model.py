"""Train the behaviour model on the service-turn corpus, print grouped-CV and held-out figures, export it.

Run by hand, after `training/asr_form.py` and `training/service_corpus.py`:
`.venv/bin/python training/train_behaviour_model.py [--corpus DIR] [--out FILE.npz]`.
Training uses only the conversations outside `split.json`'s held-out list, every turn in both its typed and its
speech-recognition form. Each label gets a logistic regression over the turn's word n-grams, its sentence
embedding, the customer's previous turn's embedding and the cues of `behaviour_features` (phrase-rule findings,
overlap with the customer, earlier steps of the call). The phrase rules' findings always stand (a model veto, tried,
overruled clear phrasings outside the corpus), so each label's threshold maximises the F1 of the model's labels
plus the rules' on out-of-fold probabilities of a 5-fold cross-validation grouped by conversation. Sentence
embeddings are cached in build/ (delete it to recompute). Deterministic: same data, same file.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

from embedding_cache import cached_views  # noqa: E402
from npz_export import write_npz  # noqa: E402
from service_corpus import CORPUS, Row, conversations, load_rows, read_split, transcript  # noqa: E402

from coach_app.analysis import rule_findings  # noqa: E402
from coach_app.analysis.behaviour import MODEL_FILE  # noqa: E402
from coach_app.analysis.behaviour_features import KIND_LABEL, LABELS, TurnContext, cue_features  # noqa: E402
from coach_app.analysis.context import Conversation  # noqa: E402
from coach_app.analysis.encoder import shipped_encoder  # noqa: E402
from coach_app.analysis.utterance_features import word_terms  # noqa: E402
from coach_app.scoring.rubric import load_rubric  # noqa: E402

FORMS = ("typed", "asr")
BLOCK_WEIGHTS = (1.0, 1.0, 0.6, 0.5)  # word n-grams, rep embeddings (whole, start, end), customer embedding, cues
C = 4.0
MIN_DF = 2
FOLDS = 5
CACHE = REPO / "build" / "behaviour_embeddings.npz"
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


class Examples:
    """Rep turns in one or both forms: texts, contexts, gold labels, rule labels and conversation groups."""

    def __init__(self) -> None:
        self.reps: list[str] = []
        self.contexts: list[TurnContext] = []
        self.gold: list[frozenset[str]] = []
        self.groups: list[str] = []
        self.forms: list[str] = []

    def add(self, rep: str, context: TurnContext, gold: frozenset[str], group: str, form: str) -> None:
        self.reps.append(rep)
        self.contexts.append(context)
        self.gold.append(gold)
        self.groups.append(group)
        self.forms.append(form)

    def subset(self, index) -> "Examples":
        out = Examples()
        for i in index:
            out.add(self.reps[i], self.contexts[i], self.gold[i], self.groups[i], self.forms[i])
        return out

    def targets(self) -> np.ndarray:
        return np.array([[label in gold for label in LABELS] for gold in self.gold], dtype=bool)

    def rule_labels(self) -> np.ndarray:
        return np.array(
            [[label in {KIND_LABEL.get(k) for k in c.rule_kinds} for label in LABELS] for c in self.contexts],
            dtype=bool,
        )


def build_examples(rows: list[Row]) -> Examples:
    """Every row in both forms, with the phrase rules' finding kinds from analysing its conversation."""
    thresholds = load_rubric().thresholds
    examples = Examples()
    for conv_rows in conversations(rows).values():
        for form in FORMS:
            call, rep_indices = transcript(conv_rows, form)
            conv = Conversation(call, thresholds)
            reps = [row.texts(form)[1] for row in conv_rows]
            customers = [row.texts(form)[0] for row in conv_rows]
            for k, (row, index) in enumerate(zip(conv_rows, rep_indices, strict=True)):
                kinds = frozenset(f.kind for f in rule_findings(conv, index))
                context = TurnContext(customers[k], kinds, tuple(reps[:k]), tuple(customers[:k]))
                examples.add(reps[k], context, row.labels, row.conv, form)
    return examples


def _identity(terms: list[str]) -> list[str]:
    return terms


class Featurizer:
    """Word TF-IDF, the two embeddings and the cues, each block scaled by its weight, side by side."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=MIN_DF)
        self.cues = DictVectorizer()

    def _parts(self, ex: Examples) -> tuple[list[list[str]], np.ndarray, list[dict[str, float]]]:
        terms = [word_terms(rep, c.customer) for rep, c in zip(ex.reps, ex.contexts, strict=True)]
        rep_views = np.stack([self.vectors[rep] for rep in ex.reps])
        customer_vecs = np.vstack([self.vectors[c.customer][0] for c in ex.contexts])
        cosines = np.einsum("ij,ij->i", rep_views[:, 0], customer_vecs)
        cues = [
            cue_features(rep, c, float(cos) if c.customer.strip() else 0.0)
            for rep, c, cos in zip(ex.reps, ex.contexts, cosines, strict=True)
        ]
        dense = np.hstack([rep_views.reshape(len(ex.reps), -1) * BLOCK_WEIGHTS[1], customer_vecs * BLOCK_WEIGHTS[2]])
        return terms, dense, cues

    def fit_transform(self, ex: Examples) -> sparse.csr_matrix:
        terms, dense, cues = self._parts(ex)
        words = self.words.fit_transform(terms) * BLOCK_WEIGHTS[0]
        return sparse.hstack([words, dense, self.cues.fit_transform(cues) * BLOCK_WEIGHTS[3]]).tocsr()

    def transform(self, ex: Examples) -> sparse.csr_matrix:
        terms, dense, cues = self._parts(ex)
        words = self.words.transform(terms) * BLOCK_WEIGHTS[0]
        return sparse.hstack([words, dense, self.cues.transform(cues) * BLOCK_WEIGHTS[3]]).tocsr()


def fit_heads(features: sparse.csr_matrix, targets: np.ndarray) -> list[LogisticRegression]:
    heads = []
    with threadpool_limits(limits=1):
        for k in range(len(LABELS)):
            heads.append(LogisticRegression(C=C, max_iter=1000).fit(features, targets[:, k]))
    return heads


def probabilities(heads: list[LogisticRegression], features: sparse.csr_matrix) -> np.ndarray:
    return np.column_stack([head.predict_proba(features)[:, 1] for head in heads])


def out_of_fold(ex: Examples, vectors: dict[str, np.ndarray]) -> np.ndarray:
    """Out-of-fold probabilities (turns × labels), folds grouped by conversation."""
    probs = np.zeros((len(ex.reps), len(LABELS)))
    for train, test in GroupKFold(n_splits=FOLDS).split(ex.reps, groups=ex.groups):
        featurizer = Featurizer(vectors)
        heads = fit_heads(featurizer.fit_transform(ex.subset(train)), ex.subset(train).targets())
        probs[test] = probabilities(heads, featurizer.transform(ex.subset(test)))
    return probs


def decide(probs: np.ndarray, rules: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """As `BehaviourModel.decide`: the model's labels and the phrase rules' labels together."""
    return (probs >= thresholds) | rules


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float((predicted & gold).sum())
    return 2 * tp / max(float(predicted.sum() + gold.sum()), 1.0)


def tune_thresholds(probs: np.ndarray, rules: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per label, the threshold whose labels (with the rules' labels added) have the best F1 (ties: the lower)."""
    thresholds = np.zeros(len(LABELS))
    for k in range(len(LABELS)):
        scores = [_f1((probs[:, k] >= t) | rules[:, k], targets[:, k]) for t in GRID]
        thresholds[k] = GRID[int(np.argmax(scores))]
    return thresholds


def report(title: str, predicted: np.ndarray, targets: np.ndarray) -> dict[str, tuple[float, float]]:
    """Print per-label precision and recall (plus `none`) and their macro averages; return them."""
    none_pred, none_gold = ~predicted.any(axis=1), ~targets.any(axis=1)
    columns = [*zip(LABELS, predicted.T, targets.T, strict=True), ("none", none_pred, none_gold)]
    figures = {}
    print(f"\n== {title}")
    print(f"{'label':16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for label, pred, gold in columns:
        tp = float((pred & gold).sum())
        precision = tp / max(float(pred.sum()), 1.0)
        recall = tp / max(float(gold.sum()), 1.0)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        figures[label] = (precision, recall)
        print(f"{label:16} {precision:9.3f} {recall:7.3f} {f1:6.3f} {int(gold.sum()):8d}")
    macro_p = float(np.mean([p for p, _ in figures.values()]))
    macro_r = float(np.mean([r for _, r in figures.values()]))
    print(f"{'macro':16} {macro_p:9.3f} {macro_r:7.3f}   min recall {min(r for _, r in figures.values()):.3f}")
    return figures


def _joined(names: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)


def export(featurizer: Featurizer, heads, thresholds, path: Path) -> None:
    """Write the heads as a deterministic compressed .npz (fixed member dates), atomically."""
    vocabulary = featurizer.words.vocabulary_
    arrays = {
        "labels": np.array(LABELS, dtype=str),
        "block_weights": np.array(BLOCK_WEIGHTS, dtype=np.float64),
        "word_terms": _joined(sorted(vocabulary, key=vocabulary.get)),
        "word_idf": featurizer.words.idf_,
        "cue_names": _joined(list(featurizer.cues.feature_names_)),
        "coef": np.column_stack([head.coef_[0] for head in heads]).astype(np.float32),
        "intercept": np.array([head.intercept_[0] for head in heads]),
        "thresholds": thresholds,
    }
    write_npz(arrays, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "models" / MODEL_FILE)
    args = parser.parse_args()
    rows = load_rows(args.corpus)
    held_out = read_split(args.corpus)
    texts = {text for row in rows for text in (row.rep, row.customer, row.rep_asr, row.customer_asr)}
    vectors = cached_views(texts, CACHE)
    shipped_encoder().remember(vectors)  # the phrase rules' utterance classifier reads the same embeddings
    start = time.perf_counter()
    train = build_examples([r for r in rows if r.conv not in held_out])
    test = build_examples([r for r in rows if r.conv in held_out])
    print(
        f"{len(train.reps)} training and {len(test.reps)} held-out examples (both forms); rules in "
        f"{time.perf_counter() - start:.0f} s",
        flush=True,
    )
    oof = out_of_fold(train, vectors)
    targets, rules = train.targets(), train.rule_labels()
    thresholds = tune_thresholds(oof, rules, targets)
    forms = np.array(train.forms)
    for form in FORMS:
        mask = forms == form
        predicted = decide(oof[mask], rules[mask], thresholds)
        report(f"{FOLDS}-fold CV grouped by conversation (training split), {form}", predicted, targets[mask])
    featurizer = Featurizer(vectors)
    heads = fit_heads(featurizer.fit_transform(train), targets)
    probs = probabilities(heads, featurizer.transform(test))
    test_forms = np.array(test.forms)
    for form in FORMS:
        mask = test_forms == form
        predicted = decide(probs[mask], test.rule_labels()[mask], thresholds)
        report(f"held-out split ({len(held_out)} conversations), {form}", predicted, test.targets()[mask])
    print("\nthresholds: " + ", ".join(f"{lab} {t:.2f}" for lab, t in zip(LABELS, thresholds, strict=True)))
    export(featurizer, heads, thresholds, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
