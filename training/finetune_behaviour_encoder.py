"""Fine-tune the sentence encoder into the behaviour model: a cross-encoder over (customer's previous turn, rep turn).

Run by hand, after `training/asr_form.py` and `training/service_corpus.py`, in a venv with the app and the
`training` extra (torch included): `python training/finetune_behaviour_encoder.py [--epochs N] [--out DIR]`.

The shipped all-MiniLM-L6-v2 weights (`resources/models/sentence_encoder/weights.npz`) are loaded into a small
torch BERT that mirrors `coach_app/analysis/encoder.py` operation for operation, so the exported weights run in the
app's numpy forward pass with the same results (checked to 1e-6). The input is the BERT pair
`[CLS] customer [SEP] rep [SEP]` (the end of a long customer turn and the start of a long rep turn kept, PAIR_TOKENS
at most); the [CLS] state and the mean state of the rep's segment, beside the run-time cues of
`behaviour.cue_vector` (earlier steps of the call), feed one multi-label head over the 13 behaviour labels. On two
shared cores only the top 6 − FROZEN_LAYERS layers and the head are trained: the embeddings (one token type, so the
segments are told apart by [SEP] and position) and the lower layers keep the shipped weights, run once per
example. The word embeddings are not exported: the app reads them from the sentence encoder's file. Each epoch
sees every training turn once, in its typed or its speech-recognition form (drawn afresh).

Training uses the conversations outside `split.json`'s held-out list, every turn in typed and speech-recognition
form. A fifth of them (grouped by conversation, within each quality) is an inner validation set: it sets each
label's threshold (given RULES_NEED_MODEL: which labels' phrase-rule findings need the model's agreement), and its
figures are the model's validation figures (one grouped fold, a little optimistic by the thresholds set on it). The
exported model is trained on the other four fifths: the average of its weights over the later epochs.
Deterministic: seeds, deterministic torch algorithms, a fixed thread count; same data, same file.
"""

import argparse
import hashlib
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

from embedding_cache import cached_views  # noqa: E402
from npz_export import write_npz  # noqa: E402
from service_corpus import CORPUS, Row, conversations, load_rows, read_split, transcript  # noqa: E402

from coach_app.analysis import rule_findings  # noqa: E402
from coach_app.analysis.behaviour import CUE_NAMES, MODEL_DIR, PAIR_TOKENS, cue_vector  # noqa: E402
from coach_app.analysis.behaviour_features import KIND_LABEL, LABELS, TurnContext  # noqa: E402
from coach_app.analysis.bert import LAYER_KEYS  # noqa: E402
from coach_app.analysis.context import Conversation  # noqa: E402
from coach_app.analysis.encoder import ENCODER_DIR, WEIGHTS_FILE, pair_ids, shipped_encoder  # noqa: E402
from coach_app.scoring.rubric import load_rubric  # noqa: E402

FORMS = ("typed", "asr")
SEED = 12
THREADS = 2
FROZEN_LAYERS = 2  # of 6: the two-core budget affords training the top four layers and the head
BATCH = 16
LR = 8e-5
HEAD_LR = 1e-3
WEIGHT_DECAY = 0.01
WARMUP = 0.06
DROPOUT = 0.1
MAX_POS_WEIGHT = 4.0
AVERAGE_FROM = 0.5  # the exported weights average those after each epoch from this fraction of the run on
# The labels whose phrase-rule findings need the model's agreement: their rules are imprecise on the corpus
# ("anything else?" is rushing, not a closed question; a refusal that repeats the customer is no reflection). The
# other labels' rules stand alone: letting the model veto them raised validation F1 a little, but overruled clear
# phrasings outside the corpus (the hand-written lines in tests/analysis/).
RULES_NEED_MODEL = ("closed_question", "reflection")
VALIDATION_SEED = "listening-coach-inner-validation-1"
CACHE = REPO / "build" / "behaviour_embeddings.npz"
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
SMOOTHING = 4  # grid steps either side (±0.1) over which a threshold's F1 is averaged
EPS = 1e-12
# Parts r and s were written and labelled by trainers given only one line per label, as a trainer outside the project
# would read the labels; each of their examples counts this many times in training and in the choice of thresholds.
NATURAL_PARTS = ("r", "s")
NATURAL_WEIGHT = 3


