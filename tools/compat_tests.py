# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run Odoo's tests on an installed database with every test after the
full load of the registry.

``odoo --test-enable`` on an installed database runs each module's
``at_install`` tests while the registry is still loading: the models of
the modules loaded later (accounting, sales, this addon) are missing from
the registry while their database columns exist, so many of those tests
fail in their set-up whatever they test. The compatibility check wants
the opposite: every test of the modules checked, in the database as users
have it. This wrapper keeps Odoo's own runner and moves the ``at_install``
tests after the load, before the ``post_install`` ones.

Usage: python3 tools/compat_tests.py <odoo server options>
"""

import sys

from odoo import cli
from odoo.tests import loader

_make_suite = loader.make_suite


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        # while the registry loads: nothing
        return _make_suite([], position)
    # once it is loaded: the at_install tests first, as Odoo orders them
    return loader.OdooSuite(
        list(_make_suite(module_names, "at_install"))
        + list(_make_suite(module_names, "post_install"))
    )


loader.make_suite = make_suite

if __name__ == "__main__":
    sys.argv[0] = "odoo"
    cli.main()
