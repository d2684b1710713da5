"""The `regluon` command: `regluon demo`, and subcommands added by later work."""
import sys


def _demo(argv):
    from . import nd, autograd
    print("regluon tour: NDArray and autograd")
    x = nd.arange(12).reshape((3, 4))
    print("x =", x)
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    print("d(sum x^2)/dx =", x.grad)
    return 0


def _train(argv):
    from .cli_train import main as train_main
    return train_main(argv)


def _run(argv):
    from .compat import run
    return run(argv)


def _launch(argv):
    from .launch import main as launch_main
    return launch_main(argv)


COMMANDS = {'demo': _demo, 'train': _train, 'run': _run, 'launch': _launch}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: regluon {{{','.join(sorted(COMMANDS))}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == '__main__':
    sys.exit(main())
