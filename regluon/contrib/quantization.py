"""`mx.contrib.quantization` (also `mx.contrib.quant`): MXNet's INT8 graph quantization.

MXNet rewrites a graph with its own quantized operators (`_contrib_quantize_v2`,
`_sg_mkldnn_*`, ...) and oneDNN/cuDNN int8 kernels, calibrating the ranges on data. regluon
runs graphs on torch's float kernels and has none of those operators, so the public names
are here to be found, and each raises an MXNetError that says so. For an int8 model, export
it (`HybridBlock.export` / ONNX) and quantize it with torch.ao.quantization or an ONNX tool.
"""
from ..base import MXNetError

__all__ = ['quantize_model', 'quantize_model_mkldnn', 'quantize_graph', 'calib_graph',
           'quantize_net_v2', 'quantize_net']


def _unavailable(name):
    raise MXNetError(
        f"mx.contrib.quantization.{name}: INT8 graph quantization is not available in "
        "regluon (it needs MXNet's quantized operators and oneDNN int8 kernels; graphs here run "
        "on torch's float kernels). Run the float model, or export it (HybridBlock.export or "
        "mx.onnx) and quantize it with torch.ao.quantization or an ONNX tool.")


def quantize_model(sym, arg_params, aux_params, data_names=('data',),
                   label_names=('softmax_label',), ctx=None, excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', calib_data=None,
                   num_calib_examples=None, quantized_dtype='int8', quantize_mode='smart',
                   quantize_granularity='tensor-wise', logger=None):
    """MXNet: a quantized (symbol, arg_params, aux_params). Raises MXNetError here."""
    _unavailable('quantize_model')


def quantize_model_mkldnn(sym, arg_params, aux_params, data_names=('data',),
                          label_names=('softmax_label',), ctx=None, excluded_sym_names=None,
                          excluded_op_names=None, calib_mode='entropy', calib_data=None,
                          num_calib_examples=None, quantized_dtype='int8',
                          quantize_mode='smart', quantize_granularity='tensor-wise',
                          logger=None):
    """MXNet: quantize_model fused for oneDNN. Raises MXNetError here."""
    _unavailable('quantize_model_mkldnn')


def quantize_graph(sym, arg_params, aux_params, ctx=None, excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', quantized_dtype='int8',
                   quantize_mode='full', quantize_granularity='tensor-wise',
                   LayerOutputCollector=None, logger=None):
    """MXNet: a quantized graph before calibration. Raises MXNetError here."""
    _unavailable('quantize_graph')


def calib_graph(qsym, arg_params, aux_params, collector, calib_mode='entropy',
                quantized_dtype='int8', logger=None):
    """MXNet: a quantized graph calibrated with a filled collector. Raises MXNetError here."""
    _unavailable('calib_graph')


def quantize_net_v2(network, quantized_dtype='auto', quantize_mode='full',
                    quantize_granularity='tensor-wise', exclude_layers=None,
                    exclude_layers_match=None, exclude_operators=None, calib_data=None,
                    data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=None,
                    LayerOutputCollector=None, logger=None):
    """MXNet: a quantized SymbolBlock from a HybridBlock. Raises MXNetError here."""
    _unavailable('quantize_net_v2')


def quantize_net(network, quantized_dtype='auto', quantize_mode='full', exclude_layers=None,
                 exclude_layers_match=None, exclude_operators=None, calib_data=None,
                 data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=None,
                 logger=None):
    """MXNet: quantize_net_v2 (deprecated there). Raises MXNetError here."""
    _unavailable('quantize_net')
