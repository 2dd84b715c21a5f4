"""A BERT encoder's token states, computed by onnxruntime from weights in the sentence encoder's .npz format.

The arrays (see `training/convert_encoder.py`): `heads`, `layers`, `word_embeddings`, `position_embeddings`,
`type_embedding` (and, for a model read in sentence pairs, `pair_type_embedding`, the second segment's), the
embedding LayerNorm, and per layer `layer{i}.` the fused query/key/value projection, the attention output, its
LayerNorm, the feed-forward `up` and `down` projections and the output LayerNorm. Any precision is read as float32.

The token embeddings are summed in numpy (only the rows a batch uses are read); the rest runs as one ONNX graph
built in memory from the arrays, with onnxruntime's fused kernels for attention, GELU and residual LayerNorm:
about twice as fast as the same arithmetic in numpy, with the same results to float32 rounding.
"""

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from coach_app import onnx_runtime
from coach_app.analysis import onnx_proto as proto
from coach_app.heap import release_freed_memory

NORM_EPSILON = 1e-12
WEIGHTS_NAME = "weights.bin"  # the in-memory file the graph's initializers refer to
BATCH_THREADS = 2  # the target machine's cores: a transcript's batches run two at a time
Batch = TypeVar("Batch")
Result = TypeVar("Result")
LAYER_KEYS = (
    "qkv",
    "qkv_bias",
    "attention_out",
    "attention_out_bias",
    "attention_norm_gain",
    "attention_norm_bias",
    "up",
    "up_bias",
    "down",
    "down_bias",
    "output_norm_gain",
    "output_norm_bias",
)


class Bert:
    """`states(ids, mask, types)` gives the last layer's token states of a padded batch, (batch, length, width)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        onnxruntime = onnx_runtime.onnxruntime()  # only needed once an encoder is loaded

        self.layers = int(arrays["layers"][0])
        self.word_embeddings = arrays["word_embeddings"]  # kept in its stored precision: only rows are read
        self.position_embeddings = arrays["position_embeddings"].astype(np.float32)
        first = arrays["type_embedding"].astype(np.float32)
        second = arrays["pair_type_embedding"].astype(np.float32) if "pair_type_embedding" in arrays else first
        self.type_embeddings = np.stack([first, second])
        options = onnxruntime.SessionOptions()
        # One thread: these small matrices gain little from two, and on a busy 2-core machine threads fighting
        # for the cores made encoding several times slower. A transcript uses both cores by running two batches at
        # once instead (`each_batch`).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.enable_mem_pattern = False  # every batch has another shape
        options.enable_cpu_mem_arena = False  # an arena keeps the largest batch's memory for good (+35 MB)
        graph, weights = _graph(arrays)
        # The weights go in as an in-memory file that onnxruntime copies, so nothing keeps a second copy.
        options.add_external_initializers_from_files_in_memory([WEIGHTS_NAME], [weights], [weights.nbytes])
        self._session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def states(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray | None = None) -> np.ndarray:
        """Token states (float32) of `ids` (batch, length); `mask` is 1 on real tokens, 0 on padding; `types` are
        the token types (0 first segment, 1 second; all 0 when None)."""
        length = ids.shape[1]
        x = self.word_embeddings[ids].astype(np.float32)
        x += self.position_embeddings[:length]
        x += self.type_embeddings[0] if types is None else self.type_embeddings[types]
        return self._session.run(None, {"embedded": x, "mask": mask.astype(np.int32)})[0]


def each_batch(run: Callable[[Batch], Result], batches: Sequence[Batch]) -> list[Result]:
    """`run(batch)` for every batch, in order. Several batches (a whole transcript) run BATCH_THREADS at a time, each
    in its own thread on the one-thread session (onnxruntime releases the GIL), so both cores work without a second
    session's copy of the weights; a single batch (a turn analysed live) runs in the calling thread. The threads'
    freed buffers are then handed back to the system: glibc would keep them in the threads' heaps for good."""
    if len(batches) < 2:
        return [run(batch) for batch in batches]
    with ThreadPoolExecutor(BATCH_THREADS, thread_name_prefix="encoder") as pool:
        results = list(pool.map(run, batches))
    release_freed_memory()
    return results


def _graph(arrays: dict[str, np.ndarray]) -> tuple[bytes, np.ndarray]:
    """The ONNX model and its weights file: embedding LayerNorm, then per layer com.microsoft Attention,
    SkipLayerNormalization, BiasGelu and SkipLayerNormalization (the residual LayerNorms with their dense layers'
    biases)."""
    heads, width = int(arrays["heads"][0]), arrays["position_embeddings"].shape[1]
    layers = int(arrays["layers"][0])
    names = ["embedding_norm_gain", "embedding_norm_bias"]
    names += [f"layer{i}.{key}" for i in range(layers) for key in LAYER_KEYS]
    sizes = [arrays[name].size for name in names]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    weights = np.empty(offsets[-1], dtype="<f4")
    initializers = []
    for name, start, end in zip(names, offsets[:-1], offsets[1:], strict=True):
        weights[start:end] = arrays[name].reshape(-1)
        initializers.append(proto.external_tensor(name, arrays[name].shape, WEIGHTS_NAME, 4 * int(start)))
    nodes = [
        proto.node(
            "LayerNormalization",
            ["embedded", "embedding_norm_gain", "embedding_norm_bias"],
            ["x0"],
            axis=-1,
            epsilon=NORM_EPSILON,
        )
    ]
    for i in range(layers):
        p = f"layer{i}."
        x, out = f"x{i}", ("states" if i == layers - 1 else f"x{i + 1}")
        nodes += [
            proto.node(
                "Attention", [x, p + "qkv", p + "qkv_bias", "mask"], [p + "attended"], "com.microsoft", num_heads=heads
            ),
            proto.node("MatMul", [p + "attended", p + "attention_out"], [p + "projected"]),
            proto.node(
                "SkipLayerNormalization",
                [p + "projected", x, p + "attention_norm_gain", p + "attention_norm_bias", p + "attention_out_bias"],
                [p + "normed"],
                "com.microsoft",
                epsilon=NORM_EPSILON,
            ),
            proto.node("MatMul", [p + "normed", p + "up"], [p + "up_out"]),
            proto.node("BiasGelu", [p + "up_out", p + "up_bias"], [p + "gelu"], "com.microsoft"),
            proto.node("MatMul", [p + "gelu", p + "down"], [p + "down_out"]),
            proto.node(
                "SkipLayerNormalization",
                [p + "down_out", p + "normed", p + "output_norm_gain", p + "output_norm_bias", p + "down_bias"],
                [out],
                "com.microsoft",
                epsilon=NORM_EPSILON,
            ),
        ]
    model = proto.model(
        nodes,
        initializers,
        [
            proto.value("embedded", proto.FLOAT, ["batch", "length", width]),
            proto.value("mask", proto.INT32, ["batch", "length"]),
        ],
        [proto.value("states", proto.FLOAT, ["batch", "length", width])],
        {"": 17, "com.microsoft": 1},
    )
    return model, weights.view(np.uint8)
