"""Seed/book examples whose outputs are compared with MXNet 1.9.1, shared by
tools/golden_seed.py (run under MXNet) and tests/test_seed_examples.py (under regluon).
Each case is an expression over `mx`, `nn` and `X` (the book's 4x4 arange image)."""
POOLING = [
    "nn.MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3))(X)",          # the book, 5.4
    "nn.AvgPool2D((2, 3), padding=(1, 2), strides=(2, 3))(X)",
    "nn.AvgPool2D((2, 3), padding=(1, 2), strides=(2, 3), count_include_pad=False)(X)",
    "nn.MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3), ceil_mode=True)(X)",
    "mx.nd.Pooling(X, kernel=(2, 3), pad=(1, 2), stride=(2, 3), pool_type='sum')",
    "nn.MaxPool2D(3, padding=1, strides=2)(X)",
    "nn.MaxPool2D(pool_size=2, strides=2)(X)",
]


def run(mx):
    """{case: numpy output} with the library `mx`."""
    nn = mx.gluon.nn
    X = mx.nd.arange(16).reshape((1, 1, 4, 4))
    return {c: eval(c, {'mx': mx, 'nn': nn, 'X': X}).asnumpy()  # pylint: disable=eval-used
            for c in POOLING}
