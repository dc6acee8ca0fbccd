"""Retrieval library for SAM Coach: curriculum, user documents and account notes, indexed in chroma.

The package takes plain arguments (paths, a chroma client, an embedding function, a collection prefix) and
imports nothing else of ours, so it can be tested and reused alone. Nothing is built at import time: callers
build the client and embedding function with the ``build_...`` factories and pass them in.
"""
