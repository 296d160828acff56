"""python -m prevention.backup: backups of the database and their restore (prevention.cli.backup)."""
import sys

from prevention.cli.backup import main

if __name__ == "__main__":
    sys.exit(main())
