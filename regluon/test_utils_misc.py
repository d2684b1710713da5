"""`mx.test_utils` helpers around the checks, as MXNet 1.9.1's: environment variables,
stderr, devices and build features, small array and matrix makers, sparse arrays and a
dummy data iterator. Re-exported by `regluon.test_utils`.
"""
import os
import platform
import sys
from contextlib import contextmanager

import numpy as np
import numpy.random as rnd

from . import ndarray as nd
from .context import current_context, num_gpus
from .io import DataIter
from .test_utils import _expect, default_context, default_dtype

__all__ = ['getenv', 'setenv', 'environment', 'discard_stderr', 'DummyIter', 'list_gpus',
           'get_cuda_compute_capability', 'effective_dtype', 'is_cd_run', 'is_aarch64_run',
           'has_tvm_ops', 'is_op_runnable', 'assign_each', 'assign_each2', 'create_2d_tensor',
           'create_vector', 'get_identity_mat', 'get_identity_mat_batch', 'rand_coord_2d',
           'np_reduce', 'collapse_sum_like', 'new_matrix_with_real_eigvals_2d',
           'new_matrix_with_real_eigvals_nd', 'new_orthonormal_matrix_2d',
           'new_sym_matrix_with_real_eigvals_2d', 'new_sym_matrix_with_real_eigvals_nd',
           'shuffle_csr_column_indices', 'rand_sparse_ndarray', 'create_sparse_array',
           'create_sparse_array_zd']


# ---- environment, stderr, devices ----------------------------------------------------------
def getenv(name):
    """The value of environment variable `name` as the C runtime sees it, or None if unset.
    (On Linux, Python's os.environ writes through to the C runtime, so this reads it.)"""
    return os.environ.get(name)


def setenv(name, value):
    """Set (or, with None, unset) environment variable `name` for Python and the C runtime."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@contextmanager
def environment(*args):
    """Set environment variables for the body of a `with` (or a decorated function) and
    restore them afterwards, even on an exception.

    Parameters
    ----------
    args : (name, value) of one variable, or one dict {name: value}
        A value of None unsets the variable.
    """
    if len(args) == 1 and isinstance(args[0], dict):
        env_vars = args[0]
    else:
        _expect(len(args) == 2, 'Expecting one dict arg or two args: env var name and value')
        env_vars = {args[0]: args[1]}
    snapshot = {name: os.environ.get(name) for name in env_vars}
    for name, value in env_vars.items():
        setenv(name, value)
    try:
        yield
    finally:
        nd.waitall()          # MXNet: the engine may still read the changed variables
        for name, value in snapshot.items():
            setenv(name, value)


@contextmanager
def discard_stderr():
    """Discard what is written to the stderr file descriptor (also by C code) in a `with`."""
    with open(os.devnull, 'w') as bit_bucket:
        try:
            stderr_fileno = sys.stderr.fileno()
            old_stderr = os.dup(stderr_fileno)
        except (AttributeError, OSError, ValueError):
            # MXNet: stderr is not a file descriptor here (a virtual pipe): nothing to discard
            yield
            return
        try:
            sys.stderr.flush()
            os.dup2(bit_bucket.fileno(), stderr_fileno)
            yield
        finally:
            sys.stderr.flush()
            os.dup2(old_stderr, stderr_fileno)
            os.close(old_stderr)


class DummyIter(DataIter):
    """An iterator that returns the first batch of `real_iter` forever (for speed tests).

    Parameters
    ----------
    real_iter : mx.io.DataIter
    """

    def __init__(self, real_iter):
        super().__init__()
        self.real_iter = real_iter
        self.provide_data = real_iter.provide_data
        self.provide_label = real_iter.provide_label
        self.batch_size = real_iter.batch_size
        self.the_batch = next(real_iter)

    def __iter__(self):
        return self

    def next(self):
        """The first batch of the real iterator; never raises StopIteration."""
        return self.the_batch


def list_gpus():
    """range(n) for the n GPUs torch can use (range(0) without any)."""
    return range(num_gpus())


def get_cuda_compute_capability(ctx):
    """The CUDA compute capability of a GPU context as an int (70 for sm_70).

    Raises ValueError for a context that is not a GPU.
    """
    if ctx.device_type != 'gpu':
        raise ValueError('Expecting a gpu context to get cuda compute capability, '
                         'while received ctx {}'.format(str(ctx)))
    import torch
    major, minor = torch.cuda.get_device_capability(ctx.device_id)
    return major * 10 + minor


def effective_dtype(dat):
    """The dtype whose tolerances suit results like `dat`: float16 for float32 on a GPU
    that computes float32 GEMMs/convolutions in TF32 (compute capability >= 80, unless
    NVIDIA_TF32_OVERRIDE=0), else dat's dtype."""
    ctx = getattr(dat, 'ctx', None)
    dtype = np.dtype(dat.dtype)
    if dtype == np.dtype(np.float32) and _tf32_enabled(ctx):
        return np.dtype(np.float16)
    return dtype


