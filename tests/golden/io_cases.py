"""NDArrayIter and contrib.text cases shared by tools/golden_io.py (run under MXNet 1.9.1) and
tests/test_io.py (run under regluon). Pure data and numpy."""
import numpy as np

# name, n, batch_size, last_batch_handle, shuffle, kind of input
ND_CASES = [
    ('pad', 10, 3, 'pad', False, 'array'),
    ('pad_big', 2, 5, 'pad', False, 'array'),
    ('discard', 10, 3, 'discard', False, 'array'),
    ('roll_over', 10, 3, 'roll_over', False, 'array'),
    ('roll_over4', 10, 4, 'roll_over', False, 'array'),
    ('shuffle_pad', 10, 4, 'pad', True, 'array'),
    ('shuffle_roll', 7, 3, 'roll_over', True, 'array'),
    ('dict', 7, 3, 'pad', False, 'dict'),
    ('list', 5, 2, 'discard', False, 'list'),
    ('exact', 6, 3, 'pad', False, 'array'),
]


def nd_input(n, kind):
    """(data, label) of a case: an array, a dict or a list of numpy arrays."""
    x = np.arange(n * 4, dtype=np.float32).reshape(n, 2, 2)
    y = np.arange(n, dtype=np.float32) * 10
    if kind == 'array':
        return x, y
    if kind == 'dict':
        return {'b_data': x, 'a_data': x[:, 0] + 100}, {'lab': y}
    return [x, x[:, :, 0] - 1], [y, y + 1]


# contrib.text: the string counted, and Vocabulary cases (name, kwargs)
TEXT = ' Life is great ! \n life is good . \n the cat and the dog , the end \n'
TEXT_CASES = [  # name, Vocabulary kwargs
    ('default', {}),
    ('most2', {'most_freq_count': 2}),
    ('min2', {'min_freq': 2}),
    ('reserved', {'reserved_tokens': ['<pad>', '<bos>'], 'unknown_token': '<UNK>'}),
    ('all', {'most_freq_count': 4, 'min_freq': 1, 'reserved_tokens': ['<pad>']}),
]
