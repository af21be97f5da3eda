"""Sentence embeddings for `tools.decisions --embeddings`: every sentence `find()` splits in each
article of the given datasets, embedded by an OpenAI-compatible `/v1/embeddings` endpoint, or by the
embedded GGUF served by llama.cpp's own server in embedding mode (mean pooling) when no endpoint is
given. Rows are L2-normalised, one array per article named "<dataset folder name>__<case id>".

    python -m tools.embed_sentences evals/gold evals/test --out EMB.npz [--base-url URL --model NAME]

Run it with the machine's cores to itself: it is a second llama.cpp server beside any other.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BATCH = 16  # inputs per request
PARALLEL = 4
CTX_PER_SLOT = 2048  # a sentence is far shorter


def serve(gguf: str, alias: str, port: int, threads: int) -> None:
    """llama.cpp's server in embedding mode (runs until killed)."""
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = gguf
    params.model_alias = {alias}
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_parallel = PARALLEL
    params.kv_unified = True
    params.n_ctx = CTX_PER_SLOT * PARALLEL
    params.n_batch = params.n_ubatch = CTX_PER_SLOT  # an input must fit in one physical batch
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.warmup = False
    params.embedding = True
    params.pooling_type = xlc.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    xlc.Server(params)
    while True:
        time.sleep(3600)


def _ready(base_url: str, timeout: float = 300.0) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no embeddings endpoint answered at {base_url}")


def embed(datasets: list[str], out: Path, base_url: str, model: str) -> dict[str, float]:
    import numpy as np
    from openai import OpenAI

    from summarizer.evaluation import load_dataset
    from summarizer.finding import find

    client = OpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "none"), timeout=600)
    arrays, tokens, sentences, start = {}, 0, 0, time.monotonic()
    for folder in datasets:
        for case in load_dataset(folder):
            texts = find(case.article.text, case.article.published).sentences
            rows: list[list[float]] = []
            for i in range(0, len(texts), BATCH):
                r = client.embeddings.create(model=model, input=texts[i : i + BATCH], encoding_format="float")
                rows += [d.embedding for d in sorted(r.data, key=lambda d: d.index)]
                tokens += r.usage.prompt_tokens if r.usage else 0
            m = np.asarray(rows, dtype=np.float32)
            arrays[f"{Path(folder).name}__{case.id}"] = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
            sentences += len(texts)
    np.savez(out, **arrays)
    wall = time.monotonic() - start
    return {"sentences": sentences, "tokens": tokens, "wall_s": round(wall, 1), "tokens_per_s": round(tokens / wall, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--base-url", help="an OpenAI-compatible endpoint with /embeddings (default: the embedded GGUF)")
    ap.add_argument("--model", help="its model name")
    ap.add_argument("--serve", nargs=3, metavar=("GGUF", "ALIAS", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve[0], args.serve[1], int(args.serve[2]), os.cpu_count() or 1)
        return 0
    if args.base_url:
        print(embed(args.datasets, args.out, args.base_url, args.model or "default"))
        return 0
    from summarizer.model.local import _free_port, embedded_model_name, resolve_gguf

    port, alias = _free_port(), embedded_model_name()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tools.embed_sentences", "x", "--out", "x", "--serve", str(resolve_gguf()), alias, str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}/v1"
        _ready(base_url)
        print(embed(args.datasets, args.out, base_url, alias))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