def _tf32_enabled(ctx):
    try:
        return (ctx.device_type == 'gpu' and get_cuda_compute_capability(ctx) >= 80 and
                os.environ.get('NVIDIA_TF32_OVERRIDE') != '0')
    except Exception:  # pylint: disable=broad-except
        return False     # MXNet: no context, or no CUDA to ask


def is_cd_run():
    """Whether the test runs as part of a Continuous Delivery run (CD_JOB=1)."""
    return os.environ.get("CD_JOB", 0) == "1"


def is_aarch64_run():
    """Whether the test runs on an aarch64 machine."""
    return platform.machine() == "aarch64"


def _gpu_cc_at_least_53(ctx):
    try:
        cc = get_cuda_compute_capability(ctx)
    except Exception:  # pylint: disable=broad-except
        print('Failed to get CUDA compute capability for context {}. The operators '
              'built with USE_TVM_OP=1 will not be run in unit tests.'.format(ctx))
        return False
    print('Cuda arch compute capability: sm_{}'.format(str(cc)))
    return cc >= 53


def has_tvm_ops():
    """Whether operators generated by TVM are built in (never in regluon: False)."""
    from .runtime import Features
    built_with_tvm_op = Features().is_enabled("TVM_OP")
    if current_context().device_type == 'gpu':
        return _gpu_cc_at_least_53(current_context()) and built_with_tvm_op
    return built_with_tvm_op


def is_op_runnable():
    """True on a CPU; on a GPU, True unless TVM operators need compute capability >= 53."""
    from .runtime import Features
    ctx = current_context()
    if ctx.device_type == 'gpu' and Features().is_enabled("TVM_OP"):
        return _gpu_cc_at_least_53(ctx)
    return True


# ---- arrays ------------------------------------------------------------------------------------
def assign_each(the_input, function):
    """A float64 array of function(x) for each element x (a copy of the input if None)."""
    if function is None:
        return np.array(the_input)
    flat = np.asarray(the_input).ravel(order='K')
    out = np.array([function(x) for x in flat], dtype=np.float64)
    return out.reshape(np.shape(the_input)) if flat.size else np.zeros(np.shape(the_input))


def assign_each2(input1, input2, function):
    """A float64 array of function(x, y) for each pair of elements (a copy of input1 if
    None); the inputs must have one shape."""
    if function is None:
        return np.array(input1)
    assert input1.shape == input2.shape
    out = np.zeros(input1.shape)
    for idx in np.ndindex(input1.shape):
        out[idx] = function(input1[idx], input2[idx])
    return out


def create_2d_tensor(rows, columns, dtype=np.int64):
    """A (rows, columns) NDArray whose row i is all i (for large-tensor tests)."""
    a = nd.arange(0, rows, dtype=dtype).reshape(rows, 1)
    return nd.broadcast_to(a, shape=(a.shape[0], columns))


def create_vector(size, dtype=np.int64):
    """The NDArray 0, 1, ..., size - 1 (for large-vector tests)."""
    return nd.arange(0, size, dtype=dtype)


