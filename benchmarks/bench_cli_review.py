"""Benchmark: ``python -m dpakit review`` end to end vs a bare script (see ``bench_cli.run_review``).

python -m benchmarks.bench_cli_review [--quick]
"""

from __future__ import annotations

import sys

from benchmarks.bench_cli import report
from benchmarks.bench_cli import run_review as run

__all__ = ["run"]

if __name__ == "__main__":
    report(run("--quick" in sys.argv))
