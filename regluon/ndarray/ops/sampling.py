"""Random sampling operators: `_random_*` (scalar parameters), `_sample_*` (one
distribution per element of NDArray parameters), `_sample_multinomial`, `_shuffle`.

All draw from torch's generators, which `mx.random.seed` seeds. MXNet rules kept here:
- results are float32 unless `dtype` says otherwise, whatever the parameters' dtype;
- `_sample_*` appends `shape` to the parameters' shape: low (2,), shape (3,) -> (2, 3);
- samples carry no gradient (MXNet gives their parameters a zero gradient), except the
  log-probabilities `_sample_multinomial(get_prob=True)` returns, which are differentiable.
The user-facing functions with MXNet's signatures and checks are in `nd.random`.
"""
import inspect

import math

import torch

from ...base import MXNetError, dtype_name, torch_dtype
from ...context import device_of
from ..register import op

_FLOATS = ('float16', 'float32', 'float64')


def _out_dtype(opname, dtype, allowed=_FLOATS, default='float32'):
    """The torch dtype for `dtype`, refused as MXNet does when `allowed` lacks it."""
    if dtype is None or dtype == 'None':
        return torch_dtype(default)
    name = dtype if isinstance(dtype, str) else dtype_name(dtype)
    if name not in allowed:
        names = ([] if opname == '_sample_multinomial' else ["'None'"]) + \
            [repr(a) for a in allowed]
        raise MXNetError(f"Invalid Input: {dtype!r}, valid values are: {{{', '.join(names)}}}, "
                         f"in operator {opname}")
    return torch_dtype(name)


def _work(dtype):
    """Sample in float64 for float64 output, else float32 (float16 draws lose too much)."""
    return torch.float64 if dtype == torch.float64 else torch.float32


def _params(opname, params, shape, work, device):
    """(parameters as `work` tensors of the output's shape, that shape, the device)."""
    tensors = [p for p in params if isinstance(p, torch.Tensor)]
    extra = (shape,) if isinstance(shape, int) else tuple(shape)    # MXNet takes shape=30
    if tensors:
        base = tuple(tensors[0].shape)
        if any(tuple(t.shape) != base for t in tensors):
            raise MXNetError(f"{opname}: all parameter arrays must have the same shape, got "
                             f"{[tuple(t.shape) for t in tensors]}")
        device = tensors[0].device
    else:
        base = ()
    out_shape = base + extra

    def expand(p):
        if isinstance(p, torch.Tensor):
            return p.to(work).reshape(base + (1,) * len(extra)).expand(out_shape)
        return torch.as_tensor(p, dtype=work, device=device).expand(out_shape)
    return [expand(p) for p in params], out_shape, device


def _std_gamma(alpha):
    return torch.distributions.Gamma(alpha, torch.ones_like(alpha), validate_args=False).sample()


# name -> (parameter names, draw(out_shape, work dtype, device, *params))
_DIST = {
    'uniform': (('low', 'high'),
                lambda s, w, d, lo, hi: torch.rand(s, dtype=w, device=d) * (hi - lo) + lo),
    'normal': (('loc', 'scale'),
               lambda s, w, d, m, sd: torch.randn(s, dtype=w, device=d) * sd + m),
    # MXNet's operators take the rate; nd.random.exponential passes 1/scale
    'exponential': (('lam',),
                    lambda s, w, d, lam: torch.empty(s, dtype=w, device=d).exponential_() / lam),
    'gamma': (('alpha', 'beta'), lambda s, w, d, a, b: _std_gamma(a) * b),
    'poisson': (('lam',), lambda s, w, d, lam: torch.poisson(lam)),
    # MXNet draws these as a Poisson of a Gamma; so do we
    'negative_binomial': (('k', 'p'),
                          lambda s, w, d, k, p: torch.poisson(_std_gamma(k) * (1 - p) / p)),
    'generalized_negative_binomial': (
        ('mu', 'alpha'),
        lambda s, w, d, mu, a: torch.poisson(torch.where(
            a > 0, _std_gamma(1 / torch.where(a > 0, a, 1)) * a * mu, mu))),
}


