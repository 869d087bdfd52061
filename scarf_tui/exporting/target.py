"""Where an export writes, and the lock that keeps a second writer out.

An export to FILE writes FILE.part (events also keep FILE.part.json, the resume record) and
renames FILE.part to FILE only when the export is complete. Around all of it an exclusive
``flock`` on FILE.part.lock is held, so a second export to the same FILE is refused at once and
cannot touch the first one's files. The lock file is removed by its holder on the way out; a
writer that locked a file which was removed meanwhile notices (the path no longer names the
inode it locked) and tries again.

FILE itself must be a regular file or absent: a directory, device, FIFO or socket is refused,
and a symbolic link is refused unless the caller follows it on purpose (then the export goes
next to, and replaces, the file the link points to). Every file the export creates is opened
with O_NOFOLLOW, so a link planted at FILE.part cannot redirect the bytes.
"""

from __future__ import annotations

import errno
import fcntl
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from scarf_tui.exporting.errors import OutputBusy, OutputRefused


def part_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def sidecar_path(final: Path) -> Path:
    return final.with_name(final.name + ".part.json")


def lock_path(final: Path) -> Path:
    return final.with_name(final.name + ".part.lock")


@dataclass(frozen=True, slots=True)
class OutputFiles:
    """The files of one export to ``final`` (a followed link's target, when one was given)."""

    final: Path
    part: Path
    sidecar: Path
    lock: Path

    @classmethod
    def for_final(cls, final: Path) -> OutputFiles:
        return cls(final, part_path(final), sidecar_path(final), lock_path(final))


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "not a regular file"


def check_output(output: str | os.PathLike[str], *, follow_symlink: bool = False) -> OutputFiles:
    """The files an export to ``output`` uses, after checking it may be written.

    Raises OutputRefused when ``output`` is a directory, device, FIFO or socket, when its
    directory does not exist, or when it is a symbolic link and ``follow_symlink`` is False."""
    given = Path(output)
    if not str(output) or given.name in ("", ".", ".."):
        raise OutputRefused(f"The output {str(output)!r} is not a file name.", path=given)
    final = given
    try:
        info = os.lstat(given)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputRefused(f"The output {str(given)!r} cannot be checked: {reason}.", path=given) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        if not follow_symlink:
            raise OutputRefused(
                f"The output {str(given)!r} is a symbolic link; refusing to write through it.",
                path=given,
                symlink=True,
            )
        final = Path(os.path.realpath(given))
        try:
            info = os.stat(final)
        except FileNotFoundError:
            info = None  # a dangling link: the export creates the file it names
        except OSError as exc:
            raise OutputRefused(
                f"The link {str(given)!r} points to {str(final)!r}, which cannot be checked: {exc.strerror or exc}.",
                path=given,
            ) from None
    if info is not None and (kind := _kind(info.st_mode)) is not None:
        where = f"The output {str(given)!r}"
        if final != given:
            where = f"The link {str(given)!r} points to {str(final)!r}, which"
        raise OutputRefused(f"{where} is {kind}, not a regular file; give a file name.", path=given)
    parent = final.parent if str(final.parent) else Path(".")
    if not parent.is_dir():
        raise OutputRefused(f"The directory {str(parent)!r} for the output does not exist.", path=given)
    return OutputFiles.for_final(final)


@contextmanager
def locked_output(output: str | os.PathLike[str], *, follow_symlink: bool = False) -> Iterator[OutputFiles]:
    """Check ``output`` and hold the export lock for it while the block runs.

    Raises OutputRefused (see check_output) or OutputBusy when another export holds the lock.
    Nothing of the other export's files is touched in either case."""
    files = check_output(output, follow_symlink=follow_symlink)
    fd = _acquire(files)
    try:
        yield files
    finally:
        # Unlink while still holding the lock: a writer waiting on this inode then sees that the
        # path no longer names it and starts over on a fresh lock file.
        with suppress(FileNotFoundError):
            os.unlink(files.lock)
        os.close(fd)


