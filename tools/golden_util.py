"""Helpers the golden writers share (run with MXNet 1.9.1's interpreter, from tools/)."""


def error(fn):
    """What calling `fn` raised: {'type': exception class name, 'msg': its last line}, or
    {'type': None, 'msg': ''} when it returned."""
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        msg = str(e).strip().splitlines()[-1] if str(e).strip() else ''
        return {'type': type(e).__name__, 'msg': msg}
    return {'type': None, 'msg': ''}
