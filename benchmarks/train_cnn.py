"""Training speed (MLP, LeNet, ResNet-18): regluon vs raw torch vs MXNet 1.9.1 (eager and
hybridized).

    OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.train_cnn

- MLP (784-256-10, ReLU) epoch: the same 8,000 digits and loop as LeNet's, SGD lr 0.1.
- LeNet (ReLU) epoch: 8,000 MNIST digits (/work/shared/data/mnist t10k, the first 8,000),
  batch 256, SGD lr 0.05 momentum 0.9, the book's loop (loss summed, `trainer.step(256)`,
  the loss read back every step). Batches are in memory: this times training, not loading.
- ResNet-18 (the book's, 1-channel 28x28 input) training step, batch 64, SGD lr 0.05.
  The Gluon nets are HybridBlocks (the book's code with `F.`), so one definition runs
  eager and hybridized; raw torch is the same architecture in torch.nn with torch.optim.SGD.
Each library runs in its own interpreter (MXNet with ~/.cache/mxnet-ref/bin/python),
interleaved, best of 2 rounds. Wall seconds and process CPU seconds (all threads) are both
shown: on a shared machine CPU time is the steadier of the two.
"""
import gzip
import json
import os
import sys
import time

import numpy as np

from benchmarks import _harness as H

MNIST = os.environ.get('MNIST_DIR', '/work/shared/data/mnist')
N_IMAGES, BATCH, RESNET_BATCH = 8000, 256, 64
LIBS = ['torch', 'regluon', 'regluon-hybrid', 'mxnet', 'mxnet-hybrid']


def mnist():
    """The first 8,000 t10k digits as float32 (N, 1, 28, 28) in [0, 1] and int labels."""
    with gzip.open(os.path.join(MNIST, 't10k-images-idx3-ubyte.gz')) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(MNIST, 't10k-labels-idx1-ubyte.gz')) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x[:N_IMAGES].astype('float32') / 255, y[:N_IMAGES].astype('float32')


def gluon_nets(mx):
    """LeNet and the book's ResNet-18 as HybridBlocks of `mx` (regluon or mxnet)."""
    nn = mx.gluon.nn

    class Residual(nn.HybridBlock):
        def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
            super().__init__(**kwargs)
            self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
            self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
            self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides) \
                if use_1x1conv else None
            self.bn1, self.bn2 = nn.BatchNorm(), nn.BatchNorm()

        def hybrid_forward(self, F, X):
            Y = F.relu(self.bn1(self.conv1(X)))
            Y = self.bn2(self.conv2(Y))
            if self.conv3:
                X = self.conv3(X)
            return F.relu(Y + X)

    mlp = nn.HybridSequential()
    mlp.add(nn.Dense(256, activation='relu'), nn.Dense(10))
    lenet = nn.HybridSequential()
    lenet.add(nn.Conv2D(6, kernel_size=5, activation='relu'), nn.MaxPool2D(2, 2),
              nn.Conv2D(16, kernel_size=5, activation='relu'), nn.MaxPool2D(2, 2),
              nn.Dense(120, activation='relu'), nn.Dense(84, activation='relu'), nn.Dense(10))
    resnet = nn.HybridSequential()
    resnet.add(nn.Conv2D(64, kernel_size=7, strides=2, padding=3), nn.BatchNorm(),
               nn.Activation('relu'), nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    for channels, first in ((64, True), (128, False), (256, False), (512, False)):
        blk = nn.HybridSequential()
        blk.add(Residual(channels, use_1x1conv=not first, strides=1 if first else 2),
                Residual(channels))
        resnet.add(blk)
    resnet.add(nn.GlobalAvgPool2D(), nn.Dense(10))
    return mlp, lenet, resnet


def torch_nets():
    from torch import nn

    class Residual(nn.Module):
        def __init__(self, cin, cout, use_1x1conv=False, strides=1):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, stride=strides)
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
            self.conv3 = nn.Conv2d(cin, cout, 1, stride=strides) if use_1x1conv else None
            self.bn1, self.bn2 = nn.BatchNorm2d(cout), nn.BatchNorm2d(cout)

        def forward(self, X):
            Y = torch.relu(self.bn1(self.conv1(X)))
            Y = self.bn2(self.conv2(Y))
            if self.conv3 is not None:
                X = self.conv3(X)
            return torch.relu(Y + X)

    import torch
    lenet = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
                          nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                          nn.Linear(84, 10))
    layers = [nn.Conv2d(1, 64, 7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
              nn.MaxPool2d(3, stride=2, padding=1)]
    cin = 64
    for channels, first in ((64, True), (128, False), (256, False), (512, False)):
        layers += [Residual(cin, channels, not first, 1 if first else 2),
                   Residual(channels, channels)]
        cin = channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10)]
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return mlp, lenet, nn.Sequential(*layers)


def torch_steps(x, y):
    import torch
    torch.manual_seed(0)
    mlp, lenet, resnet = torch_nets()
    loss = torch.nn.CrossEntropyLoss()

    def stepper(net, opt):
        def step(X, Y):
            opt.zero_grad()
            l = loss(net(X), Y)
            l.backward()
            opt.step()
            return l.item()
        return step
    batches = [(torch.from_numpy(x[i:i + BATCH]), torch.from_numpy(y[i:i + BATCH]).long())
               for i in range(0, len(x), BATCH)]
    rx = torch.from_numpy(x[:RESNET_BATCH]).contiguous()
    ry = torch.from_numpy(y[:RESNET_BATCH]).long()
    return (stepper(mlp, torch.optim.SGD(mlp.parameters(), lr=0.1)),
            stepper(lenet, torch.optim.SGD(lenet.parameters(), lr=0.05, momentum=0.9)),
            batches, stepper(resnet, torch.optim.SGD(resnet.parameters(), lr=0.05)), (rx, ry))


