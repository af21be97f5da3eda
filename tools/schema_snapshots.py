"""Write the JSON Schema snapshots: `python -m tools.schema_snapshots` (run by `make schema`)."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.schema import Brief
from summarizer.strategies.single import BriefDraft


def main(root: Path = Path()) -> None:
    brief = json.dumps(Brief.model_json_schema(), indent=2) + "\n"
    draft = json.dumps(BriefDraft.model_json_schema(), indent=2) + "\n"
    (root / "tests" / "snapshots" / "brief.schema.json").write_text(brief)
    (root / "tests" / "snapshots" / "brief_draft.schema.json").write_text(draft)
    (root / "evals" / "gold" / "brief.schema.json").write_text(brief)


if __name__ == "__main__":
    main()
