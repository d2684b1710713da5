"""Golden data for the neural-network operators (tests/test_ops_nn.py), from MXNet 1.9.1.

Run with the reference interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_ops_nn.py
Writes tests/golden/ops_nn.npz (and ops_nn_native.npz). `meta` (JSON) holds each case's
operator, keyword arguments, differentiated inputs and mode; case <id> stores its inputs
`<id>:in<i>`, outputs `<id>:out<j>`, the random head gradient `<id>:head`,
the gradients of the differentiated inputs `<id>:grad<i>`, and every other input as it is
after the backward pass `<id>:after<i>` (BatchNorm's moving statistics).
NATIVE_CASES run in a subprocess with oneDNN off (see the note there). Where MXNet 1.9.1's
gradient is a plain bug (not a semantic), a case is forward-only and says why.
"""
import json
import os
import pathlib
import subprocess
import sys

import mxnet as mx
import numpy as np

nd = mx.nd
rng = np.random.RandomState(0)


def R(*shape):                       # random normal input
    return rng.randn(*shape).astype('float32')


def P(*shape):                       # random positive input (variances)
    return (rng.rand(*shape) + 0.5).astype('float32')


def U(low, high, *shape):            # uniform input
    return rng.uniform(low, high, shape).astype('float32')


def A(values):                       # explicit values (labels, indices)
    return np.array(values, dtype='float32')


def rnn_inputs(mode, t, n, i, h, layers, dirs):
    """data, flat parameters (small, so the cells don't saturate), initial state(s)."""
    g = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}[mode] * h
    size = sum(dirs * (g * ((i if l == 0 else dirs * h) + h) + 2 * g) for l in range(layers))
    states = [R(layers * dirs, n, h) for _ in range(2 if mode == 'lstm' else 1)]
    return [R(t, n, i), (0.3 * rng.randn(size)).astype('float32')] + states


