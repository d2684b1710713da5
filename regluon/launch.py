"""`regluon launch -n N script.py [args...]`: start N worker processes of a data-parallel
job on this machine with torchrun (torch.distributed's launcher), each running the script
under `regluon run` (so `import mxnet` works) with MXNet's DMLC_* variables set.

For several machines, use torchrun directly on each (see README):
    torchrun --nnodes 2 --nproc_per_node 4 --rdzv_backend c10d \\
             --rdzv_endpoint HOST:29400 -m regluon run train.py
"""
import argparse
import os
import socket
import subprocess
import sys


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def parser():
    p = argparse.ArgumentParser(prog='regluon launch', description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', '--num-workers', type=int, required=True)
    p.add_argument('--port', type=int, default=0, help='rendezvous port (default: a free one)')
    p.add_argument('script')
    p.add_argument('args', nargs=argparse.REMAINDER)
    return p


def command(args):
    """The torchrun command line for parsed `args`."""
    port = args.port or _free_port()
    return [sys.executable, '-m', 'torch.distributed.run',
            f'--nproc_per_node={args.num_workers}', '--nnodes=1',
            '--master_addr=127.0.0.1', f'--master_port={port}', '--max_restarts=0',
            '-m', 'regluon', 'run', args.script, *args.args]


def main(argv):
    args = parser().parse_args(argv)
    env = dict(os.environ, DMLC_ROLE='worker', DMLC_NUM_WORKER=str(args.num_workers),
               DMLC_NUM_SERVER='0')
    return subprocess.call(command(args), env=env)
