"""Writing files, at the edge: the one writer behind ``-o`` and :func:`write_terraform_json`.

A file is never written in place. The text goes to a temporary file in the target's own folder,
which is flushed to disk and then renamed over the target (``os.replace``, atomic on POSIX and
Windows within one file system), so a failed write (a full disk, a size limit, an interrupt)
leaves the old file whole, never a truncated one, and the temporary file is removed.

- Permissions: a replaced file keeps its mode; a new one gets the usual ``0o666`` less the
  umask (not the ``0o600`` of a temporary file).
- A symbolic link is followed: the file it points to is replaced, the link stays.
- A target that exists but is no regular file (``/dev/null``, a named pipe, a terminal) is
  written in place, since renaming over it would replace the device.
- The folder must exist unless ``make_folders`` is given.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class MissingFolderError(FileNotFoundError):
    """The folder a file would go into does not exist (and was not to be made)."""


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, make_folders: bool = False
) -> Path:
    """Write ``data`` (text is encoded as UTF-8, line endings kept) to ``path`` through a
    temporary file renamed over it; return the path written. Raises :class:`OSError` (with
    :class:`MissingFolderError` for a missing folder) and leaves any old file as it was."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):  # a device or a pipe: no rename over it
        with open(target, "wb") as handle:
            handle.write(payload)
        return Path(path)
    folder = target.parent
    if not folder.is_dir():
        if not make_folders:
            raise MissingFolderError(2, f"the folder {folder} does not exist", str(folder))
        folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return Path(path)


__all__ = ["MissingFolderError", "write_atomic"]
