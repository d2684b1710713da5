"""`regluon train NET`: the main job — train a seed network on real data, with a progress
bar, per-epoch figures, a plot of the curves and the trained parameters written to --out."""
import argparse
import os

from . import gluon, init, models, random as mxrandom
from .context import cpu, gpu
from .training import train

# The demo recipe (docs/training.md): the book's LeNet with ReLU, Xavier init, SGD with
# momentum 0.9 at lr 0.05, batch 256, 10 epochs: ~96% test accuracy on the bundled subset,
# as MXNet 1.9.1 gets (tools/mxnet_lenet_recipe.py). At lr 0.1 some seeds die in MXNet.
# The book's own recipe is `--act sigmoid --lr 0.9 --momentum 0`.
DEFAULTS = dict(epochs=10, batch_size=256, lr=0.05, momentum=0.9, optimizer='sgd', act='relu')
# The other networks default to the book's own recipes (chapter 5: SGD without momentum,
# 5 epochs, images resized so the deep nets' pooling has room).
BOOK = {
    'lenet_bn': dict(lr=1.0, batch_size=256, resize=0),
    'alexnet': dict(lr=0.01, batch_size=128, resize=224),
    'vgg11': dict(lr=0.05, batch_size=128, resize=224, ratio=4),
    'nin': dict(lr=0.1, batch_size=128, resize=224),
    'googlenet': dict(lr=0.1, batch_size=128, resize=96),
    'resnet18': dict(lr=0.05, batch_size=256, resize=96),
    'densenet': dict(lr=0.1, batch_size=256, resize=96),
}


def _datasets(name, resize):
    from .gluon.data import vision
    tf = [vision.transforms.Resize(resize)] if resize else []
    tf = vision.transforms.Compose(tf + [vision.transforms.ToTensor()])
    if name == 'mnist-subset':
        ds = vision.datasets.MNISTSubset
    else:
        ds = {'mnist': vision.datasets.MNIST, 'fashion-mnist': vision.datasets.FashionMNIST,
              'cifar10': vision.datasets.CIFAR10}[name]
    return ds(train=True).transform_first(tf), ds(train=False).transform_first(tf)


def parser():
    p = argparse.ArgumentParser(prog='regluon train', description=__doc__)
    p.add_argument('net', choices=sorted(models.NETWORKS))
    p.add_argument('--dataset', default='mnist-subset',
                   choices=['mnist-subset', 'mnist', 'fashion-mnist', 'cifar10'],
                   help='mnist-subset is bundled; the others read ~/.mxnet/datasets')
    p.add_argument('--epochs', type=int, help='default: lenet 10, the others 5 (the book)')
    p.add_argument('--batch-size', type=int, help="default: lenet 256, the others the book's")
    p.add_argument('--lr', type=float, help="default: lenet 0.05, the others the book's")
    p.add_argument('--momentum', type=float, help='default: lenet 0.9, the others 0')
    p.add_argument('--optimizer', default=DEFAULTS['optimizer'])
    p.add_argument('--act', default=DEFAULTS['act'], help="LeNet's activation (book: sigmoid)")
    p.add_argument('--resize', type=int,
                   help="resize images; default: the book's (AlexNet 224, ResNet 96, ...)")
    p.add_argument('--ctx', default='cpu', help='cpu, gpu or gpu:N')
    p.add_argument('--workers', type=int, default=0)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--hybridize', action='store_true')
    p.add_argument('--out', default='out', help='folder for the plot and the parameters')
    p.add_argument('--no-progress', action='store_true')
    return p


def _recipe(args):
    """Fill the options not given on the command line from DEFAULTS or BOOK."""
    if args.net == 'lenet':
        base, kwargs = dict(DEFAULTS, resize=0), {'act': args.act}
    else:
        book = dict(BOOK[args.net])
        kwargs = {'ratio': book.pop('ratio')} if 'ratio' in book else {}
        base = dict(DEFAULTS, epochs=5, momentum=0.0, **book)
    for key in ('epochs', 'batch_size', 'lr', 'momentum', 'resize'):
        if getattr(args, key) is None:
            setattr(args, key, base[key])
    return kwargs


def main(argv):
    args = parser().parse_args(argv)
    kwargs = _recipe(args)
    mxrandom.seed(args.seed)
    ctx = cpu() if args.ctx == 'cpu' else gpu(int(args.ctx.partition(':')[2] or 0))
    net = models.get(args.net, **kwargs)
    net.initialize(init.Xavier(), ctx=ctx)
    if args.hybridize and hasattr(net, 'hybridize'):
        net.hybridize()
    train_ds, test_ds = _datasets(args.dataset, args.resize)
    loader = gluon.data.DataLoader
    train_iter = loader(train_ds, args.batch_size, shuffle=True, num_workers=args.workers)
    test_iter = loader(test_ds, args.batch_size, shuffle=False, num_workers=args.workers)
    opt_params = {'learning_rate': args.lr}
    if args.optimizer in ('sgd', 'nag') and args.momentum:
        opt_params['momentum'] = args.momentum
    trainer = gluon.Trainer(net.collect_params(), args.optimizer, opt_params)
    os.makedirs(args.out, exist_ok=True)
    plot = os.path.join(args.out, f'{args.net}-curves.png')
    history = train(net, train_iter, test_iter, args.batch_size, trainer, ctx,
                    args.epochs, progress=not args.no_progress, plot=plot,
                    title=f'{args.net} on {args.dataset}, {args.optimizer} lr {args.lr}')
    params = os.path.join(args.out, f'{args.net}.params')
    net.save_parameters(params)
    print(f'final test accuracy {history.test_acc[-1]:.4f}')
    print(f'wrote {plot} and {params}')
    return 0
