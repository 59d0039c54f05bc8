"""One bounded reader for files a user names: a scenario file, a data folder's files.

A path given on the command line or in $PLANNER_DATA_DIR may be anything: a folder, a
named pipe that blocks forever, /dev/zero that never ends, a symlink loop. `read_bounded`
reads only regular files and never more than `limit + 1` bytes, and every refusal is one
`UnreadableFile` whose message is a plain sentence, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat

from planner.messages import Wording, message, worded
from planner.scenario import shorten
from planner.schema import Figure

PATH_SHOWN = 120  # characters of a path quoted in a message: enough to recognise it, one line

# Why a path cannot be opened, in words; anything else falls back to the system's own text.
REASONS = {
    errno.ENOENT: message("data_file_missing"),
    errno.EACCES: message("data_permission_denied"),
    errno.EPERM: message("data_permission_denied"),
    errno.ELOOP: message("data_symlink_loop"),
    errno.ENOTDIR: message("data_path_not_folder"),
    errno.ENAMETOOLONG: message("data_path_too_long"),
    errno.ENXIO: message("data_not_regular"),
}
KINDS = (
    (stat.S_ISDIR, message("data_is_folder")),
    (stat.S_ISFIFO, message("data_is_fifo")),
    (stat.S_ISCHR, message("data_is_character_device")),
    (stat.S_ISBLK, message("data_is_block_device")),
    (stat.S_ISSOCK, message("data_is_socket")),
)


class UnreadableFile(ValueError):
    """A path that cannot be read as a file; `reason` is the sentence without the path, in
    English, and `wording` the same in any language (`text(lang)` gives the whole message)."""

    def __init__(self, path: os.PathLike[str] | str, reason: Wording):
        super().__init__(f"{show_path(path)}: {reason}")
        self.path, self.reason, self.wording = path, str(reason), reason

    def text(self, lang: str) -> str:
        return f"{show_path(self.path)}: {worded(self.wording, lang)}"


def show_path(path: os.PathLike[str] | str) -> str:
    """A path as it may appear in a one-line message (control characters become "?")."""
    return shorten(os.fspath(path), PATH_SHOWN)


def os_reason(error: OSError) -> Wording:
    """Why the system refused, in words; an error without words of ours keeps the system's."""
    return REASONS.get(error.errno or 0) or (error.strerror or str(error)).lower()


def _kind(mode: int) -> Wording | None:
    """Why a file of this mode is refused, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((reason for test, reason in KINDS if test(mode)), message("data_not_regular"))


def read_bounded(path: os.PathLike[str] | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises UnreadableFile otherwise."""
    try:
        content = _read(path, limit)
    except OSError as error:
        raise UnreadableFile(path, os_reason(error)) from None
    except UnreadableFile:
        raise
    except ValueError:
        # os.stat refuses a path with a NUL character or one the file system cannot encode.
        raise UnreadableFile(path, message("data_invalid_path")) from None
    if len(content) > limit:
        raise UnreadableFile(path, message("data_larger_than_limit", limit=Figure(limit)))
    return content


def _read(path: os.PathLike[str] | str, limit: int) -> bytes:
    # stat first (it follows symlinks): a device or a FIFO is refused without opening it,
    # since opening one may block (a FIFO without a writer) or have side effects.
    refused = _kind(os.stat(path).st_mode)
    if refused:
        raise UnreadableFile(path, refused)
    # O_NONBLOCK: if the path is swapped for a FIFO after the stat, open still returns.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as file:
        info = os.fstat(file.fileno())
        refused = _kind(info.st_mode)  # what was opened, which may not be what was checked
        if refused:
            raise UnreadableFile(path, refused)
        if info.st_size > limit:
            raise UnreadableFile(path, message("data_too_large", size=Figure(info.st_size), limit=Figure(limit)))
        return file.read(limit + 1)  # one byte more tells a file that grew past the limit
