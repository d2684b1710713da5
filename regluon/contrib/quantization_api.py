"""The public functions of mx.contrib.quantization (MXNet 1.9.1's signatures and checks)."""
import logging
import os
import tempfile

from .. import ndarray
from ..context import Context, cpu
from ..io import DataIter, NDArrayIter
from .quantization import _calibrate_quantized_sym, _quantize_params, _quantize_symbol
from .quantization_calib import (_LayerHistogramCollector, _LayerOutputMinMaxCollector,
                                 _collect_layer_statistics, _get_optimal_thresholds)


def _check_names(what, names):
    if names is None:
        return []
    if not isinstance(names, list):
        raise ValueError(f'{what} must be a list of strings representing the names of the '
                         f'{"symbols" if what == "excluded_sym_names" else "operators"} that '
                         f'will not be quantized, while received type {type(names)}')
    return names


def _check_dtype(quantized_dtype, quantize_granularity):
    if quantized_dtype not in ('int8', 'uint8', 'auto'):
        raise ValueError('unknown quantized_dtype %s received, expected `int8`, `uint8` or '
                         '`auto`' % quantized_dtype)
    if quantize_granularity not in ('tensor-wise', 'channel-wise'):
        raise ValueError('unkonwn quantize_granularity %s received, expected `tensor-wise` or '
                         '`channel-wise`.' % quantize_granularity)
    if quantize_granularity == 'channel-wise':
        raise ValueError("quantize_granularity='channel-wise' applies to MXNet's fused oneDNN "
                         "FullyConnected, which regluon does not build; use 'tensor-wise'")


def _collector(calib_mode, quantized_dtype, calib_layer, logger, custom=None):
    if calib_mode == 'entropy':
        return _LayerHistogramCollector(include_layer=calib_layer, logger=logger)
    if calib_mode == 'naive':
        return _LayerOutputMinMaxCollector(quantized_dtype=quantized_dtype,
                                           include_layer=calib_layer, logger=logger)
    if calib_mode == 'customize' and custom is not None:
        return custom
    raise ValueError('unknown calibration mode %s received, expected `none`, `naive`, or '
                     '`entropy`' % calib_mode)


def _thresholds(collector, calib_mode, quantized_dtype, logger):
    if calib_mode == 'entropy':
        return _get_optimal_thresholds(collector.hist_dict, quantized_dtype, logger=logger)
    return collector.min_max_dict


def quantize_model(sym, arg_params, aux_params, data_names=('data',),
                   label_names=('softmax_label',), ctx=cpu(), excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', calib_data=None,
                   num_calib_examples=None, quantized_dtype='int8', quantize_mode='smart',
                   quantize_granularity='tensor-wise', logger=None, _fuse=False):
    """Quantize an fp32 (sym, arg_params, aux_params) to INT8, calibrated on `calib_data`
    ('naive': the layer outputs' min/max; 'entropy': KL-divergence thresholds; 'none':
    ranges found at run time). Returns (qsym, qarg_params, aux_params)."""
    excluded_sym_names = _check_names('excluded_sym_names', excluded_sym_names)
    excluded_op_names = _check_names('excluded_op_names', excluded_op_names)
    _check_dtype(quantized_dtype, quantize_granularity)
    qsym, calib_layer = _quantize_symbol(
        sym, excluded_sym_names, excluded_op_names, list(arg_params), quantized_dtype,
        quantize_mode, fuse=_fuse and calib_mode not in (None, 'none'))
    th_dict = {}
    if calib_mode is not None and calib_mode != 'none':
        if not isinstance(ctx, Context):
            raise ValueError('currently only supports single ctx, while received %s' % str(ctx))
        if calib_data is None:
            raise ValueError('calib_data must be provided when calib_mode=%s' % calib_mode)
        if not isinstance(calib_data, DataIter):
            raise ValueError('calib_data must be of DataIter type when calib_mode=%s, while '
                             'received type %s' % (calib_mode, str(type(calib_data))))
        collector = _collector(calib_mode, quantized_dtype, calib_layer, logger)
        _collect_layer_statistics(sym, arg_params, aux_params, calib_data, collector,
                                  list(data_names), num_calib_examples, ctx, logger)
        th_dict = _thresholds(collector, calib_mode, quantized_dtype, logger)
        qsym = _calibrate_quantized_sym(qsym, th_dict)
    return qsym, _quantize_params(qsym, arg_params, th_dict), aux_params


def quantize_model_mkldnn(sym, arg_params, aux_params, data_names=('data',),
                          label_names=('softmax_label',), ctx=cpu(), excluded_sym_names=None,
                          excluded_op_names=None, calib_mode='entropy', calib_data=None,
                          num_calib_examples=None, quantized_dtype='int8',
                          quantize_mode='smart', quantize_granularity='tensor-wise',
                          logger=None):
    """quantize_model for a CPU context, with the graph fused for oneDNN as MXNet's
    MKLDNN_QUANTIZE backend fuses it (conv/FC + relu; see docs/migration.md)."""
    if not isinstance(ctx, Context) or ctx.device_type != 'cpu':
        raise ValueError('quantize_model_mkldnn only support Intel cpu platform with MKL-DNN '
                         'Backend')
    return quantize_model(sym, arg_params, aux_params, data_names, label_names, ctx,
                          excluded_sym_names, excluded_op_names, calib_mode, calib_data,
                          num_calib_examples, quantized_dtype, quantize_mode,
                          quantize_granularity, logger, _fuse=True)