def gluon_steps(lib, x, y):
    if lib.startswith('regluon'):
        import regluon as mx
    else:
        import mxnet as mx
    from_np = mx.nd.array
    mlp, lenet, resnet = gluon_nets(mx)
    loss = mx.gluon.loss.SoftmaxCrossEntropyLoss()

    def stepper(net, opt, batch):
        net.initialize(mx.init.Xavier())
        if lib.endswith('hybrid'):
            net.hybridize()
        trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', opt)

        def step(X, Y):
            with mx.autograd.record():
                l = loss(net(X), Y).sum()
            l.backward()
            trainer.step(batch)
            return l.asscalar()
        return step
    batches = [(from_np(x[i:i + BATCH]), from_np(y[i:i + BATCH]))
               for i in range(0, len(x), BATCH)]
    return (stepper(mlp, {'learning_rate': 0.1}, BATCH),
            stepper(lenet, {'learning_rate': 0.05, 'momentum': 0.9}, BATCH), batches,
            stepper(resnet, {'learning_rate': 0.05}, RESNET_BATCH),
            (from_np(x[:RESNET_BATCH]), from_np(y[:RESNET_BATCH])))


def timed(fn, repeats):
    """Best (wall, cpu) seconds of `fn()` over `repeats` runs, after one warm-up run."""
    fn()
    best_wall = best_cpu = float('inf')
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu


def child(lib):
    x, y = mnist()
    mlp_step, lenet_step, batches, resnet_step, (rx, ry) = (
        torch_steps(x, y) if lib == 'torch' else gluon_steps(lib, x, y))

    def epoch(step=lenet_step):
        for X, Y in batches:
            step(X, Y)

    def resnet4():
        for _ in range(4):
            resnet_step(rx, ry)
    mw, mc = timed(lambda: epoch(mlp_step), 3)
    lw, lc = timed(epoch, 3)
    rw, rc = timed(resnet4, 2)
    print(json.dumps({'mlp_epoch_wall_s': mw, 'mlp_epoch_cpu_s': mc,
                      'lenet_epoch_wall_s': lw, 'lenet_epoch_cpu_s': lc,
                      'resnet18_step_wall_ms': rw / 4 * 1e3,
                      'resnet18_step_cpu_ms': rc / 4 * 1e3}))


def run(lib):
    """One child process for `lib` (regluon-hybrid: hybridized; mxnet via its interpreter)."""
    import subprocess
    py = str(H.MXNET_PY) if lib.startswith('mxnet') else sys.executable
    if lib.startswith('mxnet') and not H.MXNET_PY.exists():
        return None
    env = dict(H.ENV, MXNET_SUBGRAPH_BACKEND='NONE')
    res = subprocess.run([py, '-m', 'benchmarks.train_cnn', '--child', lib], cwd=H.ROOT,
                         env=env, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        print(f'  ({lib} child failed: {res.stderr.strip().splitlines()[-3:]})')
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    H.header('train_cnn: MLP and LeNet epochs (8k MNIST, batch 256), ResNet-18 step '
             '(64x1x28x28)')
    rounds = int(os.environ.get('ROUNDS', '2'))
    best = H.best_of(run, LIBS, rounds=rounds)
    libs = [lib for lib in LIBS if best[lib]]
    print(f"{'library':<16}{'MLP epoch s':>13}{'(cpu s)':>9}{'MLP/torch':>11}")
    t = best['torch']
    for lib in libs:
        r = best[lib]
        print(f"{lib:<16}{r['mlp_epoch_wall_s']:>13.3f}{r['mlp_epoch_cpu_s']:>9.3f}"
              f"{r['mlp_epoch_wall_s'] / t['mlp_epoch_wall_s']:>6.2f}x"
              f"({r['mlp_epoch_cpu_s'] / t['mlp_epoch_cpu_s']:.2f})")
    print(f"{'library':<16}{'LeNet epoch s':>15}{'(cpu s)':>10}{'ResNet-18 step ms':>19}"
          f"{'(cpu ms)':>10}{'LeNet/torch':>13}{'ResNet/torch':>14}")
    t = best['torch']
    for lib in libs:
        r = best[lib]
        print(f"{lib:<16}{r['lenet_epoch_wall_s']:>15.3f}{r['lenet_epoch_cpu_s']:>10.3f}"
              f"{r['resnet18_step_wall_ms']:>19.1f}{r['resnet18_step_cpu_ms']:>10.1f}"
              f"{r['lenet_epoch_wall_s'] / t['lenet_epoch_wall_s']:>8.2f}x"
              f"({r['lenet_epoch_cpu_s'] / t['lenet_epoch_cpu_s']:.2f})"
              f"{r['resnet18_step_wall_ms'] / t['resnet18_step_wall_ms']:>8.2f}x"
              f"({r['resnet18_step_cpu_ms'] / t['resnet18_step_cpu_ms']:.2f})")
    print('ratios: wall (cpu) time relative to raw torch eager')


if __name__ == '__main__':
    if '--child' in sys.argv:
        child(sys.argv[sys.argv.index('--child') + 1])
    else:
        main()
