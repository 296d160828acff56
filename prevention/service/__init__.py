"""The dashboard's local door for the command line: a Unix socket server beside the database file, through which
the CLI asks the running dashboard to run a command (load, accounts, backup) on the database it already holds."""