class Examples:
    """Rep turns in both forms: pair ids, cue vectors, gold labels, rule labels, conversation and form."""

    def __init__(self) -> None:
        self.ids: list[tuple[list[int], list[int]]] = []
        self.cues: list[np.ndarray] = []
        self.gold: list[list[bool]] = []
        self.rules: list[list[bool]] = []
        self.groups: list[str] = []
        self.forms: list[str] = []

    def subset(self, keep) -> "Examples":
        out = Examples()
        for name in vars(self):
            setattr(out, name, [getattr(self, name)[i] for i in keep])
        return out

    def targets(self) -> np.ndarray:
        return np.array(self.gold, dtype=bool)

    def rule_labels(self) -> np.ndarray:
        return np.array(self.rules, dtype=bool)


def weighted(ex: Examples) -> Examples:
    """The examples with those of the natural parts repeated NATURAL_WEIGHT times."""
    natural = [i for i, group in enumerate(ex.groups) if group.split("-", 1)[0] in NATURAL_PARTS]
    out = ex.subset(list(range(len(ex.groups))) + natural * (NATURAL_WEIGHT - 1))
    # each repeat is its own turn, so training draws it again every epoch
    out.groups[len(ex.groups) :] = [f"{ex.groups[i]}#{copy}" for copy in range(1, NATURAL_WEIGHT) for i in natural]
    return out


def build_examples(rows: list[Row], tokenizer, with_rules: bool) -> Examples:
    """Every row in both forms; `with_rules`: with the phrase rules' labels from analysing its conversation."""
    thresholds = load_rubric().thresholds
    examples = Examples()
    for conv_rows in conversations(rows).values():
        for form in FORMS:
            call, rep_indices = transcript(conv_rows, form)
            conv = Conversation(call, thresholds)
            reps = [row.texts(form)[1] for row in conv_rows]
            customers = [row.texts(form)[0] for row in conv_rows]
            for k, (row, index) in enumerate(zip(conv_rows, rep_indices, strict=True)):
                kinds = frozenset(f.kind for f in rule_findings(conv, index)) if with_rules else frozenset()
                context = TurnContext(customers[k], tuple(reps[:k]))
                examples.ids.append(pair_ids(tokenizer, customers[k], reps[k], PAIR_TOKENS))
                examples.cues.append(cue_vector(context))
                examples.gold.append([label in row.labels for label in LABELS])
                rule_labels = {KIND_LABEL[k] for k in kinds if k in KIND_LABEL}
                examples.rules.append([label in rule_labels for label in LABELS])
                examples.groups.append(f"{row.conv}/{row.turn}")
                examples.forms.append(form)
    return examples


def inner_validation(convs: set[str], quality: dict[str, str]) -> set[str]:
    """A fifth of the training conversations, every fifth within each quality ordered by a seeded hash."""
    chosen = set()
    for level in sorted(set(quality.values())):
        ranked = sorted(
            (c for c in convs if quality[c] == level),
            key=lambda c: hashlib.sha256(f"{VALIDATION_SEED}/{c}".encode()).hexdigest(),
        )
        chosen |= set(ranked[::5])
    return chosen


