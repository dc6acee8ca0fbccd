"""The logic behind every tool, as plain functions of the run context: testable without LangChain.

Each returns `(text for the model, artifact for everyone else)`.
"""
