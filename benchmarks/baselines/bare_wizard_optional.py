"""``bare_wizard.py`` plus the optional imports: the same page in a server that has also loaded sqlite-utils,
and with it pandas, numpy and pyarrow (what importing dpakit's workspace store costs a server).

The baseline of ``bench_memory``'s "with the optional imports" reading: the difference between this
server's RSS and ``bare_wizard.py``'s is what those packages cost, whoever imports them.
"""

import runpy
from pathlib import Path

import numpy  # noqa: F401
import pandas  # noqa: F401
import pyarrow  # noqa: F401
import sqlite_utils  # noqa: F401

runpy.run_path(str(Path(__file__).with_name("bare_wizard.py")), run_name="__main__")
