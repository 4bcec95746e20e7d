"""Entry script for the frozen program (PyInstaller runs this file as __main__)."""

import sys

from clinic_desk.cli import main

sys.exit(main())
