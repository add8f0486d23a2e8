"""Run the order service: python -m services.order [--host H] [--port P]."""

import sys

from services.common.server import main
from services.order.app import SERVICE, create_app

if __name__ == "__main__":
    sys.exit(main(SERVICE, create_app, default_port=5000))
