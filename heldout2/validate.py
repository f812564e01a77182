"""Validate the second held-out set, heldout2/ (urls https://example.test/heldout2/<stem>).

Runs heldout/validate.py, i.e. the dev set's validator (see devset/validate.py), on this folder.
heldout/validate.py is loaded from its path because heldout/ is not a package.
"""

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "heldout_validate", Path(__file__).resolve().parents[1] / "heldout" / "validate.py")
_HELDOUT = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_HELDOUT)

if __name__ == "__main__":
    raise SystemExit(_HELDOUT.main(root=Path(__file__).resolve().parent))
