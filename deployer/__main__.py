"""`python -m deployer`."""

import sys

from deployer.cli import main

sys.exit(main())
