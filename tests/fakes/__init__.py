"""Fakes for tests: scripted stand-ins for external services, so no test needs a network or a key.

`tests.fakes.openai_server` holds `ScriptedOpenAIServer` and the fixture `openai_server`; a test module enables
the fixture with `from tests.fakes.openai_server import openai_server_fixture  # noqa: F401`.
"""
