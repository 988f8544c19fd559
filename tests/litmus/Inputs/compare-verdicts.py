#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks slabsan-litmus's lines for the shared corpus against herd7's verdicts;
# owned by the litmus runner (tools/slabsan-litmus*.c).
"""usage: compare-verdicts.py VERDICTS.tsv DISAGREEMENTS.tsv RUNNER-OUTPUT

A runner line names its file ('| file: PATH'); the test is that file's name
without .litmus, as in verdicts.tsv (header names are not unique there). For
every test of verdicts.tsv:
  - there is a line;
  - its verdict is herd7's ('race' when herd7_data_race is yes), unless
    DISAGREEMENTS lists the test with the verdict we give (documented in
    docs/litmus.md);
  - an exists clause herd7 calls Never was never seen.
A listed disagreement that no longer happens is an error as well, so the list
stays true. Prints one row per test and a summary; exits 1 on any error.
"""
import os
import re
import sys


def read_tsv(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f
                if line.strip() and not line.startswith("#")]
    return rows


def main(verdicts_path, disagreements_path, output_path):
    herd = {row[0]: (row[1], row[2]) for row in read_tsv(verdicts_path)[1:]}
    documented = {row[0]: row[1] for row in read_tsv(disagreements_path)}
    ours = {}
    with open(output_path) as f:
        for line in f:
            m = re.search(r"\| file: (.*)$", line.rstrip("\n"))
            if not m:
                continue
            test = os.path.basename(m.group(1))
            test = test[:-len(".litmus")] if test.endswith(".litmus") else test
            verdict = line.split()[1]
            seen = re.search(r"\| exists: seen in", line) is not None
            ours[test] = (verdict, seen)

    errors = agree = disagree = 0
    for test, (race, observation) in herd.items():
        expected = "race" if race == "yes" else "no-race"
        if test not in ours:
            print(f"{test:40} herd7={expected:8} ours=(none)   ERROR: no result")
            errors += 1
            continue
        verdict, seen = ours[test]
        status = "agree"
        if verdict != expected:
            if documented.get(test) == verdict:
                status = "documented disagreement"
                disagree += 1
            else:
                status = "ERROR: unexpected verdict"
                errors += 1
        elif test in documented:
            status = "ERROR: listed as a disagreement but now agrees"
            errors += 1
        else:
            agree += 1
        if observation == "Never" and seen:
            status += "; ERROR: a forbidden outcome was observed"
            errors += 1
        print(f"{test:40} herd7={expected:8} ours={verdict:8} {status}")
    for test in sorted(set(documented) - set(herd)):
        print(f"{test:40} ERROR: listed as a disagreement but not in verdicts.tsv")
        errors += 1
    print(f"{len(herd)} tests: {agree} agree with herd7, {disagree} documented "
          f"disagreements, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
