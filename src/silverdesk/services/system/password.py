"""An optional password asked when the app opens (issue #7).

Stored in the ``setting`` table as ``pbkdf2_sha256$<iterations>$<salt>$<hash>`` (base64; a
16-byte random salt; PBKDF2-HMAC-SHA256 from :mod:`hashlib`), compared in constant time.  The
iteration count is stored with the hash, so raising :data:`ITERATIONS` later does not lock
anyone out.

What it protects: the app's window against a passer-by at an unattended PC.  What it does not:
the database file itself is not encrypted; anyone who can copy the file can read it with other
tools (see ``docs/privacy.md``).  Keep the PC's own login password, and the backups' folder,
under control as well.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from silverdesk.db.models import Setting
from silverdesk.errors import UserError
from silverdesk.services.base import Context, audit

SETTING = "app_password"
SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 for PBKDF2-HMAC-SHA256; ~0.25 s on the office PCs we measured
MIN_ITERATIONS = 200_000
SALT_BYTES = 16
MIN_LENGTH = 6


class WrongPassword(UserError):
    code = "wrong_password"

    def __init__(self) -> None:
        super().__init__("密码不对，请重新输入（注意大小写和输入法）")


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """The stored form of ``password``."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return "$".join(
        (SCHEME, str(iterations), base64.b64encode(salt).decode(), base64.b64encode(digest).decode())
    )


def check_password(password: str, stored: str) -> bool:
    """Does ``password`` match ``stored``?  Malformed stored values never match."""
    try:
        scheme, iterations_text, salt_text, digest_text = stored.split("$")
        iterations = int(iterations_text)
        salt = base64.b64decode(salt_text, validate=True)
        expected = base64.b64decode(digest_text, validate=True)
    except ValueError:
        return False
    if scheme != SCHEME or iterations < MIN_ITERATIONS or not expected:
        return False
    actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(actual, expected)


class AppPasswordService:
    """Set, verify, change and remove the opening password."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def is_set(self) -> bool:
        return bool(self._stored())

    def verify(self, password: str) -> bool:
        """True when no password is set or ``password`` is right."""
        stored = self._stored()
        return True if not stored else check_password(password, stored)

    def set(self, new: str, *, current: str | None = None) -> None:
        """Set or change the password; changing needs the current one.

        Raises:
            WrongPassword: a password is set and ``current`` does not match it.
            UserError: ``new`` is shorter than 6 characters or only spaces.
        """
        self._require(current)
        if len(new) < MIN_LENGTH or not new.strip():
            raise UserError(f"密码至少 {MIN_LENGTH} 位，不能全是空格")
        changed = self.is_set()
        self._write(hash_password(new), "修改开机密码" if changed else "设置开机密码")

    def remove(self, current: str) -> None:
        """Remove the password (the app opens without asking).

        Raises:
            WrongPassword: ``current`` does not match.
        """
        if not self.is_set():
            return
        self._require(current)
        self._write("", "取消开机密码")

    def _require(self, current: str | None) -> None:
        stored = self._stored()
        if stored and (current is None or not check_password(current, stored)):
            raise WrongPassword()

    def _stored(self) -> str:
        with self.ctx.db.reader() as session:
            row = session.get(Setting, SETTING)
            return row.value if row else ""

    def _write(self, value: str, summary: str) -> None:
        with self.ctx.db.session() as session:
            row = session.get(Setting, SETTING)
            if row is None:
                session.add(Setting(key=SETTING, value=value))
            else:
                row.value = value
            audit(session, self.ctx, "修改", "setting", None, summary)  # never the hash itself
