"""Renders docs/img/lenet-graph.png, the README's picture of LeNet's graph, with
mx.viz.plot_network on the hybridized book LeNet (needs graphviz's `dot` program).

    .venv/bin/python tools/render_lenet_graph.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import regluon as mx  # noqa: E402
from regluon.gluon import nn  # noqa: E402

net = nn.HybridSequential()
net.add(nn.Conv2D(channels=6, kernel_size=5, activation='sigmoid'),
        nn.MaxPool2D(pool_size=2, strides=2),
        nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
        nn.MaxPool2D(pool_size=2, strides=2),
        nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'), nn.Dense(10))
net.initialize()
graph = net(mx.sym.var('data'))
dot = mx.viz.plot_network(graph, title='lenet', save_format='png',
                          shape={'data': (1, 1, 28, 28)})
out = os.path.join(os.path.dirname(__file__), '..', 'docs', 'img', 'lenet-graph')
print(dot.render(out, cleanup=True))
