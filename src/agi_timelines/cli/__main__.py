"""``python -m agi_timelines.cli``: the ``agi-timelines`` command line."""

import sys

from . import entry_point

sys.exit(entry_point())
