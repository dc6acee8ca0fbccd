"""The one settings object of SAM Coach.

Only entry points (CLI, API factory, UI script, eval runner) call `get_settings()`; everything below them
receives the sub-settings it needs, so tests can build `Settings(...)` directly and nothing reads the
environment behind their back.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class LLMSettings(BaseModel):
    """Which language model backs the coach. `offline` is the embedded, key-less default."""

    provider: Literal["offline", "openai"] = "offline"
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama"
    )
    api_key: SecretStr | None = None
    model: str = "gpt-4o-mini"
    temperature: float = Field(default=0.2, ge=0, le=2)
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_steps: int = Field(default=8, ge=1, le=50, description="tool-call steps per chat turn")
    verify_model: bool = Field(
        default=True, description="check at start that the endpoint lists the model (turn off for Azure deployments)"
    )
    max_tokens_per_turn: int = Field(default=24_000, ge=1_000)

    @field_validator("api_key", "base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `SAMCOACH_LLM__API_KEY=` in a .env file means "no key", not a key that is the empty string.
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _openai_needs_a_key_or_local_url(self) -> LLMSettings:
        # A local server (Ollama, llama.cpp, vLLM) needs no key but must be named; OpenAI proper needs a key.
        if self.provider == "openai" and self.api_key is None and self.base_url is None:
            raise ValueError(
                "SAMCOACH_LLM__PROVIDER=openai needs SAMCOACH_LLM__API_KEY (OpenAI, Azure) or "
                "SAMCOACH_LLM__BASE_URL (a local OpenAI-compatible server such as Ollama or vLLM)"
            )
        return self

    def describe(self) -> str:
        """The honest one-line label every surface shows."""
        if self.provider == "offline":
            return "offline (embedded grounded composer, no generative model)"
        where = self.base_url or "api.openai.com"
        return f"openai-compatible: {self.model} at {where}"


class EmbeddingSettings(BaseModel):
    """How text becomes vectors. `local` is all-MiniLM-L6-v2 shipped on PyPI; `hash` is for tests only."""

    provider: Literal["local", "openai", "hash"] = "local"
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None


class APISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = Field(default=1_000_000, ge=1_000)
    max_upload_bytes: int = Field(default=10_000_000, ge=1_000)
    rate_limit_per_minute: int = Field(default=60, ge=1, description="chat and draft calls per key")


class UISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8501, ge=1, le=65535)


class Settings(BaseSettings):
    """Every setting, its default and its environment variable (prefix SAMCOACH_, nesting with __)."""

    model_config = SettingsConfigDict(
        env_prefix="SAMCOACH_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/samcoach.db"
    )
    chroma_path: Path | None = Field(default=None, description="default <data_dir>/chroma")
    chroma_host: str | None = Field(default=None, description="use a chroma server instead of the folder")
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    chroma_ssl: bool = False
    user_email: str = Field(
        default="dana@beacon.example", description="who the CLI and the local UI act as (the demo SAM leader)"
    )
    collection_prefix: str = Field(default="samcoach", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$")
    llm: LLMSettings = Field(default_factory=LLMSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    api: APISettings = Field(default_factory=APISettings)
    ui: UISettings = Field(default_factory=UISettings)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'samcoach.db'}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once per process. Entry points only."""
    return Settings()
