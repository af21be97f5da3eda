"""Assembling the embedded model: concatenated parts, verified hash, cached once, mismatch refused."""

from __future__ import annotations

import hashlib
import os

import pytest

from summarizer import LocalModelError
from summarizer.model import local


def _parts(tmp_path, chunks):
    paths = []
    for i, chunk in enumerate(chunks, 1):
        p = tmp_path / f"part{i:02d}.bin"
        p.write_bytes(chunk)
        paths.append(p)
    return paths


def test_parts_are_concatenated_in_order_verified_and_cached(tmp_path):
    chunks = [b"GGUF", b"-middle-", b"end"]
    sha = hashlib.sha256(b"".join(chunks)).hexdigest()
    parts = _parts(tmp_path, chunks)
    out = local.assemble_model(tmp_path / "cache", parts=parts, expected_sha256=sha, filename="m.gguf")
    assert out.read_bytes() == b"GGUF-middle-end"
    assert (tmp_path / "cache" / "m.sha256").read_text().strip() == sha
    for p in parts:  # a second call trusts the verified file and reads no part
        p.unlink()
    assert local.assemble_model(tmp_path / "cache", parts=parts, expected_sha256=sha, filename="m.gguf") == out


def test_a_hash_mismatch_is_refused_and_leaves_nothing(tmp_path):
    parts = _parts(tmp_path, [b"corrupt"])
    with pytest.raises(LocalModelError, match="expected 0000"):
        local.assemble_model(tmp_path / "cache", parts=parts, expected_sha256="0" * 64, filename="m.gguf")
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_real_parts_are_installed_and_add_up_to_the_published_size():
    sizes = [local._part_path(i).stat().st_size for i in range(1, local.MODEL_PARTS + 1)]
    assert sum(sizes) == local.MODEL_SIZE


def test_summarizer_gguf_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_GGUF", str(tmp_path / "missing.gguf"))
    with pytest.raises(LocalModelError, match="is not a file"):
        local.resolve_gguf()


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    assert local.cache_dir() == tmp_path


def test_a_lease_counts_only_while_its_process_lives(tmp_path):
    import subprocess
    import sys

    from summarizer.model import serve

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / f"{os.getpid()}.lease").touch()
    (tmp_path / f"{int(gone.stdout)}.lease").touch()  # a process that has ended
    (tmp_path / "server.json").write_text("{}")
    assert serve.live_leases(tmp_path) == [os.getpid()]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{os.getpid()}.lease", "server.json"]  # stale one gone


def test_a_running_server_recorded_for_the_same_model_is_found_not_started_again(tmp_path, monkeypatch):
    # A loopback HTTP server stands in for the embedded one: what is tested is the finding, under the
    # lock, of the record another process wrote, and the lease this process then holds.
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Models(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"data": []}')

        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    with ThreadingHTTPServer(("127.0.0.1", 0), Models) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        server = local.LocalServer(gguf, n_ctx=4096, parallel=2)
        folder = server._folder(gguf)
        port = httpd.server_address[1]
        (folder / "server.json").write_text(json.dumps({"pid": os.getpid(), "port": port}))
        server.start()
        try:
            assert (server.reused, server.port, server.base_url) == (True, port, f"http://127.0.0.1:{port}/v1")
            assert (folder / f"{os.getpid()}.lease").exists()
            other = local.LocalServer(gguf, n_ctx=8192, parallel=2)  # another context: another server
            assert other._folder(gguf) != folder
        finally:
            server.close()
            httpd.shutdown()
    assert not (folder / f"{os.getpid()}.lease").exists()  # given up: the server may go when no one else uses it
    assert (folder / "server.json").exists()  # a shared server is not stopped by one of its users
