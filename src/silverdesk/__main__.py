import sys

from silverdesk.cli import main

sys.exit(main())
