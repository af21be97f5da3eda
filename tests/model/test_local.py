"""Assembling the embedded model: concatenated parts, verified hash, cached once, mismatch refused."""

from __future__ import annotations

import hashlib

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
