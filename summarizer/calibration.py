"""Confidence tables: how often each kind of decided field is right, measured for one strategy,
prompt version and model, and the thresholds below which a field is flagged for review.

A table is fitted on a labeled dataset (`summarizer calibrate`, `evaluation.calibrate`) and looked up
by the library for the model in use: first among the user's tables (`table_dir()`: the folder
`$SUMMARIZER_CALIBRATION`, else `calibration/` in the user's data folder), then among the tables
shipped with the package. A brief drawn by a model with no table is uncalibrated: its fields carry
only the model's own probabilities and are all flagged.

A table file holds one table or `{"tables": [...]}`; each table is JSON:

    {"strategy": "grounded", "prompt": "<prompt version>", "model": "<model name>",
     "dataset": ..., "cases": ..., "gold_digest": ..., "code": ..., "run": ..., "created": ...,
     "trusted": 0.95, "counts": {"metrics.kind": {"cue:market": [right, n], ...}, ...},
     "thresholds": {"metrics.kind": 0.93 | null, ...}, "held_out": {...}}
"""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError
from .text import write_atomic

ENV = "SUMMARIZER_CALIBRATION"
PACKAGED = ("summarizer.strategies.grounded", "calibration.json")


class CalibrationError(InputError):
    """A confidence table file that cannot be read."""


def table_dir() -> Path:
    """Where the user's tables live (and `summarizer calibrate` writes)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    from platformdirs import user_data_dir

    return Path(user_data_dir("summarizer")) / "calibration"


def table_id(table: dict[str, Any]) -> str:
    """A table as a brief names it: strategy, prompt version, model, and the data it was fitted on."""
    return (
        f"{table.get('strategy')} {table.get('prompt')} {table.get('model')}, "
        f"fitted on {table.get('dataset')} ({table.get('cases')} articles)"
    )


def _tables_in(text: str, where: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalibrationError(f"{where}: not a confidence table ({exc})") from None
    tables = data.get("tables", [data]) if isinstance(data, dict) else None
    if not isinstance(tables, list) or not all(isinstance(t, dict) and "counts" in t for t in tables):
        raise CalibrationError(f"{where}: not a confidence table (no counts)")
    return tables


def packaged_tables() -> list[dict[str, Any]]:
    path = resources.files(PACKAGED[0]).joinpath(PACKAGED[1])
    if not path.is_file():
        return []
    return _tables_in(path.read_text(encoding="utf-8"), PACKAGED[1])


def user_tables(folder: Path | None = None) -> list[dict[str, Any]]:
    folder = folder or table_dir()
    if not folder.is_dir():
        return []
    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        out += _tables_in(path.read_text(encoding="utf-8"), str(path))
    return out


def find_table(strategy: str, prompt: str, model: str) -> dict[str, Any] | None:
    """The table fitted for this strategy, prompt version and model (the user's before the
    package's); None when there is none."""
    for table in (*user_tables(), *packaged_tables()):
        if (table.get("strategy"), table.get("prompt"), table.get("model")) == (strategy, prompt, model):
            return table
    return None


def file_name(table: dict[str, Any]) -> str:
    """The file a table is written to in a table folder."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{table['strategy']}-{table['prompt']}-{table['model']}")
    return f"{slug}.json"


def write_table(table: dict[str, Any], out: Path | None = None) -> Path:
    """Write `table`: into `out` (a file: replacing the table of the same strategy, prompt and model
    among its tables, or a folder), else into the user's table folder. Returns the file written."""
    target = out if out is not None else table_dir()
    if target.suffix != ".json":
        target = target / file_name(table)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, json.dumps(table, indent=1) + "\n")
        return target
    key = (table["strategy"], table["prompt"], table["model"])
    kept = []
    if target.is_file():
        kept = [
            t
            for t in _tables_in(target.read_text(encoding="utf-8"), str(target))
            if (t.get("strategy"), t.get("prompt"), t.get("model")) != key
        ]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps({"tables": [*kept, table]}, indent=1) + "\n")
    return target
