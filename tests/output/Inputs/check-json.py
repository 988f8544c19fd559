#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks a json_path file against the schema in docs/output-formats.md and
# prints one line per finding and per event for FileCheck. Owner: output tests.
import json
import sys

ROLES = {"access", "previous", "allocation", "allocated", "write", "free", "first-free",
         "publish", "release", "acquire", "consume", "call", "fault", "thread", "lock"}
PAIR_ROLES = {"publish", "release", "acquire", "consume"}    # the events with an order
ORDERS = {"relaxed", "consume", "acquire", "release", "acq_rel", "seq_cst", "volatile", "plain"}


def need(cond, what):
    if not cond:
        sys.exit("check-json: " + what)


def fields(obj, where, required, optional=()):
    need(isinstance(obj, dict), "%s is not an object" % where)
    missing = [k for k in required if k not in obj]
    extra = [k for k in obj if k not in required and k not in optional]
    need(not missing, "%s lacks %s" % (where, missing))
    need(not extra, "%s has undocumented %s" % (where, extra))


def frame(f, where):
    fields(f, where, ["function", "file", "line"])
    need(isinstance(f["function"], str) and isinstance(f["file"], str), where + ": types")
    need(isinstance(f["line"], int) and f["line"] >= 0, where + ": line")
    return "%s %s:%d" % (f["function"], f["file"], f["line"])


def main(path):
    doc = json.load(open(path))
    fields(doc, "top level", ["tool", "version", "findings"])
    need(doc["tool"] == "SlabSan" and doc["version"] == 1, "tool/version")
    need(isinstance(doc["findings"], list), "findings is not a list")
    print("tool SlabSan version 1, %d finding(s)" % len(doc["findings"]))
    for n, f in enumerate(doc["findings"], 1):
        where = "finding %d" % n
        fields(f, where, ["id", "kind", "pid", "occurrences", "location", "explanation",
                          "fix", "events"], ["consequence_of"])
        need(f["id"] == n, where + ": id")
        need(isinstance(f["kind"], str) and f["kind"], where + ": kind")
        need(isinstance(f["pid"], int) and f["pid"] > 0, where + ": pid")
        need(isinstance(f["occurrences"], int) and f["occurrences"] >= 1, where + ": occurrences")
        if "consequence_of" in f:
            need(isinstance(f["consequence_of"], int) and 1 <= f["consequence_of"] < n,
                 where + ": consequence_of")
        need(isinstance(f["explanation"], str) and isinstance(f["fix"], str), where + ": prose")
        need(isinstance(f["events"], list) and f["events"], where + ": events")
        print("finding %d: %s at %s (x%d)%s" % (
            n, f["kind"], frame(f["location"], where + " location"), f["occurrences"],
            " consequence of %d" % f["consequence_of"] if "consequence_of" in f else ""))
        for i, e in enumerate(f["events"]):
            ew = "%s event %d" % (where, i)
            fields(e, ew, ["role", "text", "stack"], ["thread", "member", "order", "fence"])
            need(e["role"] in ROLES, ew + ": role " + str(e["role"]))
            need(isinstance(e["text"], str) and e["text"], ew + ": text")
            need("thread" not in e or isinstance(e["thread"], int), ew + ": thread")
            need("member" not in e or (isinstance(e["member"], str) and e["member"] and
                                       e["role"] in ("access", "previous", "write")),
                 ew + ": member")
            need(("order" in e) == (e["role"] in PAIR_ROLES) and
                 ("order" not in e or e["order"] in ORDERS), ew + ": order")
            need("fence" not in e or (e["fence"] is True and "order" in e), ew + ": fence")
            need(isinstance(e["stack"], list), ew + ": stack")
            stack = [frame(s, "%s frame %d" % (ew, k)) for k, s in enumerate(e["stack"])]
            print("  event %s T%s %s%s%s" % (e["role"], e.get("thread", "?"),
                                            stack[0] if stack else "(no stack)",
                                            " member " + e["member"] if "member" in e else "",
                                            " order " + e["order"] + (" fenced" if "fence" in e
                                                                      else "")
                                            if "order" in e else ""))
        print("  explanation: " + f["explanation"])
        print("  fix: " + f["fix"])


if __name__ == "__main__":
    main(sys.argv[1])
