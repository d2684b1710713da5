"""`mx.metric`: evaluation metrics with MXNet 1.x's names, accumulation and results.

Metrics are bookkeeping, not hot paths: they read arrays back with `asnumpy()` and count
in numpy, as MXNet does, so results (including MXNet's averaging quirks, noted inline)
are the same. Each metric keeps local stats (`reset_local`) and global stats (`reset`).
"""
from .base import (EvalMetric, CompositeEvalMetric, Loss, Torch, Caffe, CustomMetric, create,
                   register, alias, np, check_label_shapes)
from .classification import (Accuracy, TopKAccuracy, F1, MCC, PCC, Perplexity, CrossEntropy,
                             NegativeLogLikelihood)
from .regression import MAE, MSE, RMSE, PearsonCorrelation

__all__ = ['EvalMetric', 'CompositeEvalMetric', 'Accuracy', 'TopKAccuracy', 'F1', 'MCC',
           'Perplexity', 'MAE', 'MSE', 'RMSE', 'CrossEntropy', 'NegativeLogLikelihood',
           'PearsonCorrelation', 'PCC', 'Loss', 'Torch', 'Caffe', 'CustomMetric', 'create',
           'register', 'alias', 'np', 'check_label_shapes']