def _by_name(opname, dist, names, params, named):
    """The distribution's parameters from positional and named values, MXNet's defaults
    for the rest (a graph names them: `_random_uniform` with low="0", high="1")."""
    vals = list(_LIKE_DEFAULTS[dist])
    vals[:len(params)] = params
    for k, v in named.items():
        if k not in names:
            raise TypeError(f"{opname}: unexpected parameter {k!r}; it takes {names}")
        vals[names.index(k)] = v
    return vals


def _random_kernel(dist):
    names, draw = _DIST[dist]
    opname = f'_random_{dist}'

    def kernel(*params, shape=(1,), dtype=None, ctx=None, **named):
        params = _by_name(opname, dist, names, params, named)
        out = _out_dtype(opname, dtype)
        w = _work(out)
        device = device_of(ctx)
        ps, s, device = _params(opname, params, shape, w, device)
        with torch.no_grad():
            return draw(s, w, device, *ps).to(out)
    kernel.__name__ = opname
    kernel.__doc__ = f"Draw `shape` samples from {dist}({', '.join(names)}) for scalars."
    return kernel


# `_sample_*` names its parameter arrays as MXNet does where they differ from `_random_*`'s
_SAMPLE_NAMES = {'normal': ('mu', 'sigma')}


def _sample_kernel(dist):
    names, draw = _DIST[dist]
    names = _SAMPLE_NAMES.get(dist, names)
    opname = f'_sample_{dist}'

    def kernel(*params, shape=(), dtype=None, **named):
        if named:
            params = list(params) + [None] * (len(names) - len(params))
            for k, v in named.items():
                params[names.index(k)] = v
        if len(params) != len(names) or any(p is None for p in params):
            raise MXNetError(f"{opname}: expected the parameter arrays {list(names)}, got "
                             f"{len([p for p in params if p is not None])} of them")
        out = _out_dtype(opname, dtype)
        w = _work(out)
        shape = (shape,) if isinstance(shape, int) else shape    # MXNet takes shape=3 too
        ps, s, device = _params(opname, params, shape, w, None)
        with torch.no_grad():
            return draw(s, w, device, *ps).to(out)
    # MXNet's keywords: sample_normal(mu=, sigma=, shape=, dtype=)
    kernel.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names] +
        [inspect.Parameter('shape', inspect.Parameter.KEYWORD_ONLY, default=()),
         inspect.Parameter('dtype', inspect.Parameter.KEYWORD_ONLY, default=None)])
    kernel.__name__ = opname
    kernel.__doc__ = (f"Draw `shape` samples from {dist}({', '.join(names)}) for each "
                      "element of the parameter arrays; the result's shape is theirs + shape.")
    return kernel


for _d in _DIST:
    # MXNet also names the scalar-parameter uniform and normal `nd.uniform`, `nd.normal`
    op(_random_kernel(_d),
       aliases=(f'random_{_d}',) + ((_d,) if _d in ('uniform', 'normal') else ()))
    op(_sample_kernel(_d), aliases=(f'sample_{_d}',))


@op(name='_random_randint', aliases=('random_randint',))
def random_randint(low, high, shape=(1,), dtype=None, ctx=None):
    """Draw integers uniformly from [low, high)."""
    out = _out_dtype('_random_randint', dtype, ('int32', 'int64'), 'int32')
    device = device_of(ctx)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)   # MXNet takes shape=3 too
    return torch.randint(int(low), int(high), shape, dtype=out, device=device)


