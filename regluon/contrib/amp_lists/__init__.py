"""MXNet 1.9.1's AMP operator lists (contrib/amp/lists) as data, and MXNet's functions
that return them (`amp.list_lp16_ops(target_dtype)`, ...)."""
import numpy as np

from . import symbol_bf16, symbol_fp16


def _module(target_dtype):
    if target_dtype in ('float16', np.float16):
        return symbol_fp16
    assert target_dtype == 'bfloat16', "not supported type"
    return symbol_bf16


def list_lp16_ops(target_dtype):
    """The operators AMP runs in the target type ('float16' or 'bfloat16')."""
    m = _module(target_dtype)
    return m.FP16_FUNCS if m is symbol_fp16 else m.BF16_FUNCS


def list_fp32_ops(target_dtype):
    """The operators AMP runs in float32."""
    return _module(target_dtype).FP32_FUNCS


def list_lp16_fp32_ops(target_dtype):
    """The operators that run in whichever type they get."""
    m = _module(target_dtype)
    return m.FP16_FP32_FUNCS if m is symbol_fp16 else m.BF16_FP32_FUNCS


def list_conditional_fp32_ops(target_dtype):
    """(operator, parameter, values) for which the operator runs in float32."""
    return _module(target_dtype).CONDITIONAL_FP32_FUNCS


def list_widest_type_cast(target_dtype):
    """The operators whose inputs are cast to the widest type among them."""
    return _module(target_dtype).WIDEST_TYPE_CASTS


def list_loss_output_functions(target_dtype):
    """The loss output operators."""
    return _module(target_dtype).LOSS_OUTPUT_FUNCTIONS


def list_lp16_use_fp32_params(target_dtype):
    """{operator: inputs kept float32} for bfloat16 (None for float16)."""
    m = _module(target_dtype)
    return None if m is symbol_fp16 else m.BF16_USE_FP32_PARAMS
