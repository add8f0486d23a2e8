"""`python -m bench`: run the benchmarks and write bench/results.md."""

import sys

from bench.cli import main

sys.exit(main())
