# SPDX-License-Identifier: Apache-2.0
"""Shared pieces of tests/realworld/run-*: fetch a pinned Debian source
package, build with and without SlabSan, run with a time, run compress /
decompress round trips, and reduce SlabSan's JSON findings to one line per
distinct report."""
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import signal
import statistics
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


def patch_file(path, patch, what="patch"):
    """Replace each (old, new) of patch in the file, where old must occur
    exactly once (else stop, naming it: the source is not the one the
    patch was written for) and new must have as many lines as old, so the
    line numbers of reports stay those of the unpatched source."""
    text = open(path).read()
    for old, new in patch:
        if text.count(old) != 1:
            die("%s: %r is not in %s exactly once" % (what, old[:60], os.path.basename(path)))
        if old.count("\n") != new.count("\n"):
            die("%s: the replacement of %r changes the number of lines" % (what, old[:60]))
        text = text.replace(old, new)
    open(path, "w").write(text)


# ---- runs

class Run:
    def __init__(self, name, rc, seconds, findings, stderr_path):
        self.name, self.rc, self.seconds = name, rc, seconds
        self.findings, self.stderr_path = findings, stderr_path


def _slabsan_env(json_path, options=""):
    """The environment of a run whose SlabSan writes its findings to json_path."""
    env = dict(os.environ)
    opts = "json_path=" + json_path
    if options:
        opts += ":" + options
    env["SLABSAN_OPTIONS"] = opts
    return env


def _findings(json_path):
    if os.path.exists(json_path) and os.path.getsize(json_path) > 0:
        return json.load(open(json_path))["findings"]
    return []


