"""python -m prevention.users: accounts from the command line (prevention.cli.users)."""
import sys

from prevention.cli.users import main

if __name__ == "__main__":
    sys.exit(main())