# id, operator, inputs, kwargs, indexes of inputs to differentiate, training mode
CASES = [
    ('fc_flatten', 'FullyConnected', [R(2, 3, 4), R(5, 12), R(5)], dict(num_hidden=5), [0, 1, 2], False),
    ('fc_noflatten', 'FullyConnected', [R(2, 3, 4), R(5, 4), R(5)], dict(num_hidden=5, flatten=False), [0, 1, 2], False),
    ('fc_nobias', 'FullyConnected', [R(3, 4), R(2, 4)], dict(num_hidden=2, no_bias=True), [0, 1], False),
    ('conv1d', 'Convolution', [R(2, 3, 9), R(4, 3, 3), R(4)], dict(kernel=[3], stride=[2], pad=[1], num_filter=4), [0, 1, 2], False),
    ('conv1d_int_kernel', 'Convolution', [R(1, 2, 5), R(3, 2, 3)], dict(kernel=3, num_filter=3, no_bias=True), [0, 1], False),
    ('fc_1d_data', 'FullyConnected', [R(4), R(3, 1), R(3)], dict(num_hidden=3), [0, 1, 2], False),
    ('fc_1d_noflatten', 'FullyConnected', [R(4), R(3, 4)], dict(num_hidden=3, no_bias=True, flatten=False), [0, 1], False),
    ('conv2d', 'Convolution', [R(2, 3, 7, 6), R(4, 3, 3, 2), R(4)], dict(kernel=[3, 2], stride=[2, 1], pad=[1, 0], dilate=[1, 2], num_filter=4), [0, 1, 2], False),
    ('conv2d_group', 'Convolution', [R(1, 4, 5, 5), R(6, 2, 3, 3)], dict(kernel=[3, 3], pad=[1, 1], num_filter=6, num_group=2, no_bias=True), [0, 1], False),
    ('conv3d', 'Convolution', [R(1, 2, 4, 5, 5), R(3, 2, 2, 3, 3), R(3)], dict(kernel=[2, 3, 3], stride=[1, 2, 2], num_filter=3), [0, 1, 2], False),
    ('deconv2d', 'Deconvolution', [R(2, 3, 4, 4), R(3, 4, 3, 3), R(4)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], adj=[1, 1], num_filter=4, no_bias=False), [0, 1, 2], False),
    ('deconv1d', 'Deconvolution', [R(1, 2, 5), R(2, 3, 4)], dict(kernel=[4], stride=[2], num_filter=3), [0, 1], False),
    ('deconv_target9', 'Deconvolution', [R(1, 2, 4, 4), R(2, 2, 3, 3)], dict(kernel=[3, 3], stride=[2, 2], target_shape=[9, 9], num_filter=2), [0, 1], False),
    ('deconv3d', 'Deconvolution', [R(1, 2, 2, 3, 3), R(2, 2, 2, 2, 2), R(2)], dict(kernel=[2, 2, 2], stride=[2, 2, 2], num_filter=2, no_bias=False), [0, 1, 2], False),
    ('deconv_group', 'Deconvolution', [R(1, 4, 3, 3), R(4, 1, 3, 3)], dict(kernel=[3, 3], stride=[2, 2], num_filter=2, num_group=2), [0, 1], False),
    # a last 'full' window lying wholly in the padding: torch's ceil mode drops it
    ('pool_avg_full_padwindow', 'Pooling', [R(1, 2, 4, 4)], dict(kernel=[2, 2], stride=[3, 3], pad=[1, 1], pool_type='avg', pooling_convention='full'), [0], False),
    ('pool_sum_full_padwindow', 'Pooling', [R(1, 1, 4, 3)], dict(kernel=[2, 2], stride=[3, 2], pad=[1, 0], pool_type='sum', pooling_convention='full'), [0], False),
    ('pool_avg_pad', 'Pooling', [R(2, 2, 7, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], pool_type='avg'), [0], False),
    ('pool_avg_nopadcount', 'Pooling', [R(2, 2, 7, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], pool_type='avg', count_include_pad=False), [0], False),
    ('pool_avg_full', 'Pooling', [R(1, 2, 6, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], pool_type='avg', pooling_convention='full'), [0], False),
    ('pool_avg_full_nopadcount', 'Pooling', [R(1, 2, 6, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], pool_type='avg', pooling_convention='full', count_include_pad=False), [0], False),
    ('pool_sum', 'Pooling', [R(1, 2, 6, 5)], dict(kernel=[2, 2], stride=[2, 2], pad=[1, 0], pool_type='sum'), [0], False),
    ('pool_lp2', 'Pooling', [R(1, 2, 6, 6)], dict(kernel=[2, 2], stride=[2, 2], pool_type='lp', p_value=2), [0], False),
    ('pool_lp1', 'Pooling', [R(1, 2, 6, 6)], dict(kernel=[2, 2], stride=[2, 2], pool_type='lp', p_value=1), [0], False),
    ('pool_lp3', 'Pooling', [R(1, 2, 6, 6)], dict(kernel=[3, 3], stride=[1, 1], pool_type='lp', p_value=3), [0], False),
    ('pool_global_avg', 'Pooling', [R(2, 3, 4, 5)], dict(global_pool=True, pool_type='avg'), [0], False),
    # MXNet's 1-D backward divides the clipped last 'full' window by the whole kernel
    # size while its forward divides by the clipped size: forward only
    ('pool1d_avg_full', 'Pooling', [R(2, 3, 8)], dict(kernel=[3], stride=[2], pad=[1], pool_type='avg', pooling_convention='full'), [], False),
    ('pool3d_avg', 'Pooling', [R(1, 2, 4, 5, 5)], dict(kernel=[2, 3, 3], stride=[1, 2, 2], pad=[0, 1, 1], pool_type='avg'), [0], False),
    ('pool_nhwc_max', 'Pooling', [R(2, 7, 6, 3)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], layout='NHWC'), [0], False),
    ('pool_nhwc_avg', 'Pooling', [R(2, 6, 6, 3)], dict(kernel=[2, 2], stride=[2, 2], pool_type='avg', layout='NHWC'), [0], False),
    ('pool_nwc_max', 'Pooling', [R(2, 7, 3)], dict(kernel=[2], stride=[2], layout='NWC'), [0], False),
    ('pool_ndhwc_avg', 'Pooling', [R(1, 4, 4, 4, 2)], dict(kernel=[2, 2, 2], stride=[2, 2, 2], pool_type='avg', layout='NDHWC'), [0], False),
    ('act_relu', 'Activation', [R(3, 4)], dict(act_type='relu'), [0], False),
    ('act_sigmoid', 'Activation', [R(3, 4)], dict(act_type='sigmoid'), [0], False),
    ('act_tanh', 'Activation', [R(3, 4)], dict(act_type='tanh'), [0], False),
    ('act_softrelu', 'Activation', [A([[-30, -2, 0, 1.5, 19, 21, 30]])], dict(act_type='softrelu'), [0], False),
    ('act_softsign', 'Activation', [R(3, 4)], dict(act_type='softsign'), [0], False),
    ('leaky', 'LeakyReLU', [R(3, 4)], dict(act_type='leaky', slope=0.1), [0], False),
    ('leaky_default', 'LeakyReLU', [R(3, 4)], dict(), [0], False),
    ('prelu', 'LeakyReLU', [R(2, 3, 4), P(3)], dict(act_type='prelu'), [0, 1], False),
    ('prelu_scalar', 'LeakyReLU', [R(2, 3, 4), P(1)], dict(act_type='prelu'), [0, 1], False),
    ('elu', 'LeakyReLU', [R(3, 4)], dict(act_type='elu', slope=0.5), [0], False),
    ('selu', 'LeakyReLU', [R(3, 4)], dict(act_type='selu'), [0], False),
    ('gelu', 'LeakyReLU', [R(3, 4)], dict(act_type='gelu'), [0], False),
    # MXNet's rrelu backward outside training reads an unset mask: forward only
    ('rrelu_predict', 'LeakyReLU', [R(3, 4)], dict(act_type='rrelu'), [], False),
    ('bn_train', 'BatchNorm', [R(4, 3, 2, 2), P(3), R(3), R(3), P(3)], dict(fix_gamma=False), [0, 1, 2], True),
    ('bn_train_fixgamma', 'BatchNorm', [R(4, 3, 2, 2), P(3), R(3), R(3), P(3)], dict(), [0, 1, 2], True),
    ('bn_predict', 'BatchNorm', [R(4, 3, 2, 2), P(3), R(3), R(3), P(3)], dict(fix_gamma=False), [0, 1, 2], False),
    ('bn_axis_last', 'BatchNorm', [R(4, 5, 3), P(3), R(3), R(3), P(3)], dict(axis=-1, fix_gamma=False), [0, 1, 2], True),
    ('bn_2d_momentum', 'BatchNorm', [R(6, 3), P(3), R(3), R(3), P(3)], dict(momentum=0.8, eps=1e-5, fix_gamma=False), [0, 1, 2], True),
    ('bn_global_stats', 'BatchNorm', [R(4, 3, 2), P(3), R(3), R(3), P(3)], dict(use_global_stats=True, fix_gamma=False), [0, 1, 2], True),
    ('bn_mean_var', 'BatchNorm', [R(4, 3, 2), P(3), R(3), R(3), P(3)], dict(output_mean_var=True, fix_gamma=False), [0, 1, 2], True),
    ('bn_mean_var_predict', 'BatchNorm', [R(4, 3, 2), P(3), R(3), R(3), P(3)], dict(output_mean_var=True), [0, 1, 2], False),
    ('bn_train_forward_only', 'BatchNorm', [R(4, 3, 2), P(3), R(3), R(3), P(3)], dict(), [], True),
    ('ln_last', 'LayerNorm', [R(2, 3, 4), P(4), R(4)], dict(), [0, 1, 2], False),
    ('ln_axis1', 'LayerNorm', [R(2, 3, 4), P(3), R(3)], dict(axis=1, eps=1e-3), [0, 1, 2], False),
    ('ln_mean_var', 'LayerNorm', [R(2, 3, 4), P(4), R(4)], dict(output_mean_var=True), [0, 1, 2], False),
    ('in_3d', 'InstanceNorm', [R(2, 3, 5), P(3), R(3)], dict(), [0, 1, 2], False),
    ('in_4d', 'InstanceNorm', [R(2, 3, 2, 3), P(3), R(3)], dict(eps=1e-5), [0, 1, 2], False),
    ('gn', 'GroupNorm', [R(2, 4, 3, 2), P(2), R(2)], dict(num_groups=2), [0, 1, 2], False),
    ('gn_mean_var', 'GroupNorm', [R(2, 6, 3), P(3), R(3)], dict(num_groups=3, output_mean_var=True), [0, 1, 2], False),
    ('l2_instance', 'L2Normalization', [R(2, 3, 4)], dict(), [0], False),
    ('l2_channel', 'L2Normalization', [R(2, 3, 4)], dict(mode='channel'), [0], False),
    ('l2_spatial', 'L2Normalization', [R(2, 3, 2, 2)], dict(mode='spatial', eps=1e-3), [0], False),
    ('lrn', 'LRN', [R(2, 5, 3, 3)], dict(nsize=3, alpha=0.01), [0], False),
    ('embedding', 'Embedding', [A([[0, 2, 4], [1, 3.7, 9]]), R(5, 3)], dict(input_dim=5, output_dim=3), [1], False),
    ('upsample_nearest', 'UpSampling', [R(1, 2, 3, 3)], dict(scale=2, sample_type='nearest'), [0], False),
    ('upsample_concat', 'UpSampling', [R(1, 2, 2, 2), R(1, 1, 4, 4)], dict(scale=2, sample_type='nearest', num_args=2), [0, 1], False),
    ('upsample_sum', 'UpSampling', [R(1, 2, 2, 2), R(1, 2, 4, 4)], dict(scale=2, sample_type='nearest', num_args=2, multi_input_mode='sum'), [0, 1], False),
    ('upsample_bilinear', 'UpSampling', [R(1, 2, 3, 3), R(2, 1, 4, 4)], dict(scale=2, sample_type='bilinear', num_filter=2), [0, 1], False),
    ('upsample_bilinear3', 'UpSampling', [R(1, 2, 3, 3), R(2, 1, 5, 5)], dict(scale=3, sample_type='bilinear', num_filter=2), [0, 1], False),
    ('softmax_output', 'SoftmaxOutput', [R(4, 5), A([0, 3, 4, 1])], dict(), [0], False),
    ('softmax_output_scale', 'SoftmaxOutput', [R(4, 5), A([0, 3, 4, 1])], dict(grad_scale=2.0, normalization='batch'), [0], False),
    ('softmax_output_ignore', 'SoftmaxOutput', [R(4, 5), A([0, -1, 4, -1])], dict(use_ignore=True, normalization='valid'), [0], False),
    ('softmax_output_ignore_null', 'SoftmaxOutput', [R(4, 5), A([0, 2, 4, 2])], dict(use_ignore=True, ignore_label=2), [0], False),
    ('softmax_output_valid', 'SoftmaxOutput', [R(4, 5), A([0, 2, 4, 2])], dict(normalization='valid'), [0], False),
    ('softmax_output_flat', 'SoftmaxOutput', [R(2, 3, 2), A([[5, 1, 0], [1, 0, 0]])], dict(), [0], False),
    ('softmax_output_multi', 'SoftmaxOutput', [R(2, 3, 4), A([[0, 1, 2, 1], [2, 2, 0, 1]])], dict(multi_output=True, normalization='batch'), [0], False),
    ('softmax_output_multi_valid', 'SoftmaxOutput', [R(2, 3, 4), A([[0, 1, 2, 1], [2, -1, 0, 1]])], dict(multi_output=True, use_ignore=True, normalization='valid'), [0], False),
    ('softmax_output_preserve', 'SoftmaxOutput', [R(2, 3, 4), A([[0, 1, 3], [2, 3, 0]])], dict(preserve_shape=True), [0], False),
    ('softmax_output_smooth', 'SoftmaxOutput', [R(4, 5), A([0, 3, 4, 1])], dict(smooth_alpha=0.1), [0], False),
    # out_grad=True is left out: MXNet 1.9.1 multiplies by the output instead of the head
    # gradient there (tested against the documented formula instead)
    ('linreg', 'LinearRegressionOutput', [R(3, 4), R(3, 4)], dict(grad_scale=2.0), [0], False),
    ('logreg', 'LogisticRegressionOutput', [R(3, 4), A(rng.randint(0, 2, (3, 4)))], dict(), [0], False),
    ('maereg', 'MAERegressionOutput', [R(3, 2), R(3, 2)], dict(), [0], False),
    ('linreg_1d', 'LinearRegressionOutput', [R(5), R(5)], dict(), [0], False),
    ('make_loss', 'MakeLoss', [R(3, 4)], dict(grad_scale=2.0), [0], False),
    ('make_loss_batch', 'MakeLoss', [R(3, 4)], dict(normalization='batch'), [0], False),
    ('make_loss_lower', 'make_loss', [R(3, 4)], dict(), [0], False),
    ('make_loss_valid', 'MakeLoss', [R(3, 4)], dict(normalization='valid', valid_thresh=0.1), [0], False),
    ('rnn_lstm_bi2', 'RNN', rnn_inputs('lstm', 3, 2, 4, 5, 2, 2), dict(state_size=5, num_layers=2, bidirectional=True, mode='lstm', state_outputs=True), [0, 1, 2, 3], False),
    ('rnn_lstm', 'RNN', rnn_inputs('lstm', 4, 3, 2, 3, 1, 1), dict(state_size=3, num_layers=1, mode='lstm'), [0, 1, 2, 3], False),
    ('rnn_gru', 'RNN', rnn_inputs('gru', 4, 2, 3, 3, 2, 1), dict(state_size=3, num_layers=2, mode='gru', state_outputs=True), [0, 1, 2], False),
    ('rnn_tanh_bi', 'RNN', rnn_inputs('rnn_tanh', 3, 2, 3, 4, 1, 2), dict(state_size=4, num_layers=1, bidirectional=True, mode='rnn_tanh'), [0, 1, 2], False),
    ('rnn_relu', 'RNN', rnn_inputs('rnn_relu', 3, 2, 3, 4, 2, 1), dict(state_size=4, num_layers=2, mode='rnn_relu', state_outputs=True), [0, 1, 2], False),
    ('svm_l2', 'SVMOutput', [0.8 * R(4, 3), A([0, 2, 1, 2])], dict(), [0], False),
    ('svm_l1', 'SVMOutput', [0.8 * R(4, 3), A([0, 2, 1, 2])], dict(use_linear=True, margin=0.5, regularization_coefficient=2.0), [0], False),
    ('bilinear_sampler', 'BilinearSampler', [R(2, 2, 4, 5), U(-1.2, 1.2, 2, 2, 3, 3)], dict(), [0, 1], False),
    ('grid_affine', 'GridGenerator', [A([[1, 0.2, 0.1, -0.1, 0.9, 0], [0.5, 0, 0.3, 0, 1.2, -0.2]])], dict(transform_type='affine', target_shape=[3, 4]), [0], False),
    ('grid_warp', 'GridGenerator', [R(1, 2, 3, 4)], dict(transform_type='warp'), [0], False),
    ('spatial_transformer', 'SpatialTransformer', [R(1, 2, 4, 4), A([[0.9, 0.1, 0.05, -0.1, 1.1, 0.1]])], dict(target_shape=[3, 3], transform_type='affine', sampler_type='bilinear'), [0, 1], False),
    ('crop_h_w', 'Crop', [R(2, 2, 5, 6)], dict(num_args=1, h_w=[2, 3], offset=[1, 2]), [0], False),
    ('crop_like_center', 'Crop', [R(2, 2, 5, 6), R(1, 1, 3, 3)], dict(num_args=2, center_crop=True), [0], False),
    ('crop_like', 'Crop', [R(2, 2, 5, 6), R(1, 1, 3, 4)], dict(num_args=2), [0], False),
    ('conv_v1', 'Convolution_v1', [R(1, 2, 5, 5), R(3, 2, 3, 3), R(3)], dict(kernel=[3, 3], num_filter=3), [0, 1, 2], False),
    ('pool_v1', 'Pooling_v1', [R(1, 2, 5, 5)], dict(kernel=[2, 2], stride=[2, 2], pool_type='avg'), [0], False),
    ('roi_pool', 'ROIPooling', [R(2, 2, 8, 8), A([[0, 0, 0, 7, 7], [1, 2, 1, 5, 6], [0, -2, 3, 4, 10], [1, 6, 6, 6, 6]])], dict(pooled_size=[2, 2], spatial_scale=1.0), [0], False),
    ('roi_pool_scaled', 'ROIPooling', [R(1, 3, 6, 7), A([[0, 1, 1, 9, 11], [0, 3.4, 2.6, 13, 8], [0, 0, 0, 1, 1]])], dict(pooled_size=[3, 2], spatial_scale=0.5), [0], False),
    ('softmax_ce', 'softmax_cross_entropy', [R(4, 5), A([0, 3, 4, 1])], dict(), [0], False),
    ('ctc_first', 'CTCLoss', [R(6, 2, 5), A([[1, 2, 0], [3, 3, 4]])], dict(), [0], False),
    ('ctc_last', 'CTCLoss', [R(6, 2, 5), A([[0, 1, -1], [2, 2, 3]])], dict(blank_label='last'), [0], False),
    ('ctc_lengths', 'CTCLoss', [R(6, 2, 5), A([[1, 2, 2], [3, 1, 4]]), A([6, 5]), A([2, 3])], dict(use_data_lengths=True, use_label_lengths=True), [0], False),
    ('softmax_act_instance', 'SoftmaxActivation', [R(3, 4)], dict(), [0], False),
    # for >2-D data MXNet's 'instance' forward uses the last axis but its backward axis 1
    ('softmax_act_instance_3d', 'SoftmaxActivation', [R(2, 3, 2)], dict(), [], False),
    ('softmax_act_channel', 'SoftmaxActivation', [R(2, 3, 2)], dict(mode='channel'), [0], False),
]

