"""Prompt templates: files under `prompts/<name>/`, loaded by name and rendered strictly.

A prompt is a folder with `system.j2` and `user.j2`. Its version is a short hash of both
templates and of the JSON schema of the response model, since the schema is part of the prompt
(instructor sends it as the tool definition). Every result records that version.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from .errors import PromptError


def prompts_dir() -> Path:
    """Where prompt folders live: $SUMMARIZER_PROMPTS, the copy inside the wheel, or the repo's `prompts/`."""
    env = os.environ.get("SUMMARIZER_PROMPTS")
    if env:
        return Path(env)
    packaged = Path(__file__).parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    system: jinja2.Template
    user: jinja2.Template
    source: str

    def version(self, *response_models: type[BaseModel]) -> str:
        """Short stable hash of the templates and of the response models' schemas."""
        h = hashlib.sha256(self.source.encode())
        for model in response_models:
            h.update(json.dumps(model.model_json_schema(), sort_keys=True).encode())
        return h.hexdigest()[:12]

    def messages(self, **variables: Any) -> list[dict[str, str]]:
        """Render both templates; a variable the template uses but was not given fails loudly."""
        try:
            return [
                {"role": "system", "content": self.system.render(**variables).strip()},
                {"role": "user", "content": self.user.render(**variables).strip()},
            ]
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {self.name!r}: {exc}") from None


_env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load the prompt folder `name` (e.g. "grounded")."""
    folder = (directory or prompts_dir()) / name
    parts = {}
    for part in ("system", "user"):
        path = folder / f"{part}.j2"
        if not path.is_file():
            raise PromptError(f"prompt {name!r} has no {path}")
        parts[part] = path.read_text(encoding="utf-8")
    try:
        system = _env.from_string(parts["system"])
        user = _env.from_string(parts["user"])
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(f"prompt {name!r}: {exc}") from None
    return Prompt(name=name, system=system, user=user, source=parts["system"] + "\0" + parts["user"])
