"""ONNX operator -> `mx.sym` translations (MXNet 1.9.1's `onnx2mx/_op_translations.py`).

`CONVERT_MAP[op_type](node)` returns the Symbol (or list of Symbols, one per ONNX output)
built from regluon's own operators; a value known at import time may be returned as a numpy
array instead. `FOLD_MAP[op_type](node)` computes a node whose inputs are all constants with
numpy (shape arithmetic, Constant nodes), so that attributes such as Reshape's shape are
plain numbers. Opsets 7 to 21 of the default domain: where an opset moved an attribute to
an input (Reshape 5, Slice 10, Clip 11, Pad 11, Split/Squeeze/Unsqueeze/ReduceSum 13, the
other Reduce ops 18) both forms are read.
"""
import numpy as np

from ....base import MXNetError
from .... import symbol as S

_FLT_MAX = float(np.finfo(np.float32).max)
_BIG = 2 ** 31 - 1            # ONNX writes INT64_MAX (or INT32_MAX) for "to the end"


class OnnxImportError(MXNetError, NotImplementedError):
    """An ONNX operator, attribute or value cannot be imported. Also a NotImplementedError,
    the type MXNet 1.9.1 raises for an operator it has no translation for."""


# ONNX TensorProto element types -> numpy type names (the ones MXNet/regluon have)
_ELEM_TYPES = {1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64',
               9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64'}


def elem_dtype(code):
    """numpy dtype name of an ONNX element type code."""
    if code not in _ELEM_TYPES:
        raise OnnxImportError(f"ONNX element type {code} has no MXNet dtype; expected one of "
                              f"{sorted(_ELEM_TYPES)} ({sorted(set(_ELEM_TYPES.values()))})")
    return _ELEM_TYPES[code]


class NodeView:
    """One ONNX node as the translations see it: attributes, inputs as Symbols or
    constants, static shapes, and the names for the nodes they create."""

    def __init__(self, importer, node):
        self.g, self.node, self.op = importer, node, node.op_type
        self.opset = importer.opset_version
        self.label = node.name or (node.output[0] if node.output else node.op_type)
        self.inputs = list(node.input)
        self.attrs = _parse_attrs(node.attribute)

    def attr(self, key, default=None):
        return self.attrs.get(key, default)

    def has(self, i):
        return i < len(self.inputs) and self.inputs[i] != ''

    def sym(self, i):
        return self.g.as_symbol(self.inputs[i])

    def syms(self):
        return [self.sym(i) for i in range(len(self.inputs)) if self.has(i)]

    def is_const(self, i):
        return self.has(i) and self.inputs[i] in self.g._consts

    def all_inputs_constant(self):
        return all(not name or name in self.g._consts for name in self.inputs)

    def const(self, i, default=None, what='value'):
        """The numpy value of input i (default when absent); it must be known at import."""
        if not self.has(i):
            return default
        if not self.is_const(i):
            self.fail(f"input {i} ('{self.inputs[i]}', the {what}) must be a constant (an "
                      "initializer or computed from constants only), got a value computed "
                      "at run time")
        return self.g._consts[self.inputs[i]]

    def ints(self, i, attr, opset, what):
        """An int tuple that was attribute `attr` before `opset` and input i from it on."""
        value = self.attr(attr) if self.opset < opset else self.const(i, what=what)
        return None if value is None else tuple(int(v) for v in np.ravel(value))

    def scalar(self, i, other):
        """Input i as a Python number when it is a one-element constant that does not
        widen input `other` by broadcasting; else None."""
        if not self.is_const(i):
            return None
        value = self.g._consts[self.inputs[i]]
        rank = self.rank(other)
        if value.size != 1 or value.ndim > (rank if rank is not None else 1):
            return None
        return value.item()

    def shape(self, i):
        if self.is_const(i):
            return tuple(self.g._consts[self.inputs[i]].shape)
        return self.g._shapes.get(self.inputs[i]) if self.has(i) else None

    def rank(self, i):
        shape = self.shape(i)
        return None if shape is None else len(shape)

    def known_shape(self, i, why):
        shape = self.shape(i)
        if shape is None or None in shape:
            self.fail(f"{why} needs the static shape of input '{self.inputs[i]}', which "
                      f"is not known (got {shape})")
        return shape

    def name(self, suffix=None):
        """The ONNX node's name for its last MXNet node; `<name>_<suffix>` for helpers."""
        base = self.node.name.strip() or None
        return f'{base}_{suffix}' if base and suffix else (None if suffix else base)

    def fail(self, message):
        raise OnnxImportError(f"ONNX node '{self.label}' ({self.op}, opset {self.opset}): "
                              f"{message}")


def _parse_attrs(attributes):
    from onnx import helper, numpy_helper, AttributeProto
    attrs = {}
    for a in attributes:
        if a.type in (AttributeProto.GRAPH, AttributeProto.GRAPHS):
            value = None          # control flow: the op itself is unsupported
        elif a.type == AttributeProto.TENSOR:
            value = np.array(numpy_helper.to_array(a.t))
        else:
            value = helper.get_attribute_value(a)
        if isinstance(value, bytes):
            value = value.decode()
        elif isinstance(value, list):
            value = tuple(v.decode() if isinstance(v, bytes) else v for v in value)
        attrs[a.name] = value
    return attrs


def _axis(n, axis, i=0, extra=0):
    """A non-negative axis of input i (of rank + extra)."""
    if axis >= 0:
        return axis
    rank = n.rank(i)
    if rank is None:
        n.fail(f"negative axis {axis} needs the rank of input '{n.inputs[i]}', which is "
               "not known")
    return axis + rank + extra


# ---- element-wise ---------------------------------------------------------------------------
def _unary(opname, **kwargs):
    def convert(n):
        return getattr(S, opname)(n.sym(0), name=n.name(), **kwargs)
    return convert


def _same_rank(n, a, b):
    """ONNX broadcasts numpy-style (ranks may differ); MXNet's broadcast_* want equal ranks."""
    ra, rb = n.rank(0), n.rank(1)
    if ra is not None and rb is not None and ra != rb:
        low, k = (0, rb - ra) if ra < rb else (1, ra - rb)
        x = a if low == 0 else b
        for _ in range(k):
            x = S.expand_dims(x, axis=0)
        return (x, b) if low == 0 else (a, x)
    return a, b


_BINARY = {  # ONNX op: (both tensors, tensor op scalar, scalar op tensor)
    'Add': ('broadcast_add', '_plus_scalar', '_plus_scalar'),
    'Sub': ('broadcast_sub', '_minus_scalar', '_rminus_scalar'),
    'Mul': ('broadcast_mul', '_mul_scalar', '_mul_scalar'),
    'Div': ('broadcast_div', '_div_scalar', '_rdiv_scalar'),
    'Pow': ('broadcast_power', '_power_scalar', '_rpower_scalar'),
    'Max': ('broadcast_maximum', '_maximum_scalar', '_maximum_scalar'),
    'Min': ('broadcast_minimum', '_minimum_scalar', '_minimum_scalar'),
    'Equal': ('broadcast_equal', '_equal_scalar', '_equal_scalar'),
    'Greater': ('broadcast_greater', '_greater_scalar', '_lesser_scalar'),
    'Less': ('broadcast_lesser', '_lesser_scalar', '_greater_scalar'),
    'GreaterOrEqual': ('broadcast_greater_equal', '_greater_equal_scalar',
                       '_lesser_equal_scalar'),
    'LessOrEqual': ('broadcast_lesser_equal', '_lesser_equal_scalar',
                    '_greater_equal_scalar'),
    'And': ('broadcast_logical_and', None, None),
    'Or': ('broadcast_logical_or', None, None),
    'Xor': ('broadcast_logical_xor', None, None),
}


def _binary(op_type):
    full, right, left = _BINARY[op_type]

    def convert(n):
        if len(n.inputs) == 1:            # variadic Max/Min/Sum with one input
            return S.identity(n.sym(0), name=n.name())
        if right and not n.is_const(0) and n.scalar(1, 0) is not None:
            return getattr(S, right)(n.sym(0), scalar=float(n.scalar(1, 0)), name=n.name())
        if left and not n.is_const(1) and n.scalar(0, 1) is not None:
            return getattr(S, left)(n.sym(1), scalar=float(n.scalar(0, 1)), name=n.name())
        a, b = _same_rank(n, n.sym(0), n.sym(1))
        return getattr(S, full)(a, b, name=n.name())
    return convert


def _variadic(op_type):
    full = _BINARY['Add' if op_type in ('Sum', 'Mean') else op_type][0]

    def convert(n):
        xs = n.syms()
        if len(xs) == 2 and op_type != 'Mean':
            return _binary('Add' if op_type == 'Sum' else op_type)(n)
        y = xs[0]
        for k, x in enumerate(xs[1:]):
            last = k == len(xs) - 2 and op_type != 'Mean'
            y = getattr(S, full)(y, x, name=n.name() if last else n.name(f'{k}'))
        if op_type == 'Mean':
            y = S._div_scalar(y, scalar=float(len(xs)), name=n.name())
        return y
    return convert


def _prelu(n):
    x, slope = n.sym(0), n.sym(1)
    x_b, slope = _same_rank(n, x, slope)
    neg = S.broadcast_mul(slope, S._minimum_scalar(x_b, scalar=0.0, name=n.name('neg')),
                          name=n.name('scaled'))
    return S.broadcast_add(S.relu(x_b, name=n.name('pos')), neg, name=n.name())


def _selu(n):
    alpha, gamma = n.attr('alpha', 1.6732632423543772), n.attr('gamma', 1.0507009873554805)
    if abs(alpha - 1.6732632) > 1e-6 or abs(gamma - 1.0507010) > 1e-6:
        n.fail(f"only the standard alpha/gamma are supported (MXNet's selu), got "
               f"alpha={alpha}, gamma={gamma}")
    return S.LeakyReLU(n.sym(0), act_type='selu', name=n.name())


def _gelu(n):
    if n.attr('approximate', 'none') != 'none':
        n.fail(f"approximate={n.attr('approximate')!r} is not supported, expected 'none'")
    return S.LeakyReLU(n.sym(0), act_type='gelu', name=n.name())


def _hard_swish(n):
    x = n.sym(0)
    return S.elemwise_mul(x, S.hard_sigmoid(x, alpha=1 / 6, beta=0.5, name=n.name('gate')),
                          name=n.name())


def _clip(n):
    if n.opset < 11:
        lo, hi = n.attr('min', -_FLT_MAX), n.attr('max', _FLT_MAX)
    else:
        lo = n.const(1, -_FLT_MAX, 'min')
        hi = n.const(2, _FLT_MAX, 'max')
    return S.clip(n.sym(0), a_min=float(lo), a_max=float(hi), name=n.name())


def _cast(n):
    return S.cast(n.sym(0), dtype=elem_dtype(n.attr('to')), name=n.name())


def _where(n):
    cond, x, y = n.sym(0), n.sym(1), n.sym(2)
    shapes = [n.shape(i) for i in range(3)]
    if all(s is not None and None not in s for s in shapes) and len(set(shapes)) > 1:
        target = tuple(np.broadcast_shapes(*shapes))
        cond, x, y = [v if s == target else _expand_to(n, v, s, target, k)
                      for k, (v, s) in enumerate(zip((cond, x, y), shapes))]
    return S.where(cond, x, y, name=n.name())


def _expand_to(n, x, shape, target, k=0):
    for _ in range(len(target) - len(shape)):
        x = S.expand_dims(x, axis=0)
    return S.broadcast_to(x, shape=target, name=n.name(f'b{k}'))


# ---- neural network layers --------------------------------------------------------------------
def _pads(n, data, kernel, strides, dilations, fill, allow_asymmetric=True):
    """(symmetric pad for the MXNet op, data), padding explicitly where ONNX's pads are
    asymmetric (MXNet's Convolution/Pooling pad both sides equally)."""
    k = len(kernel)
    auto = n.attr('auto_pad', 'NOTSET')
    if auto in ('SAME_UPPER', 'SAME_LOWER'):
        sizes = n.known_shape(0, f"auto_pad={auto}")[2:]
        begin, end = [], []
        for size, s, kk, d in zip(sizes, strides, kernel, dilations):
            total = max((-(-size // s) - 1) * s + (kk - 1) * d + 1 - size, 0)
            small, big = total // 2, total - total // 2
            begin.append(small if auto == 'SAME_UPPER' else big)
            end.append(big if auto == 'SAME_UPPER' else small)
    elif auto in ('VALID', 'NOTSET'):
        pads = tuple(n.attr('pads', (0,) * 2 * k)) if auto == 'NOTSET' else (0,) * 2 * k
        begin, end = list(pads[:k]), list(pads[k:])
    else:
        n.fail(f"auto_pad={auto!r} is invalid; expected NOTSET, VALID, SAME_UPPER or "
               "SAME_LOWER")
    if begin == end:
        return tuple(begin), data
    if not allow_asymmetric or k not in (2, 3):
        n.fail(f"asymmetric pads (begin {tuple(begin)}, end {tuple(end)}) are not supported "
               "here; MXNet pads both sides equally (explicit padding covers 2-D and 3-D "
               "Conv, MaxPool and AveragePool with count_include_pad=1)")
    width = (0, 0, 0, 0) + tuple(v for pair in zip(begin, end) for v in pair)
    data = S.pad(data, mode='constant', pad_width=width, constant_value=fill,
                 name=n.name('pad'))
    return (0,) * k, data


def _conv(n):
    w_shape = n.shape(1)
    kernel = tuple(n.attr('kernel_shape') or (w_shape or ())[2:])
    if not kernel or w_shape is None:
        n.fail("needs the weight's shape (an initializer or inferable), which is unknown")
    k = len(kernel)
    strides = tuple(n.attr('strides', (1,) * k))
    dilations = tuple(n.attr('dilations', (1,) * k))
    pad, data = _pads(n, n.sym(0), kernel, strides, dilations, 0.0)
    bias = n.sym(2) if n.has(2) else None
    return S.Convolution(data, n.sym(1), bias, kernel=kernel, stride=strides,
                         dilate=dilations, pad=pad, num_filter=w_shape[0],
                         num_group=n.attr('group', 1), no_bias=bias is None, name=n.name())


def _conv_transpose(n):
    w_shape = n.shape(1)
    kernel = tuple(n.attr('kernel_shape') or (w_shape or ())[2:])
    if not kernel or w_shape is None:
        n.fail("needs the weight's shape (an initializer or inferable), which is unknown")
    k = len(kernel)
    if n.attr('output_shape') is not None:
        n.fail("the output_shape attribute is not supported; give pads and output_padding")
    if n.attr('auto_pad', 'NOTSET') not in ('NOTSET', 'VALID'):
        n.fail(f"auto_pad={n.attr('auto_pad')!r} is not supported, expected NOTSET or VALID")
    pads = tuple(n.attr('pads', (0,) * 2 * k))
    if pads[:k] != pads[k:]:
        n.fail(f"asymmetric pads {pads} are not supported (MXNet's Deconvolution pads both "
               "sides equally)")
    group = n.attr('group', 1)
    bias = n.sym(2) if n.has(2) else None
    return S.Deconvolution(n.sym(0), n.sym(1), bias, kernel=kernel,
                           stride=tuple(n.attr('strides', (1,) * k)),
                           dilate=tuple(n.attr('dilations', (1,) * k)), pad=pads[:k],
                           adj=tuple(n.attr('output_padding', (0,) * k)),
                           num_filter=w_shape[1] * group, num_group=group,
                           no_bias=bias is None, name=n.name())


def _pool(pool_type):
    def convert(n):
        kernel = tuple(n.attr('kernel_shape'))
        k = len(kernel)
        strides = tuple(n.attr('strides', (1,) * k))
        if any(d != 1 for d in n.attr('dilations', ())):
            n.fail(f"dilations {n.attr('dilations')} are not supported (MXNet's Pooling has "
                   "none)")
        if len(n.node.output) > 1 and n.node.output[1]:
            n.fail("the Indices output is not supported")
        include = pool_type == 'max' or bool(n.attr('count_include_pad', 0))
        fill = -np.inf if pool_type == 'max' else 0.0
        pad, data = _pads(n, n.sym(0), kernel, strides, (1,) * k, fill, include)
        kwargs = {} if pool_type == 'max' else {'count_include_pad': include}
        return S.Pooling(data, kernel=kernel, stride=strides, pad=pad, pool_type=pool_type,
                         pooling_convention='full' if n.attr('ceil_mode', 0) else 'valid',
                         name=n.name(), **kwargs)
    return convert


def _global_pool(pool_type):
    def convert(n):
        rank = n.rank(0) or 4
        return S.Pooling(n.sym(0), kernel=(1,) * (rank - 2), global_pool=True,
                         pool_type=pool_type, name=n.name())
    return convert


def _batch_norm(n):
    if n.opset < 9 and n.attr('spatial', 1) == 0:
        n.fail("spatial=0 is not supported")
    if n.attr('training_mode', 0):
        n.fail("training_mode=1 is not supported (import inference graphs)")
    # ONNX's BatchNormalization is MXNet's with gamma used (fix_gamma=False), as MXNet imports
    return S.BatchNorm(n.sym(0), n.sym(1), n.sym(2), n.sym(3), n.sym(4),
                       eps=float(n.attr('epsilon', 1e-5)),
                       momentum=float(n.attr('momentum', 0.9)), fix_gamma=False,
                       name=n.name())


def _instance_norm(n):
    return S.InstanceNorm(n.sym(0), n.sym(1), n.sym(2), eps=float(n.attr('epsilon', 1e-5)),
                          name=n.name())


def _layer_norm(n):
    axis, rank = n.attr('axis', -1), n.rank(0)
    if not (axis == -1 or (rank is not None and axis == rank - 1)):
        n.fail(f"axis={axis} is not supported: MXNet's LayerNorm normalizes one axis, the "
               "last (axis=-1)")
    if n.attr('stash_type', 1) != 1 or any(o for o in n.node.output[1:]):
        n.fail("the Mean/InvStdDev outputs are not supported")
    beta = n.sym(2) if n.has(2) else S.zeros_like(n.sym(1), name=n.name('beta'))
    return S.LayerNorm(n.sym(0), n.sym(1), beta, axis=-1,
                       eps=float(n.attr('epsilon', 1e-5)), name=n.name())


def _lrn(n):
    return S.LRN(n.sym(0), alpha=float(n.attr('alpha', 1e-4)),
                 beta=float(n.attr('beta', 0.75)), knorm=float(n.attr('bias', 1.0)),
                 nsize=int(n.attr('size')), name=n.name())


def _dropout(n):
    ratio = n.attr('ratio', 0.5) if n.opset < 12 else n.const(1, 0.5, 'ratio')
    if n.opset >= 12 and n.has(2) and n.const(2, what='training_mode'):
        n.fail("training_mode=True is not supported (import inference graphs)")
    if len(n.node.output) > 1 and n.node.output[1]:
        n.fail("the mask output is not supported")
    return S.Dropout(n.sym(0), p=float(ratio), name=n.name())


def _gemm(n):
    alpha, beta = float(n.attr('alpha', 1.0)), float(n.attr('beta', 1.0))
    trans_a, trans_b = bool(n.attr('transA', 0)), bool(n.attr('transB', 0))
    b_shape = n.shape(1)
    c_rank = n.rank(2) if n.has(2) else None
    if (alpha == 1 and not trans_a and trans_b and b_shape and b_shape[0]
            and (not n.has(2) or (beta == 1 and c_rank == 1))):
        bias = n.sym(2) if n.has(2) else None
        return S.FullyConnected(n.sym(0), n.sym(1), bias, num_hidden=b_shape[0],
                                no_bias=bias is None, name=n.name())
    last = not n.has(2) and alpha == 1
    y = S.dot(n.sym(0), n.sym(1), transpose_a=trans_a, transpose_b=trans_b,
              name=n.name() if last else n.name('dot'))
    if alpha != 1:
        y = S._mul_scalar(y, scalar=alpha, name=n.name('alpha') if n.has(2) else n.name())
    if n.has(2):
        c = n.sym(2)
        if beta != 1:
            c = S._mul_scalar(c, scalar=beta, name=n.name('beta'))
        if c_rank == 1:
            c = S.expand_dims(c, axis=0, name=n.name('c'))
        y = S.broadcast_add(y, c, name=n.name())
    return y


def _matmul(n):
    ra, rb = n.rank(0), n.rank(1)
    a, b = n.sym(0), n.sym(1)
    if rb == 2 and ra is not None and ra >= 1:
        return S.dot(a, b, name=n.name())       # MXNet's dot: last axis of a, first of b
    if ra == rb == 3:
        return S.batch_dot(a, b, name=n.name())
    if ra == rb and ra is not None and ra > 3:
        sa, sb = n.shape(0), n.shape(1)
        if sa[:-2] != sb[:-2]:
            n.fail(f"broadcasting batch dimensions {sa} x {sb} is not supported")
        return S.linalg_gemm2(a, b, name=n.name())
    n.fail(f"MatMul of ranks {ra} and {rb} is not supported; expected a 2-D right operand "
           "or two operands of equal rank >= 3")


def _softmax(opname):
    def convert(n):
        x = n.sym(0)
        if n.opset >= 13:
            return getattr(S, opname)(x, axis=int(n.attr('axis', -1)), name=n.name())
        # opset < 13: softmax of the input flattened to 2-D at `axis`
        axis, rank = int(n.attr('axis', 1)), n.rank(0)
        if rank is not None:
            axis = _axis(n, axis)
            if axis == rank - 1:
                return getattr(S, opname)(x, axis=-1, name=n.name())
        if axis == 1:
            flat = S.Flatten(x, name=n.name('flat'))
        else:
            shape = n.known_shape(0, f"{n.op} with axis={axis} before opset 13")
            flat = S.reshape(x, shape=(int(np.prod(shape[:axis])), -1), name=n.name('flat'))
        y = getattr(S, opname)(flat, axis=-1, name=n.name('2d'))
        return S.reshape_like(y, x, name=n.name())
    return convert


# ---- shapes ---------------------------------------------------------------------------------
def _flatten(n):
    axis = int(n.attr('axis', 1))
    if axis < 0:
        axis = _axis(n, axis)
    if axis == 1:
        return S.Flatten(n.sym(0), name=n.name())
    if axis == 0:
        return S.reshape(n.sym(0), shape=(1, -1), name=n.name())
    shape = n.known_shape(0, f"Flatten with axis={axis}")
    return S.reshape(n.sym(0), shape=(int(np.prod(shape[:axis])), -1), name=n.name())


def _reshape(n):
    if n.opset >= 5 and not n.is_const(1) and n.inputs[1] in n.g._dims:
        return S.reshape(n.sym(0), shape=_dims_to_codes(n), name=n.name())
    shape = n.ints(1, 'shape', 5, 'shape')
    if n.attr('allowzero', 0) and 0 in shape:
        n.fail(f"allowzero=1 with a 0 in shape {shape} is not supported (MXNet's 0 copies "
               "the input's dimension)")
    # ONNX's 0 (copy) and -1 (infer) are MXNet's reshape codes 0 and -1
    return S.reshape(n.sym(0), shape=shape, name=n.name())


def _dims_to_codes(n):
    """MXNet reshape codes for a shape computed at run time from sizes (a dynamic batch):
    a size of the reshaped input at the same position is code 0, one unknown size -1."""
    data = n.inputs[0]
    dims = n.g._dim_params.get(data)
    codes = []
    for j, e in enumerate(n.g._dims[n.inputs[1]]):
        same = isinstance(e, tuple) and (
            (e[0] == 'dim' and e[1:] == (data, j)) or
            (e[0] == 'param' and dims is not None and j < len(dims) and dims[j] == e[1]))
        codes.append(0 if same else e if isinstance(e, int) else None)
    if codes.count(None) > 1 or (None in codes and -1 in codes):
        hint = ''
        if dims and any(c is None and j < len(dims) and dims[j] == 1
                        for j, c in enumerate(codes)):
            hint = (" (the input's size there is fixed to 1: torch.export specializes "
                    "size-1 dimensions, so export with a batch of 2 or more)")
        n.fail(f"the shape input '{n.inputs[1]}' is computed at run time and has more than "
               f"one size that is not the input's own (resolved: {codes}); MXNet's reshape "
               f"needs constants, 0 (copy) and one -1{hint}")
    return tuple(-1 if c is None else c for c in codes)


def track_dims(n):
    """The entries of a 1-D int value computed from run-time sizes (Shape, and Gather,
    Slice, Concat, Unsqueeze, Squeeze, Reshape, Cast and arithmetic on those): an int, ('param',
    symbolic dimension name), ('dim', tensor, axis) or ('expr',) (some other run-time
    size); None for any other value."""
    g = n.g

    def entries(i):
        name = n.inputs[i] if n.has(i) else None
        if name in g._dims:
            return g._dims[name]
        value = g._consts.get(name)
        if value is not None and value.ndim <= 1 and np.issubdtype(value.dtype, np.integer):
            return [int(v) for v in np.ravel(value)]
        return None
    if n.op == 'Shape':
        shape = None if n.is_const(0) else g._dim_params.get(n.inputs[0])
        if shape is None or all(isinstance(d, int) for d in shape):
            return None
        full = [('param', d) if isinstance(d, str) else
                ('dim', n.inputs[0], k) if d is None else d for k, d in enumerate(shape)]
        return full[n.attr('start', 0):n.attr('end')]
    if not any(name in g._dims for name in n.inputs):
        return None
    if n.op in ('Cast', 'Identity', 'Unsqueeze', 'Squeeze', 'Reshape') and \
            n.inputs[0] in g._dims:
        return entries(0)
    if n.op == 'Concat':
        parts = [entries(i) for i in range(len(n.inputs))]
        return None if any(p is None for p in parts) else [e for p in parts for e in p]
    if n.op in ('Add', 'Sub', 'Mul', 'Div'):         # e.g. a flattened size: dims multiplied
        a, b = entries(0), entries(1)
        if a is None or b is None:
            return None
        a, b = (a * len(b) if len(a) == 1 else a), (b * len(a) if len(b) == 1 else b)
        fn = {'Add': int.__add__, 'Sub': int.__sub__, 'Mul': int.__mul__,
              'Div': int.__floordiv__}[n.op]
        return [fn(x, y) if isinstance(x, int) and isinstance(y, int) else ('expr',)
                for x, y in zip(a, b)]
    if n.op == 'Gather' and n.is_const(1):
        src = entries(0)
        return None if src is None else [src[int(i)] for i in np.ravel(n.const(1))]
    if n.op == 'Slice' and all(n.is_const(i) for i in range(1, len(n.inputs)) if n.has(i)):
        starts, ends, _, steps = _slice_args(n)
        src = entries(0)
        return None if src is None else src[slice(starts[0], ends[0], steps[0])]
    return None


def _transpose(n):
    perm = n.attr('perm')
    if perm is None:
        return S.transpose(n.sym(0), name=n.name())
    return S.transpose(n.sym(0), axes=tuple(perm), name=n.name())


def _concat(n):
    xs = n.syms()
    axis = _axis(n, int(n.attr('axis')))
    return S.concat(*xs, dim=axis, num_args=len(xs), name=n.name())


def _squeeze(n):
    axes = n.ints(1, 'axes', 13, 'axes')
    if axes:
        axes = tuple(_axis(n, a) for a in axes)
    return S.squeeze(n.sym(0), axis=axes or None, name=n.name())


def _unsqueeze(n):
    axes = n.ints(1, 'axes', 13, 'axes')
    axes = sorted(_axis(n, a, extra=len(axes)) for a in axes)
    y = n.sym(0)
    for k, a in enumerate(axes):
        y = S.expand_dims(y, axis=a, name=n.name() if k == len(axes) - 1 else n.name(f'{k}'))
    return y


def _slice_args(n):
    if n.opset < 10:
        starts, ends = n.attr('starts'), n.attr('ends')
        axes, steps = n.attr('axes'), None
    else:
        starts, ends = n.const(1, what='starts'), n.const(2, what='ends')
        axes, steps = n.const(3, what='axes'), n.const(4, what='steps')
    starts = [int(v) for v in np.ravel(starts)]
    ends = [int(v) for v in np.ravel(ends)]
    axes = list(range(len(starts))) if axes is None else [int(v) for v in np.ravel(axes)]
    steps = [1] * len(starts) if steps is None else [int(v) for v in np.ravel(steps)]
    return starts, ends, axes, steps


def _slice(n):
    starts, ends, axes, steps = _slice_args(n)
    shape = n.shape(0)
    axes = [_axis(n, a) for a in axes]
    if shape is not None and all(shape[a] is not None for a in axes):
        begin, end, step = [None] * len(shape), [None] * len(shape), [None] * len(shape)
        for a, s, e, st in zip(axes, starts, ends, steps):
            b_, e_, st_ = slice(s, e, st).indices(shape[a])
            begin[a], end[a], step[a] = b_, (None if e_ < 0 else e_), st_
        return S.slice(n.sym(0), begin=tuple(begin), end=tuple(end), step=tuple(step),
                       name=n.name())
    if any(st != 1 for st in steps):
        n.fail(f"steps {steps} need the input's static shape, which is not known")
    y = n.sym(0)
    for k, (a, s, e) in enumerate(zip(axes, starts, ends)):
        y = S.slice_axis(y, axis=a, begin=s, end=None if e >= _BIG else e,
                         name=n.name() if k == len(axes) - 1 else n.name(f'{k}'))
    return y


def _split(n):
    axis = int(n.attr('axis', 0))
    count = len(n.node.output)
    sizes = n.attr('split') if n.opset < 13 else n.const(1, what='split')
    if sizes is None and n.attr('num_outputs') is not None:
        dim = n.known_shape(0, "Split by num_outputs")[_axis(n, axis)]
        chunk = -(-dim // count)
        sizes = [min(chunk, dim - k * chunk) for k in range(count)]
    sizes = None if sizes is None else [int(v) for v in np.ravel(sizes)]
    if sizes is None or len(set(sizes)) == 1:
        y = S.split(n.sym(0), num_outputs=count, axis=axis, name=n.name())
        return [y[k] for k in range(count)]
    outs, start = [], 0
    for k, size in enumerate(sizes):
        outs.append(S.slice_axis(n.sym(0), axis=axis, begin=start, end=start + size,
                                 name=n.name(f'{k}')))
        start += size
    return outs


def _gather(n):
    axis = int(n.attr('axis', 0))
    if n.is_const(1) and n.const(1).ndim == 0:       # one index: the axis goes away
        i = int(n.const(1))
        axis = _axis(n, axis)
        part = S.slice_axis(n.sym(0), axis=axis, begin=i, end=None if i == -1 else i + 1,
                            name=n.name('slice'))
        return S.squeeze(part, axis=(axis,), name=n.name())
    return S.take(n.sym(0), n.sym(1), axis=axis, mode='wrap', name=n.name())


def _expand(n):
    shape = tuple(int(v) for v in n.const(1, what='shape'))
    in_shape = n.shape(0)
    if in_shape is None or None in in_shape:
        if in_shape is not None and len(in_shape) == len(shape):
            return S.broadcast_to(n.sym(0), shape=tuple(0 if s == 1 else s for s in shape),
                                  name=n.name())
        n.fail("needs the input's static shape, which is not known")
    target = tuple(np.broadcast_shapes(in_shape, shape))
    return _expand_to(n, n.sym(0), in_shape, target) if target != in_shape else \
        S.identity(n.sym(0), name=n.name())


def _tile(n):
    return S.tile(n.sym(0), reps=tuple(int(v) for v in n.const(1, what='repeats')),
                  name=n.name())


def _pad(n):
    mode = n.attr('mode', 'constant')
    if mode not in ('constant', 'edge', 'reflect'):
        n.fail(f"mode={mode!r} is not supported; expected constant, edge or reflect")
    if n.opset < 11:
        pads, value = n.attr('pads', n.attr('paddings')), n.attr('value', 0.0)
        axes = None
    else:
        pads, value = n.const(1, what='pads'), n.const(2, 0.0, 'constant_value')
        axes = n.const(3, what='axes')
    pads = [int(v) for v in np.ravel(pads)]
    rank = n.rank(0)
    if axes is not None:
        full = [0] * (2 * rank)
        k = len(pads) // 2
        for j, a in enumerate(int(v) for v in np.ravel(axes)):
            a = _axis(n, a)
            full[a], full[rank + a] = pads[j], pads[k + j]
        pads = full
    k = len(pads) // 2
    if k not in (4, 5) or any(pads[i] or pads[k + i] for i in (0, 1)):
        n.fail(f"pads {tuple(pads)} are not supported: MXNet's pad takes 4-D or 5-D input "
               "and pads only the axes after the first two")
    width = tuple(v for i in range(k) for v in (pads[i], pads[k + i]))
    return S.pad(n.sym(0), mode=mode, pad_width=width, constant_value=float(np.ravel(value)[0])
                 if np.size(value) else 0.0, name=n.name())


def _resize(n):
    mode = n.attr('mode', 'nearest')
    if mode != 'nearest':
        n.fail(f"mode={mode!r} is not supported; only nearest with equal integer scales of "
               "the spatial axes (MXNet's UpSampling)")
    if n.op == 'Upsample':
        scales = n.attr('scales') if n.opset < 9 else n.const(1, what='scales')
    elif n.opset < 11:
        scales = n.const(1, what='scales')
    else:
        scales = n.const(2, what='scales')
        if scales is None or np.size(scales) == 0:
            sizes = n.const(3, what='sizes')
            shape = n.known_shape(0, "Resize by sizes")
            scales = np.asarray(sizes, dtype=np.float64) / np.asarray(shape)
    scales = [float(s) for s in np.ravel(scales)]
    if (len(scales) != 4 or scales[:2] != [1.0, 1.0] or scales[2] != scales[3]
            or scales[2] != int(scales[2]) or scales[2] < 1):
        n.fail(f"scales {scales} are not supported; expected (1, 1, s, s) with an integer s")
    return S.UpSampling(n.sym(0), scale=int(scales[2]), sample_type='nearest', num_args=1,
                        name=n.name())


def _depth_to_space(n):
    if n.attr('mode', 'DCR') != 'DCR':
        n.fail(f"mode={n.attr('mode')!r} is not supported; expected DCR (MXNet's order)")
    return S.depth_to_space(n.sym(0), block_size=int(n.attr('blocksize')), name=n.name())


def _space_to_depth(n):
    return S.space_to_depth(n.sym(0), block_size=int(n.attr('blocksize')), name=n.name())


def _shape(n):
    shape = n.shape(0)
    start, end = n.attr('start', 0), n.attr('end')
    if shape is not None and None not in shape:
        return np.array(shape[start:end], dtype=np.int64)
    y = S.shape_array(n.sym(0), name=n.name() if start == 0 and end is None else
                      n.name('full'))
    if start == 0 and end is None:
        return y
    return S.slice_axis(y, axis=0, begin=start, end=end, name=n.name())


def _size(n):
    shape = n.shape(0)
    if shape is not None and None not in shape:
        return np.array(int(np.prod(shape)), dtype=np.int64)
    return S.size_array(n.sym(0), name=n.name())


# ---- reductions and search ----------------------------------------------------------------
def _reduce(opname, before=None, after=None):
    def convert(n):
        opset_axes_input = 13 if n.op == 'ReduceSum' else 18
        axes = n.ints(1, 'axes', opset_axes_input, 'axes')
        x = n.sym(0)
        if not axes:
            if n.attr('noop_with_empty_axes', 0):
                return S.identity(x, name=n.name())
            axes = None
        keep = bool(n.attr('keepdims', 1))
        if before:
            x = getattr(S, before)(x, name=n.name('pre'))
        kwargs = {'axis': axes, 'keepdims': keep}
        if opname == 'norm':
            kwargs['ord'] = 2
        y = getattr(S, opname)(x, name=n.name('red') if after else n.name(), **kwargs)
        return getattr(S, after)(y, name=n.name()) if after else y
    return convert


def _arg(opname):
    def convert(n):
        if n.attr('select_last_index', 0):
            n.fail("select_last_index=1 is not supported")
        y = getattr(S, opname)(n.sym(0), axis=int(n.attr('axis', 0)),
                               keepdims=bool(n.attr('keepdims', 1)), name=n.name('arg'))
        return S.cast(y, dtype='int64', name=n.name())        # ONNX's indices are int64
    return convert


def _topk(n):
    k = int(n.attr('k')) if n.opset < 10 else int(np.ravel(n.const(1, what='K'))[0])
    y = S.topk(n.sym(0), axis=int(n.attr('axis', -1)), k=k, ret_typ='both',
               is_ascend=not n.attr('largest', 1), dtype='int64', name=n.name())
    return [y[0], y[1]]


def _cumsum(n):
    if n.attr('exclusive', 0) or n.attr('reverse', 0):
        n.fail("exclusive=1 and reverse=1 are not supported")
    return S.cumsum(n.sym(0), axis=int(np.ravel(n.const(1, what='axis'))[0]), name=n.name())


def _identity(n):
    return n.sym(0)           # the same Symbol under a second ONNX name


CONVERT_MAP = {
    # element-wise
    'Relu': _unary('relu'), 'Sigmoid': _unary('sigmoid'), 'Tanh': _unary('tanh'),
    'Exp': _unary('exp'), 'Log': _unary('log'), 'Sqrt': _unary('sqrt'),
    'Abs': _unary('abs'), 'Neg': _unary('negative'), 'Floor': _unary('floor'),
    'Ceil': _unary('ceil'), 'Reciprocal': _unary('reciprocal'), 'Erf': _unary('erf'),
    'Sin': _unary('sin'), 'Cos': _unary('cos'), 'Tan': _unary('tan'),
    'Asin': _unary('arcsin'), 'Acos': _unary('arccos'), 'Atan': _unary('arctan'),
    'Sinh': _unary('sinh'), 'Cosh': _unary('cosh'), 'Asinh': _unary('arcsinh'),
    'Acosh': _unary('arccosh'), 'Atanh': _unary('arctanh'), 'Sign': _unary('sign'),
    'Round': _unary('rint'), 'Not': _unary('logical_not'), 'Softsign': _unary('softsign'),
    'Softplus': _unary('Activation', act_type='softrelu'),
    'LeakyRelu': lambda n: S.LeakyReLU(n.sym(0), act_type='leaky',
                                       slope=float(n.attr('alpha', 0.01)), name=n.name()),
    'Elu': lambda n: S.LeakyReLU(n.sym(0), act_type='elu',
                                 slope=float(n.attr('alpha', 1.0)), name=n.name()),
    'Selu': _selu, 'PRelu': _prelu, 'Gelu': _gelu, 'HardSwish': _hard_swish,
    'HardSigmoid': lambda n: S.hard_sigmoid(n.sym(0), alpha=float(n.attr('alpha', 0.2)),
                                            beta=float(n.attr('beta', 0.5)), name=n.name()),
    'Clip': _clip, 'Cast': _cast, 'Where': _where, 'Identity': _identity,
    **{op: _binary(op) for op in _BINARY if op not in ('Max', 'Min')},
    'Max': _variadic('Max'), 'Min': _variadic('Min'), 'Sum': _variadic('Sum'),
    'Mean': _variadic('Mean'),
    # layers
    'Conv': _conv, 'ConvTranspose': _conv_transpose,
    'MaxPool': _pool('max'), 'AveragePool': _pool('avg'),
    'GlobalAveragePool': _global_pool('avg'), 'GlobalMaxPool': _global_pool('max'),
    'BatchNormalization': _batch_norm, 'InstanceNormalization': _instance_norm,
    'LayerNormalization': _layer_norm, 'LRN': _lrn, 'Dropout': _dropout,
    'Gemm': _gemm, 'MatMul': _matmul,
    'Softmax': _softmax('softmax'), 'LogSoftmax': _softmax('log_softmax'),
    # shapes
    'Flatten': _flatten, 'Reshape': _reshape, 'Transpose': _transpose, 'Concat': _concat,
    'Squeeze': _squeeze, 'Unsqueeze': _unsqueeze, 'Slice': _slice, 'Split': _split,
    'Gather': _gather, 'Expand': _expand, 'Tile': _tile, 'Pad': _pad,
    'Resize': _resize, 'Upsample': _resize, 'DepthToSpace': _depth_to_space,
    'SpaceToDepth': _space_to_depth, 'Shape': _shape, 'Size': _size,
    # reductions and search
    'ReduceMean': _reduce('mean'), 'ReduceSum': _reduce('sum'), 'ReduceMax': _reduce('max'),
    'ReduceMin': _reduce('min'), 'ReduceProd': _reduce('prod'),
    'ReduceL1': _reduce('sum', before='abs'), 'ReduceL2': _reduce('norm'),
    'ReduceSumSquare': _reduce('sum', before='square'),
    'ReduceLogSum': _reduce('sum', after='log'),
    'ReduceLogSumExp': _reduce('sum', before='exp', after='log'),
    'ArgMax': _arg('argmax'), 'ArgMin': _arg('argmin'), 'TopK': _topk, 'CumSum': _cumsum,
}


# ---- constant folding (numpy) -------------------------------------------------------------------
def _fold_constant(n):
    for key in ('value', 'value_float', 'value_floats', 'value_int', 'value_ints'):
        if key in n.attrs:
            value = n.attrs[key]
            if key in ('value_float', 'value_floats'):
                return np.array(value, dtype=np.float32)
            if key in ('value_int', 'value_ints'):
                return np.array(value, dtype=np.int64)
            return value
    n.fail(f"only tensor, float and int values are supported, got attributes "
           f"{sorted(n.attrs)}")


def _c(n, i):
    return n.g._consts[n.inputs[i]]


def _fold_div(n):
    a, b = _c(n, 0), _c(n, 1)
    if np.issubdtype(a.dtype, np.integer):
        return np.trunc(a / b).astype(a.dtype)       # ONNX integer division truncates
    return (a / b).astype(a.dtype)


def _fold_unsqueeze(n):
    y = _c(n, 0)
    axes = n.ints(1, 'axes', 13, 'axes')
    for a in sorted(a if a >= 0 else a + y.ndim + len(axes) for a in axes):
        y = np.expand_dims(y, a)
    return y


def _fold_squeeze(n):
    axes = n.ints(1, 'axes', 13, 'axes')
    return np.squeeze(_c(n, 0), axis=tuple(axes) if axes else None)


def _fold_reshape(n):
    x, shape = _c(n, 0), list(n.ints(1, 'shape', 5, 'shape'))
    shape = [x.shape[i] if s == 0 and not n.attr('allowzero', 0) else s
             for i, s in enumerate(shape)]
    return x.reshape(shape)


def _fold_slice(n):
    starts, ends, axes, steps = _slice_args(n)
    x = _c(n, 0)
    index = [slice(None)] * x.ndim
    for a, s, e, st in zip(axes, starts, ends, steps):
        index[a] = slice(s, e, st)
    return x[tuple(index)]


def _fold_binary(fn):
    return lambda n: np.asarray(fn(_c(n, 0), _c(n, 1))).astype(
        _c(n, 0).dtype if fn not in (np.equal, np.less, np.greater) else bool)


FOLD_MAP = {
    'Constant': _fold_constant,
    'Identity': lambda n: _c(n, 0),
    'Shape': lambda n: np.array(_c(n, 0).shape[n.attr('start', 0):n.attr('end')],
                                dtype=np.int64),
    'Size': lambda n: np.array(_c(n, 0).size, dtype=np.int64),
    'Gather': lambda n: np.take(_c(n, 0), _c(n, 1), axis=int(n.attr('axis', 0))),
    'Unsqueeze': _fold_unsqueeze, 'Squeeze': _fold_squeeze, 'Reshape': _fold_reshape,
    'Slice': _fold_slice,
    'Concat': lambda n: np.concatenate([_c(n, i) for i in range(len(n.inputs))],
                                       axis=int(n.attr('axis'))),
    'Cast': lambda n: _c(n, 0).astype(elem_dtype(n.attr('to'))),
    'Add': _fold_binary(np.add), 'Sub': _fold_binary(np.subtract),
    'Mul': _fold_binary(np.multiply), 'Div': _fold_div,
    'Equal': _fold_binary(np.equal), 'Less': _fold_binary(np.less),
    'Greater': _fold_binary(np.greater),
    'Neg': lambda n: -_c(n, 0), 'Sqrt': lambda n: np.sqrt(_c(n, 0)),
    'Transpose': lambda n: np.transpose(_c(n, 0), n.attr('perm')),
    'Range': lambda n: np.arange(_c(n, 0), _c(n, 1), _c(n, 2)).astype(_c(n, 0).dtype),
    'ConstantOfShape': lambda n: np.full(
        tuple(int(v) for v in _c(n, 0)),
        n.attr('value', np.zeros(1, np.float32)).ravel()[0],
        dtype=n.attr('value', np.zeros(1, np.float32)).dtype),
    'Expand': lambda n: np.array(np.broadcast_to(
        _c(n, 0), np.broadcast_shapes(_c(n, 0).shape, tuple(int(v) for v in _c(n, 1))))),
    'Tile': lambda n: np.tile(_c(n, 0), tuple(int(v) for v in _c(n, 1))),
    'Where': lambda n: np.where(_c(n, 0), _c(n, 1), _c(n, 2)),
}
