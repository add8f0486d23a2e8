"""Entry point of `python -m devagent`."""

import sys

from devagent.cli import main

sys.exit(main())
