"""BatchProcessor: what the Estimator does with one batch (train or evaluate)."""
from ...utils import split_and_load
from .... import autograd

__all__ = ['BatchProcessor']


class BatchProcessor:
    """The per-batch steps of `Estimator.fit` and `Estimator.evaluate`.

    Subclass it and override `fit_batch` / `evaluate_batch` to change how a batch is
    trained or evaluated, then pass an instance as `Estimator(batch_processor=...)`.
    """

    def _get_data_and_label(self, batch, ctx, batch_axis=0):
        data = split_and_load(batch[0], ctx_list=ctx, batch_axis=batch_axis)
        label = split_and_load(batch[1], ctx_list=ctx, batch_axis=batch_axis)
        return data, label

    def evaluate_batch(self, estimator, val_batch, batch_axis=0):
        """Run `estimator.val_net` and `estimator.val_loss` on one validation batch.

        Parameters
        ----------
        estimator : Estimator
        val_batch : tuple
            Data and label of a batch from the validation DataLoader.
        batch_axis : int, default 0
            Axis along which the batch is split over `estimator.context`.

        Returns
        -------
        data, label, pred, loss : lists of NDArray, one entry per context
        """
        data, label = self._get_data_and_label(val_batch, estimator.context, batch_axis)
        pred = [estimator.val_net(x) for x in data]
        loss = [estimator.val_loss(y_hat, y) for y_hat, y in zip(pred, label)]
        return data, label, pred, loss

    def fit_batch(self, estimator, train_batch, batch_axis=0):
        """Forward and backward of `estimator.net` and `estimator.loss` on one training
        batch (the update itself is GradientUpdateHandler's).

        Parameters
        ----------
        estimator : Estimator
        train_batch : tuple
            Data and label of a batch from the training DataLoader.
        batch_axis : int, default 0
            Axis along which the batch is split over `estimator.context`.

        Returns
        -------
        data, label, pred, loss : lists of NDArray, one entry per context
        """
        data, label = self._get_data_and_label(train_batch, estimator.context, batch_axis)
        with autograd.record():
            pred = [estimator.net(x) for x in data]
            loss = [estimator.loss(y_hat, y) for y_hat, y in zip(pred, label)]
        for l in loss:
            l.backward()
        return data, label, pred, loss
