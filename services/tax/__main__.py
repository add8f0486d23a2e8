"""Run the tax service: python -m services.tax [--host H] [--port P]."""

import sys

from services.common.server import main
from services.tax.app import SERVICE, create_app

if __name__ == "__main__":
    sys.exit(main(SERVICE, create_app, default_port=5002, printed_settings=("TAX_RATES",)))
