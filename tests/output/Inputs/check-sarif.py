#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Validates a sarif_path file against the SARIF 2.1.0 JSON schema shipped
# next to this script (its source: sarif-schema-2.1.0.source.txt), then
# prints rules, results and thread flows for FileCheck. Owner: output tests.
# Exit status 1 and every schema error on stderr when the log is invalid.
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sarif-schema-2.1.0.json")


def where(loc):
    phys = loc["physicalLocation"]
    line = phys.get("region", {}).get("startLine", 0)
    return "%s:%d" % (phys["artifactLocation"]["uri"], line)


def main(path):
    schema = json.load(open(SCHEMA))
    # The dialect the schema declares ($schema: JSON Schema 2020-12).
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    log = json.load(open(path))
    errors = sorted(validator_class(schema).iter_errors(log), key=lambda e: list(e.path))
    for e in errors:
        print("schema error at /%s: %s" % ("/".join(map(str, e.path)), e.message[:300]),
              file=sys.stderr)
    if errors:
        sys.exit(1)
    print("valid SARIF %s (%s)" % (log["version"], validator_class.__name__))
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        print("tool %s rules %s" % (driver["name"], " ".join(r["id"] for r in driver["rules"])))
        for res in run["results"]:
            print("result %s %s at %s" % (res["ruleId"], res["level"],
                                          " ".join(where(l) for l in res["locations"])))
            print("  message: " + res["message"]["text"])
            for flow in res.get("codeFlows", []):
                for tf in flow["threadFlows"]:
                    print("  flow %s: %s" % (tf["message"]["text"], " <- ".join(
                        "%s %s" % (l["location"]["message"]["text"], where(l["location"]))
                        for l in tf["locations"])))


if __name__ == "__main__":
    main(sys.argv[1])
