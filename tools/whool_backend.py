"""PEP 517 build backend: whool, run from a folder named after the addon.

whool, like all OCA tooling, takes the addon name from the folder the addon
is built from. This repository *is* the addon, so a checkout may have any
name: when it is not ``food_order_center``, the tree (with its git index,
which whool uses to list the files to package) is copied into a temporary
folder of that name and whool builds from there.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextlib
import functools
import os
import shutil
import tempfile

from whool import buildapi

ADDON = "food_order_center"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


build_wheel = _from_addon_dir(buildapi.build_wheel)
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
