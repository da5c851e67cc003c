"""``python -m google.cloud.tasks.emulator start ...``."""

import sys

from .cli import main

sys.exit(main())
