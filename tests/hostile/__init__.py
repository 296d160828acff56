"""A permanent corpus of hostile and malformed uploads (files.py) and the tests every loader must pass on it."""
