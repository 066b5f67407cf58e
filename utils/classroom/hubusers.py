"""One Unix account per hub user, as The Littlest JupyterHub does it (``tljh/user.py``,
``tljh/normalize.py``): hub user ``amy`` runs as the system user ``jupyter-amy`` whose home is 0700.

Used by :mod:`utils.classroom.hub` (the hub's configuration).  The hub runs as root; every learner's
(and the teacher's) server and kernels run as their own account, never as root and never as the
hub's user.  Needs ``jupyterhub`` and ``jupyterhub-firstuseauthenticator`` (hub side only).
"""
from __future__ import annotations

import hashlib
import os
import pwd
import subprocess
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Bool, Unicode

#: useradd and friends live in /usr/sbin, which a hub started with a minimal PATH may lack
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
#: a Unix user name holds at most 32 characters; TLJH cuts long ones to 26 plus a 5-character hash
MAX_SYSTEM_NAME = 26


def system_username(name: str, prefix: str = "jupyter-") -> str:
    """``prefix + name``, cut to 26 characters plus ``-`` and a 5-character hash when longer."""
    sysname = prefix + name
    if len(sysname) <= MAX_SYSTEM_NAME:
        return sysname
    digest = hashlib.sha256(sysname.encode()).hexdigest()[:5]
    return f"{sysname[:MAX_SYSTEM_NAME]}-{digest}"


def ensure_system_user(sysname: str, home_base: str = "") -> pwd.struct_passwd:
    """Create ``sysname`` (home 0700, own group) unless it exists; returns its passwd entry."""
    try:
        return pwd.getpwnam(sysname)
    except KeyError:
        pass
    cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group"]
    if home_base:
        cmd += ["--base-dir", home_base]
    subprocess.run(cmd + [sysname], check=True, env={"PATH": SYSTEM_PATH}, capture_output=True)
    entry = pwd.getpwnam(sysname)
    os.chmod(entry.pw_dir, 0o700)  # TLJH: chmod o-rwx; group access goes too
    return entry


def chown_tree(path: Path, uid: int, gid: int) -> None:
    """Give ``path`` and everything under it to ``uid:gid`` (symbolic links themselves, never their targets)."""
    os.chown(path, uid, gid, follow_symlinks=False)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)


class RosterFirstUseAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator (each learner sets a password at first login) limited to the roster.

    The stock class stores the first password typed for *any* name before the roster is checked,
    so a stranger could claim a name the teacher adds later; names outside ``allowed_users`` and
    ``admin_users`` are refused here before anything is stored.  ``add_user`` (called by the hub
    for every roster user at start, when an admin adds a user, and at a first login) creates the
    user's Unix account, so it exists before the first spawn."""

    system_user_prefix = Unicode("jupyter-", config=True, help="prefix of the Unix account names")
    home_base = Unicode("", config=True, help="parent folder of the homes (default: useradd's, /home)")
    create_system_users = Bool(True, config=True, help="False only in the hub's development mode")

    def add_user(self, user):
        if self.create_system_users:
            ensure_system_user(system_username(user.name, self.system_user_prefix), self.home_base)
        return super().add_user(user)

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        if name not in self.allowed_users and name not in self.admin_users:
            return None
        return await super().authenticate(handler, data)


class UnixUserSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that starts hub user ``<name>`` as Unix user ``jupyter-<name>``
    (LocalProcessSpawner uses the hub name for ``setuid`` and for HOME/SHELL: both are remapped)."""

    system_user_prefix = Unicode("jupyter-", config=True, help="prefix of the Unix account names")
    home_base = Unicode("", config=True, help="parent folder of the homes (default: useradd's, /home)")

    @property
    def system_user(self) -> str:
        return system_username(self.user.name, self.system_user_prefix)

    def passwd(self) -> pwd.struct_passwd:
        # idempotent: also covers an account deleted since add_user
        return ensure_system_user(self.system_user, self.home_base)

    def make_preexec_fn(self, name):
        return super().make_preexec_fn(self.system_user)

    def user_env(self, env):
        entry = self.passwd()
        env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL=entry.pw_shell)
        return env

    async def start(self):
        self.passwd()
        return await super().start()
