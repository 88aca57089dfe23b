"""``python -m eumicro`` runs the command line."""

import sys

from eumicro._cli import main

sys.exit(main())
