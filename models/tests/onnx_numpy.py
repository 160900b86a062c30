"""A minimal numpy interpreter for the ONNX ops our exported LSTM graph uses.

Why: Debian 12 has no onnxruntime for Python and onnx 1.12 predates onnx.reference, yet the
tests should execute the exported graph itself, not only the PyTorch module it came from.
Covers exactly the ops torch 1.13 emits for model.QuantileLSTM; anything else raises.
"""
import numpy as np
from onnx import helper, numpy_helper


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _lstm(node, x, w, r, b=None, seq_lens=None, h0=None, c0=None):
    attrs = _attrs(node)
    if attrs.get("direction", b"forward") not in (b"forward", "forward") or attrs.get("layout", 0) != 0:
        raise NotImplementedError("only forward, layout-0 LSTM")
    if seq_lens is not None and seq_lens.size:
        raise NotImplementedError("sequence_lens")
    hidden = int(attrs["hidden_size"])
    seq, batch, _ = x.shape
    h = np.zeros((batch, hidden)) if h0 is None or not h0.size else h0[0].astype(np.float64)
    c = np.zeros((batch, hidden)) if c0 is None or not c0.size else c0[0].astype(np.float64)
    bias = np.zeros(8 * hidden) if b is None or not b.size else b[0].astype(np.float64)
    w, r = w[0].astype(np.float64), r[0].astype(np.float64)
    ys = []
    for t in range(seq):
        gates = x[t] @ w.T + h @ r.T + bias[:4 * hidden] + bias[4 * hidden:]
        i, o, f, g = np.split(gates, 4, axis=1)  # ONNX gate order: input, output, forget, cell
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        ys.append(h)
    y = np.stack(ys)[:, None]  # [seq, num_directions=1, batch, hidden]
    return y, h[None], c[None]


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _slice(data, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * data.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[int(a)] = slice(int(s), int(e), int(st))
    return data[tuple(index)]


def _gemm(node, a, b, c=None):
    at = _attrs(node)
    a = a.T if at.get("transA", 0) else a
    b = b.T if at.get("transB", 0) else b
    out = at.get("alpha", 1.0) * (a @ b)
    return out if c is None else out + at.get("beta", 1.0) * c


OPS = {
    "Sub": lambda n, a, b: a - b,
    "Add": lambda n, a, b: a + b,
    "Mul": lambda n, a, b: a * b,
    "Div": lambda n, a, b: a / b,
    "Softplus": lambda n, x: np.logaddexp(0.0, x),
    "Shape": lambda n, x: np.array(x.shape, dtype=np.int64),
    "Gather": lambda n, x, i: np.take(x, i, axis=_attrs(n).get("axis", 0)),
    "Unsqueeze": lambda n, x, axes: np.expand_dims(x, tuple(int(a) for a in axes)),
    "Squeeze": lambda n, x, axes=None: np.squeeze(x, None if axes is None else tuple(int(a) for a in axes)),
    "Concat": lambda n, *xs: np.concatenate(xs, axis=_attrs(n)["axis"]),
    "Transpose": lambda n, x: np.transpose(x, _attrs(n).get("perm")),
    "ConstantOfShape": lambda n, shape: np.full(tuple(shape), numpy_helper.to_array(_attrs(n)["value"])[0]),
    "Constant": lambda n: numpy_helper.to_array(_attrs(n)["value"]),
    "Slice": lambda n, *xs: _slice(*xs),
    "Gemm": _gemm,
    "LSTM": _lstm,
}


def run(model, inputs):
    """Evaluates an onnx.ModelProto on {input name: array} in float64; returns {output name: array}."""
    values = {t.name: numpy_helper.to_array(t).astype(np.float64) if t.data_type == 1 else numpy_helper.to_array(t)
              for t in model.graph.initializer}
    values.update({k: np.asarray(v, dtype=np.float64) for k, v in inputs.items()})
    for node in model.graph.node:
        if node.op_type not in OPS:
            raise NotImplementedError(node.op_type)
        args = [values[name] if name else None for name in node.input]
        while args and args[-1] is None:
            args.pop()
        result = OPS[node.op_type](node, *args)
        outputs = result if isinstance(result, tuple) else (result,)
        for name, value in zip(node.output, outputs):
            values[name] = value
    return {o.name: values[o.name] for o in model.graph.output}
