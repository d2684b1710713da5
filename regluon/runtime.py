"""mx.runtime: which features this build has (MXNet 1.x's mxnet/runtime.py), answered for
the torch build regluon runs on. Names and order are MXNet 1.9.1's."""
import collections
import functools
import importlib.util

import torch

_NAMES = ('CUDA', 'CUDNN', 'NCCL', 'CUDA_RTC', 'TENSORRT', 'CPU_SSE', 'CPU_SSE2', 'CPU_SSE3',
          'CPU_SSE4_1', 'CPU_SSE4_2', 'CPU_SSE4A', 'CPU_AVX', 'CPU_AVX2', 'OPENMP', 'SSE',
          'F16C', 'JEMALLOC', 'BLAS_OPEN', 'BLAS_ATLAS', 'BLAS_MKL', 'BLAS_APPLE', 'LAPACK',
          'MKLDNN', 'OPENCV', 'CAFFE', 'PROFILER', 'DIST_KVSTORE', 'CXX14',
          'INT64_TENSOR_SIZE', 'SIGNAL_HANDLER', 'DEBUG', 'TVM_OP')

# /proc/cpuinfo flag of each CPU feature
_CPU_FLAGS = {'CPU_SSE': 'sse', 'CPU_SSE2': 'sse2', 'CPU_SSE3': 'pni', 'CPU_SSE4_1': 'sse4_1',
              'CPU_SSE4_2': 'sse4_2', 'CPU_SSE4A': 'sse4a', 'CPU_AVX': 'avx',
              'CPU_AVX2': 'avx2', 'SSE': 'sse', 'F16C': 'f16c'}


def _cpu_flags():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def _detect():
    cuda = torch.cuda.is_available()
    config = torch.__config__.show()
    flags = _cpu_flags()
    found = {name: flag in flags for name, flag in _CPU_FLAGS.items()}
    found.update({
        'CUDA': cuda,
        'CUDNN': cuda and torch.backends.cudnn.is_available(),
        'NCCL': cuda and torch.distributed.is_available() and
        torch.distributed.is_nccl_available(),
        'CUDA_RTC': cuda,
        'TENSORRT': False,
        'OPENMP': torch.backends.openmp.is_available(),
        'JEMALLOC': False,
        'BLAS_OPEN': 'openblas' in config.lower(),
        'BLAS_ATLAS': False,
        'BLAS_MKL': torch.backends.mkl.is_available(),
        'BLAS_APPLE': 'accelerate' in config.lower(),
        'LAPACK': bool(getattr(torch._C, 'has_lapack', False)),
        'MKLDNN': torch.backends.mkldnn.is_available(),
        'OPENCV': importlib.util.find_spec('cv2') is not None,
        'CAFFE': False,
        'PROFILER': True,              # mx.profiler runs torch.profiler
        'DIST_KVSTORE': False,
        'CXX14': True,
        'INT64_TENSOR_SIZE': True,     # torch sizes are int64
        'SIGNAL_HANDLER': False,
        'DEBUG': bool(torch.version.debug),
        'TVM_OP': False,
    })
    return found


class Feature:
    """Compile time feature description, member fields: `name` and `enabled`."""
    __slots__ = ('_name', '_enabled')

    def __init__(self, name, enabled):
        self._name, self._enabled = name, bool(enabled)

    @property
    def name(self):
        """Feature name."""
        return self._name

    @property
    def enabled(self):
        """True if the build has the feature."""
        return self._enabled

    def __repr__(self):
        return f"✔ {self.name}" if self.enabled else f"✖ {self.name}"


@functools.lru_cache(maxsize=None)
def _features():
    found = _detect()
    return tuple(Feature(n, found[n]) for n in _NAMES)


def feature_list():
    """The list of :class:`Feature` objects, in MXNet's order."""
    return list(_features())


class Features(collections.OrderedDict):
    """OrderedDict of name to Feature (one shared instance)."""
    instance = None

    def __new__(cls):
        if cls.instance is None:
            cls.instance = super().__new__(cls)
            super(Features, cls.instance).__init__([(f.name, f) for f in feature_list()])
        return cls.instance

    def __init__(self):   # filled once in __new__
        pass

    def __repr__(self):
        return str(list(self.values()))

    def is_enabled(self, feature_name):
        """True if the feature is enabled; RuntimeError if the name is unknown."""
        feature_name = feature_name.upper()
        if feature_name not in self:
            raise RuntimeError("Feature '{}' is unknown, known features are: {}".format(
                feature_name, list(self.keys())))
        return self[feature_name].enabled
