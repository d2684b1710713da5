"""The one thing pyproject.toml cannot declare: the optional C hot path of the operator
wrapper (regluon/ndarray/_fastop.c). Without a C compiler the install still succeeds and
regluon runs the pure-Python wrapper (see regluon/ndarray/register.py)."""
from setuptools import Extension, setup

setup(ext_modules=[Extension('regluon.ndarray._fastop', ['regluon/ndarray/_fastop.c'],
                             optional=True)])