@op(name='_sample_multinomial', aliases=('sample_multinomial',))
def sample_multinomial(data, shape=(), get_prob=False, dtype='int32'):
    """Draw category indices from the probability rows (last axis) of `data`.

    As MXNet: the index is the first category whose cumulative probability exceeds a
    uniform draw, so rows that do not sum to 1 behave as they do in MXNet.
    """
    out = _out_dtype('_sample_multinomial', dtype,
                     ('float16', 'float32', 'float64', 'int32', 'uint8'), 'int32')
    extra = tuple(shape)
    n = 1
    for s in extra:
        n *= s
    flat = data.reshape(-1, data.shape[-1])
    with torch.no_grad():
        cdf = flat.detach().to(torch.float64).cumsum(-1)
        u = torch.rand(flat.shape[0], max(n, 1), dtype=torch.float64, device=data.device)
        idx = torch.searchsorted(cdf, u, right=True)
    res_shape = tuple(data.shape[:-1]) + extra or (1,)     # MXNet: one row gives (1,)
    samples = idx.reshape(res_shape).to(out)
    if not get_prob:
        return samples
    picked = torch.gather(flat, 1, idx.clamp(max=flat.shape[1] - 1))
    return [samples, torch.log(picked).reshape(res_shape)]


@op(name='_sample_unique_zipfian')
def sample_unique_zipfian(range_max, shape=()):
    """Per row of `shape` (batch, n): n distinct classes in [0, range_max) drawn from the
    log-uniform (Zipfian) distribution, round(exp(u * log(range_max))) - 1, in the order
    first drawn; and the number of draws each row took (MXNet's sampled softmax helper)."""
    if len(shape) != 2:
        raise MXNetError(f"_sample_unique_zipfian: shape must be (batch_size, num_sampled), "
                         f"got {tuple(shape)}")
    batch, n = int(shape[0]), int(shape[1])
    if n > range_max:
        raise MXNetError("_sample_unique_zipfian: Number of samples cannot exceed the number "
                         f"of possible classes ({n} vs. {range_max})")
    log_range = math.log(range_max)
    classes = torch.empty((batch, n), dtype=torch.int64)
    trials = torch.empty((batch,), dtype=torch.int64)
    with torch.no_grad():
        for b in range(batch):
            stream = torch.empty(0, dtype=torch.int64)
            while True:
                more = torch.exp(torch.rand(2 * n + 64, dtype=torch.float64) * log_range)
                stream = torch.cat([stream, torch.round(more).to(torch.int64) - 1])
                # the position of each value's first draw, in draw order
                vals, inv = torch.unique(stream, return_inverse=True)
                first = torch.full((len(vals),), len(stream), dtype=torch.int64)
                first.scatter_reduce_(0, inv, torch.arange(len(stream)), 'amin')
                if len(first) >= n:
                    break
            order = torch.sort(first).values[:n]
            classes[b] = stream[order]
            trials[b] = order[-1] + 1 if n else 0
    return [classes, trials]


@op(name='_shuffle', aliases=('shuffle',))
def shuffle(data):
    """A copy of `data` with its first axis randomly permuted."""
    if data.dim() == 0:
        raise MXNetError("shuffle: expected an array with at least one axis, got a 0-d array")
    with torch.no_grad():
        return data[torch.randperm(data.shape[0], device=data.device)]


# `nd.random.<dist>_like(data, ...)`: samples with data's shape and (floating) dtype.
_LIKE_DEFAULTS = {'uniform': (0.0, 1.0), 'normal': (0.0, 1.0), 'gamma': (1.0, 1.0),
                  'exponential': (1.0,), 'poisson': (1.0,), 'negative_binomial': (1, 1.0),
                  'generalized_negative_binomial': (1.0, 1.0)}


def _like_kernel(dist):
    names, draw = _DIST[dist]
    opname = f'_random_{dist}_like'

    def kernel(data, *params, **kw):
        if not data.is_floating_point():
            raise MXNetError(f"{opname}: This operation only support floating point types, "
                             f"not {str(data.dtype)[6:]}")
        vals = _by_name(opname, dist, names, params, kw)
        w = _work(data.dtype)
        ps, s, device = _params(opname, vals, data.shape, w, data.device)
        with torch.no_grad():
            return draw(s, w, device, *ps).to(data.dtype)
    kernel.__name__ = opname
    kernel.__doc__ = f"Samples from {dist}({', '.join(names)}) with the shape and dtype of data."
    return kernel


for _d in _DIST:
    op(_like_kernel(_d))
