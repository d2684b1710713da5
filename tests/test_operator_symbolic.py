"""Symbolic behaviour MXNet 1.9.1's test_operator.py relies on: each case of
tests/golden/operator_symbolic_cases.py against MXNet's values (written by
tools/golden_cases.py operator_symbolic), and the operator table behind them
(regluon/symbol/op_inputs.json, written by tools/gen_op_inputs.py)."""

import pytest

import regluon as mx
from regluon.symbol import graph
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('operator_symbolic')


def test_operator_arguments_of_unknown_operator():
    with pytest.raises(mx.MXNetError, match='Operator no_such_op is not registered'):
        mx.operator.get_operator_arguments('no_such_op')


def test_star_import_names():
    ns = {}
    exec('from regluon.operator import *', ns)  # noqa: S102 (the form MXNet's tests use)
    assert ns['get_operator_arguments'] is mx.operator.get_operator_arguments
    assert ns['OperatorArguments']._fields == ('narg', 'names', 'types')


def test_input_tables_follow_kernels():
    # every table's inputs are the kernel's leading parameters, in MXNet's order, so a
    # positional call means the same input in both
    tables = {op: graph.array_inputs(op) for op in graph.OPS}
    assert sum(t is not None for t in tables.values()) > 250
    for op, table in tables.items():
        if table:
            params = [p.name for p in graph.signature(op)]
            assert tuple(params[:len(table)]) == tuple(table), op


def test_hybridized_softmax_and_rnn_keep_their_inputs():
    # the ops now in the table, called by gluon blocks with inputs left out on purpose
    x = mx.sym.var('x')
    assert mx.sym.softmax(x, length=None, axis=-1).list_arguments() == ['x']
    rnn = mx.sym.RNN(x, mx.sym.var('p'), state=mx.sym.var('h'), mode='gru', state_size=2,
                     num_layers=1)
    assert rnn.list_arguments() == ['x', 'p', 'h']
