"""The gluon.rnn cells tools/golden_rnn.py ran in MXNet and tests/test_gluon_rnn.py runs
here, written once; `cells(rnn)` takes the library's gluon.rnn module."""


def seq_cell(rnn, cls=None):
    """LSTM, dropout and residual GRU in a sequential cell (cls: MXNet's SequentialRNNCell
    by default; the Hybrid one saves the same file layout)."""
    cell = (cls or rnn.SequentialRNNCell)()
    with cell.name_scope():
        cell.add(rnn.LSTMCell(5))
        cell.add(rnn.DropoutCell(0.5))
        cell.add(rnn.ResidualCell(rnn.GRUCell(5)))
    return cell


def cells(rnn, seq_cls=None):
    """{case: (factory, input shape, layout, valid_length or None)}."""
    return {
        'rnn_cell': (lambda: rnn.RNNCell(4), (2, 3, 5), 'NTC', None),
        'rnn_cell_relu': (lambda: rnn.RNNCell(4, activation='relu'), (3, 2, 5), 'TNC', None),
        'lstm_cell': (lambda: rnn.LSTMCell(4), (2, 3, 5), 'NTC', None),
        'gru_cell': (lambda: rnn.GRUCell(4), (2, 3, 5), 'NTC', None),
        'seq_cell': (lambda: seq_cell(rnn, seq_cls), (2, 3, 5), 'NTC', None),
        'bi_cell': (lambda: rnn.BidirectionalCell(rnn.LSTMCell(3), rnn.GRUCell(3)),
                    (3, 2, 5), 'TNC', None),
        'lstm_cell_valid': (lambda: rnn.LSTMCell(4), (3, 4, 5), 'NTC', [4, 2, 3]),
        'bi_cell_valid': (lambda: rnn.BidirectionalCell(rnn.GRUCell(3), rnn.GRUCell(3)),
                          (3, 4, 5), 'NTC', [4, 2, 3]),
    }
