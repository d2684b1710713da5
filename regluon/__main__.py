"""The `regluon` command: `regluon demo`, and subcommands added by later work."""
import sys


def _demo(argv):
    """`make demo`: the main job, `regluon train lenet`, on the bundled MNIST subset."""
    from .cli_train import main as train_main
    return train_main(['lenet'] + list(argv))


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