def _acquire(files: OutputFiles) -> int:
    while True:
        try:
            fd = os.open(files.lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600)
        except OSError as exc:
            raise _refused(files.lock, exc) from None
        try:
            held = os.fstat(fd)
            if (kind := _kind(held.st_mode)) is not None:
                raise OutputRefused(
                    f"The lock file {str(files.lock)!r} is {kind}; remove it and try again.", path=files.lock
                )
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputBusy(
                    f"Another export is writing {str(files.final)!r} right now (it holds "
                    f"{files.lock.name}); wait for it to finish or export to another file.",
                    path=files.final,
                ) from None
            try:
                now = os.lstat(files.lock)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed the file between our open and our lock: try again


def _refused(path: Path, exc: OSError) -> OutputRefused:
    if exc.errno == errno.ELOOP:
        return OutputRefused(f"{str(path)!r} is a symbolic link; remove it and try again.", path=path)
    return OutputRefused(f"Could not create {str(path)!r}: {exc.strerror or exc}.", path=path)


def open_part(part: Path, *, keep: bool) -> io.FileIO:
    """FILE.part for reading and writing, never through a link and never a device or FIFO.

    keep=False starts a new, empty file (an old one is removed first, so a hard link or a file
    planted there is left alone); keep=True opens the existing one to resume it."""
    if not keep:
        try:
            os.unlink(part)
        except FileNotFoundError:
            pass
        except OSError as exc:  # a directory, or a directory we may not write
            raise _refused(part, exc) from None
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | (0 if keep else os.O_CREAT | os.O_EXCL)
    try:
        fd = os.open(part, flags, 0o666)
    except OSError as exc:
        raise _refused(part, exc) from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise OutputRefused(f"{str(part)!r} is {kind}; remove it and try again.", path=part)
        os.set_blocking(fd, True)
        return io.FileIO(fd, "r+")  # unbuffered: what is written is in the file
    except BaseException:
        os.close(fd)
        raise


class PartFile:
    """FILE.part of an events export, appended to window by window.

    Bytes collect in a buffer here and reach the file in ``commit`` (at the end of a window,
    with fsync) or when the buffer is large. ``rollback`` and ``close`` cut the file back to the
    last commit and drop the buffer, so a window that failed, was cancelled or met a full disk
    leaves nothing of itself behind, not even in a buffer that a later flush could write."""

    BUFFER_BYTES = 1 << 16

    def __init__(self, path: Path, *, keep: bool, offset: int) -> None:
        self._raw = open_part(path, keep=keep)
        self._buffer = bytearray()
        self.committed = offset
        self.offset = offset
        self._cut_back()

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def append(self, data: bytes) -> None:
        self._buffer += data
        self.offset += len(data)
        if len(self._buffer) >= self.BUFFER_BYTES:
            self._write_buffer()

    def commit(self) -> int:
        """Write what is buffered, sync it, and make it the point rollback returns to."""
        self._write_buffer()
        os.fsync(self._raw.fileno())
        self.committed = self.offset
        return self.committed

    def rollback(self) -> None:
        self._buffer.clear()
        self.offset = self.committed
        self._cut_back()

    def close(self) -> None:
        if self._raw.closed:
            return
        try:
            self.rollback()
        finally:
            self._raw.close()

    def _write_buffer(self) -> None:
        view = memoryview(self._buffer)
        try:
            while view:
                written = self._raw.write(view)
                if not written:  # a regular file takes at least one byte or raises; never spin
                    raise OSError(errno.EIO, "the file took no more bytes")
                view = view[written:]
        finally:
            view.release()
        self._buffer.clear()

    def _cut_back(self) -> None:
        os.ftruncate(self._raw.fileno(), self.committed)
        self._raw.seek(self.committed)


def write_new_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a fresh file at ``path`` (replacing what is there, never through a link)."""
    with suppress(FileNotFoundError):
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def read_regular_file(path: Path, *, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (not through a
    link, never blocking on a FIFO); None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return f.read(limit + 1)[:limit]


def unlink_quietly(path: Path) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


__all__ = [
    "OutputFiles",
    "PartFile",
    "check_output",
    "lock_path",
    "locked_output",
    "open_part",
    "part_path",
    "read_regular_file",
    "sidecar_path",
    "unlink_quietly",
    "write_new_file",
]