def get_identity_mat(size):
    """A (size, size) float32 identity NDArray."""
    return nd.eye(size)


def get_identity_mat_batch(size):
    """A (2, size, size) batch of two identity matrices."""
    a = get_identity_mat(size).asnumpy()
    return nd.array([a, a])


def rand_coord_2d(x_low, x_high, y_low, y_high):
    """Random int64 (x, y) with x in [x_low, x_high), y in [y_low, y_high)."""
    x = np.random.randint(x_low, x_high, dtype=np.int64)
    y = np.random.randint(y_low, y_high, dtype=np.int64)
    return x, y


def np_reduce(dat, axis, keepdims, numpy_reduce_func):
    """Reduce numpy `dat` with `numpy_reduce_func` (np.sum, np.max, ...) over `axis` (None,
    an int or a list), one axis at a time, keeping reduced axes as 1 if keepdims."""
    if isinstance(axis, int):
        axis = [axis]
    else:
        axis = list(axis) if axis is not None else range(len(dat.shape))
    ret = dat
    for i in reversed(sorted(axis)):
        ret = numpy_reduce_func(ret, axis=i)
    if keepdims:
        keepdims_shape = list(dat.shape)
        for i in axis:
            keepdims_shape[i] = 1
        ret = ret.reshape(tuple(keepdims_shape))
    return ret


def collapse_sum_like(a, shape):
    """Sum numpy `a` over the axes that `shape` broadcasts along, giving `shape`."""
    assert len(a.shape) >= len(shape)
    if np.prod(shape) == 0 or a.size == 0:
        return np.zeros(shape, dtype=a.dtype)
    ndim_diff = len(a.shape) - len(shape)
    axes = list(range(ndim_diff))
    for i, s in enumerate(shape):
        if s != a.shape[i + ndim_diff]:
            assert s == 1
            axes.append(i + ndim_diff)
    return np.sum(a, axis=tuple(axes)).reshape(shape)


# ---- matrices (numpy draws in MXNet's order) ----------------------------------------------
def new_matrix_with_real_eigvals_2d(n):
    """A well-conditioned (n, n) matrix with real eigenvalues in [-10, 10)."""
    while True:      # q = Householder reflection x diagonal, until cond(q) < 3
        d = np.diag(np.random.uniform(-1.0, 1.0, n))
        v = np.random.uniform(-1., 1., n).reshape(n, 1)
        v = v / np.linalg.norm(v, axis=-2, keepdims=True)
        q = np.matmul(np.eye(n) - 2 * np.matmul(v, v.T), d)
        if np.linalg.cond(q, 2) < 3:
            break
    d = np.diag(np.random.uniform(-10.0, 10.0, n))
    return np.matmul(np.matmul(np.linalg.inv(q), d), q)


def new_matrix_with_real_eigvals_nd(shape):
    """Matrices of `new_matrix_with_real_eigvals_2d` stacked to `shape` (..., n, n)."""
    n = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return np.array([new_matrix_with_real_eigvals_2d(shape[-1]) for _ in range(n)]
                    ).reshape(shape)


def new_orthonormal_matrix_2d(n):
    """An (n, n) orthonormal matrix (Q of the QR of a random symmetric matrix)."""
    x = np.random.randn(n, n)
    return np.linalg.qr(np.matmul(x.T, x))[0]


def new_sym_matrix_with_real_eigvals_2d(n):
    """A symmetric (n, n) matrix with eigenvalues in [-10, 10)."""
    q = new_orthonormal_matrix_2d(n)
    d = np.diag(np.random.uniform(-10.0, 10.0, n))
    return np.matmul(np.matmul(q.T, d), q)


def new_sym_matrix_with_real_eigvals_nd(shape):
    """Matrices of `new_sym_matrix_with_real_eigvals_2d` stacked to `shape` (..., n, n)."""
    n = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return np.array([new_sym_matrix_with_real_eigvals_2d(shape[-1]) for _ in range(n)]
                    ).reshape(shape)