class Bert(nn.Module):
    """all-MiniLM-L6-v2 as `coach_app/analysis/encoder.py` computes it, with token types and the behaviour head.
    The embeddings and the first FROZEN_LAYERS layers keep the shipped weights (`lower`, run once per example);
    the layers above and the head are trained (`forward`)."""

    def __init__(self, arrays: dict[str, np.ndarray], cues: int) -> None:
        super().__init__()

        def param(name: str) -> nn.Parameter:
            return nn.Parameter(torch.tensor(arrays[name].astype(np.float32)), requires_grad=False)

        self.heads = int(arrays["heads"][0])
        self.word_embeddings = param("word_embeddings")
        self.position_embeddings = param("position_embeddings")
        self.type_embedding = param("type_embedding")
        self.embedding_norm = nn.ParameterList([param("embedding_norm_gain"), param("embedding_norm_bias")])
        self.layers = nn.ModuleList()
        for i in range(int(arrays["layers"][0])):
            layer = nn.Module()
            for name in LAYER_KEYS:
                layer.register_parameter(name, param(f"layer{i}.{name}"))
                getattr(layer, name).requires_grad = i >= FROZEN_LAYERS
            self.layers.append(layer)
        width = self.position_embeddings.shape[1]
        self.dropout = nn.Dropout(DROPOUT)
        self.head = nn.Linear(2 * width + cues, len(LABELS))
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    @staticmethod
    def _norm(x: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        mean = x.mean(-1, keepdim=True)
        centred = x - mean
        variance = (centred * centred).mean(-1, keepdim=True)
        return centred / torch.sqrt(variance + EPS) * gain + bias

    def _layer(self, layer: nn.Module, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        head_width = width // self.heads
        qkv = x @ layer.qkv + layer.qkv_bias
        qkv = qkv.reshape(batch, length, 3, self.heads, head_width).permute(2, 0, 3, 1, 4)
        scores = qkv[0] @ qkv[1].transpose(-1, -2) * (1.0 / math.sqrt(head_width)) + bias
        attended = (torch.softmax(scores, -1) @ qkv[2]).transpose(1, 2).reshape(batch, length, width)
        x = x + attended @ layer.attention_out + layer.attention_out_bias
        x = self._norm(x, layer.attention_norm_gain, layer.attention_norm_bias)
        hidden = x @ layer.up + layer.up_bias
        hidden = 0.5 * hidden * (1.0 + torch.erf(hidden * (1.0 / math.sqrt(2.0))))
        return self._norm(x + hidden @ layer.down + layer.down_bias, layer.output_norm_gain, layer.output_norm_bias)

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The frozen part: embeddings and the first FROZEN_LAYERS layers."""
        x = self.word_embeddings[ids] + self.position_embeddings[: ids.shape[1]] + self.type_embedding
        x = self._norm(x, *self.embedding_norm)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self.layers[:FROZEN_LAYERS]:
            x = self._layer(layer, x, bias)
        return x

    def forward(self, x: torch.Tensor, second: torch.Tensor, mask: torch.Tensor, cues: torch.Tensor) -> torch.Tensor:
        """Label logits from the frozen part's states `x`."""
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self.layers[FROZEN_LAYERS:]:
            x = self._layer(layer, x, bias)
        rep = mask * second
        pooled = torch.cat([x[:, 0], (rep[:, :, None] * x).sum(1) / rep.sum(1, keepdim=True)], 1)
        return self.head(torch.cat([self.dropout(pooled), cues], 1))

    def export(self) -> dict[str, np.ndarray]:
        """The weights under the sentence encoder's key names (word embeddings left out), plus the head."""
        arrays: dict[str, np.ndarray] = {
            "heads": np.array([self.heads]),
            "layers": np.array([len(self.layers)]),
            "position_embeddings": _half(self.position_embeddings),
            "type_embedding": _half(self.type_embedding),
            "embedding_norm_gain": _half(self.embedding_norm[0]),
            "embedding_norm_bias": _half(self.embedding_norm[1]),
        }
        for i, layer in enumerate(self.layers):
            arrays |= {f"layer{i}.{name}": _half(getattr(layer, name)) for name in LAYER_KEYS}
        arrays["head_weight"] = self.head.weight.detach().numpy().T.astype(np.float32)
        arrays["head_bias"] = self.head.bias.detach().numpy().astype(np.float32)
        return arrays


def _half(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().numpy().astype(np.float16)


def buckets(ex: Examples, chosen: np.ndarray) -> list[np.ndarray]:
    """Length-sorted batches of BATCH examples (little padding)."""
    lengths = np.array([len(ex.ids[i][0]) for i in chosen])
    ranked = chosen[np.argsort(lengths, kind="stable")]
    return [ranked[start : start + BATCH] for start in range(0, len(ranked), BATCH)]


def padded(ex: Examples, chosen: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Ids, second-segment mask and padding mask of some examples, padded to the longest."""
    length = max(len(ex.ids[i][0]) for i in chosen)
    ids = torch.zeros((len(chosen), length), dtype=torch.long)
    second = torch.zeros((len(chosen), length))
    mask = torch.zeros((len(chosen), length))
    for row, i in enumerate(chosen):
        token_ids, type_ids = ex.ids[i]
        ids[row, : len(token_ids)] = torch.tensor(token_ids)
        second[row, : len(type_ids)] = torch.tensor(type_ids, dtype=torch.float32)
        mask[row, : len(token_ids)] = 1.0
    return ids, second, mask


def lower_states(model: Bert, ex: Examples) -> list[torch.Tensor]:
    """Every example's states after the frozen layers (unpadded), computed once."""
    states: list[torch.Tensor] = [torch.zeros(0)] * len(ex.ids)
    with torch.no_grad():
        for chosen in buckets(ex, np.arange(len(ex.ids))):
            ids, _, mask = padded(ex, chosen)
            x = model.lower(ids, mask)
            for row, i in enumerate(chosen):
                states[i] = x[row, : len(ex.ids[i][0])].clone()
    return states


def batch_inputs(ex: Examples, states: list[torch.Tensor], chosen: np.ndarray):
    ids, second, mask = padded(ex, chosen)
    x = torch.zeros((*ids.shape, states[chosen[0]].shape[1]))
    for row, i in enumerate(chosen):
        x[row, : len(states[i])] = states[i]
    cues = torch.tensor(np.stack([ex.cues[i] for i in chosen]), dtype=torch.float32)
    return x, second, mask, cues


def predict(model: Bert, ex: Examples, states: list[torch.Tensor]) -> np.ndarray:
    model.eval()
    probs = np.zeros((len(ex.ids), len(LABELS)))
    with torch.no_grad():
        for chosen in buckets(ex, np.arange(len(ex.ids))):
            probs[chosen] = torch.sigmoid(model(*batch_inputs(ex, states, chosen))).numpy()
    return probs


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float((predicted & gold).sum())
    return 2 * tp / max(float(predicted.sum() + gold.sum()), 1.0)


def decide(probs: np.ndarray, rules: np.ndarray, thresholds: np.ndarray, rules_stand: np.ndarray) -> np.ndarray:
    """As `BehaviourModel.decide`: the model's labels, and the rules' labels where they stand by themselves."""
    return (probs >= thresholds) | (rules & rules_stand)


def tune(probs: np.ndarray, rules: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per label, the rule policy (RULES_NEED_MODEL's rule findings need the model's agreement, the others stand
    alone) and the threshold at the middle of the best stretch of its F1 curve: each threshold's F1 is averaged with
    its SMOOTHING neighbours on either side before the best is taken (ties: the lower threshold). The curves are
    flat, so a lone peak would otherwise carry a threshold far off on a few validation turns (cross-fitted over the
    validation calls, the smoothed choice scores a little higher than the peak). Only thresholds with all their
    neighbours on the grid are candidates: a window cut short at the grid's end averages only its best side of a
    curve still rising there, and put the blame-shifting threshold at 0.95 (recall 0.55)."""
    rules_stand = np.array([label not in RULES_NEED_MODEL for label in LABELS])
    thresholds = np.zeros(len(LABELS))
    for k in range(len(LABELS)):
        scores = np.array([_f1((probs[:, k] >= t) | (rules[:, k] & rules_stand[k]), targets[:, k]) for t in GRID])
        smoothed = [scores[i - SMOOTHING : i + SMOOTHING + 1].mean() for i in range(SMOOTHING, len(GRID) - SMOOTHING)]
        thresholds[k] = GRID[SMOOTHING + int(np.argmax(smoothed))]
    return thresholds, rules_stand


def tuned(probs: np.ndarray, rules: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """`tune`'s thresholds and rule policies, and the macro F1 of the labels they give."""
    thresholds, stand = tune(probs, rules, targets)
    predicted = decide(probs, rules, thresholds, stand)
    return thresholds, stand, float(np.mean([_f1(predicted[:, k], targets[:, k]) for k in range(len(LABELS))]))


def report(title: str, predicted: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """Print per-label precision and recall (plus `none`) and their macro averages; return the macro figures."""
    none_pred, none_gold = ~predicted.any(axis=1), ~targets.any(axis=1)
    columns = [*zip(LABELS, predicted.T, targets.T, strict=True), ("none", none_pred, none_gold)]
    figures = []
    print(f"\n== {title}")
    print(f"{'label':16} {'precision':>9} {'recall':>7} {'support':>8}")
    for label, pred, gold in columns:
        tp = float((pred & gold).sum())
        precision, recall = tp / max(float(pred.sum()), 1.0), tp / max(float(gold.sum()), 1.0)
        figures.append((precision, recall))
        print(f"{label:16} {precision:9.3f} {recall:7.3f} {int(gold.sum()):8d}")
    macro_p, macro_r = (float(np.mean(column)) for column in zip(*figures, strict=True))
    print(f"{'macro':16} {macro_p:9.3f} {macro_r:7.3f}   min recall {min(r for _, r in figures):.3f}", flush=True)
    return macro_p, macro_r


def train(model: Bert, ex: Examples, val: Examples, epochs: int):
    """AdamW with warm-up and linear decay, each epoch over every turn in one of its two forms (drawn afresh);
    after each epoch the validation macro F1 (thresholds and rule policies tuned). The model ends with the average
    of its weights after each epoch of the later part of the run (from AVERAGE_FROM of the epochs on), which
    generalises better than any one epoch's; returns that model's validation probabilities with
    the thresholds and rule policies tuned on them."""
    states, val_states = lower_states(model, ex), lower_states(model, val)
    print(f"frozen layers run over {len(ex.ids) + len(val.ids)} examples", flush=True)
    targets = torch.tensor(ex.targets(), dtype=torch.float32)
    positives = targets.sum(0)
    pos_weight = torch.clamp(torch.sqrt((len(targets) - positives) / positives.clamp(min=1.0)), 1.0, MAX_POS_WEIGHT)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    encoder_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimiser = torch.optim.AdamW(
        [{"params": encoder_params, "lr": LR}, {"params": list(model.head.parameters()), "lr": HEAD_LR}],
        weight_decay=WEIGHT_DECAY,
    )
    forms_of: dict[str, list[int]] = {}
    for i, group in enumerate(ex.groups):
        forms_of.setdefault(group, []).append(i)
    turns = list(forms_of.values())
    rng = np.random.RandomState(SEED)
    total = math.ceil(len(turns) / BATCH) * epochs
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / (WARMUP * total), max(0.0, (total - step) / (total * (1 - WARMUP))))
    )
    val_rules, val_targets = val.rule_labels(), val.targets()
    averaged: dict[str, torch.Tensor] = {}
    first = max(1, math.ceil(AVERAGE_FROM * epochs))
    for epoch in range(1, epochs + 1):
        model.train()
        start = time.perf_counter()
        chosen = np.array([forms[rng.randint(len(forms))] for forms in turns])
        chunks = buckets(ex, chosen)
        for n, step in enumerate(rng.permutation(len(chunks))):
            loss = loss_fn(model(*batch_inputs(ex, states, chunks[step])), targets[chunks[step]])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(encoder_params, 1.0)
            optimiser.step()
            schedule.step()
            if n % 50 == 0:
                print(f"  epoch {epoch} batch {n}/{len(chunks)}: {time.perf_counter() - start:.0f} s", flush=True)
        seconds = time.perf_counter() - start
        *_, score = tuned(predict(model, val, val_states), val_rules, val_targets)
        print(f"epoch {epoch}: {seconds:.0f} s training, validation macro F1 {score:.3f}", flush=True)
        if epoch >= first:
            n = epoch - first + 1
            for name, value in model.state_dict().items():
                averaged[name] = value.detach().clone() if n == 1 else averaged[name] + (value - averaged[name]) / n
    model.load_state_dict(averaged)
    probs = predict(model, val, val_states)
    thresholds, stand, score = tuned(probs, val_rules, val_targets)
    print(f"epochs {first}-{epochs} averaged: validation macro F1 {score:.3f}", flush=True)
    return probs, thresholds, stand


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "models" / MODEL_DIR)
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(THREADS)
    rows = load_rows(args.corpus)
    held_out = read_split(args.corpus)
    rows = [row for row in rows if row.conv not in held_out]
    encoder = shipped_encoder()
    quality = {row.conv: row.quality for row in rows}
    validation = inner_validation(set(quality), quality)
    val_rows = [r for r in rows if r.conv in validation]
    texts = {text for row in val_rows for text in (row.rep, row.rep_asr)}
    encoder.remember(cached_views(texts, CACHE))  # the phrase rules' utterance classifier reads these
    start = time.perf_counter()
    train_ex = weighted(build_examples([r for r in rows if r.conv not in validation], encoder.tokenizer, False))
    val_ex = weighted(build_examples(val_rows, encoder.tokenizer, with_rules=True))
    print(
        f"{len(train_ex.ids)} training and {len(val_ex.ids)} inner-validation examples ({len(validation)} calls), "
        f"both forms; rules in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    with np.load(REPO / "resources" / "models" / ENCODER_DIR / WEIGHTS_FILE) as data:
        arrays = {name: data[name] for name in data.files}
    model = Bert(arrays, len(CUE_NAMES))
    probs, thresholds, stand = train(model, train_ex, val_ex, args.epochs)
    rules, targets = val_ex.rule_labels(), val_ex.targets()
    forms = np.array(val_ex.forms)
    for form in FORMS:
        mask = forms == form
        title = f"inner validation ({len(validation)} training calls held back), {form}"
        report(title, decide(probs[mask], rules[mask], thresholds, stand), targets[mask])
    print("\nthresholds: " + ", ".join(f"{lab} {t:.3f}" for lab, t in zip(LABELS, thresholds, strict=True)))
    print("rules stand alone: " + ", ".join(lab for lab, s in zip(LABELS, stand, strict=True) if s))
    arrays = model.export() | {
        "labels": np.array(LABELS, dtype=str),
        "cue_names": np.array(CUE_NAMES, dtype=str),
        "thresholds": thresholds,
        "rules_stand": stand,
        "pair_tokens": np.array([PAIR_TOKENS]),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / WEIGHTS_FILE
    write_npz(arrays, path, compressed=False)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
