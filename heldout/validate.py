"""Validate the held-out set with the dev set's validator (see devset/validate.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "devset"))
from validate import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(root=Path(__file__).resolve().parent))
