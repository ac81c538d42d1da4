"""File handling shared by every writer: atomic replacement."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import BerkasTidakDapatDipakai


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers see the old file
    or the new one, never half of one. Keeps the target's permissions; a
    symbolic link is written through to its target (the link stays); a
    read-only file is refused, not replaced."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if not mode & 0o222:
            raise BerkasTidakDapatDipakai(
                f"Berkas '{path}' bersifat hanya-baca, jadi tidak ditimpa. Hapus sifat hanya-baca "
                "(Properti > Read-only) bila memang boleh diubah, atau tulis ke berkas lain."
            )
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=".~iku-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


_REASONS = {
    errno.EACCES: "izin ditolak; periksa hak tulis folder atau berkasnya",
    errno.EPERM: "izin ditolak; periksa hak tulis folder atau berkasnya",
    errno.ENOSPC: "disk penuh",
    errno.EROFS: "disk atau folder hanya dapat dibaca",
    errno.ENOENT: "folder atau berkas tidak ada",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.ENOTDIR: "sebagian jalurnya berkas, bukan folder",
    errno.ENAMETOOLONG: "nama atau jalurnya terlalu panjang",
    errno.EEXIST: "sudah ada berkas dengan nama itu, bukan folder",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Bahasa Indonesia (no English strerror)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"galat sistem {exc.errno}" if exc.errno else "galat sistem"
