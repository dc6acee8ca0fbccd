"""The `samcoach` command line."""
