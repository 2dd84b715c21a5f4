"""Just enough of the ONNX protobuf format to write a model in memory: nodes, float32 initializers, typed inputs and
outputs (field numbers from onnx.proto). onnxruntime reads the bytes; the `onnx` package is not needed."""

import struct
from collections.abc import Sequence

import numpy as np

FLOAT, INT32 = 1, 6  # TensorProto.DataType
IR_VERSION = 8


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # a negative int64 is written as its two's complement
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _bytes(field: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def tensor(name: str, array: np.ndarray) -> bytes:
    """A float32 initializer (TensorProto: dims 1, data_type 2, name 8, raw_data 9)."""
    data = np.ascontiguousarray(array, dtype="<f4")
    return b"".join(_int(1, d) for d in data.shape) + _int(2, FLOAT) + _bytes(8, name) + _bytes(9, data.tobytes())


def node(op: str, inputs: Sequence[str], outputs: Sequence[str], domain: str = "", **attributes: int | float) -> bytes:
    """A NodeProto (input 1, output 2, op_type 4, attribute 5, domain 7) with int or float attributes."""
    parts = [_bytes(1, name) for name in inputs] + [_bytes(2, name) for name in outputs] + [_bytes(4, op)]
    for key, value in attributes.items():  # AttributeProto: name 1, f 2 (FLOAT = 1), i 3 (INT = 2), type 20
        if isinstance(value, float):
            attribute = _bytes(1, key) + _varint(2 << 3 | 5) + struct.pack("<f", value) + _int(20, 1)
        else:
            attribute = _bytes(1, key) + _int(3, value) + _int(20, 2)
        parts.append(_bytes(5, attribute))
    return b"".join(parts) + (_bytes(7, domain) if domain else b"")


def value(name: str, elem_type: int, dims: Sequence[int | str]) -> bytes:
    """A ValueInfoProto: a named tensor of `elem_type` whose dimensions are sizes or symbolic names."""
    shape = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _bytes(2, d)) for d in dims)
    tensor_type = _int(1, elem_type) + _bytes(2, shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def model(
    nodes: Sequence[bytes],
    initializers: Sequence[bytes],
    inputs: Sequence[bytes],
    outputs: Sequence[bytes],
    opsets: dict[str, int],
) -> bytes:
    """A ModelProto (ir_version 1, graph 7, opset_import 8) of one graph (node 1, name 2, initializer 5, input 11,
    output 12)."""
    graph = b"".join(
        [
            *(_bytes(1, n) for n in nodes),
            _bytes(2, "graph"),
            *(_bytes(5, t) for t in initializers),
            *(_bytes(11, v) for v in inputs),
            *(_bytes(12, v) for v in outputs),
        ]
    )
    opset_imports = b"".join(_bytes(8, _bytes(1, domain) + _int(2, version)) for domain, version in opsets.items())
    return _int(1, IR_VERSION) + opset_imports + _bytes(7, graph)
