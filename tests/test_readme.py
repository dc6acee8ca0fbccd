"""The README's configuration table is the contract users read; it must name every setting."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _env_names(model: type[BaseModel], prefix: str) -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(_env_names(annotation, f"{prefix}{name.upper()}__"))
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


def test_readme_documents_every_setting() -> None:
    text = README.read_text()
    missing = [env for env in _env_names(Settings, "SAMCOACH_") if f"`{env}`" not in text]
    assert not missing, f"README configuration table lacks: {missing}"


def test_readme_names_the_two_commands() -> None:
    text = README.read_text()
    assert "make run" in text and "make test" in text