# Cases MXNet's default (oneDNN) CPU kernels fail on, run with MXNET_MKLDNN_ENABLED=0:
# target_shape deconvolution raises there, and oneDNN's max-pooling backward sends the
# gradient to the wrong elements (its sum differs from the head gradient's even for
# non-overlapping windows), so max pooling is taken from MXNet's own kernels.
NATIVE_CASES = [
    ('pool_max_full_padwindow', 'Pooling', [R(1, 2, 4, 4)], dict(kernel=[2, 2], stride=[3, 3], pad=[1, 1], pooling_convention='full'), [0], False),
    ('pool_global_max', 'Pooling', [R(2, 3, 4, 5)], dict(kernel=[1, 1], global_pool=True), [0], False),
    ('pool_max', 'Pooling', [R(2, 2, 7, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1]), [0], False),
    ('pool_max_full', 'Pooling', [R(2, 2, 7, 6)], dict(kernel=[3, 3], stride=[2, 2], pad=[1, 1], pooling_convention='full'), [0], False),
    ('pool_max_full_nopad', 'Pooling', [R(1, 2, 7, 7)], dict(kernel=[2, 2], stride=[2, 2], pooling_convention='full'), [0], False),
    ('pool_max_default_stride', 'Pooling', [R(1, 2, 5, 4)], dict(kernel=[2, 2]), [0], False),
    ('pool1d_max', 'Pooling', [R(2, 3, 9)], dict(kernel=[3], stride=[2], pad=[1]), [0], False),
    ('pool3d_max', 'Pooling', [R(1, 2, 4, 5, 5)], dict(kernel=[2, 2, 2], stride=[2, 2, 2]), [0], False),
    ('deconv_target8', 'Deconvolution', [R(1, 2, 4, 4), R(2, 2, 3, 3)], dict(kernel=[3, 3], stride=[2, 2], target_shape=[8, 8], num_filter=2), [0, 1], False),
    ('deconv_target7', 'Deconvolution', [R(1, 2, 4, 4), R(2, 2, 3, 3)], dict(kernel=[3, 3], stride=[2, 2], target_shape=[7, 7], num_filter=2), [0, 1], False),
]

