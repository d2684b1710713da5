"""MXNet 1.9.1's remaining general operators: AMP casts, histogram, moveaxis, the legacy
onehot_encode / fill_element_0index, im2col/col2im, the random_pdf_* densities and dlpack
export (layer-like ones and nd.contrib's rand_zipfian/hawkesll: ops/extra_layers.py).

Gradients are torch autograd's where they equal MXNet's; where MXNet's backward is its own
(the densities give discrete samples and uniform's sample no gradient), the kernel says so.
"""
import math
import numbers
import warnings

import torch
import torch.nn.functional as F

from ...base import MXNetError, torch_dtype
from ..register import op

# the types AMP casts between; other dtypes (float64, integers) pass its casts unchanged
_AMP = (torch.float16, torch.float32, torch.bfloat16)


# ---- AMP casts (what contrib.amp inserts into graphs) ------------------------------------------
@op
def amp_cast(data, dtype):
    """Cast a float16/bfloat16/float32 array to `dtype` (other arrays, float64 included,
    pass unchanged); the gradient is cast back to the input's dtype.

    Parameters
    ----------
    data : NDArray
    dtype : {'float16', 'float32', 'float64', ...}
    """
    if data.dtype not in _AMP:
        return data.clone()
    to = torch_dtype(dtype)
    # MXNet's cast to an integer type rounds to the nearest
    return data.to(to) if to.is_floating_point else data.round().to(to)


@op
def amp_multicast(*data, num_outputs, cast_narrow=False):
    """Cast the float16/bfloat16/float32 arrays to one type: float32 if any is float32
    (else the first input's type), or with cast_narrow float16 if any is float16 (else
    float32). Other arrays pass unchanged. Returns `num_outputs` arrays.

    Parameters
    ----------
    data : NDArray
    num_outputs : int
        The number of inputs (and outputs).
    cast_narrow : bool, default False
    """
    if len(data) != num_outputs:
        raise MXNetError(f"amp_multicast: num_outputs={num_outputs}, got {len(data)} inputs")
    if not data:
        return []
    to = torch.float32 if cast_narrow else data[0].dtype
    for t in data:          # MXNet's type rule, including which input wins
        if not cast_narrow and t.dtype == torch.float32:
            to = torch.float32
        elif cast_narrow and t.dtype in (torch.float16, torch.bfloat16):
            to = t.dtype
    return [t.to(to) if t.dtype in _AMP else t.clone() for t in data]


# ---- histogram ----------------------------------------------------------------------------------
@op(name='_histogram', aliases=('histogram',))
def histogram(a, bins=10, range=None, bin_cnt=None):  # pylint: disable=redefined-builtin
    """The histogram of the flattened `a`: [counts (int64), bin edges (a's dtype)]. The last
    bin includes its right edge; values outside the bins are ignored.

    Parameters
    ----------
    a : NDArray
    bins : int or NDArray, default 10
        The number of equal-width bins in `range`, or the bin edges (increasing).
    range : (float, float), optional
        The bins' span; without it (and an int `bins`) MXNet falls back to numpy's
        histogram over (min, max) and returns float32 counts.
    bin_cnt : int, optional
        The number of bins (the `_histogram` operator's name for an int `bins`).
    """
    if isinstance(bins, torch.Tensor):
        edges = bins.reshape(-1)
        if edges.numel() < 2:
            raise MXNetError(f"histogram: bins must hold at least 2 edges, got {edges.numel()}")
        return [_counts(a, edges, edges[0].item(), edges[-1].item()), edges.clone()]
    n = bin_cnt if bin_cnt is not None else bins
    if not isinstance(n, int) or n <= 0:
        raise MXNetError(f"histogram: bins should be a positive int or an NDArray, got {n!r}")
    if range is None:
        warnings.warn("range is not specified, using numpy's result to ensure consistency "
                      "with numpy")
        x = a.reshape(-1).double()
        lo, hi = (x.min().item(), x.max().item()) if x.numel() else (0.0, 1.0)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        # MXNet returns numpy's result as nd.array: float32 counts and edges
        return [torch.histc(x, n, lo, hi).float(),
                torch.linspace(lo, hi, n + 1, dtype=torch.float64, device=a.device).float()]
    lo, hi = float(range[0]), float(range[1])
    if not lo <= hi:
        raise MXNetError(f"histogram: range must be (min, max) with min <= max, got {range}")
    edges = (lo + torch.arange(n + 1, dtype=torch.float64, device=a.device) * ((hi - lo) / n))
    edges = edges.to(a.dtype)
    return [_counts(a, edges, lo, hi), edges]


def _counts(a, edges, lo, hi):
    """int64 counts of a's values in [lo, hi] by bin, a bin being [edges[i], edges[i+1])
    (the last one closed), compared in a's dtype as MXNet's kernel does."""
    x, e = a.reshape(-1).double(), edges.double()
    n = e.numel() - 1
    idx = (torch.searchsorted(e, x, right=True) - 1).clamp_(0, n - 1)
    return torch.bincount(idx[(x >= lo) & (x <= hi)], minlength=n)