# ---- sparse arrays -----------------------------------------------------------------------------
def shuffle_csr_column_indices(csr):
    """Shuffle the column indices within each row of a csr matrix, in place (to test code
    with unordered indices). Takes a CSRNDArray or a scipy.sparse.csr_matrix."""
    from .ndarray.sparse import CSRNDArray
    indptr = csr.indptr.asnumpy() if isinstance(csr, CSRNDArray) else csr.indptr
    indices = csr.indices.asnumpy() if isinstance(csr, CSRNDArray) else csr.indices
    for i in range(len(indptr) - 1):
        sublist = np.array(indices[indptr[i]:indptr[i + 1]])
        np.random.shuffle(sublist)
        indices[indptr[i]:indptr[i + 1]] = sublist
    if isinstance(csr, CSRNDArray):
        # our csr.indices is a copy: write the shuffled indices into the stored ones
        import torch
        csr._aux[1].copy_(torch.from_numpy(indices))  # pylint: disable=protected-access


def _check_csr_inputs(num_rows, num_cols, density, distribution="uniform"):
    if density < 0 or density > 1:
        raise ValueError("density has to be between 0 and 1")
    if num_rows <= 0 or num_cols <= 0:
        raise ValueError("num_rows or num_cols should be greater than 0")
    if distribution == "powerlaw" and int(num_rows * num_cols * density) < 2 * num_rows:
        raise ValueError("not supported for this density: %s for this shape (%s, %s) Please "
                         "keep : num_rows * num_cols * density >= 2 * num_rows"
                         % (density, num_rows, num_cols))


def _uniform_csr(num_rows, num_cols, density, dtype, data_init, shuffle_csr_indices):
    """A csr array with about density * size values: scipy's sparse.rand when scipy is
    installed, else uniform values below `density` kept from a dense uniform draw."""
    _check_csr_inputs(num_rows, num_cols, density)
    try:
        from scipy import sparse as spsp
    except ImportError:
        _expect(data_init is None, "data_init option is not supported when scipy is absent")
        _expect(not shuffle_csr_indices,
                "shuffle_csr_indices option is not supported when scipy is absent")
        dns = nd.random.uniform(shape=(num_rows, num_cols), dtype=dtype)
        return (dns * (dns < density)).tostype('csr')
    csr = spsp.rand(num_rows, num_cols, density, dtype=dtype, format="csr")
    if data_init is not None:
        csr.data.fill(data_init)
    if shuffle_csr_indices is True:
        shuffle_csr_column_indices(csr)
    return nd.sparse.csr_matrix((csr.data, csr.indices, csr.indptr),
                                shape=(num_rows, num_cols), dtype=dtype)


def _powerlaw_csr(num_rows, num_cols, density, dtype):
    """A csr array whose row i+1 has twice the values of row i (while they last)."""
    _check_csr_inputs(num_rows, num_cols, density, "powerlaw")
    unused = int(num_rows * num_cols * density)
    out = np.zeros((num_rows, num_cols), dtype=dtype)

    def done():
        return nd.array(out).tostype("csr")
    for row in range(num_rows):          # first a value in each row, so none is empty
        out[row][0] = 1 + rnd.uniform(0.001, 2)
        unused -= 1
        if unused <= 0:
            return done()
    col_max = 2
    for row in range(num_rows):
        col_limit = min(num_cols, col_max)
        if col_limit == num_cols and unused > col_limit:    # a full row, one value
            out[row] = 1 + rnd.uniform(0.001, 2)
            unused = unused - col_limit + 1
            if unused <= 0:
                return done()
            continue
        for col in range(1, col_limit):
            out[row][col] = 1 + rnd.uniform(0.001, 2)
            unused -= 1
            if unused <= 0:
                return done()
        col_max *= 2
    if unused > 0:
        raise ValueError("not supported for this density: %s for this shape (%s,%s)"
                         % (density, num_rows, num_cols))
    return done()


