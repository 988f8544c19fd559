# SPDX-License-Identifier: Apache-2.0
"""Shared pieces of tests/realworld/run-*: fetch a pinned Debian source
package, build with and without SlabSan, run with a time, and reduce
SlabSan's JSON findings to one line per distinct report."""
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEB_SRC_FILE = "/etc/apt/sources.list.d/slabsan-deb-src.sources"


def die(msg, code=2):
    print("realworld: error: %s" % msg, file=sys.stderr)
    sys.exit(code)


def log(msg):
    print("realworld: %s" % msg, file=sys.stderr, flush=True)


def default_build_dir():
    return os.environ.get("SLABSAN_BUILD_DIR", os.path.join(REPO, "build"))


def tools(build):
    cc = os.path.join(build, "bin", "slabsan-cc")
    if not os.access(cc, os.X_OK):
        die("no %s: build SlabSan first (scripts/build)" % cc)
    clang = os.environ.get("SLABSAN_CLANG") or shutil.which("clang-14") or shutil.which("clang")
    if not clang:
        die("no clang-14 for the native build (scripts/setup-deps installs it)")
    return cc, clang


# ---- sources

def _have_deb_src():
    """Is any deb-src entry configured (one-line or deb822 format)?"""
    paths = ["/etc/apt/sources.list"]
    d = "/etc/apt/sources.list.d"
    if os.path.isdir(d):
        paths += [os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith((".list", ".sources"))]
    for p in paths:
        try:
            text = open(p).read()
        except OSError:
            continue
        if re.search(r"^\s*deb-src\s", text, re.M) or \
           re.search(r"^Types:.*\bdeb-src\b", text, re.M):
            return True
    return False


def _debian_mirror():
    """(URI, first suite or None, components, key) of the first Debian
    deb822 'deb' entry, or Debian's defaults."""
    uri, suite, comps, key = ("http://deb.debian.org/debian", None, "main",
                              "/usr/share/keyrings/debian-archive-keyring.gpg")
    try:
        text = open("/etc/apt/sources.list.d/debian.sources").read()
        stanza = text.split("\n\n")[0]
        f = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
        uri = f.get("URIs", uri).split()[0]
        suite = f.get("Suites", "").split()[0] if f.get("Suites") else None
        comps = f.get("Components", comps)
        key = f.get("Signed-By", key)
    except (OSError, IndexError):
        pass
    return uri, suite, comps, key


def _add_deb_src():
    """Add a deb-src stanza mirroring the first Debian deb822 'deb' entry
    (URIs, first suite, components, key), or Debian's defaults."""
    uri, suite, comps, key = _debian_mirror()
    if not suite:
        try:
            suite = subprocess.run(["sh", "-c", ". /etc/os-release; echo $VERSION_CODENAME"],
                                   capture_output=True, text=True).stdout.strip()
        except OSError:
            suite = ""
    if not suite:
        die("cannot tell the Debian release to add a deb-src entry for")
    log("adding %s (deb-src %s %s %s)" % (DEB_SRC_FILE, uri, suite, comps))
    with open(DEB_SRC_FILE, "w") as f:
        f.write("Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: %s\n"
                % (uri, suite, comps, key))


def fetch_source(pkg, version, dirname, work, suite=None):
    """Unpack Debian source package pkg=version into work/dirname, once.
    suite: fetch it from that Debian release instead of the system's own,
    through a private apt configuration in work/apt-SUITE (the system's
    sources and lists stay as they are). One fetch at a time per work dir
    (two tests may run in parallel)."""
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, ".fetch.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tree = os.path.join(work, dirname)
        if os.path.isfile(os.path.join(tree, ".realworld-unpacked")):
            return tree
        for tool, package in (("dpkg-source", "dpkg-dev"), ("apt-get", "apt")):
            if not shutil.which(tool):
                die("%s is missing: apt-get install %s (scripts/setup-deps does)"
                    % (tool, package))
        dl = (_download_from_suite(pkg, version, suite, work) if suite
              else _download(pkg, version, work))
        return _unpack(dl, tree)


