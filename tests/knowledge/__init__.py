"""Tests of the knowledge package (retrieval library)."""
