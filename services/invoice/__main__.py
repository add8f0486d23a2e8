"""Run the invoice service: python -m services.invoice [--host H] [--port P]."""

import sys

from services.common.server import main
from services.invoice.app import SERVICE, create_app

if __name__ == "__main__":
    sys.exit(main(SERVICE, create_app, default_port=5001))