# BatchNorm moving statistics after several recorded training steps (forward + backward)
BN_STEPS = [R(4, 3, 2, 2) for _ in range(3)]


def run_case(op, inputs, kwargs, grads, train, seed=0):
    head_rng = np.random.RandomState(seed)
    xs = [nd.array(a) for a in inputs]
    for i in grads:
        xs[i].attach_grad()
    fn = getattr(nd, op)
    if grads:
        with mx.autograd.record(train_mode=train):
            out = fn(*xs, **kwargs)
        outs = out if isinstance(out, list) else [out]
        head = head_rng.randn(*outs[0].shape).astype('float32')
        outs[0].backward(nd.array(head))
    else:
        with (mx.autograd.train_mode() if train else mx.autograd.predict_mode()):
            out = fn(*xs, **kwargs)
        outs = out if isinstance(out, list) else [out]
        head = None
    if op == 'LeakyReLU':
        outs = outs[:1]             # rrelu's second output is MXNet-internal scratch
    res = {f'out{j}': o.asnumpy() for j, o in enumerate(outs)}
    if head is not None:
        res['head'] = head
    for i, x in enumerate(xs):
        res[f'grad{i}' if i in grads else f'after{i}'] = (x.grad if i in grads else x).asnumpy()
    return res


def store(data, cases):
    meta = {}
    for n, (cid, op, inputs, kwargs, grads, train) in enumerate(cases):
        meta[cid] = dict(op=op, kwargs=kwargs, grads=grads, train=train, inputs=len(inputs))
        for i, a in enumerate(inputs):
            data[f'{cid}:in{i}'] = a
        for k, v in run_case(op, inputs, kwargs, grads, train, n).items():
            data[f'{cid}:{k}'] = v
    data['meta'] = np.array(json.dumps(meta))