def _download(pkg, version, work):
    """Download pkg=version's source files through the system's apt (adding
    a deb-src entry if there is none) into work/dl-PKG."""
    dl = os.path.join(work, "dl-" + pkg)
    os.makedirs(dl, exist_ok=True)
    cmd = ["apt-get", "source", "--download-only", "-qq", "%s=%s" % (pkg, version)]
    r = subprocess.run(cmd, cwd=dl, capture_output=True, text=True)
    if r.returncode != 0:
        if not _have_deb_src() or "You must put some 'deb-src'" in r.stderr:
            if os.geteuid() != 0:
                die("no deb-src entry for apt and not root to add one: add a deb-src "
                    "line for your Debian release, run apt-get update, and retry")
            _add_deb_src()
        if os.geteuid() == 0:
            u = subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-qq"],
                               capture_output=True, text=True)
            if u.returncode != 0:
                die("apt-get update failed (no network?):\n" + u.stderr.strip())
        r = subprocess.run(cmd, cwd=dl, capture_output=True, text=True)
        if r.returncode != 0:
            die("apt-get source %s=%s failed (no network, or the version is gone "
                "from the mirror):\n%s" % (pkg, version, r.stderr.strip()))
    return dl


def _download_from_suite(pkg, version, suite, work):
    """Download pkg=version's source files from Debian release `suite` of
    the system's mirror, with sources list, lists and cache of its own in
    work/apt-SUITE, into work/dl-PKG-SUITE."""
    apt = os.path.join(work, "apt-" + suite)
    for d in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(apt, d), exist_ok=True)
    uri, _suite, _comps, key = _debian_mirror()
    with open(os.path.join(apt, "sources.list"), "w") as f:
        f.write("deb-src [signed-by=%s] %s %s main\n" % (key, uri, suite))
    opts = ["-o", "Dir::Etc::sourcelist=" + os.path.join(apt, "sources.list"),
            "-o", "Dir::Etc::sourceparts=-",
            "-o", "Dir::State::Lists=" + os.path.join(apt, "lists"),
            "-o", "Dir::Cache=" + os.path.join(apt, "cache"),
            "-o", "APT::Sandbox::User=root" if os.geteuid() == 0 else "Debug::NoLocking=1"]
    u = subprocess.run(["apt-get"] + opts + ["update", "-qq"], capture_output=True, text=True)
    if u.returncode != 0:
        die("apt-get update for deb-src %s %s failed (no network?):\n%s"
            % (uri, suite, u.stderr.strip()))
    dl = os.path.join(work, "dl-%s-%s" % (pkg, suite))
    if os.path.exists(dl):
        shutil.rmtree(dl)
    os.makedirs(dl)
    r = subprocess.run(["apt-get"] + opts + ["source", "--download-only", "-qq",
                                             "%s=%s" % (pkg, version)],
                       cwd=dl, capture_output=True, text=True)
    if r.returncode != 0:
        die("apt-get source %s=%s (%s) failed (no network, or the version is gone "
            "from the mirror):\n%s" % (pkg, version, suite, r.stderr.strip()))
    return dl


def _unpack(dl, tree):
    """Unpack the one .dsc downloaded into dl as tree, marked done."""
    dsc = [f for f in os.listdir(dl) if f.endswith(".dsc")]
    if len(dsc) != 1:
        die("expected one .dsc in %s, found %s" % (dl, dsc))
    if os.path.exists(tree):
        shutil.rmtree(tree)
    r = subprocess.run(["dpkg-source", "-x", dsc[0], tree], cwd=dl,
                       capture_output=True, text=True)
    if r.returncode != 0:
        die("dpkg-source -x %s failed:\n%s" % (dsc[0], r.stderr.strip()))
    open(os.path.join(tree, ".realworld-unpacked"), "w").close()
    return tree