def rand_sparse_ndarray(shape, stype, density=None, dtype=None, distribution=None,
                        data_init=None, rsp_indices=None, modifier_func=None,
                        shuffle_csr_indices=False, ctx=None):
    """A random sparse array and its parts, as MXNet's.

    Parameters
    ----------
    shape : tuple
    stype : 'csr' or 'row_sparse'
    density : float, optional
        Between 0 and 1 (default: drawn uniformly).
    dtype : numpy dtype, optional (float32)
    distribution : 'uniform' or 'powerlaw' (csr only), optional
    data_init : float, optional
        Fill the stored values with this.
    rsp_indices : array of int, optional
        The stored rows of a row_sparse array.
    modifier_func : function, optional
        Applied to each stored value of a row_sparse array.
    shuffle_csr_indices : bool
    ctx : Context, optional

    Returns
    -------
    (RowSparseNDArray, (values, indices)) or (CSRNDArray, (indptr, indices, data))
    """
    ctx = ctx if ctx else default_context()
    density = rnd.rand() if density is None else density
    dtype = default_dtype() if dtype is None else dtype
    distribution = "uniform" if distribution is None else distribution
    if stype == 'row_sparse':
        _expect(distribution == "uniform",
                "Distribution %s not supported for row_sparse" % distribution)
        if rsp_indices is not None:
            indices = rsp_indices
            assert len(indices) <= shape[0]
        else:
            indices = np.argwhere(rnd.rand(shape[0]) < density).flatten()
        if indices.shape[0] == 0:
            result = nd.sparse.zeros('row_sparse', shape, ctx=ctx, dtype=dtype)
            return result, (np.array([], dtype=dtype), np.array([]))
        val = rnd.rand(indices.shape[0], *shape[1:]).astype(dtype)
        if data_init is not None:
            val.fill(data_init)
        if modifier_func is not None:
            val = assign_each(val, modifier_func)
        arr = nd.sparse.row_sparse_array((val, indices), shape=shape, dtype=dtype, ctx=ctx)
        return arr, (val, indices)
    if stype == 'csr':
        assert len(shape) == 2
        if distribution == "uniform":
            csr = _uniform_csr(shape[0], shape[1], density, dtype, data_init,
                               shuffle_csr_indices)
        elif distribution == "powerlaw":
            csr = _powerlaw_csr(shape[0], shape[1], density, dtype)
        else:
            raise AssertionError("Distribution not supported: %s" % distribution)
        csr = csr.as_in_context(ctx)
        return csr, (csr.indptr, csr.indices, csr.data)
    raise AssertionError("unknown storage type")


def create_sparse_array(shape, stype, data_init=None, rsp_indices=None, dtype=None,
                        modifier_func=None, density=.5, shuffle_csr_indices=False):
    """A random sparse array (`rand_sparse_ndarray`); row_sparse indices are sorted first."""
    if stype == 'row_sparse':
        arr_indices = None
        if rsp_indices is not None:
            arr_indices = np.asarray(rsp_indices)
            arr_indices.sort()
        return rand_sparse_ndarray(shape, stype, density=density, data_init=data_init,
                                   rsp_indices=arr_indices, dtype=dtype,
                                   modifier_func=modifier_func)[0]
    if stype == 'csr':
        return rand_sparse_ndarray(shape, stype, density=density, data_init=data_init,
                                   dtype=dtype, modifier_func=modifier_func,
                                   shuffle_csr_indices=shuffle_csr_indices)[0]
    raise AssertionError("Unknown storage type: " + stype)


def create_sparse_array_zd(shape, stype, density, data_init=None, rsp_indices=None,
                           dtype=None, modifier_func=None, shuffle_csr_indices=False):
    """`create_sparse_array` where a row_sparse array's rows are just `rsp_indices`."""
    if stype == 'row_sparse':
        density = 0.0
        if rsp_indices is not None:
            assert len(rsp_indices) <= shape[0]
    return create_sparse_array(shape, stype, data_init=data_init, rsp_indices=rsp_indices,
                               dtype=dtype, modifier_func=modifier_func, density=density,
                               shuffle_csr_indices=shuffle_csr_indices)