# ---- shapes and legacy indexing -----------------------------------------------------------------
@op
def moveaxis(tensor, source, destination):
    """Move axes `source` to the positions `destination`, the others keeping their order.

    Parameters
    ----------
    tensor : NDArray
    source, destination : int or sequence of int
    """
    n = tensor.dim()
    src = _axes_tuple(source, n, 'source')
    dst = _axes_tuple(destination, n, 'destination')
    if len(src) != len(dst):            # MXNet's ValueErrors (its moveaxis is Python)
        raise ValueError('`source` and `destination` arguments must have the same number '
                         'of elements')
    return torch.movedim(tensor, src, dst).clone(memory_format=torch.contiguous_format)


def _axes_tuple(axes, ndim, what):
    """`axes` (an int or a sequence) as distinct axes of an ndim-D array: ValueError for
    one out of range or repeated, as MXNet's moveaxis (NumPy's normalize_axis_tuple)."""
    axes = [axes] if isinstance(axes, numbers.Integral) else list(axes)
    if any(not -ndim <= ax < ndim for ax in axes):
        raise ValueError(f"moveaxis: {what} {axes} out of range for a {ndim}D array")
    axes = [ax % ndim for ax in axes]
    if len(set(axes)) != len(axes):
        raise ValueError(f"moveaxis: repeated axis in `{what}` argument")
    return axes


@op
def onehot_encode(indices, out):
    """[Deprecated, use one_hot] Write the one-hot rows of `indices` into `out` (n, depth).

    Parameters
    ----------
    indices : NDArray
        Class indices, shape (n,).
    out : NDArray
        The (n, depth) array written to.
    """
    if indices.dim() != 1 or out.dim() != 2 or out.shape[0] != indices.shape[0]:
        raise MXNetError(f"onehot_encode: expected indices (n,) and out (n, depth), got "
                         f"{tuple(indices.shape)} and {tuple(out.shape)}")
    out.zero_().scatter_(1, indices.long().reshape(-1, 1), 1)
    return out


def _rows(name, lhs, rhs):
    if lhs.dim() != 2 or rhs.dim() != 1 or rhs.shape[0] != lhs.shape[0]:
        raise MXNetError(f"{name}: expected lhs (n, m) and rhs (n,), got {tuple(lhs.shape)} "
                         f"and {tuple(rhs.shape)}")
    return rhs.long().reshape(-1, 1)


@op
def fill_element_0index(lhs, mhs, rhs):
    """A copy of lhs with lhs[i, rhs[i]] = mhs[i] (legacy).

    Parameters
    ----------
    lhs : NDArray
        (n, m)
    mhs : NDArray
        (n,) values.
    rhs : NDArray
        (n,) column indices.
    """
    idx = _rows('fill_element_0index', lhs, rhs)
    return lhs.scatter(1, idx, mhs.reshape(-1, 1).to(lhs.dtype))


# ---- im2col / col2im ----------------------------------------------------------------------------
def _conv_args(name, data, kernel, stride, dilate, pad, nd_):
    k = tuple(kernel)
    if len(k) != 2 or data.dim() != nd_:
        # (MXNet 1.9.1 infers 3-D shapes but its CPU kernel fails on them)
        raise MXNetError(f"{name}: expected a 2-D kernel on (N, C, H, W) data, got kernel "
                         f"{k} and data {tuple(data.shape)}")
    return dict(kernel_size=k, stride=tuple(stride) or (1, 1),
                dilation=tuple(dilate) or (1, 1), padding=tuple(pad) or (0, 0))


@op
def im2col(data, kernel, stride=(), dilate=(), pad=()):
    """The sliding (kernel-sized) blocks of `data` (N, C, H, W) as columns:
    (N, C * kh * kw, L).

    Parameters
    ----------
    data : NDArray
    kernel : tuple of int
    stride, dilate, pad : tuple of int, default (1, 1), (1, 1), (0, 0)
    """
    return F.unfold(data, **_conv_args('im2col', data, kernel, stride, dilate, pad, 4))


@op
def col2im(data, output_size, kernel, stride=(), dilate=(), pad=()):
    """Sum the columns of `data` (N, C * kh * kw, L) back into an (N, C) + output_size
    image (the adjoint of im2col).

    Parameters
    ----------
    data : NDArray
    output_size : tuple of int
        (H, W) of the image.
    kernel : tuple of int
    stride, dilate, pad : tuple of int
    """
    kw = _conv_args('col2im', data, kernel, stride, dilate, pad, 3)
    return F.fold(data, output_size=tuple(output_size), **kw)


