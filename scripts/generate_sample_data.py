#!/usr/bin/env python3
"""Generate synthetic Mozilla accounts raw data: the entry point of ``scripts/sample_data``.

    python scripts/generate_sample_data.py --format csv --out seeds/sample

See ``--help`` and the package docstring (scripts/sample_data/__init__.py).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_data.cli import main

if __name__ == "__main__":
    sys.exit(main())
