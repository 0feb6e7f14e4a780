"""Compare the failing tests of an Odoo test log with a baseline list.

Usage: compat_report.py LOG BASELINE [--write]

Exits non-zero when a test fails in LOG that is not in BASELINE (the tests
that already fail without food_order_center), or when no test ran. With
--write, writes the failing tests of LOG to BASELINE instead.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
import sys

FAILED = re.compile(r" ERROR \S+ [\w.]+: (?:ERROR|FAIL): (.+?)\s*$")
RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)


def failing_tests(lines):
    return sorted({m[1] for m in map(FAILED.search, lines) if m})


def main(log_path, baseline_path, write=False):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    total = 0
    for line in lines:
        match = RESULT.search(line)
        if match:
            total = int(match[3])
    failing = failing_tests(lines)
    if write:
        with open(baseline_path, "w", encoding="utf-8") as baseline:
            baseline.write(
                "# Tests of sale_stock and helpdesk_mgmt failing WITHOUT\n"
                "# food_order_center (regenerate: make compat-baseline).\n"
            )
            baseline.writelines(f"{test}\n" for test in failing)
        print(f"compat: {len(failing)} failing of {total} tests written")
        return 0 if total else 1
    with open(baseline_path, encoding="utf-8") as baseline:
        known = {
            line.strip()
            for line in baseline
            if line.strip() and not line.startswith("#")
        }
    new = [test for test in failing if test not in known]
    for test in new:
        print(f"compat: fails only with food_order_center installed: {test}")
    print(
        f"compat: {total} tests of sale_stock and helpdesk_mgmt, "
        f"{len(failing)} failing, {len(new)} not failing without the addon"
    )
    return 0 if total and not new else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], write="--write" in sys.argv[3:]))