def run(name, argv, cwd, outdir, options="", timeout=900, env_extra=None):
    """Run argv with SlabSan writing its findings as JSON, env_extra added
    to its environment; time it."""
    os.makedirs(outdir, exist_ok=True)
    json_path = os.path.join(outdir, name + ".json")
    err_path = os.path.join(outdir, name + ".stderr")
    out_path = os.path.join(outdir, name + ".stdout")
    if os.path.exists(json_path):
        os.unlink(json_path)
    env = _slabsan_env(json_path, options)
    env.update(env_extra or {})
    t0 = time.monotonic()
    with open(out_path, "w") as out, open(err_path, "w") as err:
        try:
            rc = subprocess.call(argv, cwd=cwd, env=env, stdout=out, stderr=err,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = "timeout"
    seconds = time.monotonic() - t0
    return Run(name, rc, seconds, _findings(json_path), err_path)


def load_run(name, outdir):
    """A Run from the JSON an earlier run() left (exit status and time unknown)."""
    json_path = os.path.join(outdir, name + ".json")
    return Run(name, "?", 0.0, _findings(json_path), os.path.join(outdir, name + ".stderr"))


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


# ---- round trips (compress, then decompress, through every build)

GNU_TIME = "/usr/bin/time"    # Debian's 'time' package


def make_input(size):
    """size bytes of mixed data, the same every time: 128 KiB pieces of
    text (lines of words from a 2000-word vocabulary, a few bytes changed
    per piece), random bytes, little-endian records with counters, and runs
    of one byte."""
    rnd = random.Random(20261201)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 10)))
             for _ in range(2000)]
    texts = []
    for _ in range(8):
        lines, n = [], 0
        while n < 128 * 1024:
            line = " ".join(rnd.choices(words, k=rnd.randint(3, 14))) + "\n"
            lines.append(line)
            n += len(line)
        texts.append("".join(lines).encode()[:128 * 1024])
    out = bytearray()
    while len(out) < size:
        kind = rnd.random()
        if kind < 0.55:
            t = bytearray(rnd.choice(texts))
            for _ in range(64):
                t[rnd.randrange(len(t))] = rnd.randrange(32, 127)
            out += t
        elif kind < 0.70:
            out += rnd.randbytes(128 * 1024)
        elif kind < 0.85:
            base = rnd.randrange(1 << 30)
            out += b"".join((base + i).to_bytes(4, "little") + bytes(4) + rnd.randbytes(2) +
                            b"\x00\x01" for i in range(128 * 1024 // 12))
        else:
            out += bytes([rnd.randrange(256)]) * rnd.randrange(1024, 128 * 1024)
    return bytes(out[:size])


def write_inputs(out, files):
    """Write the inputs of the round trips, files {kind: [(file name,
    bytes)]}, into out (a file already there with the right content is
    kept); returns {kind: ([paths], sha256 of their concatenation, size)}."""
    inputs = {}
    for kind, parts in files.items():
        paths = []
        for name, chunk in parts:
            path = os.path.join(out, name)
            if not (os.path.exists(path) and os.path.getsize(path) == len(chunk) and
                    sha256(path) == hashlib.sha256(chunk).hexdigest()):
                with open(path, "wb") as f:
                    f.write(chunk)
            paths.append(path)
        whole = b"".join(c for _n, c in parts)
        inputs[kind] = (paths, hashlib.sha256(whole).hexdigest(), len(whole))
    return inputs


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _time_measures(tfile):
    """(wall seconds, peak RSS in KiB, user + system CPU seconds) GNU time
    wrote to tfile with -f "%e %M %U %S", or Nones."""
    try:
        last = open(tfile).read().strip().splitlines()[-1].split()
        return float(last[0]), int(last[1]), float(last[2]) + float(last[3])
    except (OSError, IndexError, ValueError):
        return None, None, None


def timed_run(name, argv, outdir, env_extra, timeout):
    """run() under GNU time; returns (Run, (wall seconds, peak RSS in
    KiB, user + system CPU seconds))."""
    tfile = os.path.join(outdir, name + ".time")
    if os.path.exists(tfile):
        os.unlink(tfile)
    saved = {k: os.environ.get(k) for k in env_extra}
    os.environ.update(env_extra)
    try:
        r = run(name, [GNU_TIME, "-f", "%e %M %U %S", "-o", tfile] + argv, cwd=outdir,
                outdir=outdir, timeout=timeout)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return r, _time_measures(tfile)


class Background:
    """A timed_run() that runs in the background while the script does
    something else (a server and its clients): start it, then wait()
    for its end, which gives (Run, measures) as timed_run() does."""

    def __init__(self, name, argv, outdir, env_extra=None):
        os.makedirs(outdir, exist_ok=True)
        self.name = name
        self.json_path = os.path.join(outdir, name + ".json")
        self.err_path = os.path.join(outdir, name + ".stderr")
        self.tfile = os.path.join(outdir, name + ".time")
        for f in (self.json_path, self.tfile):
            if os.path.exists(f):
                os.unlink(f)
        env = _slabsan_env(self.json_path)
        env.update(env_extra or {})
        self.t0 = time.monotonic()
        with open(os.path.join(outdir, name + ".stdout"), "w") as out, \
             open(self.err_path, "w") as err:
            self.proc = subprocess.Popen([GNU_TIME, "-f", "%e %M %U %S", "-o", self.tfile] +
                                         argv, cwd=outdir, env=env, stdout=out, stderr=err,
                                         start_new_session=True)   # killed as a group

    def alive(self):
        return self.proc.poll() is None

    def wait(self, timeout):
        """Wait up to timeout seconds for the end (then kill it: exit
        'timeout'); returns (Run, measures)."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)   # GNU time and the program
            self.proc.wait()
            rc = "timeout"
        r = Run(self.name, rc, time.monotonic() - self.t0, _findings(self.json_path),
                self.err_path)
        return r, _time_measures(self.tfile)


def ratio(a, b):
    return "%.2fx" % (a / b) if a and b else "-"


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


class RoundTrips:
    """Round trips of an input through builds of a compressor: each
    compresses to stdout, then decompresses that to stdout, under GNU time
    and a time limit, in outdir. Keeps every Run ({(build, round trip):
    [Run]}, for summarize()), whether the data came back byte for byte,
    the compressed file's sha256 and size, and the medians of the
    measures."""

    def __init__(self, outdir, timeout, suffix):
        self.out, self.timeout, self.suffix = outdir, timeout, suffix   # suffix: "gz", "zst"
        self.runs, self.results, self.measures = {}, {}, {}

    def run(self, build, rt, compress, decompress, digest, length, repeat=1, env=None):
        """compress: argv writing the compressed data to stdout;
        decompress(path): argv writing the data of compressed file path
        to stdout; digest, length: the input's sha256 and size."""
        times = []
        for i in range(repeat):
            log("running %s %s%s" % (build, rt, " (%d)" % (i + 1) if repeat > 1 else ""))
            cname, dname = "%s-%s-c" % (build, rt), "%s-%s-d" % (build, rt)
            c, cm = timed_run(cname, compress, self.out, env or {}, self.timeout)
            packed = os.path.join(self.out, cname + ".stdout")
            d, dm = timed_run(dname, decompress(packed), self.out, env or {}, self.timeout)
            back = os.path.join(self.out, dname + ".stdout")
            same = os.path.getsize(back) == length and sha256(back) == digest
            os.unlink(back)
            times.append(cm + dm)   # wall, RSS, CPU of compress, then decompress
            # every repetition's reports count; its round trip must hold
            self.runs.setdefault((build, rt), []).extend([c, d])
            ok, _s, _z = self.results.get((build, rt), (True, None, None))
            self.results[(build, rt)] = (ok and same, sha256(packed), os.path.getsize(packed))
        self.measures[(build, rt)] = tuple(median(t[k] for t in times) for k in range(6))

    def packed(self, build, rt):
        """The compressed file of build's (last) round trip rt."""
        return os.path.join(self.out, "%s-%s-c.stdout" % (build, rt))

    def print_result(self, build, rt):
        """'roundtrip BUILD RT: identical (exit C/D, gz N bytes, gz same as
        native)': the compressor's output does not depend on the schedule,
        so every build must write native's bytes."""
        if (build, rt) not in self.results:
            return
        same, sha, size = self.results[(build, rt)]
        rcs = "/".join(str(r.rc) for r in self.runs[(build, rt)])
        nat = self.results.get(("native", rt))
        samenat = "" if nat is None else (", %s %s native" % (
            self.suffix, "same as" if sha == nat[1] else "DIFFERENT from"))
        print("roundtrip %s %s: %s (exit %s, %s %d bytes%s)"
              % (build, rt, "identical" if same else "DIFFERENT", rcs, self.suffix, size, samenat))

    def print_measures(self, timed, builds, repeat):
        """'time', 'rss' and 'cpu' lines of the round trips timed: wall
        seconds of compress + decompress, the larger peak RSS of the two,
        their CPU seconds (user + system), each as ratios to native and
        TSan."""
        for rt in timed:
            if not any((n, rt) in self.measures for n in builds):
                continue
            print("%s: wall seconds compress + decompress, peak RSS of the two, CPU seconds "
                  "(median of %d)" % (rt, repeat))
            tot, peak, cpu = {}, {}, {}
            for n in builds:
                if (n, rt) in self.measures:
                    cs, cm, cc, ds, dm, dc = self.measures[(n, rt)]
                    tot[n] = cs + ds if cs is not None and ds is not None else None
                    peak[n] = max(cm or 0, dm or 0) or None
                    cpu[n] = cc + dc if cc is not None and dc is not None else None
            for n in builds:
                if (n, rt) not in self.measures:
                    continue
                cs, _cm, _cc, ds, _dm, _dc = self.measures[(n, rt)]
                print("time %s %s: %.2f + %.2f = %.2f s (%s native, %s tsan)"
                      % (rt, n, cs or 0, ds or 0, tot[n] or 0, ratio(tot[n], tot.get("native")),
                         ratio(tot[n], tot.get("tsan"))))
                print("rss %s %s: %.1f MiB (%s native, %s tsan)"
                      % (rt, n, (peak[n] or 0) / 1024, ratio(peak[n], peak.get("native")),
                         ratio(peak[n], peak.get("tsan"))))
                print("cpu %s %s: %.2f s (%s native, %s tsan)"
                      % (rt, n, cpu[n] or 0, ratio(cpu[n], cpu.get("native")),
                         ratio(cpu[n], cpu.get("tsan"))))


# ---- ThreadSanitizer's reports, for comparison

TSAN_EVENT = re.compile(r"^  (Previous )?(atomic )?(read|write) of size", re.I)
TSAN_FRAME = re.compile(r"^    #\d+ (\S+) (/\S+?):(\d+)(?::\d+)? ")


def tsan_reports(stderr_path, root):
    """TSan's reports in a run's stderr, each as one line like
    describe()'s: its kind and, for each access, 'op function file:line'
    of its first frame in the source (op 'free' for a free)."""
    out, kind, parts, event, first = [], None, set(), None, None
    for line in open(stderr_path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("WARNING: ThreadSanitizer: "):
            kind = re.sub(r" \(pid=\d+\)$", "", line[len("WARNING: ThreadSanitizer: "):])
            parts, event = set(), None
        elif line.startswith("SUMMARY: ThreadSanitizer: ") and kind:
            out.append("%s: %s" % (kind, " / ".join(sorted(parts))))
            kind = None
        elif kind and TSAN_EVENT.match(line):
            m = TSAN_EVENT.match(line)
            event, first = ((m.group(2) or "") + m.group(3)).lower(), None
        elif kind and event and line.startswith("    #"):
            if first is None:
                first = line.split()[1]
            m = TSAN_FRAME.match(line)
            path = os.path.normpath(m.group(2)) if m else ""   # programs/../lib/x.c
            if m and path.startswith(root + os.sep):
                op = "free" if first == "free" else event
                parts.add("%s %s %s:%s" % (op, m.group(1), path[len(root) + 1:], m.group(3)))
                event = None
        elif not line.startswith("    #"):
            event = None
    return out


def summarize_tsan(builds, tests, runs, root):
    """Per TSan build, its number of reports and of bad exits (not 0 or
    66), then each distinct report of each run with its count. runs,
    root: as summarize()'s. Returns {build: {report: count}}."""
    found = {}
    for n in builds:
        r = root[n] if isinstance(root, dict) else root
        locs, bad = {}, []
        for t in tests:
            for run_ in runs.get((n, t), []):
                if run_.rc not in (0, 66):
                    bad.append(run_.name)
                for loc in tsan_reports(run_.stderr_path, r):
                    k = "%s: %s" % (run_.name, loc)
                    locs[k] = locs.get(k, 0) + 1
        print("build %s: %d reports, bad exits: %d %s"
              % (n, sum(locs.values()), len(bad), " ".join(bad)))
        for k in sorted(locs):
            print("tsan-report %s %s (%d)" % (n, k, locs[k]))
        found[n] = locs
    return found


def slabsan_warnings(stderr_path):
    """The reports SlabSan printed on a run's stderr."""
    return sum(1 for line in open(stderr_path, errors="replace")
               if line.startswith("WARNING: SlabSan: "))


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


def stack_at(tops, where, ops=None):
    """An access of the report has a frame, not only its top one, at one
    of where ('file:line'), with one of ops if given."""
    return any(any(fr.split(" ", 1)[-1] in where for fr in s) and (ops is None or op in ops)
               for op, _f, s in tops)


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
