"""MXNet 1.9.1's AMP operator lists (contrib/amp/lists) as data, and MXNet's functions that
return them (`amp.list_lp16_ops(target_dtype)`, ...), less the operators regluon's graphs
cannot hold (`lacking(target_dtype)` names those). The lists are filtered when asked for, so
an operator added to regluon joins its list without editing the tables."""
import numpy as np

from . import symbol_bf16, symbol_fp16

_TABLES = ('lp16', 'lp16_fp32', 'FP32_FUNCS', 'WIDEST_TYPE_CASTS', 'LOSS_OUTPUT_FUNCTIONS')


def _module(target_dtype):
    if target_dtype in ('float16', np.float16):
        return symbol_fp16
    assert target_dtype == 'bfloat16', "not supported type"
    return symbol_bf16


def _has(name):
    """Whether regluon has operator `name` (MXNet's name) for graphs."""
    from ...ndarray.register import OPS
    from ...symbol.json_io import CANONICAL
    return name in OPS or name in CANONICAL.values()


def _table(target_dtype, key):
    m = _module(target_dtype)
    prefix = 'FP16' if m is symbol_fp16 else 'BF16'
    key = {'lp16': f'{prefix}_FUNCS', 'lp16_fp32': f'{prefix}_FP32_FUNCS'}.get(key, key)
    return getattr(m, key)


def lacking(target_dtype):
    """The operators MXNet's lists name that regluon does not have (sorted)."""
    names = {n for key in _TABLES for n in _table(target_dtype, key) if not _has(n)}
    names |= {c[0] for c in _module(target_dtype).CONDITIONAL_FP32_FUNCS if not _has(c[0])}
    return sorted(names)


def list_lp16_ops(target_dtype):
    """The operators AMP runs in the target type ('float16' or 'bfloat16')."""
    return [n for n in _table(target_dtype, 'lp16') if _has(n)]


def list_fp32_ops(target_dtype):
    """The operators AMP runs in float32."""
    return [n for n in _table(target_dtype, 'FP32_FUNCS') if _has(n)]


def list_lp16_fp32_ops(target_dtype):
    """The operators that run in whichever type they get."""
    return [n for n in _table(target_dtype, 'lp16_fp32') if _has(n)]


def list_conditional_fp32_ops(target_dtype):
    """(operator, parameter, values) for which the operator runs in float32."""
    return [c for c in _module(target_dtype).CONDITIONAL_FP32_FUNCS if _has(c[0])]


def list_widest_type_cast(target_dtype):
    """The operators whose inputs are cast to the widest type among them."""
    return [n for n in _table(target_dtype, 'WIDEST_TYPE_CASTS') if _has(n)]


def list_loss_output_functions(target_dtype):
    """The loss output operators."""
    return [n for n in _table(target_dtype, 'LOSS_OUTPUT_FUNCTIONS') if _has(n)]


def list_lp16_use_fp32_params(target_dtype):
    """{operator: inputs kept float32} for bfloat16 (None for float16)."""
    m = _module(target_dtype)
    return None if m is symbol_fp16 else m.BF16_USE_FP32_PARAMS
