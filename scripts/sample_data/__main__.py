"""``python -m sample_data`` (from scripts/) or ``python -m scripts.sample_data`` (from the root)."""
import sys

from .cli import main

sys.exit(main())
