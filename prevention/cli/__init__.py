"""The command line: `python -m loaders`, `python -m prevention.users`, `python -m prevention.demo`. Messages in the
language of --lang (Russian by default) from the catalogues; the work is done by prevention.usecases."""
