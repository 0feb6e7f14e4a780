"""Compare the failing tests of an Odoo test log with a baseline list.

Usage: compat_report.py LOG BASELINE [--modules A,B,...] [--write]

Exits non-zero when a test fails in LOG that is not in BASELINE (the tests
that already fail without food_order_center), or when no test ran. With
--write, writes the failing tests of LOG to BASELINE instead. A test is named
"module: Class.method" (the same class name can be in two modules). Prints
how many tests of each module ran and their time (the odoo.tests.stats log
handler must be at INFO for the times), and the error of each new failure.
"""
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import argparse
import collections
import re
import sys

# a log record: "2026-11-30 04:43:08,378 10541 LEVEL db logger: message"
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")
# the logger of a test is its Python module: odoo.addons.<module>.tests...
FAILED = re.compile(r" ERROR \S+ ([\w.]+): (?:ERROR|FAIL): (.+?)\s*$")
STARTED = re.compile(r" INFO \S+ odoo\.addons\.(\w+)\.tests[\w.]*: Starting ")
STATS = re.compile(r" odoo\.tests\.stats: (\w+): \d+ tests ([\d.]+)s (\d+) queries")
RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
MAX_ERROR_LINES = 30


def test_name(logger, test):
    """The test as "module: test": the module from the logger, else from
    the test's description (a failing setUpClass names its class)."""
    match = re.match(r"odoo\.addons\.(\w+)\.", logger) or re.search(
        r"\bodoo\.addons\.(\w+)\.", test
    )
    return f"{match[1] if match else logger}: {test}"


def failures(lines):
    """{test name: the lines of its error (the record and its traceback)}"""
    found = {}
    for index, line in enumerate(lines):
        match = FAILED.search(line)
        if not match:
            continue
        error = [line]
        for following in lines[index + 1 :]:
            if RECORD.match(following):
                break
            error.append(following)
        found.setdefault(test_name(match[1], match[2]), error)
    return found


def module_stats(lines):
    """{module: [tests started, seconds or None]}"""
    stats = collections.defaultdict(lambda: [0, None])
    for line in lines:
        match = STARTED.search(line)
        if match:
            stats[match[1]][0] += 1
            continue
        match = STATS.search(line)
        if match:
            seconds = stats[match[1]][1] or 0.0
            stats[match[1]][1] = seconds + float(match[2])
    return stats


def print_stats(lines):
    for module, (count, seconds) in sorted(module_stats(lines).items()):
        took = f" in {seconds:.0f}s" if seconds is not None else ""
        print(f"compat: {module}: {count} tests{took}")


def main(log_path, baseline_path, modules, write=False):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    total = 0
    for line in lines:
        match = RESULT.search(line)
        if match:
            total = int(match[3])
    failing = failures(lines)
    print_stats(lines)
    if write:
        with open(baseline_path, "w", encoding="utf-8") as baseline:
            baseline.write(
                f"# Tests of {', '.join(modules)} failing WITHOUT\n"
                "# food_order_center (regenerate: make compat-baseline).\n"
            )
            baseline.writelines(f"{test}\n" for test in sorted(failing))
        print(f"compat: {len(failing)} failing of {total} tests written")
        return 0 if total else 1
    with open(baseline_path, encoding="utf-8") as baseline:
        known = {
            line.strip()
            for line in baseline
            if line.strip() and not line.startswith("#")
        }
    new = [test for test in sorted(failing) if test not in known]
    for test in new:
        print(f"compat: fails only with food_order_center installed: {test}")
        error = failing[test]
        print("\n".join(error[:MAX_ERROR_LINES]))
        if len(error) > MAX_ERROR_LINES:
            print(f"    ... ({len(error) - MAX_ERROR_LINES} more lines)")
    print(
        f"compat: {total} tests of {', '.join(modules)}, "
        f"{len(failing)} failing, {len(new)} not failing without the addon"
    )
    return 0 if total and not new else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("baseline")
    parser.add_argument(
        "--modules",
        default="sale_stock,helpdesk_mgmt,helpdesk_mgmt_rating,rma,rma_sale",
        help="the modules whose tests ran, comma-separated (for the messages)",
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    sys.exit(main(args.log, args.baseline, args.modules.split(","), args.write))
