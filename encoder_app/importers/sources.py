"""Turning paths the user gives (files, folders, zips, .gz) into SourceFile objects."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from encoder_app.errors import ImportFailed
from encoder_app.importers.base import SourceFile

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def _sha256_of(stream) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _source(name: str, open_raw) -> SourceFile:
    """A source over a raw opener; gzip content is decompressed transparently."""
    with open_raw() as raw:
        sha, size = _sha256_of(raw)
    with open_raw() as raw:
        magic = raw.read(2)
    if magic == GZIP_MAGIC:
        def opener():
            return gzip.GzipFile(fileobj=open_raw())
    else:
        opener = open_raw
    with opener() as stream:
        try:
            head = stream.read(HEAD_BYTES)
        except (OSError, EOFError) as exc:
            raise ImportFailed(name, None, f"cannot be read: {exc}") from None
    return SourceFile(name=name, open_binary=opener, sha256=sha, size=size, head=head)


def _zip_members(path: Path) -> Iterator[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFailed(path.name, None, f"is not a readable zip file ({exc})") from None
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or "__MACOSX" in info.filename:
                continue
            data = archive.read(info)  # members are small enough; lets the zip close early
            yield _source(f"{path.name}/{info.filename}", lambda d=data: io.BytesIO(d))


def expand(paths: list[Path]) -> Iterator[tuple[SourceFile, bool]]:
    """Every source under the given paths, with whether the user named it directly.

    Files found inside folders or zips that are no release are skipped quietly; a file the user
    named directly that no importer knows is an error.
    """
    for path in paths:
        if not path.exists():
            raise ImportFailed(str(path), None, "no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _expand_file(child, direct=False)
        else:
            yield from _expand_file(path, direct=True)


def _is_archive(path: Path) -> bool:
    """A zip of release files; an .xlsx workbook is a zip too, but it is one file."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" not in archive.namelist()


def _expand_file(path: Path, direct: bool) -> Iterator[tuple[SourceFile, bool]]:
    if _is_archive(path):
        for member in _zip_members(path):
            yield member, False
    else:
        yield _source(path.name, lambda p=path: open(p, "rb")), direct
