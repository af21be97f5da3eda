"""The embedded engine: llama.cpp's own server (the `xllamacpp` wheel) serving one GGUF on loopback.

`python -m summarizer.model.serve --model PATH --port N --dir DIR ...` loads the model, listens on
127.0.0.1:N (OpenAI-compatible `/v1/chat/completions` with `response_format` JSON schemas, `logprobs`
of generated tokens, a prompt cache per slot, parallel slots with continuous batching) and serves
while any process holding a lease uses it: a lease is a file `DIR/<pid>.lease` of a process that uses
the server. When no lease names a live process (its users ended, or were killed without running their
exit handlers), the server exits, so it never computes on the machine's cores for nobody, and one
server can outlive the command that started it while others use it. It decides to exit under the
folder's lock (`DIR/lock`, the one users take to find it) and removes `DIR/server.json` first, so a
user never finds a server that is about to go.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import time
from pathlib import Path

GRACE_S = 5.0  # a server with no live lease waits this long for a user before it exits
POLL_S = 1.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_leases(leases: Path) -> list[int]:
    """The pids of the lease files in `leases` whose process is alive (stale ones are removed)."""
    out = []
    for entry in leases.glob("*.lease"):
        try:
            pid = int(entry.stem)
        except ValueError:
            continue
        if alive(pid):
            out.append(pid)
        else:
            entry.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m summarizer.model.serve")
    ap.add_argument("--model", required=True)
    ap.add_argument("--alias", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ctx", type=int, required=True, help="context of one request, in tokens")
    ap.add_argument("--parallel", type=int, default=1, help="slots served at once (they share the KV cache)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dir", required=True, help="the server's folder: its lock, record and users' leases")
    args = ap.parse_args(argv)
    folder = Path(args.dir)

    import xllamacpp as xlc  # the engine loads only in the server process

    params = xlc.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_parallel = args.parallel
    params.kv_unified = True  # the slots share one cache: each request may use the whole context
    params.n_ctx = args.ctx * args.parallel
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.cache_prompt = True
    params.warmup = False
    server = xlc.Server(params)
    print(f"listening on {server.listening_address}", flush=True)
    idle_since: float | None = None
    while True:
        time.sleep(POLL_S)
        if live_leases(folder):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= GRACE_S:
            with (folder / "lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if live_leases(folder):
                    idle_since = None
                    continue
                (folder / "server.json").unlink(missing_ok=True)
                print("no process uses the server: exiting", flush=True)
                os._exit(0)  # under the lock: the engine's threads hold nothing worth a clean shutdown


if __name__ == "__main__":
    main()
