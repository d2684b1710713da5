# The two set-up commands: `make demo` and `make test`. torch is pinned to the CPU build
# on disk before the package is installed, so pip never resolves a multi-GB CUDA build.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
TORCH := torch==2.13.0

.PHONY: venv demo test bench clean

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check $(TORCH)

# setup.py builds the optional C hot path (regluon/ndarray/_fastop.c) in place
$(VENV)/.installed: $(VPY) pyproject.toml setup.py regluon/ndarray/_fastop.c
	$(VPY) -m pip install -q --disable-pip-version-check $(TORCH) -e '.[all,test]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(VPY) -m regluon demo

test: venv
	OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE $(VPY) -m pytest -q -x --durations=10 tests

bench: venv
	OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE $(VPY) -m benchmarks.op_overhead

clean:
	rm -rf $(VENV) build *.egg-info regluon/ndarray/_fastop*.so
