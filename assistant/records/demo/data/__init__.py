"""Demo data files (package data; a package so wheels ship the YAML next to it)."""
