"""Turning paths the user gives (files, folders, zips, .gz) into SourceFile objects.

A file from the user may be damaged or hostile: a zip with a broken directory, a member with a
bad checksum or a password, a gzip with junk after its header, a member that unpacks to
gigabytes. Each becomes an ImportFailed naming the file and what is wrong, and members are
streamed, never read whole, so a zip bomb cannot fill memory before it is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from encoder_app.errors import ImportFailed
from encoder_app.importers.base import SourceFile

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20

#: The largest official file unpacks to about 200 MB (the NCCI PTP table as text); nothing a
#: coder imports comes near 2 GiB.
MAX_UNPACKED = 2 << 30
#: Release text packs 5 to 30 times; a member that unpacks over 200 times its packed size and
#: to more than 64 MB is a zip bomb, not a release.
MAX_RATIO = 200
RATIO_FROM = 64 << 20

#: What a damaged archive or compressed stream raises while it is read.
_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
            NotImplementedError, RuntimeError)


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB" if n < (1 << 30) else f"{n / (1 << 30):,.1f} GB"


def too_big(packed: int, unpacked: int) -> str | None:
    """Why a compressed member of `packed` bytes that unpacks to `unpacked` is refused."""
    if unpacked > MAX_UNPACKED:
        return (f"unpacks to {_mb(unpacked)}, more than any release file "
                f"(at most {_mb(MAX_UNPACKED)}); refused as a possible zip bomb")
    if unpacked > RATIO_FROM and unpacked > MAX_RATIO * max(packed, 1):
        return (f"unpacks from {_mb(packed)} to {_mb(unpacked)} ({unpacked // max(packed, 1):,} "
                f"times), out of all proportion to a release file; refused as a possible "
                f"zip bomb")
    return None


def _damaged(name: str, exc: BaseException) -> ImportFailed:
    if isinstance(exc, RuntimeError) and "password" in str(exc).lower():
        return ImportFailed(name, None, "is encrypted (password-protected); unzip it yourself "
                                        "and import the files inside")
    kind = "a compressed stream" if isinstance(exc, (zlib.error, gzip.BadGzipFile, EOFError)) \
        else "the file"
    detail = str(exc) or type(exc).__name__
    return ImportFailed(name, None, f"is damaged and cannot be read ({kind}: {detail})")


def _scan(name: str, open_stream: Callable[[], IO[bytes]], packed: int,
          hashed: bool = True) -> tuple[str, int]:
    """SHA-256 and size of a stream, read in chunks and stopped at the zip-bomb limit."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open_stream() as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                if hashed:
                    digest.update(chunk)
                size += len(chunk)
                why = too_big(packed, size)
                if why:
                    raise ImportFailed(name, None, why)
    except _DAMAGED as exc:
        raise _damaged(name, exc) from None
    return digest.hexdigest(), size


def _source(name: str, open_raw: Callable[[], IO[bytes]], packed: int) -> SourceFile:
    """A source over a raw opener; gzip content is decompressed transparently.

    The whole content is read once here, so a damaged stream fails now, with the file's name,
    and not halfway through an import. The hash is of the file as given (a .gz file's hash is
    of its compressed bytes), so a file loaded by an earlier version is still recognised.
    """
    sha, size = _scan(name, open_raw, packed)
    try:
        with open_raw() as raw:
            magic = raw.read(2)
    except _DAMAGED as exc:
        raise _damaged(name, exc) from None
    if magic == GZIP_MAGIC:
        def opener():
            return gzip.GzipFile(fileobj=open_raw())
        _scan(name, opener, size, hashed=False)  # junk after a valid header fails here
    else:
        opener = open_raw
    try:
        with opener() as stream:
            head = stream.read(HEAD_BYTES)
    except _DAMAGED as exc:
        raise _damaged(name, exc) from None
    return SourceFile(name=name, open_binary=opener, sha256=sha, size=size, head=head)


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except Exception as exc:  # noqa: BLE001 (a damaged directory raises anything: struct,
        # index, overflow, "zip file version 6.4" errors; each means the same to the user)
        detail = str(exc) or type(exc).__name__
        raise ImportFailed(path.name, None, f"is not a readable zip file ({detail})") from None


def _member_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        # The member stream keeps the archive's file open until it is closed itself.
        archive = zipfile.ZipFile(path)
        try:
            return archive.open(member)
        finally:
            archive.close()
    return opener


def _zip_members(path: Path) -> Iterator[SourceFile]:
    with _open_zip(path) as archive:
        infos = sorted(archive.infolist(), key=lambda i: i.filename)
    for info in infos:
        if not info.filename:
            raise ImportFailed(path.name, None, "is not a readable zip file (a member has no "
                                                "name: the directory is damaged)")
        if info.is_dir() or "__MACOSX" in info.filename:
            continue
        # A member name is only ever shown, never used as a path: nothing is unpacked to disk,
        # so "../../x" cannot write outside the data folder.
        name = f"{path.name}/{info.filename}"
        if info.flag_bits & 0x1:
            raise ImportFailed(name, None, "is encrypted (password-protected); unzip it "
                                           "yourself and import the files inside")
        why = too_big(info.compress_size, info.file_size)
        if why:
            raise ImportFailed(name, None, why)
        yield _source(name, _member_opener(path, info.filename), info.compress_size)


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
    try:
        if not zipfile.is_zipfile(path):
            return False
    except OSError as exc:
        raise ImportFailed(path.name, None, f"cannot be read ({exc.strerror or exc})") from None
    with _open_zip(path) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return True
        # A workbook is read by openpyxl, which unpacks its parts whole: check them first.
        for info in archive.infolist():
            why = too_big(info.compress_size, info.file_size)
            if why:
                raise ImportFailed(f"{path.name}/{info.filename}", None, why)
        return False


def _expand_file(path: Path, direct: bool) -> Iterator[tuple[SourceFile, bool]]:
    if _is_archive(path):
        for member in _zip_members(path):
            yield member, False
    else:
        try:
            packed = path.stat().st_size
        except OSError as exc:
            raise ImportFailed(path.name, None, f"cannot be read ({exc.strerror or exc})") \
                from None
        yield _source(path.name, lambda p=path: open(p, "rb"), packed), direct
