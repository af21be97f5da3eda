"""Record the batch fixture: the seed and one short gold article briefed through batch files, each
request answered by the embedded model, one at a time, as a batch engine would answer it.

    python -m tools.record_batch [--out tests/fixtures/batch]

Writes OUT/articles/ (copies of the two articles), OUT/requests.jsonl and its manifest, and
OUT/results-1.jsonl, OUT/results-2.jsonl, ... until no request is left: each round's requests come
from `read_results()` over the outputs so far, as `summarizer batch read --next` writes them.
`tests/test_batchfile.py` replays these files with no model.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from summarizer.batchfile import read_results, write_requests
from summarizer.model.local import shared_server
from summarizer.text import write_atomic

ARTICLES = ("examples/alibaba-2026-01-04.txt", "evals/gold/articles/reutersnews-0024.txt")
MAX_ROUNDS = 4


def answer(client: httpx.Client, base_url: str, lines: list[dict]) -> str:
    """Each request sent to the server in turn; its response as a batch output line."""
    out = []
    for n, line in enumerate(lines, 1):
        r = client.post(f"{base_url}/chat/completions", json=line["body"])
        body = r.json()
        error = None if r.status_code == 200 else {"code": str(r.status_code), "message": json.dumps(body)}
        out.append({"id": f"batch_req_{n}", "custom_id": line["custom_id"],
                    "response": {"status_code": r.status_code, "request_id": f"req_{n}", "body": body},
                    "error": error})  # fmt: skip
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tests/fixtures/batch")
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    (out / "articles").mkdir(parents=True)
    for a in ARTICLES:
        shutil.copy(a, out / "articles")
    requests = out / "requests.jsonl"
    written = write_requests(out / "articles", requests)
    print(f"{written.requests} requests for {', '.join(written.articles)}")
    base_url = shared_server().base_url
    outputs: list[Path] = []
    todo = requests
    t0 = time.perf_counter()
    with httpx.Client(timeout=600) as client, tempfile.TemporaryDirectory() as briefs:
        for n in range(1, MAX_ROUNDS + 1):
            lines = [json.loads(x) for x in todo.read_text(encoding="utf-8").splitlines()]
            output = out / f"results-{n}.jsonl"
            write_atomic(output, answer(client, base_url, lines))
            outputs.append(output)
            print(f"round {n}: {len(lines)} requests answered, {time.perf_counter() - t0:.0f} s so far")
            todo = Path(briefs) / "next.jsonl"
            result = read_results(out / "articles", requests, outputs, Path(briefs), next_requests=todo)
            if not result.next_requests:
                print(f"briefed {result.done}, failed {result.failed}")
                return
    print(f"requests still left after {MAX_ROUNDS} rounds")


if __name__ == "__main__":
    main()
