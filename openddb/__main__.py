"""``python -m openddb`` runs the command line."""

import sys

from openddb.cli import main

sys.exit(main())
