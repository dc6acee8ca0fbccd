"""Who is acting and through which channel: every service call carries one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.records.enums import Channel, Role


@dataclass(frozen=True)
class Actor:
    user_id: int
    name: str
    role: Role
    channel: Channel

    def via(self, channel: Channel) -> Actor:
        return replace(self, channel=channel)
