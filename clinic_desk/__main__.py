"""`python -m clinic_desk` runs the same entry point as `clinic-desk`."""

from clinic_desk.cli import main

raise SystemExit(main())
