"""What every CLI command needs, built on first use so `samcoach --help` stays instant."""

from __future__ import annotations

from functools import cached_property

from rich.console import Console

from assistant.records.actor import Actor
from assistant.records.enums import Channel
from assistant.runtime import Runtime, build_runtime
from assistant.service import AssistantService
from assistant.settings import Settings, get_settings

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


class CliContext:
    def __init__(self, settings: Settings | None = None, *, user_email: str | None = None) -> None:
        self._settings = settings
        self._user_email = user_email

    @cached_property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    @cached_property
    def runtime(self) -> Runtime:
        return build_runtime(self.settings)

    @cached_property
    def assistant(self) -> AssistantService:
        """The assistant, with the curriculum index built first if this is a fresh data folder."""
        if self.runtime.retrieval.count("curriculum") == 0:
            from assistant.cli.knowledge import index

            index(self)
        return self.runtime.assistant

    @cached_property
    def actor(self) -> Actor:
        email = self._user_email or self.settings.user_email
        return self.runtime.records.users.actor(email=email, channel=Channel.CLI)
