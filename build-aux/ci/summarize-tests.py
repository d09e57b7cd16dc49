#!/usr/bin/env python3
"""Counts test results from meson's testlog.json files and prints
'N passed, N failed, N skipped' as the last line.

meson 1.0 never prints that line itself. Each TAP subtest counts: 'ok' as
passed ('# SKIP' as skipped), 'not ok' as failed ('# TODO' ignored). A test
whose result is a failure, timeout or crash with no 'not ok' line (it died
after its last 'ok', or before printing any) counts one more failure. A
test with no TAP lines counts once, by its result.

Several logs may be given as LABEL=PATH (one per build configuration):
each failure is then reported with its configuration.
Exits 1 when anything failed or a log is missing.
"""
import json
import re
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')
FAILING = {'FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS', 'INTERRUPT'}


def count(path, label, failures):
    passed = failed = skipped = 0
    with open(path, encoding='utf-8', errors='replace') as f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            t = json.loads(raw)
            name = t.get('name', '?')
            result = t.get('result', '')
            out = t.get('stdout') or ''
            tap = [m for m in (TAP_LINE.match(l.strip()) for l in out.splitlines()) if m]
            t_fail = 0
            for m in tap:
                rest = m.group(2)
                directive = rest.split('#', 1)[1].strip().upper() if '#' in rest else ''
                if directive.startswith('TODO'):
                    continue
                if m.group(1) == 'ok':
                    if directive.startswith('SKIP'):
                        skipped += 1
                    else:
                        passed += 1
                else:
                    t_fail += 1
                    failures.append('%s%s: %s' % (label, name, ('not ok' + rest).strip()))
            if not tap:
                if result == 'SKIP':
                    skipped += 1
                elif result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                else:
                    t_fail += 1
                    failures.append('%s%s: %s' % (label, name, result))
            elif result in FAILING and t_fail == 0:
                t_fail += 1
                failures.append('%s%s: %s after its last TAP line' % (label, name, result))
            failed += t_fail
    return passed, failed, skipped


def main(args):
    if not args:
        print('usage: summarize-tests.py [LABEL=]testlog.json...', file=sys.stderr)
        return 2
    totals = [0, 0, 0]
    failures = []
    broken = False
    for arg in args:
        label, _, path = arg.rpartition('=') if '=' in arg else ('', '', arg)
        prefix = '[%s] ' % label if label else ''
        try:
            p, f, s = count(path, prefix, failures)
        except OSError as e:
            print('%smissing test log %s: %s' % (prefix, path, e))
            failures.append('%sno test log (the build or the test run did not finish)' % prefix)
            totals[1] += 1
            broken = True
            continue
        if label:
            print('%s%d passed, %d failed, %d skipped' % (prefix, p, f, s))
        totals[0] += p
        totals[1] += f
        totals[2] += s
    if failures:
        print('Failures:')
        for line in failures:
            print('  ' + line)
    print('%d passed, %d failed, %d skipped' % tuple(totals))
    return 1 if totals[1] or broken else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