def main():
    golden = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden'
    if sys.argv[1:] == ['--native']:
        data = {}
        store(data, NATIVE_CASES)
        np.savez_compressed(golden / 'ops_nn_native.npz', **data)
        return
    subprocess.run([sys.executable, __file__, '--native'], check=True,
                   env=dict(os.environ, MXNET_MKLDNN_ENABLED='0'))
    data = {}
    store(data, CASES)
    gamma, beta = nd.array(P(3)), nd.array(R(3))
    mean, var = nd.zeros(3), nd.ones(3)
    for i, a in enumerate(BN_STEPS):
        x = nd.array(a)
        x.attach_grad()
        with mx.autograd.record():
            y = nd.BatchNorm(x, gamma, beta, mean, var, fix_gamma=False, momentum=0.7)
        y.backward()
        data[f'bn_steps:x{i}'] = a
    data.update({'bn_steps:gamma': gamma.asnumpy(), 'bn_steps:beta': beta.asnumpy(),
                 'bn_steps:mean': mean.asnumpy(), 'bn_steps:var': var.asnumpy()})
    np.savez_compressed(golden / 'ops_nn.npz', **data)
    print(f'wrote {len(CASES)} + {len(NATIVE_CASES)} cases to {golden}')


if __name__ == '__main__':
    main()
