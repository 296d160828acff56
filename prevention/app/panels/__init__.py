"""Pieces of one page each (upload, batches, quality), kept out of the page script to keep it short."""
