"""PEP 517 build backend: whool, run from a folder named after the addon.

whool, like all OCA tooling, takes the addon name from the folder the addon
is built from. This repository *is* the addon, so a checkout may have any
name: when it is not ``food_order_center``, the tree (with its git index,
which whool uses to list the files to package) is copied into a temporary
folder of that name and whool builds from there.

whool packages every file git tracks; the wheel is then stripped of the
repository's development files (``tools/``, ``Makefile``, ``.ci/``, lint
configurations, ...): it holds the addon only. Kept at the root: the folders
(``models/``, ``views/``, ``static/`` ...) but ``tools/`` and hidden ones, and
the files ``__manifest__.py``, ``__init__.py``, ``README*`` and ``LICENSE*``.
The sdist keeps everything, since ``pyproject.toml`` and this backend are
needed to build the wheel from it.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextlib
import csv
import fnmatch
import functools
import io
import os
import shutil
import tempfile
import zipfile

from whool import buildapi

ADDON = "food_order_center"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# what the wheel keeps of the repository's root (see the module docstring)
ROOT_FILES = ("__manifest__.py", "__init__.py", "README*", "LICENSE*")
DEV_FOLDERS = ("tools",)


@contextlib.contextmanager
def _addon_dir():
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        addon_dir = ROOT
        if os.path.basename(ROOT) != ADDON:
            addon_dir = os.path.join(tmp, ADDON)
            shutil.copytree(ROOT, addon_dir, symlinks=True)
        os.chdir(addon_dir)
        try:
            yield
        finally:
            os.chdir(cwd)


def _from_addon_dir(hook):
    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        with _addon_dir():
            return hook(*args, **kwargs)

    return wrapper


def _in_addon(path):
    """Whether a path of the wheel belongs to the addon (see ROOT_FILES)."""
    prefix = f"odoo/addons/{ADDON}/"
    if not path.startswith(prefix):
        return True  # the wheel's metadata
    head, sep, rest = path[len(prefix) :].partition("/")
    if "__pycache__" in (head, *rest.split("/")):
        return False  # built from a folder that is not a git checkout
    if sep:
        return not head.startswith(".") and head not in DEV_FOLDERS
    return any(fnmatch.fnmatchcase(head, pattern) for pattern in ROOT_FILES)


def _strip_wheel(wheel_path):
    """Rewrite the wheel without the repository's development files."""
    stripped = wheel_path + ".tmp"
    with (
        zipfile.ZipFile(wheel_path) as src,
        zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if not _in_addon(info.filename):
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                rows = csv.reader(io.StringIO(data.decode()))
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(
                    row for row in rows if row and _in_addon(row[0])
                )
                data = out.getvalue().encode()
            dst.writestr(info, data)
    os.replace(stripped, wheel_path)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with _addon_dir():
        name = buildapi.build_wheel(
            wheel_directory, config_settings, metadata_directory
        )
    _strip_wheel(os.path.join(wheel_directory, name))
    return name


build_sdist = _from_addon_dir(buildapi.build_sdist)
prepare_metadata_for_build_wheel = _from_addon_dir(
    buildapi.prepare_metadata_for_build_wheel
)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    if os.path.basename(ROOT) != ADDON:
        raise RuntimeError(
            f"An editable install links the checkout itself: clone it into a "
            f"folder named {ADDON!r} (or make a non-editable install)."
        )
    return buildapi.build_editable(wheel_directory, config_settings, metadata_directory)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