# ---- densities (random_pdf_*) -------------------------------------------------------------------
def _pdf(name, lpdf, sample, params, is_log, vector=False):
    """exp(lpdf) (or lpdf with is_log) of `sample` whose leading axes index the parameters:
    params of shape P give sample shape P + (n...,) (dirichlet: P[:-1] + (n...,) + (k,))."""
    p0 = params[0]
    lead = p0.dim() - 1 if vector else p0.dim()
    if tuple(sample.shape[:lead]) != tuple(p0.shape[:lead]) or \
            any(tuple(p.shape) != tuple(p0.shape) for p in params) or \
            (vector and sample.shape[-1] != p0.shape[-1]):
        raise MXNetError(f"{name}: the parameters {[tuple(p.shape) for p in params]} must "
                         f"share a shape that leads sample's {tuple(sample.shape)}")
    extra = sample.dim() - p0.dim()
    if vector:
        ps = [p.reshape(tuple(p.shape[:-1]) + (1,) * extra + tuple(p.shape[-1:]))
              for p in params]
    else:
        ps = [p.reshape(tuple(p.shape) + (1,) * extra) for p in params]
    out = lpdf(sample, *ps)
    out = out if is_log else out.exp()
    return out.reshape(1) if vector and sample.dim() == 1 else out


def _nb_lpdf(x, k, p):
    # MXNet gives the sample no gradient in the discrete densities
    x = x.detach()
    return (torch.lgamma(x + k) - torch.lgamma(x + 1) - torch.lgamma(k) + k * p.log()
            + x * (1 - p).log())


@op
def random_pdf_uniform(sample, low, high, is_log=False):
    """The density of U(low, high) at `sample` (no support check, as MXNet).

    Parameters
    ----------
    sample : NDArray
        Samples; its leading axes have the parameters' shape.
    low, high : NDArray
    is_log : bool, default False
        Return the log density.
    """
    return _pdf('random_pdf_uniform',
                lambda x, lo, hi: torch.zeros_like(x.detach()) - (hi - lo).log(),
                sample, [low, high], is_log)


@op
def random_pdf_normal(sample, mu, sigma, is_log=False):
    """The density of N(mu, sigma) at `sample`.

    Parameters
    ----------
    sample : NDArray
    mu, sigma : NDArray
    is_log : bool, default False
    """
    return _pdf('random_pdf_normal',
                lambda x, u, s: -0.5 * (x - u).square() / s.square()
                - (math.sqrt(2 * math.pi) * s).log(), sample, [mu, sigma], is_log)


@op
def random_pdf_gamma(sample, alpha, beta, is_log=False):
    """The density of Gamma(alpha, rate beta) at `sample`.

    Parameters
    ----------
    sample : NDArray
    alpha, beta : NDArray
        Shape and rate.
    is_log : bool, default False
    """
    return _pdf('random_pdf_gamma',
                lambda x, a, b: a * b.log() + (a - 1) * x.log() - b * x - torch.lgamma(a),
                sample, [alpha, beta], is_log)


@op
def random_pdf_exponential(sample, lam, is_log=False):
    """The density of Exponential(rate lam) at `sample`.

    Parameters
    ----------
    sample : NDArray
    lam : NDArray
    is_log : bool, default False
    """
    return _pdf('random_pdf_exponential', lambda x, la: la.log() - la * x, sample, [lam],
                is_log)


@op
def random_pdf_poisson(sample, lam, is_log=False):
    """The probability of `sample` under Poisson(lam).

    Parameters
    ----------
    sample : NDArray
    lam : NDArray
    is_log : bool, default False
    """
    return _pdf('random_pdf_poisson',
                lambda x, la: x.detach() * la.log() - torch.lgamma(x.detach() + 1) - la,
                sample, [lam], is_log)


@op
def random_pdf_negative_binomial(sample, k, p, is_log=False):
    """The probability of `sample` failures before k successes of probability p.

    Parameters
    ----------
    sample : NDArray
    k, p : NDArray
    is_log : bool, default False
    """
    return _pdf('random_pdf_negative_binomial', _nb_lpdf, sample, [k, p], is_log)


@op
def random_pdf_generalized_negative_binomial(sample, mu, alpha, is_log=False):
    """The probability of `sample` under the negative binomial of mean mu and dispersion
    alpha (k = 1/alpha, p = 1/(mu*alpha + 1)).

    Parameters
    ----------
    sample : NDArray
    mu, alpha : NDArray
    is_log : bool, default False
    """
    return _pdf('random_pdf_generalized_negative_binomial',
                lambda x, m, a: _nb_lpdf(x, 1 / a, 1 / (m * a + 1)), sample, [mu, alpha],
                is_log)


@op
def random_pdf_dirichlet(sample, alpha, is_log=False):
    """The density of Dirichlet(alpha) at `sample` (its last axis is the k components).

    Parameters
    ----------
    sample : NDArray
    alpha : NDArray
        (..., k)
    is_log : bool, default False
    """
    def lpdf(x, a):
        return ((a - 1) * x.log()).sum(-1) + torch.lgamma(a.sum(-1)) - torch.lgamma(a).sum(-1)
    return _pdf('random_pdf_dirichlet', lpdf, sample, [alpha], is_log, vector=True)


# ---- dlpack -------------------------------------------------------------------------------------
@op
def to_dlpack_for_read(data):
    """A DLPack capsule sharing the array's memory (torch.utils.dlpack; reads)."""
    return torch.utils.dlpack.to_dlpack(data.detach())


@op
def to_dlpack_for_write(data):
    """A DLPack capsule sharing the array's memory (writes through it change the array)."""
    return torch.utils.dlpack.to_dlpack(data.detach())
