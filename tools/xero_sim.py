"""``python tools/xero_sim.py serve …`` = ``python -m harness serve …`` in a process of its own
session, for the crash tests and the chaos benchmark: another session's clean-up that signals
every "harness serve" process on this machine (seen while the chaos benchmark ran) does not
stop ours mid-run."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from harness.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