def quantize_graph(sym, arg_params, aux_params, ctx=cpu(), excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', quantized_dtype='int8',
                   quantize_mode='full', quantize_granularity='tensor-wise',
                   LayerOutputCollector=None, logger=None, _fuse=False):
    """The quantized graph before calibration and a collector for the layer outputs it needs:
    (qsym, qarg_params, aux_params, collector); fill the collector (collector.collect(name,
    arr) for each layer output) and pass it to calib_graph."""
    excluded_sym_names = _check_names('excluded_sym_names', excluded_sym_names)
    if not isinstance(ctx, Context):
        raise ValueError('currently only supports single ctx, while received %s' % str(ctx))
    _check_dtype(quantized_dtype, quantize_granularity)
    qsym, calib_layer = _quantize_symbol(
        sym, excluded_sym_names, excluded_op_names, list(arg_params), quantized_dtype,
        quantize_mode, fuse=_fuse and calib_mode not in (None, 'none'))
    collector = None
    if calib_mode is not None and calib_mode != 'none':
        collector = _collector(calib_mode, quantized_dtype, calib_layer, logger,
                               LayerOutputCollector)
    return qsym, _quantize_params(qsym, arg_params, {}), aux_params, collector


def calib_graph(qsym, arg_params, aux_params, collector, calib_mode='entropy',
                quantized_dtype='int8', logger=logging):
    """Calibrate `qsym` with a filled collector: (qsym, qarg_params, aux_params)."""
    if calib_mode not in ('naive', 'entropy', 'customize'):
        raise ValueError('please set calibration mode to naive or entropy.')
    if calib_mode == 'customize':
        th_dict = collector.min_max_dict
    else:
        th_dict = _thresholds(collector, calib_mode, quantized_dtype, logger)
    qsym = _calibrate_quantized_sym(qsym, th_dict)
    return qsym, _quantize_params(qsym, arg_params, th_dict), aux_params


def _as_data_iter(calib_data):
    if isinstance(calib_data, DataIter):
        return calib_data, calib_data.provide_data
    calib_data = NDArrayIter(calib_data[0] if isinstance(calib_data, (list, tuple))
                             else calib_data, batch_size=getattr(calib_data, '_batch_size', 1))
    return calib_data, calib_data.provide_data


def quantize_net_v2(network, quantized_dtype='auto', quantize_mode='full',
                    quantize_granularity='tensor-wise', exclude_layers=None,
                    exclude_layers_match=None, exclude_operators=None, calib_data=None,
                    data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=cpu(),
                    LayerOutputCollector=None, logger=None):
    """Quantize a Gluon HybridBlock: a SymbolBlock running the INT8 graph."""
    from .. import symbol as _sym
    from ..gluon import SymbolBlock
    from ..model import load_checkpoint
    network.hybridize()
    if calib_data is not None:
        calib_data, dshapes = _as_data_iter(calib_data)
        if not data_shapes:
            data_shapes = dshapes
    if not data_shapes:
        raise ValueError('data_shapes required')
    network(*[ndarray.zeros(s.shape) for s in data_shapes])
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, 'tmp')
        network.export(prefix, epoch=0)
        symnet, args, auxs = load_checkpoint(prefix, 0)
    exclude_layers = list(exclude_layers or [])
    for match in exclude_layers_match or []:
        exclude_layers += [s.name for s in symnet.get_internals() if match in s.name]
    qsym, qarg_params, aux_params, collector = quantize_graph(
        symnet, args, auxs, ctx, exclude_layers, exclude_operators or [], calib_mode,
        quantized_dtype, quantize_mode, quantize_granularity, LayerOutputCollector, logger,
        _fuse=isinstance(ctx, Context) and ctx.device_type == 'cpu')
    data_names = [s[0] for s in data_shapes]
    if calib_mode is not None and calib_mode != 'none':
        if not isinstance(ctx, Context):
            raise ValueError('currently only supports single ctx, while received %s' % str(ctx))
        if calib_data is None:
            raise ValueError('calib_data must be provided when calib_mode=%s' % calib_mode)
        _collect_layer_statistics(symnet, args, auxs, calib_data, collector, data_names,
                                  num_calib_examples, ctx, logger)
        qsym, qarg_params, aux_params = calib_graph(qsym, args, auxs, collector, calib_mode,
                                                    quantized_dtype, logger)
    net = SymbolBlock(qsym, [_sym.var(n) for n in data_names])
    with tempfile.TemporaryDirectory() as tmp:     # as MXNet: save, then load keeping dtypes
        fname = os.path.join(tmp, 'net-quantized-0000.params')
        saved = {'arg:' + k: v.as_in_context(cpu()) for k, v in qarg_params.items()}
        saved.update({'aux:' + k: v.as_in_context(cpu()) for k, v in aux_params.items()})
        ndarray.save(fname, saved)
        net.collect_params().load(fname, cast_dtype=True, dtype_source='saved')
        net.collect_params().reset_ctx(ctx)
    return net


def quantize_net(network, quantized_dtype='auto', quantize_mode='full', exclude_layers=None,
                 exclude_layers_match=None, exclude_operators=None, calib_data=None,
                 data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=cpu(),
                 logger=None):
    """quantize_net_v2 with tensor-wise granularity (MXNet keeps it for compatibility)."""
    return quantize_net_v2(network, quantized_dtype, quantize_mode, 'tensor-wise',
                           exclude_layers, exclude_layers_match, exclude_operators, calib_data,
                           data_shapes, calib_mode, num_calib_examples, ctx, None, logger)
