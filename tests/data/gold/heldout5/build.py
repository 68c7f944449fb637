"""Build the fifth held-out gold set (the test set) from its hand-written labels.

The logic, the format of ``labels.txt`` and the set's annotator and time stamp are
in ``../goldset.py``. Bad labels: one line naming the file and the problem, exit 2.

    python3 tests/data/gold/heldout5/build.py            # write the JSONL
    python3 tests/data/gold/heldout5/build.py --check    # is it current? (exit 1 if not)
    python3 tests/data/gold/heldout5/build.py --skeleton n17_new.txt   # label lines to fill in
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from goldset import LabelError, parse_labels, script  # noqa: F401  (the set's API)

DOCS, LABELS, OUTPUT, build, main = script(__file__)

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
