"""Summarise an Odoo test log; exit non-zero on failures, errors or skips.

Usage: test_report.py LOG ODOO_EXIT_CODE
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
import sys

ADDON = "odoo.addons.food_order_center."

RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
SKIPPED = re.compile(r" INFO \S+ odoo\.addons\.\S+: skipped (\S+) : (.*)$")
PROBLEM = re.compile(r" (ERROR|CRITICAL) ")


def main(log_path, odoo_rc):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    failed = errors = total = 0
    for line in lines:
        match = RESULT.search(line)
        if match:
            failed, errors, total = (int(g) for g in match.groups())
    skipped = [m.groups() for m in map(SKIPPED.search, lines) if m and ADDON in m[1]]
    problems = [line for line in lines if PROBLEM.search(line)]

    for line in problems:
        print(line)
    for test, reason in skipped:
        print(f"SKIPPED (counts as a failure): {test}: {reason}")
    passed = total - failed - errors - len(skipped)
    print(f"tests: {passed} passed, {failed + errors} failed, {len(skipped)} skipped")
    ok = odoo_rc == 0 and total > 0 and not failed and not errors
    ok = ok and not skipped and not problems
    if not total:
        print("food_order_center: no test ran (see the log above)")
    if odoo_rc and not problems:
        print("\n".join(lines[-40:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
