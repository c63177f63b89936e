"""``python -m agi_timelines.cli``: the ``agi-timelines`` command line."""

import sys

from . import entry_point

if __name__ == "__main__":  # importing this module (e.g. to list the package) runs nothing
    sys.exit(entry_point())
