"""Every table of SAM Coach on one metadata: what Alembic compares against and tests create."""

from __future__ import annotations

from assistant.conversations import models as conversations_models
from assistant.proposals import models as proposals_models
from assistant.records.models import Base

metadata = Base.metadata

__all__ = ["conversations_models", "metadata", "proposals_models"]