def copy_tree(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)
    return dst


def sh(cmd, cwd, env=None, quiet=True):
    """Run a build command; on failure show its output and stop."""
    r = subprocess.run(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        print(r.stdout[-6000:], file=sys.stderr)
        die("command failed in %s: %s" % (cwd, cmd if isinstance(cmd, str) else " ".join(cmd)))
    return r.stdout


# ---- runs

class Run:
    def __init__(self, name, rc, seconds, findings, stderr_path):
        self.name, self.rc, self.seconds = name, rc, seconds
        self.findings, self.stderr_path = findings, stderr_path


def run(name, argv, cwd, outdir, options="", timeout=900):
    """Run argv with SlabSan writing its findings as JSON; time it."""
    os.makedirs(outdir, exist_ok=True)
    json_path = os.path.join(outdir, name + ".json")
    err_path = os.path.join(outdir, name + ".stderr")
    out_path = os.path.join(outdir, name + ".stdout")
    if os.path.exists(json_path):
        os.unlink(json_path)
    env = dict(os.environ)
    opts = "json_path=" + json_path
    if options:
        opts += ":" + options
    env["SLABSAN_OPTIONS"] = opts
    t0 = time.monotonic()
    with open(out_path, "w") as out, open(err_path, "w") as err:
        try:
            rc = subprocess.call(argv, cwd=cwd, env=env, stdout=out, stderr=err,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = "timeout"
    seconds = time.monotonic() - t0
    findings = []
    if os.path.exists(json_path) and os.path.getsize(json_path) > 0:
        findings = json.load(open(json_path))["findings"]
    return Run(name, rc, seconds, findings, err_path)


def load_run(name, outdir):
    """A Run from the JSON an earlier run() left (exit status and time unknown)."""
    json_path = os.path.join(outdir, name + ".json")
    findings = []
    if os.path.exists(json_path) and os.path.getsize(json_path) > 0:
        findings = json.load(open(json_path))["findings"]
    return Run(name, "?", 0.0, findings, os.path.join(outdir, name + ".stderr"))


_OP = re.compile(r"^(Atomic read|Atomic write|Read|Write|Free|Previous atomic read|"
                 r"Previous atomic write|Previous read|Previous write)\b")


def _frame(ev, root):
    for fr in ev.get("stack", []):
        if fr.get("file"):
            f = os.path.normpath(fr["file"])
            if f.startswith(root + os.sep):
                f = f[len(root) + 1:]
            return "%s %s:%d" % (fr["function"], f, fr["line"])
    st = ev.get("stack") or [{"function": "?"}]
    return st[0]["function"]


def _op(ev):
    m = _OP.match(ev.get("text", ""))
    op = m.group(1).lower() if m else ev["role"]
    return op.replace("previous ", "")


def describe(finding, root):
    """One line for a finding: its kind and the top frame of each of its
    accesses (sorted, so the two orders of one race read the same)."""
    parts = []
    for ev in finding["events"]:
        if ev["role"] in ("access", "previous", "free", "write"):
            parts.append("%s %s" % (_op(ev), _frame(ev, root)))
        elif ev["role"] == "allocation" and finding["kind"] == "free without acquire":
            parts.append("malloc %s" % _frame(ev, root))
    return "%s: %s" % (finding["kind"], " / ".join(sorted(set(parts))))


class Tops(list):
    """A report's accesses as tops() lists them; .kind is the report's kind
    ('data race', 'free without acquire', ...), .test the test that printed
    it (set by summarize())."""
    kind = ""
    test = ""


def tops(finding, root):
    """(op, 'function file:line' of the top frame, [every function of the
    stack]) of every access event, for classifiers; a list whose .kind is
    the report's kind."""
    out = Tops()
    out.kind = finding.get("kind", "")
    for ev in finding["events"]:
        if ev["role"] in ("access", "previous", "free", "write"):
            frames = [_frame({"stack": [fr]}, root) for fr in ev.get("stack", [])]
            out.append((_op(ev), _frame(ev, root), frames))
    return out


def distinct(findings, root):
    """{description: occurrences} over the findings of a run."""
    d = {}
    for f in findings:
        k = describe(f, root)
        d[k] = d.get(k, 0) + f.get("occurrences", 1)
    return d


def fmt_run(r, native=None):
    n = sum(f.get("occurrences", 1) for f in r.findings)
    slow = ""
    if native is not None and native.seconds > 0 and r is not native:
        slow = " (%.1fx native)" % (r.seconds / native.seconds)
    return "run %s: exit %s, %.2f s%s, %d reports (%d occurrences)" % (
        r.name, r.rc, r.seconds, slow, len(r.findings), n)


# ---- classes
#
# A script's CLASSES is a list of (name, verdict, predicate, builds): the
# predicate gets the tops() of a report, builds are the builds the class may
# occur in; the first class that matches names the report.

def at(tops, where, ops=None):
    """An access of the report is at one of where ('file:line'), with one
    of ops if given."""
    return any(f.split(" ", 1)[-1] in where and (ops is None or op in ops)
               for op, f, _s in tops)


def all_at(tops, where):
    """Every access of the report is at one of where."""
    return bool(tops) and all(f.split(" ", 1)[-1] in where for _op, f, _s in tops)


def under_file(tops, path):
    """Every access of the report has a frame in file path."""
    return all(any(fr.split(" ", 1)[-1].startswith(path + ":") for fr in s)
               for _op, _f, s in tops)


def classify(classes, build, tops):
    for name, _verdict, pred, builds in classes:
        if build in builds and pred(tops):
            return name
    return None


def summarize(classes, builds, tests, runs, root, verbose=False, counted=None):
    """Print, per build, its number of reports and of bad exits (not 0, 66
    or unknown), the reports of each class and every unclassified report;
    then the classes' verdicts. runs: {(build, test): Run, or a list of the
    test's Runs}, a test a build did not run left out; root: the source
    tree, to shorten paths (a dict build -> tree if they differ); counted:
    if given, a Run's reports as its stderr shows them, printed beside the
    count (none lost on the way to the JSON). Returns {build: {class or
    None: reports}}."""
    result = {}
    for n in builds:
        r = root[n] if isinstance(root, dict) else root
        counts = {c[0]: 0 for c in classes}
        unclassified = {}
        described = {}
        bad, shown = [], 0
        for t in tests:
            these = runs.get((n, t), [])
            for run in these if isinstance(these, list) else [these]:
                if run.rc not in (0, 66, "?"):
                    bad.append(t)
                if counted:
                    shown += counted(run)
                for f in run.findings:
                    tp = tops(f, r)
                    tp.test = t
                    c = classify(classes, n, tp)
                    desc = "%s: %s" % (t, describe(f, r))
                    if c is None:
                        unclassified[desc] = unclassified.get(desc, 0) + 1
                    else:
                        counts[c] += 1
                        described[desc] = c
        total = sum(counts.values()) + sum(unclassified.values())
        print("build %s: %d reports%s, bad exits: %d %s"
              % (n, total, " (%d on stderr)" % shown if counted else "", len(bad), " ".join(bad)))
        for name, _verdict, _p, bs in classes:
            if n in bs and counts[name]:
                print("class %s %s: %d" % (n, name, counts[name]))
        print("unclassified %s: %d" % (n, sum(unclassified.values())))
        for k in sorted(unclassified):
            print("unclassified-report %s %s" % (n, k))
        if verbose:
            for k in sorted(described):
                print("classified-report %s [%s] %s" % (n, described[k], k))
        counts[None] = sum(unclassified.values())
        result[n] = counts
    print("classes:")
    for name, verdict, _p, _b in classes:
        print("  %s: %s" % (name, verdict))
    return result
