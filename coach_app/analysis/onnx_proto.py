"""Just enough of the ONNX protobuf format to write a model in memory: nodes, float32 initializers, typed inputs and
outputs (field numbers from onnx.proto). onnxruntime reads the bytes; the `onnx` package is not needed.

A message is a list of byte chunks, joined once at the end. Initializers refer to their data in an external file
(which onnxruntime can be given from memory), so the model itself stays a few kilobytes.
"""

import struct
from collections.abc import Sequence

import numpy as np

FLOAT, INT32 = 1, 6  # TensorProto.DataType
IR_VERSION = 8
Message = list[bytes | memoryview]


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


def _int(field: int, value: int) -> Message:
    return [_varint(field << 3) + _varint(value)]


def _field(field: int, payload: Message | str) -> Message:
    """A length-delimited field: a string, or an embedded message."""
    chunks: Message = [payload.encode()] if isinstance(payload, str) else payload
    return [_varint(field << 3 | 2) + _varint(sum(len(c) for c in chunks)), *chunks]


def external_tensor(name: str, shape: Sequence[int], location: str, offset: int) -> Message:
    """A float32 initializer whose data is in the file `location` at `offset` (TensorProto: dims 1, data_type 2,
    name 8, external_data 13 as key/value entries, data_location 14 = EXTERNAL)."""
    length = 4 * int(np.prod(shape))
    entries = {"location": location, "offset": str(offset), "length": str(length)}
    external = [c for key, text in entries.items() for c in _field(13, [*_field(1, key), *_field(2, text)])]
    return [c for d in shape for c in _int(1, d)] + _int(2, FLOAT) + _field(8, name) + external + _int(14, 1)


def node(
    op: str, inputs: Sequence[str], outputs: Sequence[str], domain: str = "", **attributes: int | float
) -> Message:
    """A NodeProto (input 1, output 2, op_type 4, attribute 5, domain 7) with int or float attributes."""
    chunks = [c for name in inputs for c in _field(1, name)] + [c for name in outputs for c in _field(2, name)]
    chunks += _field(4, op)
    for key, value in attributes.items():  # AttributeProto: name 1, f 2 (FLOAT = 1), i 3 (INT = 2), type 20
        if isinstance(value, float):
            attribute = [*_field(1, key), _varint(2 << 3 | 5) + struct.pack("<f", value), *_int(20, 1)]
        else:
            attribute = [*_field(1, key), *_int(3, value), *_int(20, 2)]
        chunks += _field(5, attribute)
    return chunks + (_field(7, domain) if domain else [])


def value(name: str, elem_type: int, dims: Sequence[int | str]) -> Message:
    """A ValueInfoProto: a named tensor of `elem_type` whose dimensions are sizes or symbolic names."""
    shape = [c for d in dims for c in _field(1, _int(1, d) if isinstance(d, int) else _field(2, d))]
    tensor_type = [*_int(1, elem_type), *_field(2, shape)]
    return [*_field(1, name), *_field(2, _field(1, tensor_type))]


def model(
    nodes: Sequence[Message],
    initializers: Sequence[Message],
    inputs: Sequence[Message],
    outputs: Sequence[Message],
    opsets: dict[str, int],
) -> bytes:
    """A ModelProto (ir_version 1, graph 7, opset_import 8) of one graph (node 1, name 2, initializer 5, input 11,
    output 12)."""
    graph: Message = [c for n in nodes for c in _field(1, n)] + _field(2, "graph")
    graph += [c for t in initializers for c in _field(5, t)]
    graph += [c for v in inputs for c in _field(11, v)] + [c for v in outputs for c in _field(12, v)]
    opset_imports = [
        c for domain, version in opsets.items() for c in _field(8, [*_field(1, domain), *_int(2, version)])
    ]
    return b"".join([*_int(1, IR_VERSION), *opset_imports, *_field(7, graph)])
