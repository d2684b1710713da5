"""The book's training loop (`train_ch5`) with a progress bar and a plot of the curves.

    from regluon import training
    history = training.train(net, train_iter, test_iter, batch_size, trainer, ctx,
                             num_epochs=5, plot='curves.png')
"""
import time

from . import autograd, nd
from .context import cpu
from .gluon import loss as gloss


def evaluate_accuracy(data_iter, net, ctx=None):
    """Fraction of correctly classified samples of `data_iter` (as the book's helper)."""
    ctx = ctx or cpu()
    acc_sum, n = nd.array([0], ctx=ctx), 0
    for X, y in data_iter:
        X, y = X.as_in_context(ctx), y.as_in_context(ctx).astype('float32')
        acc_sum += (net(X).argmax(axis=1) == y).sum()
        n += y.size
    return acc_sum.asscalar() / n


class History:
    """Per-epoch figures of a training run; `plot(path)` draws them."""

    def __init__(self):
        self.epochs, self.loss, self.train_acc, self.test_acc, self.seconds = [], [], [], [], []

    def add(self, loss, train_acc, test_acc, seconds):
        self.epochs.append(len(self.epochs) + 1)
        self.loss.append(float(loss))
        self.train_acc.append(float(train_acc))
        self.test_acc.append(float(test_acc))
        self.seconds.append(float(seconds))

    def plot(self, path=None, show=False, title=None):
        """Draw loss and accuracies per epoch; write a PNG/SVG to `path`, or show inline."""
        import matplotlib
        if path is not None and not show:
            matplotlib.use('Agg', force=False)
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(self.epochs, self.loss, 'o-', label='train loss')
        ax.plot(self.epochs, self.train_acc, 's--', label='train acc')
        ax.plot(self.epochs, self.test_acc, '^-.', label='test acc')
        ax.set_xlabel('epoch')
        ax.set_ylim(bottom=0)
        if title:
            ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=100)
        if show:
            plt.show()
        plt.close(fig)
        return path


def _in_notebook():
    try:
        from IPython import get_ipython
        return get_ipython() is not None and 'IPKernelApp' in get_ipython().config
    except Exception:  # pylint: disable=broad-except
        return False


def train(net, train_iter, test_iter, batch_size, trainer, ctx=None, num_epochs=5,
          loss=None, progress=True, plot=None, log=print, title=None):
    """Train a classifier as the book's `train_ch5` does, with a progress bar and a plot.

    Parameters
    ----------
    net : Block
    train_iter, test_iter : iterables of (data, label) batches (e.g. gluon.data.DataLoader)
    batch_size : int
        Passed to `trainer.step` (gradients are rescaled by 1/batch_size).
    trainer : gluon.Trainer
    ctx : Context
    num_epochs : int
    loss : gluon.loss.Loss, default SoftmaxCrossEntropyLoss
    progress : bool
        Show a tqdm progress bar over the batches of each epoch.
    plot : str or None
        Write the loss/accuracy curves to this file after every epoch (and show them live
        in Jupyter).
    title : str or None
        Title of the plot.
    Returns
    -------
    History
    """
    ctx = ctx or cpu()
    loss = loss or gloss.SoftmaxCrossEntropyLoss()
    history = History()
    log(f'training on {ctx}')
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n, start = 0.0, 0.0, 0, time.time()
        batches = _progress(train_iter, f'epoch {epoch + 1}/{num_epochs}') if progress \
            else train_iter
        for X, y in batches:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            trainer.step(batch_size)
            y = y.astype('float32')
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        test_acc = evaluate_accuracy(test_iter, net, ctx)
        seconds = time.time() - start
        history.add(train_l_sum / n, train_acc_sum / n, test_acc, seconds)
        log('epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec'
            % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc, seconds))
        if plot is not None:
            history.plot(plot, show=_in_notebook(), title=title)
    return history


def _progress(iterable, desc):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, leave=False, unit='batch')
