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


def system_actor(channel: Channel) -> Actor:
    """Who acts when no user does yet (creating the first users); audited with no user id."""
    return Actor(user_id=0, name="system", role=Role.ADMIN, channel=channel)
