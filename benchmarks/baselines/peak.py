"""Run a Python module or script and write its peak resident memory (MiB) to a file when it exits.

    python benchmarks/baselines/peak.py OUT.txt -m dpakit draft …
    python benchmarks/baselines/peak.py OUT.txt script.py …

The figure is ``VmHWM`` from ``/proc/self/status``: the peak of this process's own memory since it was
started. ``ru_maxrss`` from ``wait4`` is not used, because Linux carries the parent's peak over into the
child at exec: every child of a 60 MiB benchmark process would report at least 60 MiB. The wrapper costs
ours and the baseline the same.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys


def _peak_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    out, target, *args = sys.argv[1:]
    atexit.register(lambda: open(out, "w", encoding="ascii").write(f"{_peak_mib():.1f}\n"))
    if target == "-m":  # as ``python -m``: the working folder first on the path
        sys.path[0] = os.getcwd()
        sys.argv = [args[0], *args[1:]]
        runpy.run_module(args[0], run_name="__main__", alter_sys=True)
    else:  # as ``python script.py``: the script's folder first on the path
        sys.path[0] = os.path.dirname(os.path.abspath(target))
        sys.argv = [target, *args]
        runpy.run_path(target, run_name="__main__")


if __name__ == "__main__":
    main()
