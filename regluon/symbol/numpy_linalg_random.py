"""`mx.sym.np.linalg` and `mx.sym.np.random` beyond norm/normal/uniform (regluon/symbol/numpy.py
defines the namespaces; this module adds to them)."""
