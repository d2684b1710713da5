"""Calibration for mx.contrib.quantization: MXNet's layer-output collectors (min/max and
histograms), the KL-divergence thresholds (`nd.contrib.calibrate_entropy`), and the run of
the fp32 graph over the calibration data that feeds them."""
import numpy as np

from .. import ndarray
from ..base import MXNetError
from ..io import DataIter


def combine_histogram(old_hist, arr, new_min, new_max, new_th):
    """Add `arr` to a histogram (hist, edges, min, max, th), widening it symmetrically by
    whole bins when `arr` reaches past the old threshold (as MXNet)."""
    (old_hist, old_edges, old_min, old_max, old_th) = old_hist
    if new_th <= old_th:
        hist, _ = np.histogram(arr, bins=len(old_hist), range=(-old_th, old_th))
        return (old_hist + hist, old_edges, min(old_min, new_min), max(old_max, new_max), old_th)
    old_num_bins = len(old_hist)
    old_step = 2 * old_th / old_num_bins
    half = int((new_th - old_th) // old_step + 1)
    new_num_bins = half * 2 + old_num_bins
    new_th = half * old_step + old_th
    hist, edges = np.histogram(arr, bins=new_num_bins, range=(-new_th, new_th))
    hist[half:new_num_bins - half] += old_hist
    return (hist, edges, min(old_min, new_min), max(old_max, new_max), new_th)


class _LayerHistogramCollector:
    """Histograms (8001 bins, symmetric) of the named layer outputs, for entropy calibration."""

    def __init__(self, num_bins=8001, include_layer=None, logger=None):
        self.hist_dict, self.num_bins = {}, num_bins
        self.include_layer, self.logger = include_layer, logger

    def collect(self, name, arr):
        """Add one batch's output of layer `name`."""
        if name not in self.include_layer:
            return
        arr = arr.asnumpy()
        lo, hi = np.min(arr), np.max(arr)
        th = max(abs(lo), abs(hi))
        if name in self.hist_dict:
            self.hist_dict[name] = combine_histogram(self.hist_dict[name], arr, lo, hi, th)
        else:
            hist, edges = np.histogram(arr, bins=self.num_bins, range=(-th, th))
            self.hist_dict[name] = (hist, edges, lo, hi, th)


class _LayerOutputMinMaxCollector:
    """Running min and max of the named layer outputs, for naive calibration."""

    def __init__(self, quantized_dtype, include_layer=None, logger=None):
        self.min_max_dict, self.quantized_dtype = {}, quantized_dtype
        self.include_layer, self.logger = include_layer, logger

    def collect(self, name, arr):
        """Fold one batch's output of layer `name` into its range."""
        if name not in self.include_layer:
            return
        lo, hi = ndarray.min(arr).asscalar(), ndarray.max(arr).asscalar()
        if name in self.min_max_dict:
            cur = self.min_max_dict[name]
            lo, hi = min(cur[0], lo), max(cur[1], hi)
        self.min_max_dict[name] = (lo, hi)
        if self.logger:
            self.logger.debug("Collecting layer %s min_range=%f, max_range=%f", name, lo, hi)


def _get_optimal_threshold(hist_data, quantized_dtype, num_quantized_bins=255):
    """(min, max, threshold, divergence) minimising the KL divergence of the quantized
    distribution; a non-negative layer gets twice the bins for uint8/auto (as MXNet)."""
    hist, edges, min_val, max_val, _ = hist_data
    if len(hist) % 2 != 1:
        raise MXNetError(f"calibrate: the histogram needs an odd number of bins, got {len(hist)}")
    if min_val >= 0 and quantized_dtype in ('auto', 'uint8'):
        num_quantized_bins = num_quantized_bins * 2 + 1
    th, div = ndarray.contrib.calibrate_entropy(
        hist=ndarray.array(hist), hist_edges=ndarray.array(edges),
        num_quantized_bins=num_quantized_bins)
    return min_val, max_val, th.asnumpy(), div.asnumpy()


def _get_optimal_thresholds(hist_dict, quantized_dtype, num_quantized_bins=255, logger=None):
    """{layer: (min, max)} thresholds from the collected histograms."""
    th_dict = {}
    for name in list(hist_dict):
        min_val, max_val, th, div = _get_optimal_threshold(hist_dict[name], quantized_dtype,
                                                           num_quantized_bins)
        th = float(np.asarray(th).reshape(-1)[0])
        th_dict[name] = (0, th) if min_val >= 0 and quantized_dtype in ('auto', 'uint8') \
            else (-th, th)
        del hist_dict[name]
        if logger:
            logger.debug('layer=%s, min_val=%f, max_val=%f, th=%f, divergence=%f',
                         name, min_val, max_val, th, float(np.asarray(div).reshape(-1)[0]))
    return th_dict


def _collect_layer_statistics(sym, arg_params, aux_params, data, collector, data_names,
                              max_num_examples=None, ctx=None, logger=None):
    """Run the fp32 `sym` over the batches of `data` and hand the outputs (and data inputs)
    that the collector asks for to `collector.collect(name, arr)`; the number of examples."""
    if not isinstance(data, DataIter):
        raise ValueError('Only supports data as a type of DataIter, while received type %s'
                         % str(type(data)))
    internals = sym.get_internals()
    outs = [n for n in internals.list_outputs() if n in collector.include_layer]
    from .. import symbol as _sym
    group = _sym.Group([internals[n] for n in outs]) if outs else None
    num_examples = num_batches = 0
    for batch in data:
        feeds = dict(zip(data_names, batch.data))
        for name in collector.include_layer:
            if name in feeds:
                collector.collect(name, feeds[name])
        if group is not None:
            args = dict(arg_params, **feeds)
            exe = group.bind(ctx, {k: args[k] for k in group.list_arguments()},
                             aux_states={k: aux_params[k]
                                         for k in group.list_auxiliary_states()})
            for name, arr in zip(outs, exe.forward(is_train=False)):
                collector.collect(name, arr)
        num_batches += 1
        num_examples += data.batch_size
        if max_num_examples is not None and num_examples >= max_num_examples:
            break
    if logger is not None:
        logger.info("Collected statistics from %d batches with batch_size=%d",
                    num_batches, data.batch_size)
    return num_examples
