"""Cases of the `Correlation` operator run by MXNet 1.9.1 (tools/golden_correlation.py) and
regluon (tests/test_correlation.py): the same inputs, parameters and head gradients."""
import numpy as np

# name, input shape (N, C, H, W), keyword arguments, dtype
CASES = [
    ('default', (2, 3, 7, 8), {}, 'float32'),
    ('k3_md2', (2, 3, 9, 10), dict(kernel_size=3, max_displacement=2), 'float32'),
    ('k3_pad_strides', (2, 4, 9, 10), dict(kernel_size=3, max_displacement=2, pad_size=2,
                                           stride1=2, stride2=2), 'float32'),
    ('flownet_like', (1, 5, 12, 11), dict(kernel_size=1, max_displacement=4, pad_size=4,
                                          stride2=2), 'float32'),
    ('k5_abs', (2, 3, 8, 9), dict(kernel_size=5, max_displacement=1, pad_size=3,
                                  is_multiply=False), 'float32'),
    ('k3_abs_strides', (1, 2, 11, 10), dict(kernel_size=3, max_displacement=3, stride1=2,
                                            stride2=3, pad_size=1, is_multiply=False), 'float32'),
    ('md0', (2, 3, 6, 5), dict(kernel_size=3, max_displacement=0), 'float32'),
    ('stride2_over_md', (1, 3, 7, 8), dict(max_displacement=1, stride2=2), 'float32'),
    ('stride1_3', (2, 3, 7, 8), dict(max_displacement=1, stride1=3), 'float32'),
    ('float64', (1, 2, 6, 7), dict(kernel_size=3, max_displacement=1, pad_size=1), 'float64'),
]


def inputs(shape, dtype, seed):
    """data1, data2 and the head gradient for the output of `shape` (seeded, away from 0)."""
    rng = np.random.RandomState(seed)
    return [rng.uniform(-1, 1, shape).astype(dtype) for _ in range(2)], rng


def head(rng, shape, dtype):
    return rng.uniform(-1, 1, shape).astype(dtype)


def run(nd, autograd, shape, kwargs, dtype, seed):
    """Output and gradients of data1 and data2 for a seeded head gradient."""
    (x1, x2), rng = inputs(shape, dtype, seed)
    a, b = nd.array(x1, dtype=dtype), nd.array(x2, dtype=dtype)
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        y = nd.Correlation(a, b, **kwargs)
    y.backward(nd.array(head(rng, y.shape, dtype), dtype=dtype))
    return y.asnumpy(), a.grad.asnumpy(), b.grad.asnumpy()


# Bad arguments: name, data shape, dtype, keyword arguments, a phrase of MXNet's message
# that regluon's MXNetError also contains
ERRORS = [
    ('even_kernel', (2, 3, 7, 8), 'float32', dict(kernel_size=2), 'kernel size should be odd'),
    ('zero_kernel', (2, 3, 7, 8), 'float32', dict(kernel_size=0), 'kernel size should be odd'),
    ('not_4d', (2, 3, 7), 'float32', {}, 'data should be a 4D tensor'),
    ('too_small', (2, 3, 7, 8), 'float32', dict(max_displacement=4),
     "Neighborhood and kernel don't fit in blob"),
    ('kernel_too_big', (2, 3, 7, 8), 'float32', dict(kernel_size=9, max_displacement=0),
     "Neighborhood and kernel don't fit in blob"),
    ('int32', (1, 1, 5, 5), 'int32', {}, 'floating point'),
]
