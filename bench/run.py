#!/usr/bin/env python3
"""planmark benchmark suite (issue #8).

    python3 bench/run.py [--quick] [--out bench-results/latest.json]

Generates synthetic workspaces (bench/gen-workspace.py) with 1,000, 10,000
and 100,000 issues (--quick: 1,000 and 10,000) into a cache folder outside
the repository, builds the release binary once, and measures:

  1. `planmark check PATH --format json` and `planmark plan PATH`: wall time
     and peak RSS of fresh processes (ru_maxrss from os.wait4);
  2. the physical floor, `planmark bench-floor PATH`: reading every planning
     file and parsing it with bare pulldown-cmark, both on every core;
  3. the language server `planmark lsp` through a real stdio client
     (bench/lsp_client.py): initialize, initialized -> first diagnostics of
     an opened issue, didChange -> publishDiagnostics over 200 edits,
     completion, hover, rename of an ID referenced from 100 files, and the
     server's peak RSS (VmHWM); and issue #15's measures: references of
     that ID, workspace symbols, completion and hover right after edits,
     VmRSS / VmHWM after indexing and after 100 edits, and edits of a
     5,000-line index with 2,000 references.

Prints a markdown table with the targets beside the measurements and writes
every raw number to a JSON file. Python 3.11 standard library only. See
bench/README.md.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in bench/

from lsp_client import LspClient, LspError, file_uri, normalize_uri  # noqa: E402

GENERATOR = os.path.join(HERE, "gen-workspace.py")
SCHEMA = 1
FOLDERS = ["backlog", "planned", "in-progress", "done"]
DEP_PREFIX = "**Dependencies:** "
REFERRERS = 100  # files that name the renamed ID
LSP_COPY_VERSION = 3  # bump when lsp_copy() changes what it writes
# The big planning file of issue #15: an issues index of BIG_REFS rows (as
# many as there are issues when fewer) padded with prose to BIG_LINES lines.
BIG_FILE = "docs/big/issues-list.md"
BIG_REFS = 2000
BIG_LINES = 5000
BIG_EDITS = 30  # edits of the big file
AFTER_EDIT_ROUNDS = 30  # didChange + completion + hover rounds
REFERENCES = 20  # textDocument/references requests
SYMBOL_QUERIES_EACH = 10  # workspace/symbol requests per query
MEMORY_EDITS = 100  # VmRSS / VmHWM are read again after this many edits
MB = 1024 * 1024

# Targets, per workspace size. "stat" is the statistic judged.
TARGETS = {
    "check.wall_ms": {"stat": "median", "op": "<", 10000: 400, 100000: 4000},
    "check.maxrss_mb": {"stat": "p95", "op": "<", 10000: 200, 100000: 1500},
    "ratio.check_over_parse": {"stat": "value", "op": "<", 10000: 3, 100000: 3},
    "lsp.first_diagnostics_ms": {"stat": "median", "op": "<", 10000: 300, 100000: 2000},
    "lsp.complete_diagnostics_ms": {"stat": "median", "op": "<", 10000: 300, 100000: 2000},
    "lsp.did_change_ms": {"stat": "p95", "op": "<", 10000: 20, 100000: 50},
    "lsp.completion_ms": {"stat": "p95", "op": "<", 10000: 10, 100000: 20},
    "lsp.hover_ms": {"stat": "p95", "op": "<", 10000: 5, 100000: 10},
    # Issue #5: rename of an ID referenced from 100 files; issue #4: an
    # issue's ID changes and every affected file's diagnostics follow.
    "lsp.rename_ms": {"stat": "p95", "op": "<", 10000: 50},
    "lsp.id_change_ms": {"stat": "p95", "op": "<", 10000: 100},
    # Issue #15's performance table. "Every request p95 <= 10 ms at 10k".
    "lsp.references_ms": {"stat": "p95", "op": "<=", 10000: 10, 100000: 50},
    "lsp.workspace_symbol_ms": {"stat": "p95", "op": "<=", 10000: 10, 100000: 50},
    "lsp.completion_after_edit_ms": {"stat": "p95", "op": "<=", 10000: 10, 100000: 20},
    "lsp.hover_after_edit_ms": {"stat": "p95", "op": "<=", 10000: 10, 100000: 20},
    "lsp.rss_after_edits_mb": {"stat": "value", "op": "<=", 100000: 500},
    "lsp.big_file_did_change_ms": {"stat": "p95", "op": "<=", 10000: 15, 100000: 15},
}
SCALING_TARGETS = {"check.wall_ms": 12.0}


# -- small helpers ------------------------------------------------------------


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def percentile(values, q):
    """Nearest-rank percentile (p95 of 5 runs is the slowest run)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


def fmt_ms(ms):
    if ms is None:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_mb(mb):
    return "—" if mb is None else f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def fmt_x(x):
    return "—" if x is None else f"{x:.2f}x"


def size_name(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def busy_processes():
    """Compilers and linkers running on the machine (other than us)."""
    names = {"rustc", "cargo", "clippy-driver", "cc", "ld", "ld.lld", "cc1", "rust-analyzer"}
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as fh:
                comm = fh.read().strip()
        except OSError:
            continue
        if comm in names:
            found.append(f"{comm}({pid})")
    return found


def cpu_busy(interval=1.0):
    """The share of all cores busy over `interval` seconds (/proc/stat)."""

    def sample():
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except OSError:
        return None
    total = total1 - total0
    return 1.0 - (idle1 - idle0) / total if total else None


def mem_available_mb():
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def machine_load():
    """What else runs: compilers by name, how busy the cores are, and
    whether memory is short (the 100k workspace needs its 440 MB in the
    page cache and ~3 GB for the server)."""
    busy = busy_processes()
    cpu = cpu_busy()
    if cpu is not None and cpu > 0.25:
        busy.append(f"{cpu * 100:.0f}% of the CPU busy")
    avail = mem_available_mb()
    if avail is not None and avail < 6000:
        busy.append(f"only {avail} MB of memory available")
    return busy, cpu


def wait_idle(max_wait):
    """Waits (up to max_wait seconds) until no compiler runs and the cores
    are mostly idle; returns (what still ran, CPU share busy)."""
    deadline = time.time() + max_wait
    busy, cpu = machine_load()
    announced = False
    while busy and time.time() < deadline:
        if not announced:
            log(f"waiting for the machine to be idle: {', '.join(busy[:6])}")
            announced = True
        time.sleep(2)
        busy, cpu = machine_load()
    return busy, cpu


def machine_info():
    info = {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    info["mem_total_mb"] = int(line.split()[1]) // 1024
                    break
    except OSError:
        pass
    return info


def git(*args):
    try:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


# -- workspaces ---------------------------------------------------------------


def generator_hash():
    with open(GENERATOR, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:12]


def generate(cache, issues, seed, defects):
    """The generated workspace for these parameters, made once and reused."""
    params = {"issues": issues, "seed": seed, "defects": defects, "generator": generator_hash()}
    name = f"ws-{issues}-s{seed}-d{defects}-{params['generator']}"
    path = os.path.join(cache, name)
    marker = os.path.join(path, ".bench-params.json")
    if os.path.exists(marker):
        with open(marker) as fh:
            if json.load(fh) == params:
                log(f"reusing {path}")
                return path
    if os.path.exists(path):
        shutil.rmtree(path)
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    log(f"generating {issues} issues into {path} ...")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, GENERATOR, tmp, "--issues", str(issues), "--seed", str(seed),
         "--defects", str(defects)],
        check=True,
    )
    with open(os.path.join(tmp, ".bench-params.json"), "w") as fh:
        json.dump(params, fh)
    os.rename(tmp, path)
    log(f"  generated in {time.perf_counter() - started:.1f} s")
    return path


def issue_files(root):
    """ID -> path relative to root, for every generated issue."""
    out = {}
    for folder in FOLDERS:
        d = os.path.join(root, "issues", folder)
        for entry in os.listdir(d):
            if entry.endswith(".md"):
                out[entry[:-3]] = f"issues/{folder}/{entry}"
    return out


def issue_number(iid):
    return int(iid.rsplit("-", 1)[1])


def deps_of(text):
    """(line number, the dependency IDs) of an issue's dependency line."""
    for n, line in enumerate(text.split("\n")):
        if line.startswith(DEP_PREFIX):
            value = line[len(DEP_PREFIX):].strip()
            if value.lower() in ("none", ""):
                return n, []
            return n, [d.strip() for d in value.split(",")]
    return None, []


def add_dependency(text, target):
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.startswith(DEP_PREFIX):
            value = line[len(DEP_PREFIX):].strip()
            if value.lower() in ("none", ""):
                lines[n] = DEP_PREFIX + target
            else:
                lines[n] = DEP_PREFIX + value + ", " + target
            return "\n".join(lines)
    raise ValueError("no dependency line")


def lsp_copy(cache, base):
    """A copy of `base` (hard links) where REFERRERS more issues depend on
    the first issue, plus the files the LSP benchmark opens."""
    path = base + "-ref100"
    marker = os.path.join(path, ".bench-lsp.json")
    with open(os.path.join(base, ".bench-params.json")) as fh:
        base_params = json.load(fh)
    if os.path.exists(marker):
        with open(marker) as fh:
            meta = json.load(fh)
        if meta.get("base") == base_params and meta.get("version") == LSP_COPY_VERSION:
            log(f"reusing {path}")
            return path, meta
    if os.path.exists(path):
        shutil.rmtree(path)
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    log(f"making the LSP copy {path} ...")
    shutil.copytree(base, tmp, copy_function=os.link)
    files = issue_files(tmp)
    ids = sorted(files, key=issue_number)
    total = len(ids)
    target = ids[0]  # issue 1 depends on nothing, so no cycle can appear

    def read(rel):
        with open(os.path.join(tmp, rel)) as fh:
            return fh.read()

    def write(rel, text):
        p = os.path.join(tmp, rel)
        os.unlink(p)  # break the hard link before writing
        with open(p, "w") as fh:
            fh.write(text)

    # The document opened and edited by the benchmark: an issue from the
    # middle whose first dependency names an existing issue and which has a
    # planted dangling dependency, so its correct diagnostics need the whole
    # index (a pass over the open document alone cannot get them right).
    edited = None
    for dangling in (True, False):
        for iid in ids[total // 2:] + ids[: total // 2]:
            line, deps = deps_of(read(files[iid]))
            if line is None or not deps or deps[0] not in files or target in deps:
                continue
            if dangling and all(d in files for d in deps):
                continue
            edited = iid
            break
        if edited:
            break
    # REFERRERS issues spread over the workspace (every total/100-th).
    referrers = []
    step = max(1, total // REFERRERS)
    order = sorted(range(1, total), key=lambda i: ((i - step // 2) % step, i))
    for i in order:
        if len(referrers) == REFERRERS:
            break
        iid = ids[i]
        if iid == edited:
            continue
        text = read(files[iid])
        if target in deps_of(text)[1]:
            continue
        write(files[iid], add_dependency(text, target))
        referrers.append(iid)
    big = write_big_index(tmp, files, ids, {target, edited})
    meta = {
        "version": LSP_COPY_VERSION,
        "big": big,
        "base": base_params,
        "target": target,
        "target_file": files[target],
        "edited": edited,
        "edited_file": files[edited],
        "referrers": sorted(referrers, key=issue_number),
        "rename_file": files[referrers[len(referrers) // 2]],
    }
    with open(os.path.join(tmp, ".bench-lsp.json"), "w") as fh:
        json.dump(meta, fh)
    os.rename(tmp, path)
    return path, meta


STATUS_FIELD = re.compile(r"^\*\*Status:\*\* *(.*)$", re.M)
PROSE = ("The team reviews the order export with the warehouse before each release,"
         " and the notes below record what was agreed for the dashboard and the audit"
         " trail so that nobody has to ask twice.").split()


def write_big_index(root, files, ids, skip):
    """BIG_FILE: an issues index whose table has a row (File, Title, Status,
    all in sync with the issue files) for BIG_REFS issues spread over the
    workspace, padded with prose sections to BIG_LINES lines. It sits in a
    folder with no issues, so no row is missing. Returns what the benchmark
    needs to edit it: one row in the middle whose status cell it flips."""
    chosen = [iid for iid in ids if iid not in skip]
    if len(chosen) > BIG_REFS:
        step = len(chosen) / BIG_REFS
        chosen = [chosen[int(k * step)] for k in range(BIG_REFS)]
    rows = []
    for iid in chosen:
        with open(os.path.join(root, files[iid])) as fh:
            text = fh.read()
        title = next((ln[2:].strip() for ln in text.split("\n") if ln.startswith("# ")), "")
        folder = files[iid].split("/")[1]
        m = STATUS_FIELD.search(text)
        field = m.group(1).strip() if m else folder
        rows.append((iid, title, folder, field))
    lines = ["# Issues index of the large release", "",
             "Every issue of the release, for the review meeting.", "",
             "| File | Title | Status |", "|------|-------|--------|"]
    first_row = len(lines)
    lines += [f"| {iid} | {title} | {folder} |" for iid, title, folder, _ in rows]
    # The row edited: the middle one whose Status field agrees with its
    # folder, so another folder's name always disagrees.
    mid = len(rows) // 2
    pick = next(k for k in list(range(mid, len(rows))) + list(range(mid))
                if rows[k][2] == rows[k][3])
    iid, title, folder, _ = rows[pick]
    other = next(f for f in FOLDERS if f != folder)
    edit_line = first_row + pick
    section = 0
    while len(lines) < BIG_LINES:
        section += 1
        lines += ["", f"## Review notes {section}", ""]
        for k in range(6):
            if len(lines) >= BIG_LINES:
                break
            words = PROSE[(section + k) % len(PROSE):] + PROSE[: (section + k) % len(PROSE)]
            lines.append(" ".join(words).capitalize())
    del lines[BIG_LINES:]
    path = os.path.join(root, BIG_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return {
        "file": BIG_FILE,
        "lines": len(lines),
        "references": len(rows),
        "edit_line": edit_line,
        "edit_id": iid,
        "line_texts": [lines[edit_line], f"| {iid} | {title} | {other} |"],
    }


def workspace_info(root):
    files = 0
    size = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            if n.endswith(".md"):
                files += 1
                size += os.path.getsize(os.path.join(dirpath, n))
    return {"path": root, "md_files": files, "md_bytes": size}


# -- CLI ----------------------------------------------------------------------


# Peak RSS comes from ru_maxrss of os.wait4, which is the maximum over the
# child's whole life, including before exec: a child forked (or vforked) by
# this script starts with this script's memory, which grows with the
# workspaces it handles. So the processes are started by a small spawner
# (`python3 -S`, ~8 MB) that does nothing else: a child's ru_maxrss is then
# max(8 MB, what it used), i.e. exact for planmark (> 20 MB at 1k issues).
SPAWNER = r"""
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)]
    for fd, path in ((1, req["stdout"]), (2, req["stderr"])):
        actions.append((os.POSIX_SPAWN_OPEN, fd, path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    started = time.perf_counter()
    pid = os.posix_spawn(req["argv"][0], req["argv"], os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - started) * 1000.0
    print(json.dumps({"wall_ms": wall, "maxrss_kb": ru.ru_maxrss, "user_s": ru.ru_utime,
                      "sys_s": ru.ru_stime, "exit": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class Spawner:
    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-E", "-c", SPAWNER],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.tmp = tempfile.mkdtemp(prefix="planmark-bench-")

    def run(self, argv, capture=False):
        out = os.path.join(self.tmp, "stdout") if capture else os.devnull
        err = os.path.join(self.tmp, "stderr")
        self.proc.stdin.write(json.dumps({"argv": argv, "stdout": out, "stderr": err}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the spawner process died")
        return json.loads(line), out, err

    def hwm_mb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            return None

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


SPAWN = None


def run_cold(cmd, cwd=None, capture=False):
    """Runs `cmd` as a fresh process (from the spawner, in the repository
    root); returns wall ms, peak RSS (MB), CPU times, exit code and, when
    asked, stdout."""
    global SPAWN
    if SPAWN is None:
        SPAWN = Spawner()
    r, out, err = SPAWN.run([os.path.abspath(cmd[0]), *cmd[1:]], capture)
    with open(err, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    stdout = None
    if capture:
        with open(out, encoding="utf-8", errors="replace") as fh:
            stdout = fh.read()
    return {
        "wall_ms": r["wall_ms"],
        "maxrss_mb": r["maxrss_kb"] / 1024.0,  # ru_maxrss is in KiB on Linux
        "user_ms": r["user_s"] * 1000.0,
        "sys_ms": r["sys_s"] * 1000.0,
        "exit": r["exit"],
        "stderr": stderr[-2000:] if r["exit"] not in (0, 1) else None,
        "stdout": stdout,
    }


def cpu_ticks():
    """(busy, total) jiffies of all cores from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    total = sum(fields[:8])  # guest time is already inside user
    return total - fields[3] - fields[4], total


def process_ticks(pid):
    """utime + stime of a process, in jiffies."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def bench_command(name, cmd, runs, ok_exits=(0, 1)):
    log(f"  {name}: warm-up + {runs} runs")
    warm = run_cold(cmd, REPO, capture=True)
    if warm["exit"] not in ok_exits:
        raise SystemExit(f"`{' '.join(cmd)}` exited with {warm['exit']}:\n{warm['stderr']}")
    samples = []
    busy0, total0 = cpu_ticks()
    for _ in range(runs):
        r = run_cold(cmd, REPO)
        if r["exit"] not in ok_exits:
            raise SystemExit(f"`{' '.join(cmd)}` exited with {r['exit']}:\n{r['stderr']}")
        r.pop("stdout")
        r.pop("stderr")
        samples.append(r)
    busy1, total1 = cpu_ticks()
    # CPU used by other processes while the runs went on, as a share of
    # the machine: above ~10 % the wall times are inflated.
    hz = os.sysconf("SC_CLK_TCK")
    ours = sum(s["user_ms"] + s["sys_ms"] for s in samples) / 1000.0 * hz
    others = max(0.0, (busy1 - busy0) - ours) / max(1, total1 - total0)
    if others > 0.10:
        log(f"  warning: other processes used {others * 100:.0f}% of the CPU during `{name}`")
    return warm, {
        "others_cpu_share": others,
        "command": cmd,
        "runs": samples,
        "wall_ms": stats([s["wall_ms"] for s in samples]),
        "maxrss_mb": stats([s["maxrss_mb"] for s in samples]),
        "user_ms": stats([s["user_ms"] for s in samples]),
        "sys_ms": stats([s["sys_ms"] for s in samples]),
        "cpu_ms": stats([s["user_ms"] + s["sys_ms"] for s in samples]),
        "exit": samples[0]["exit"],
    }


def bench_cli(binary, root, runs):
    result = {}
    warm, result["check"] = bench_command(
        "check", [binary, "check", root, "--format", "json"], runs
    )
    try:
        report = json.loads(warm["stdout"])
        result["check"]["summary"] = report.get("summary")
        result["check"]["output_bytes"] = len(warm["stdout"])
    except (json.JSONDecodeError, TypeError):
        result["check"]["summary"] = None
    warm, result["plan"] = bench_command("plan", [binary, "plan", root], runs)
    result["plan"]["output_bytes"] = len(warm["stdout"] or "")

    warm, floor = bench_command("bench-floor", [binary, "bench-floor", root], runs, ok_exits=(0,))
    floor_runs = []
    for _ in range(runs):
        r = run_cold([binary, "bench-floor", root], REPO, capture=True)
        floor_runs.append(json.loads(r["stdout"]))
    first = floor_runs[0]
    result["floor"] = {
        "command": floor["command"],
        "files": first["files"],
        "bytes": first["bytes"],
        "runs": floor_runs,
        "list_ms": stats([r.get("list_ms") for r in floor_runs]),
        "read_ms": stats([r["read_ms"] for r in floor_runs]),
        "parse_ms": stats([r["parse_ms"] for r in floor_runs]),
        "process_wall_ms": floor["wall_ms"],
        "process_maxrss_mb": floor["maxrss_mb"],
    }
    # Where check's time goes above the floor (one in-process run).
    phases = run_cold([binary, "bench-floor", root, "--phases"], REPO, capture=True)
    if phases["exit"] == 0:
        result["check_phases"] = json.loads(phases["stdout"])
    check_ms = result["check"]["wall_ms"]["median"]
    result["ratios"] = {
        "check_over_read": check_ms / max(result["floor"]["read_ms"]["median"], 1e-6),
        "check_over_parse": check_ms / max(result["floor"]["parse_ms"]["median"], 1e-6),
        "check_over_read_plus_parse": check_ms
        / max(result["floor"]["read_ms"]["median"] + result["floor"]["parse_ms"]["median"], 1e-6),
    }
    return result


# -- LSP ----------------------------------------------------------------------


def server_supports_debounce_option():
    """Whether src/server reads a `debounceMs` setting."""
    server = os.path.join(REPO, "src", "server")
    for dirpath, _, names in os.walk(server):
        for n in names:
            if n.endswith(".rs"):
                with open(os.path.join(dirpath, n), encoding="utf-8") as fh:
                    if "debounceMs" in fh.read():
                        return True
    return False


def server_debounce_ms():
    """The server's push-diagnostics debounce, read from src/server."""
    path = os.path.join(REPO, "src", "server", "main_loop.rs")
    try:
        with open(path, encoding="utf-8") as fh:
            m = re.search(r"DEBOUNCE: Duration = Duration::from_millis\((\d+)\)", fh.read())
        if m:
            return int(m.group(1))
    except OSError:
        pass
    return None


def init_params(root, settings):
    uri = file_uri(root)
    return {
        "processId": os.getpid(),
        "clientInfo": {"name": "planmark-bench", "version": "1"},
        "rootUri": uri,
        "rootPath": root,
        "workspaceFolders": [{"uri": uri, "name": os.path.basename(root)}],
        "initializationOptions": settings,
        "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": True},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "completion": {"completionItem": {"snippetSupport": False}},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "rename": {"prepareSupport": True},
            },
            "window": {"workDoneProgress": True},
            "workspace": {
                "configuration": True,
                "workspaceFolders": True,
                "didChangeWatchedFiles": {"dynamicRegistration": True},
                "workspaceEdit": {"documentChanges": True},
            },
        },
    }


def count_edit_files(edit):
    if not edit:
        return 0, 0
    uris = set()
    edits = 0
    for uri, changes in (edit.get("changes") or {}).items():
        uris.add(uri)
        edits += len(changes)
    for change in edit.get("documentChanges") or []:
        if "textDocument" in change:
            uris.add(change["textDocument"]["uri"])
            edits += len(change.get("edits") or [])
        else:
            uris.add(change.get("oldUri") or change.get("uri"))
            edits += 1
    return len(uris), edits


def timed_requests(client, method, params, n, timeout=30.0):
    """`n` sequential requests; returns (latencies ms, last result, error)."""
    latencies = []
    result = error = None
    for _ in range(n):
        result, error, elapsed = client.request(method, params, timeout=timeout)
        if error:
            return latencies, result, error
        latencies.append(elapsed * 1000.0)
    return latencies, result, error


def lsp_session(binary, root, meta, settings, interactive, edits, requests, renames, log_path):
    client = LspClient([binary, "lsp"], cwd=root, stderr_path=log_path, settings=settings)
    out = {}
    try:
        result, error, elapsed = client.request("initialize", init_params(root, settings), 120)
        if error:
            raise LspError(f"initialize failed: {error}")
        caps = (result or {}).get("capabilities") or {}
        out["initialize_ms"] = elapsed * 1000.0
        out["position_encoding"] = caps.get("positionEncoding", "utf-16")
        out["capabilities"] = sorted(k for k, v in caps.items() if v)

        edited_path = os.path.join(root, meta["edited_file"])
        edited_uri = file_uri(edited_path)
        with open(edited_path) as fh:
            text = fh.read()
        seq = client.publish_seq()
        t0 = client_time = time.perf_counter()
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": edited_uri, "languageId": "markdown", "version": 1, "text": text}},
        )
        pub = client.wait_diagnostics(edited_uri, after_seq=seq, timeout=600)
        out["first_diagnostics_ms"] = (pub.time - client_time) * 1000.0
        out["first_diagnostics_count"] = len(pub.diagnostics)
        # Indexing is over when `planmark/status` says every root is indexed
        # (when the server has that request), every progress has ended and
        # nothing has come for a while.
        deadline = time.perf_counter() + 900
        while time.perf_counter() < deadline:
            status, error, _ = client.request("planmark/status", None, 900)
            if error or not status:
                break
            if all(r.get("indexed") for r in status.get("roots") or []):
                out["status"] = status
                break
            time.sleep(0.1)
        last = client.wait_quiet(quiet=0.5, timeout=900, until=client.progress_done)
        out["settled_ms"] = (last - t0) * 1000.0
        out["publishes_at_start"] = client.publish_seq() - seq
        out["progress"] = [
            {"title": p.get("title"), "ms": (p["end"] - p["begin"]) * 1000.0}
            for p in client.progress.values()
            if "begin" in p and "end" in p
        ]
        out["vm_hwm_after_index_mb"] = (client.status("VmHWM") or 0) / 1024.0
        out["vm_rss_after_index_mb"] = (client.status("VmRSS") or 0) / 1024.0
        # The first publish may come from a pass made before the index was
        # ready; also time the first one that equals the settled diagnostics.
        mine = [p for p in client.publishes_since(seq) if p.uri == pub.uri]
        final = mine[-1].diagnostics
        complete = next(p for p in mine if p.diagnostics == final)
        out["first_diagnostics_final_count"] = len(final)
        out["first_diagnostics_publishes"] = [
            {"ms": (p.time - client_time) * 1000.0, "count": len(p.diagnostics),
             "codes": sorted(str(d.get("code")) for d in p.diagnostics)}
            for p in mine
        ]
        out["complete_diagnostics_ms"] = (complete.time - client_time) * 1000.0
        if not interactive:
            return out

        # didChange -> publishDiagnostics: alternately break and restore the
        # last digit of the first dependency (a dangling ID, then the real one).
        line_no, deps = deps_of(text)
        first = deps[0]
        col = len(DEP_PREFIX) + len(first) - 1
        known = set(issue_files(root))
        original = first[-1]
        broken = next(
            d for d in "0123456789" if d != original and (first[:-1] + d) not in known
        )
        version = 1
        busy0, total0 = cpu_ticks()
        server0 = process_ticks(client.pid)
        me0 = time.process_time()
        latencies = {"broken": [], "restored": []}
        counts = {"broken": set(), "restored": set()}
        timeouts = 0
        memory_after_edits = None
        for i in range(edits):
            version += 1
            kind = "broken" if i % 2 == 0 else "restored"
            ch = broken if kind == "broken" else original
            seq = client.publish_seq()
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": edited_uri, "version": version},
                    "contentChanges": [
                        {
                            "range": {
                                "start": {"line": line_no, "character": col},
                                "end": {"line": line_no, "character": col + 1},
                            },
                            "text": ch,
                        }
                    ],
                },
            )
            try:
                pub = client.wait_diagnostics(edited_uri, after_seq=seq, version=version, timeout=60)
            except TimeoutError:
                timeouts += 1
                if timeouts >= 3:
                    break
                continue
            latencies[kind].append((pub.time - sent) * 1000.0)
            counts[kind].add(len(pub.diagnostics))
            if i + 1 == MEMORY_EDITS:
                memory_after_edits = read_memory(client, i + 1)
        busy1, total1 = cpu_ticks()
        if memory_after_edits is None:  # fewer than MEMORY_EDITS edits
            memory_after_edits = read_memory(client, edits)
        out["memory"] = memory_growth(out, memory_after_edits)
        hz = os.sysconf("SC_CLK_TCK")
        server_ticks = process_ticks(client.pid) - server0
        mine = (time.process_time() - me0) * hz
        others = max(0.0, busy1 - busy0 - server_ticks - mine) / max(1, total1 - total0)
        if others > 0.10:
            log(f"  warning: other processes used {others * 100:.0f}% of the CPU during the edits")
        all_lat = latencies["broken"] + latencies["restored"]
        out["did_change"] = {
            "others_cpu_share": others,
            "server_cpu_ms_per_edit": server_ticks / hz * 1000.0 / max(1, edits),
            "edits": edits,
            "answered": len(all_lat),
            "timeouts": timeouts,
            "samples_ms": all_lat,
            "ms": stats(all_lat),
            "broken_ms": stats(latencies["broken"]),
            "restored_ms": stats(latencies["restored"]),
            "diagnostic_counts": {k: sorted(v) for k, v in counts.items()},
            "edited_file": meta["edited_file"],
        }
        # The document is back to its original text (an even number of
        # edits), or restore it.
        if edits % 2 == 1:
            version += 1
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": edited_uri, "version": version},
                 "contentChanges": [{"text": text}]},
            )
        client.wait_quiet(quiet=0.2, timeout=30)

        # Completion inside the first dependency, after `<expert>-<type>-<d>`.
        prefix = first.rsplit("-", 1)[0] + "-" + first.rsplit("-", 1)[1][:1]
        position = {"line": line_no, "character": len(DEP_PREFIX) + len(prefix)}
        params = {
            "textDocument": {"uri": edited_uri},
            "position": position,
            "context": {"triggerKind": 1},
        }
        if caps.get("completionProvider"):
            lat, result, error = timed_requests(client, "textDocument/completion", params, requests)
            if error and error.get("code") == -32601:
                out["completion"] = {"status": "n/a (not implemented)"}
            elif error:
                out["completion"] = {"status": f"error: {error.get('message')}", "samples_ms": lat}
            else:
                items = result.get("items") if isinstance(result, dict) else result
                out["completion"] = {
                    "status": "ok",
                    "position": position,
                    "prefix": prefix,
                    "items": len(items or []),
                    "samples_ms": lat,
                    "ms": stats(lat),
                }
        else:
            out["completion"] = {"status": "n/a (not implemented)"}

        # Hover over the first dependency.
        params = {
            "textDocument": {"uri": edited_uri},
            "position": {"line": line_no, "character": len(DEP_PREFIX) + len(first) // 2},
        }
        if caps.get("hoverProvider"):
            lat, result, error = timed_requests(client, "textDocument/hover", params, requests)
            if error and error.get("code") == -32601:
                out["hover"] = {"status": "n/a (not implemented)"}
            elif error:
                out["hover"] = {"status": f"error: {error.get('message')}", "samples_ms": lat}
            else:
                out["hover"] = {
                    "status": "ok" if result else "ok (empty hover)",
                    "samples_ms": lat,
                    "ms": stats(lat),
                }
        else:
            out["hover"] = {"status": "n/a (not implemented)"}

        # Completion and hover right after each of AFTER_EDIT_ROUNDS edits.
        out["after_edit"], version = measure_after_edit(
            client, caps, edited_uri, version, line_no, col, broken, original, first, prefix,
        )
        out["workspace_symbol"] = measure_workspace_symbols(client, caps, text)

        # The file that names the ID 100 files depend on (references, rename).
        rpath = os.path.join(root, meta["rename_file"])
        ruri = file_uri(rpath)
        with open(rpath) as fh:
            rtext = fh.read()
        rline, rdeps = deps_of(rtext)
        line_text = rtext.split("\n")[rline]
        rcol = line_text.rindex(meta["target"]) + 2
        if caps.get("renameProvider") or caps.get("referencesProvider"):
            seq = client.publish_seq()
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": ruri, "languageId": "markdown", "version": 1, "text": rtext}},
            )
            try:
                client.wait_diagnostics(ruri, after_seq=seq, timeout=30)
            except TimeoutError:
                pass

        # References of that ID, declaration included.
        if caps.get("referencesProvider"):
            params = {
                "textDocument": {"uri": ruri},
                "position": {"line": rline, "character": rcol},
                "context": {"includeDeclaration": True},
            }
            lat, result, error = timed_requests(
                client, "textDocument/references", params, REFERENCES, 120
            )
            if error and error.get("code") == -32601:
                out["references"] = {"status": "n/a (not implemented)"}
            elif error:
                out["references"] = {"status": f"error: {error.get('message')}", "samples_ms": lat}
            else:
                locations = result or []
                out["references"] = {
                    "status": "ok",
                    "id": meta["target"],
                    "referrers_planted": len(meta["referrers"]),
                    "locations": len(locations),
                    "files": len({normalize_uri(loc.get("uri")) for loc in locations}),
                    "samples_ms": lat,
                    "ms": stats(lat),
                }
        else:
            out["references"] = {"status": "n/a (not implemented)"}

        # Rename the ID that 100 files depend on, from one of those files.
        if caps.get("renameProvider"):
            number = 10 * (len(known) + 1000) + 7
            new_name = meta["target"].rsplit("-", 1)[0] + f"-{number}"
            params = {
                "textDocument": {"uri": ruri},
                "position": {"line": rline, "character": rcol},
                "newName": new_name,
            }
            lat, result, error = timed_requests(client, "textDocument/rename", params, renames, 120)
            if error and error.get("code") == -32601:
                out["rename"] = {"status": "n/a (not implemented)"}
            elif error:
                out["rename"] = {"status": f"error: {error.get('message')}", "samples_ms": lat}
            else:
                nfiles, nedits = count_edit_files(result)
                out["rename"] = {
                    "status": "ok",
                    "id": meta["target"],
                    "new_name": new_name,
                    "referrers_planted": len(meta["referrers"]),
                    "files_in_edit": nfiles,
                    "text_edits": nedits,
                    "samples_ms": lat,
                    "ms": stats(lat),
                }
        else:
            out["rename"] = {"status": "n/a (not implemented)"}
        out["id_change"] = measure_id_change(client, root, meta, renames)
        out["big_file"] = measure_big_file(client, root, meta)
        out["vm_hwm_end_mb"] = (client.status("VmHWM") or 0) / 1024.0
        return out
    finally:
        out["server_requests"] = sorted({m for m, _ in client.server_requests})
        out["exit"] = client.close()


def read_memory(client, edits):
    return {
        "edits": edits,
        "vm_hwm_mb": (client.status("VmHWM") or 0) / 1024.0,
        "vm_rss_mb": (client.status("VmRSS") or 0) / 1024.0,
    }


def memory_growth(out, after):
    """VmRSS and VmHWM after indexing and after MEMORY_EDITS edits."""
    before = {"vm_hwm_mb": out["vm_hwm_after_index_mb"], "vm_rss_mb": out["vm_rss_after_index_mb"]}
    return {
        "after_index": before,
        "after_edits": after,
        "rss_growth_mb": after["vm_rss_mb"] - before["vm_rss_mb"],
        "hwm_growth_mb": after["vm_hwm_mb"] - before["vm_hwm_mb"],
    }


def measure_after_edit(client, caps, uri, version, line_no, col, broken, original, first, prefix):
    """AFTER_EDIT_ROUNDS rounds of: a didChange of the opened issue (the
    same flip of its first dependency's last digit as the didChange
    measure), then at once a completion in that dependency and a hover on
    it, without waiting for the diagnostics. The order of the two requests
    alternates, so each is the first request after an edit in half the
    rounds. Each round then waits for the edit's publishDiagnostics."""
    if not caps.get("completionProvider") or not caps.get("hoverProvider"):
        return {"status": "n/a (not implemented)"}, version
    completion = {"textDocument": {"uri": uri},
                  "position": {"line": line_no, "character": len(DEP_PREFIX) + len(prefix)},
                  "context": {"triggerKind": 1}}
    hover = {"textDocument": {"uri": uri},
             "position": {"line": line_no, "character": len(DEP_PREFIX) + len(first) // 2}}
    samples = {"completion": [], "hover": []}
    first_after = {"completion": [], "hover": []}
    items = set()
    publish = []
    rounds = AFTER_EDIT_ROUNDS + AFTER_EDIT_ROUNDS % 2  # even: ends restored
    for i in range(rounds):
        version += 1
        seq = client.publish_seq()
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": line_no, "character": col},
                          "end": {"line": line_no, "character": col + 1}},
                "text": broken if i % 2 == 0 else original,
            }],
        })
        order = ("completion", "hover") if i % 2 == 0 else ("hover", "completion")
        for k, kind in enumerate(order):
            method = "textDocument/completion" if kind == "completion" else "textDocument/hover"
            result, error, elapsed = client.request(
                method, completion if kind == "completion" else hover, timeout=30)
            if error:
                return {"status": f"error ({kind}): {error.get('message')}",
                        "samples_ms": samples}, version
            samples[kind].append(elapsed * 1000.0)
            if k == 0:
                first_after[kind].append(elapsed * 1000.0)
            if kind == "completion":
                found = result.get("items") if isinstance(result, dict) else result
                items.add(len(found or []))
        try:
            pub = client.wait_diagnostics(uri, after_seq=seq, version=version, timeout=60)
            publish.append((pub.time - sent) * 1000.0)
        except TimeoutError:
            pass
    client.wait_quiet(quiet=0.2, timeout=30)
    return {
        "status": "ok",
        "rounds": rounds,
        "completion": {"samples_ms": samples["completion"], "ms": stats(samples["completion"]),
                       "first_after_edit_ms": stats(first_after["completion"]),
                       "item_counts": sorted(items)},
        "hover": {"samples_ms": samples["hover"], "ms": stats(samples["hover"]),
                  "first_after_edit_ms": stats(first_after["hover"])},
        "publish_ms": stats(publish),
    }, version


def measure_workspace_symbols(client, caps, text):
    """workspace/symbol: SYMBOL_QUERIES_EACH requests for each of three
    queries: 3 letters of the opened issue's title, an ID prefix and the
    empty query. p95 over all of them, and each query's own numbers."""
    if not caps.get("workspaceSymbolProvider"):
        return {"status": "n/a (not implemented)"}
    title = next((ln[2:].strip() for ln in text.split("\n") if ln.startswith("# ")), "order")
    word = max(title.split(), key=len)
    fragment = word[1:4].lower() if len(word) >= 4 else word[:3].lower()
    queries = [fragment, "swe-feat", ""]
    per_query = {}
    everything = []
    for q in queries:
        lat, result, error = timed_requests(client, "workspace/symbol", {"query": q},
                                            SYMBOL_QUERIES_EACH, 60)
        if error and error.get("code") == -32601:
            return {"status": "n/a (not implemented)"}
        if error:
            return {"status": f"error: {error.get('message')}", "query": q, "samples_ms": lat}
        per_query[q] = {"symbols": len(result or []), "samples_ms": lat, "ms": stats(lat)}
        everything += lat
    return {"status": "ok", "queries": queries, "per_query": per_query,
            "samples_ms": everything, "ms": stats(everything)}


def measure_big_file(client, root, meta):
    """BIG_FILE (BIG_LINES lines, an index table of BIG_REFS rows naming
    issues): opened, then BIG_EDITS edits that flip one row's status cell
    between the issue's status and another folder's (index-out-of-sync
    appears, then goes away), each waiting for its publishDiagnostics."""
    big = meta.get("big")
    if not big:
        return {"status": "no big file in the LSP copy"}
    path = os.path.join(root, big["file"])
    uri = file_uri(path)
    with open(path) as fh:
        text = fh.read()
    seq = client.publish_seq()
    sent = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    try:
        pub = client.wait_diagnostics(uri, after_seq=seq, timeout=60)
    except TimeoutError:
        return {"status": "timeout: no diagnostics after didOpen"}
    open_ms = (pub.time - sent) * 1000.0
    open_count = len(pub.diagnostics)
    client.wait_quiet(quiet=0.2, timeout=30)
    line = big["edit_line"]
    texts = big["line_texts"]  # [in sync, out of sync]
    current = texts[0]
    latencies = {"out_of_sync": [], "in_sync": []}
    counts = {"out_of_sync": set(), "in_sync": set()}
    timeouts = 0
    version = 1
    edits = BIG_EDITS + BIG_EDITS % 2  # even: ends in sync
    for i in range(edits):
        kind = "out_of_sync" if i % 2 == 0 else "in_sync"
        new = texts[1] if kind == "out_of_sync" else texts[0]
        version += 1
        seq = client.publish_seq()
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": line, "character": 0},
                          "end": {"line": line, "character": len(current)}},
                "text": new,
            }],
        })
        current = new
        try:
            pub = client.wait_diagnostics(uri, after_seq=seq, version=version, timeout=60)
        except TimeoutError:
            timeouts += 1
            if timeouts >= 3:
                break
            continue
        latencies[kind].append((pub.time - sent) * 1000.0)
        counts[kind].add(len(pub.diagnostics))
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    client.wait_quiet(quiet=0.2, timeout=30)
    every = latencies["out_of_sync"] + latencies["in_sync"]
    return {
        "status": "ok" if every else "timeout",
        "file": big["file"],
        "lines": big["lines"],
        "references": big["references"],
        "open_diagnostics_ms": open_ms,
        "open_diagnostics_count": open_count,
        "edits": edits,
        "timeouts": timeouts,
        "samples_ms": every,
        "ms": stats(every),
        "out_of_sync_ms": stats(latencies["out_of_sync"]),
        "in_sync_ms": stats(latencies["in_sync"]),
        "diagnostic_counts": {k: sorted(v) for k, v in counts.items()},
    }


def wait_all_published(client, after_seq, uris, ok, timeout):
    """Waits until each of `uris` got a publishDiagnostics after `after_seq`
    whose diagnostics satisfy `ok`; returns the time of the last of those."""
    wanted = {normalize_uri(u) for u in uris}
    last = {}
    deadline = time.perf_counter() + timeout
    scanned = after_seq
    while True:
        pubs = client.publishes_since(scanned)
        scanned += len(pubs)
        for pub in pubs:
            if pub.uri in wanted:
                if ok(pub.diagnostics):
                    last[pub.uri] = pub.time
                else:
                    last.pop(pub.uri, None)
        if len(last) == len(wanted):
            return max(last.values())
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{len(wanted) - len(last)} of {len(wanted)} files not updated")
        time.sleep(0.001)


def measure_id_change(client, root, meta, runs):
    """An issue's ID changes: its file is renamed on disk (as `git mv` would
    do) and the client reports it through didChangeWatchedFiles. Measures
    the time until every one of the files naming the old ID reports it
    dangling, then, renamed back, until all of them are clean again."""
    files = issue_files(root)
    old = os.path.join(root, meta["target_file"])
    number = 10 * (len(files) + 1000) + 9
    new_id = meta["target"].rsplit("-", 1)[0] + f"-{number}"
    new = os.path.join(os.path.dirname(old), new_id + ".md")
    uris = [file_uri(os.path.join(root, files[r])) for r in meta["referrers"] if r in files]

    def dangling(diags):
        return any(d.get("code") == "dangling-dependency" and meta["target"] in d.get("message", "")
                   for d in diags)

    def clean(diags):
        return not dangling(diags)

    broken, restored = [], []
    try:
        for _ in range(runs):
            for (src, dst, ok, samples) in ((old, new, dangling, broken), (new, old, clean, restored)):
                seq = client.publish_seq()
                os.rename(src, dst)
                sent = time.perf_counter()
                client.notify("workspace/didChangeWatchedFiles", {"changes": [
                    {"uri": file_uri(src), "type": 3},
                    {"uri": file_uri(dst), "type": 1},
                ]})
                done = wait_all_published(client, seq, uris, ok, 60)
                samples.append((done - sent) * 1000.0)
                client.wait_quiet(quiet=0.2, timeout=30)
    except TimeoutError as err:
        return {"status": f"timeout: {err}", "samples_ms": broken + restored}
    finally:
        if os.path.exists(new) and not os.path.exists(old):
            os.rename(new, old)
    return {
        "status": "ok",
        "files": len(uris),
        "samples_ms": broken + restored,
        "ms": stats(broken + restored),
        "broken_ms": stats(broken),
        "restored_ms": stats(restored),
    }


def bench_lsp(binary, root, meta, sessions, edits, requests, renames, debounce_off, log_dir):
    settings = {"diagnostics": {"debounceMs": 0}} if debounce_off else {}
    runs = []
    for i in range(sessions):
        log(f"  lsp session {i + 1}/{sessions}" + (" (interactive)" if i == 0 else ""))
        runs.append(
            lsp_session(
                binary, root, meta, settings, i == 0, edits, requests, renames,
                os.path.join(log_dir, f"lsp-{os.path.basename(root)}-{i + 1}.log"),
            )
        )
    inter = runs[0]
    return {
        "workspace": root,
        "initialization_options": settings,
        "debounce": "disabled (debounceMs 0)" if debounce_off else f"server default ({server_debounce_ms()} ms)",
        "sessions": runs,
        "initialize_ms": stats([r["initialize_ms"] for r in runs]),
        "first_diagnostics_ms": stats([r["first_diagnostics_ms"] for r in runs]),
        "complete_diagnostics_ms": stats([r["complete_diagnostics_ms"] for r in runs]),
        "settled_ms": stats([r["settled_ms"] for r in runs]),
        "vm_hwm_after_index_mb": stats([r["vm_hwm_after_index_mb"] for r in runs]),
        "vm_rss_after_index_mb": stats([r["vm_rss_after_index_mb"] for r in runs]),
        "did_change": inter.get("did_change"),
        "memory": inter.get("memory"),
        "after_edit": inter.get("after_edit"),
        "workspace_symbol": inter.get("workspace_symbol"),
        "references": inter.get("references"),
        "big_file": inter.get("big_file"),
        "completion": inter.get("completion"),
        "hover": inter.get("hover"),
        "rename": inter.get("rename"),
        "id_change": inter.get("id_change"),
        "vm_hwm_end_mb": inter.get("vm_hwm_end_mb"),
    }


# -- report -------------------------------------------------------------------


def target_label(metric, size):
    target = TARGETS.get(metric) or {}
    if size not in target:
        return "—"
    unit = {"check.maxrss_mb": " MB", "ratio.check_over_parse": "x",
            "lsp.rss_after_edits_mb": " MB"}.get(metric, " ms")
    stat = "" if target["stat"] == "value" else target["stat"] + " "
    op = "≤" if target.get("op") == "<=" else "<"
    return f"{stat}{op} {target[size]:g}{unit}"


def judge(metric, size, value):
    target = TARGETS.get(metric) or {}
    if size not in target or value is None:
        return "—"
    ok = value <= target[size] if target.get("op") == "<=" else value < target[size]
    return "PASS" if ok else "**FAIL**"


def build_table(results, sizes, debounce_label):
    rows = []

    def row(label, size, median, p95, metric=None, fmt=fmt_ms, note="", text=None):
        target = target_label(metric, size)
        verdict = "—"
        if metric in TARGETS and median is not None:
            value = {"median": median, "p95": p95, "value": median}[TARGETS[metric]["stat"]]
            verdict = judge(metric, size, value)
        shown = text if text is not None else fmt(median)
        rows.append(
            f"| {label} | {size_name(size)} | {shown} | {fmt(p95) if p95 is not None else '—'} "
            f"| {target} | {verdict}{note} |"
        )

    def get(size, *path):
        node = results.get(str(size))
        for p in path:
            if node is None:
                return None
            node = node.get(p) if isinstance(node, dict) else None
        return node

    def each(label, path, metric=None, fmt=fmt_ms, note_fn=None, status_fn=None):
        for size in sizes:
            s = get(size, *path)
            note = note_fn(size) if note_fn else ""
            if isinstance(s, dict) and "median" in s:
                row(label, size, s["median"], s["p95"], metric, fmt=fmt, note=note)
            else:
                text = status_fn(size) if status_fn else None
                row(label, size, None, None, metric, fmt=fmt, note=note, text=text)

    each("`check --format json` wall", ("cli", "check", "wall_ms"), "check.wall_ms")
    each("`check` CPU time (user + sys)", ("cli", "check", "cpu_ms"))
    each("`check` peak RSS", ("cli", "check", "maxrss_mb"), "check.maxrss_mb", fmt_mb)
    each("`plan` wall", ("cli", "plan", "wall_ms"))
    each("`plan` peak RSS", ("cli", "plan", "maxrss_mb"), fmt=fmt_mb)
    each("floor: read all files (rayon)", ("cli", "floor", "read_ms"))
    each("floor: bare pulldown-cmark parse (rayon)", ("cli", "floor", "parse_ms"))
    for size in sizes:
        r = get(size, "cli", "ratios", "check_over_read")
        row("check / read (median / median)", size, r, None, fmt=fmt_x)
    for size in sizes:
        r = get(size, "cli", "ratios", "check_over_parse")
        row("check / bare parse (median / median)", size, r, None, "ratio.check_over_parse", fmt=fmt_x)
    for size in sizes:
        ph = get(size, "cli", "check_phases")
        text = None
        if isinstance(ph, dict) and "check_ms" in ph:
            text = " / ".join(
                f"{ph[k]:.0f}" for k in ("list_ms", "read_ms", "load_ms", "check_ms", "drop_ms")
            ) + " ms"
        row("`check` phases in-process, 1 run: list / read / parse+index / rules / free",
            size, None, None, text=text or "—")
    each("LSP `initialize` response", ("lsp", "initialize_ms"))
    each("LSP `initialized` → first publishDiagnostics of the opened file",
         ("lsp", "first_diagnostics_ms"), "lsp.first_diagnostics_ms")
    each("LSP `initialized` → opened file's complete (settled) diagnostics",
         ("lsp", "complete_diagnostics_ms"), "lsp.complete_diagnostics_ms")
    each("LSP indexing settled (no message for 0.5 s, info)", ("lsp", "settled_ms"))

    def na(size, key):
        s = get(size, "lsp", key)
        if isinstance(s, dict) and s.get("status") not in (None, "ok", "ok (empty hover)"):
            return s["status"]
        return None

    each(
        f"LSP didChange → publishDiagnostics ({debounce_label})",
        ("lsp", "did_change", "ms"),
        "lsp.did_change_ms",
    )
    each("LSP completion in a dependency field", ("lsp", "completion", "ms"), "lsp.completion_ms",
         status_fn=lambda s: na(s, "completion"))
    each("LSP hover on a dependency", ("lsp", "hover", "ms"), "lsp.hover_ms",
         status_fn=lambda s: na(s, "hover"))

    def rename_note(size):
        s = get(size, "lsp", "rename")
        if isinstance(s, dict) and s.get("status") == "ok":
            return f" ({s['files_in_edit']} files, {s['text_edits']} edits)"
        return ""

    each("LSP rename of an ID referenced from 100 files", ("lsp", "rename", "ms"), "lsp.rename_ms",
         note_fn=rename_note, status_fn=lambda s: na(s, "rename"))
    each("LSP an issue's ID changes (file renamed on disk) → its 100 referrers' diagnostics updated",
         ("lsp", "id_change", "ms"), "lsp.id_change_ms", status_fn=lambda s: na(s, "id_change"))

    def refs_note(size):
        s = get(size, "lsp", "references")
        if isinstance(s, dict) and s.get("status") == "ok":
            return f" ({s['locations']} locations in {s['files']} files)"
        return ""

    each("LSP references (with the declaration) of an ID named by 100 files",
         ("lsp", "references", "ms"), "lsp.references_ms",
         note_fn=refs_note, status_fn=lambda s: na(s, "references"))

    def symbols_note(size):
        q = get(size, "lsp", "workspace_symbol", "queries")
        if not q:
            return ""
        return " (" + ", ".join(f"`{x}`" if x else "empty" for x in q) + ")"

    each("LSP workspace symbols (queries: 3 letters of a title, an ID prefix, empty)",
         ("lsp", "workspace_symbol", "ms"), "lsp.workspace_symbol_ms",
         note_fn=symbols_note, status_fn=lambda s: na(s, "workspace_symbol"))
    each("LSP completion right after a didChange (no wait for diagnostics)",
         ("lsp", "after_edit", "completion", "ms"), "lsp.completion_after_edit_ms",
         status_fn=lambda s: na(s, "after_edit"))
    each("LSP hover right after a didChange (no wait for diagnostics)",
         ("lsp", "after_edit", "hover", "ms"), "lsp.hover_after_edit_ms",
         status_fn=lambda s: na(s, "after_edit"))

    def big_note(size):
        s = get(size, "lsp", "big_file")
        if isinstance(s, dict) and s.get("status") == "ok":
            return f" ({s['lines']} lines, {s['references']} references)"
        return ""

    each(f"LSP {BIG_LINES:,}-line index with {BIG_REFS:,} references: didChange → publishDiagnostics",
         ("lsp", "big_file", "ms"), "lsp.big_file_did_change_ms",
         note_fn=big_note, status_fn=lambda s: na(s, "big_file"))
    each("LSP server VmHWM after indexing", ("lsp", "vm_hwm_after_index_mb"), fmt=fmt_mb)
    each("LSP server VmRSS after indexing", ("lsp", "vm_rss_after_index_mb"), fmt=fmt_mb)
    for size in sizes:
        m = get(size, "lsp", "memory")
        if isinstance(m, dict):
            n = m["after_edits"]["edits"]
            row(f"LSP server VmRSS after {n} edits (growth since indexing)", size,
                m["after_edits"]["vm_rss_mb"], None, "lsp.rss_after_edits_mb", fmt=fmt_mb,
                note=f" ({m['rss_growth_mb']:+.1f} MB)")
        else:
            row(f"LSP server VmRSS after {MEMORY_EDITS} edits (growth since indexing)", size,
                None, None, "lsp.rss_after_edits_mb", fmt=fmt_mb)
    for size in sizes:
        m = get(size, "lsp", "memory")
        if isinstance(m, dict):
            n = m["after_edits"]["edits"]
            row(f"LSP server VmHWM after {n} edits (growth since indexing)", size,
                m["after_edits"]["vm_hwm_mb"], None, fmt=fmt_mb,
                note=f" ({m['hwm_growth_mb']:+.1f} MB)")
        else:
            row(f"LSP server VmHWM after {MEMORY_EDITS} edits (growth since indexing)", size,
                None, None, fmt=fmt_mb)
    for size in sizes:
        v = get(size, "lsp", "vm_hwm_end_mb")
        row("LSP server VmHWM at the end of the session", size, v, None, fmt=fmt_mb)

    for size in sizes:
        a = get(size, "cli", "check", "others_cpu_share")
        b = get(size, "lsp", "did_change", "others_cpu_share")
        text = " / ".join("—" if v is None else f"{v * 100:.0f}%" for v in (a, b))
        row("other processes' CPU share during `check` runs / LSP edits", size, None, None,
            text=text)
    header = [
        "| Measurement | Issues | Median | p95 | Target | Result |",
        "|---|---|---|---|---|---|",
    ]
    # 100k / 10k scaling
    scale_rows = []
    big, small = 100000, 10000
    for label, path, limit in (
        ("`check` wall 100k / 10k", ("cli", "check", "wall_ms"), SCALING_TARGETS["check.wall_ms"]),
        ("`check` CPU time 100k / 10k (information)", ("cli", "check", "cpu_ms"), None),
        ("`plan` wall 100k / 10k", ("cli", "plan", "wall_ms"), None),
        ("LSP first diagnostics 100k / 10k", ("lsp", "first_diagnostics_ms"), None),
        ("LSP complete diagnostics 100k / 10k", ("lsp", "complete_diagnostics_ms"), None),
        ("LSP didChange p95 100k / 10k", ("lsp", "did_change", "ms"), None),
    ):
        a, b = get(big, *path), get(small, *path)
        key = "p95" if "did_change" in path else "median"
        if isinstance(a, dict) and isinstance(b, dict) and b.get(key):
            ratio = a[key] / b[key]
            if limit is not None:
                verdict = "PASS" if ratio <= limit else "**FAIL**"
                target = f"<= {limit:g}x"
            else:
                verdict = target = "—"
            scale_rows.append(f"| {label} | 100k/10k | {ratio:.2f}x | — | {target} | {verdict} |")
        else:
            target = f"<= {limit:g}x" if limit else "—"
            scale_rows.append(f"| {label} | 100k/10k | not run | — | {target} | — |")
    return "\n".join(header + rows + scale_rows)


def summary_numbers(results):
    """A flat {name: number} of the headline numbers, for comparisons."""
    flat = {}
    for size, r in results.items():
        for path in (
            ("cli", "check", "wall_ms"), ("cli", "check", "cpu_ms"), ("cli", "check", "maxrss_mb"),
            ("cli", "plan", "wall_ms"), ("cli", "plan", "maxrss_mb"),
            ("cli", "floor", "read_ms"), ("cli", "floor", "parse_ms"),
            ("lsp", "initialize_ms"), ("lsp", "first_diagnostics_ms"),
            ("lsp", "complete_diagnostics_ms"), ("lsp", "settled_ms"),
            ("lsp", "vm_hwm_after_index_mb"), ("lsp", "did_change", "ms"),
            ("lsp", "completion", "ms"), ("lsp", "hover", "ms"), ("lsp", "rename", "ms"),
            ("lsp", "references", "ms"), ("lsp", "workspace_symbol", "ms"),
            ("lsp", "after_edit", "completion", "ms"), ("lsp", "after_edit", "hover", "ms"),
            ("lsp", "big_file", "ms"), ("lsp", "vm_rss_after_index_mb"),
        ):
            node = r
            for p in path:
                node = node.get(p) if isinstance(node, dict) else None
            if isinstance(node, dict) and "median" in node:
                name = ".".join(path[1:] if path[0] == "cli" else path)
                flat[f"{name}.median@{size}"] = node["median"]
                flat[f"{name}.p95@{size}"] = node["p95"]
        for k, v in ((r.get("cli") or {}).get("ratios") or {}).items():
            flat[f"ratio.{k}@{size}"] = v
        memory = (r.get("lsp") or {}).get("memory")
        if isinstance(memory, dict):
            flat[f"lsp.memory.vm_rss_after_edits_mb@{size}"] = memory["after_edits"]["vm_rss_mb"]
            flat[f"lsp.memory.vm_hwm_after_edits_mb@{size}"] = memory["after_edits"]["vm_hwm_mb"]
            flat[f"lsp.memory.rss_growth_mb@{size}"] = memory["rss_growth_mb"]
    return flat


def compare(base_path, flat):
    with open(base_path) as fh:
        base = json.load(fh)
    old = base.get("summary") or {}
    lines = [
        f"Compared with {base_path} ({base.get('commit', '?')[:10]}, {base.get('date', '?')}):",
        "",
        "| Number | Before | Now | Change |",
        "|---|---|---|---|",
    ]
    for key in sorted(flat):
        if key in old and old[key]:
            change = (flat[key] - old[key]) / old[key] * 100.0
            lines.append(f"| {key} | {old[key]:.2f} | {flat[key]:.2f} | {change:+.1f}% |")
    return "\n".join(lines)


def results_markdown(report):
    """bench/RESULTS.md: the table with the command, date and machine."""
    m = report["machine"]
    busy = [f"{size_name(int(k))}: {', '.join(v['busy'][:4])}"
            for k, v in report.get("busy", {}).items() if v.get("busy")]
    for k, r in report.get("results", {}).items():
        shares = {
            "`check` runs": ((r.get("cli") or {}).get("check") or {}).get("others_cpu_share"),
            "LSP edits": ((r.get("lsp") or {}).get("did_change") or {}).get("others_cpu_share"),
        }
        for what, share in shares.items():
            if share is not None and share > 0.10:
                busy.append(f"{size_name(int(k))} {what}: other processes used"
                            f" {share * 100:.0f}% of the CPU")
    lines = [
        "# Benchmark results",
        "",
        f"- command: `{report['command']}`",
        f"- date: {report['date']}",
        f"- commit: {report.get('commit')}" + (" (with uncommitted changes in the tree)"
                                              if report.get("dirty") else ""),
        f"- machine: {m.get('cores')} cores, {m.get('cpu', '?')}, {m.get('mem_total_mb', '?')} MB RAM,"
        f" Linux {m.get('kernel', '?')}",
        f"- LSP debounce: {report.get('debounce')}",
        "- other work on the machine during the run: " + ("; ".join(busy) if busy else "none seen"),
        "",
        report["table"],
        "",
        "Raw numbers: the JSON written by the command (not committed). See"
        " `bench/README.md` for what each line measures.",
        "",
    ]
    return "\n".join(lines)


# The line that opens the hand-written part of a results file: everything
# from it on is kept when the measured part is written again.
HAND_WRITTEN = "<!-- hand-written: kept when bench/run.py writes this file again -->"


def write_results_md(path, measured):
    """Writes the measured part of a results file, keeping its hand-written
    part (from the HAND_WRITTEN line on) when the file has one."""
    kept = ""
    try:
        with open(path) as fh:
            text = fh.read()
        at = text.find(HAND_WRITTEN)
        if at >= 0:
            kept = "\n" + text[at:]
    except FileNotFoundError:
        pass
    with open(path, "w") as fh:
        fh.write(measured + kept)


# -- main ---------------------------------------------------------------------


def build(no_build, cache):
    """Builds the release binary and copies it into the cache folder, so a
    build started by someone else during the run cannot swap it."""
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout
    )
    binary = os.path.join(meta["target_directory"], "release", "planmark")
    if not no_build:
        log("cargo build --release ...")
        started = time.perf_counter()
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
        log(f"  built in {time.perf_counter() - started:.1f} s")
    if not os.path.exists(binary):
        raise SystemExit(f"no release binary at {binary}")
    with open(binary, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    bin_dir = os.path.join(cache, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    copy = os.path.join(bin_dir, f"planmark-{digest}")
    if not os.path.exists(copy):
        shutil.copy2(binary, copy + ".tmp")
        os.rename(copy + ".tmp", copy)
    return copy


def alternate(binaries, sizes, workspaces, lsp_workspaces, runs, log_dir):
    """Runs each binary's `check --format json` (and, with the LSP
    workspaces, a short server session to the opened file's complete
    diagnostics) in turn, `runs` rounds, so that both see the same moments
    of a VM whose speed drifts; prints each one's range and median."""
    lines = ["| measure | size | " + " | ".join(f"`{os.path.basename(b)}` ({b})" for b in binaries) + " |",
             "|---|---|" + "---|" * len(binaries)]

    def cell(values, fmt):
        values = sorted(values)
        return f"{fmt(values[0])}–{fmt(values[-1])} (median {fmt(statistics.median(values))})"

    for n in sizes:
        walls = {b: [] for b in binaries}
        rss = {b: [] for b in binaries}
        cpu = {b: [] for b in binaries}
        complete = {b: [] for b in binaries}
        log(f"== {n} issues: {runs} alternating rounds")
        for _ in range(runs):
            for b in binaries:
                r = run_cold([b, "check", workspaces[n], "--format", "json"])
                if r["exit"] not in (0, 1):
                    raise SystemExit(f"{b} check failed: {r['stderr']}")
                walls[b].append(r["wall_ms"])
                rss[b].append(r["maxrss_mb"])
                cpu[b].append(r["user_ms"] + r["sys_ms"])
        if lsp_workspaces:
            root, meta = lsp_workspaces[n]
            for _ in range(runs):
                for b in binaries:
                    session = lsp_session(
                        b, root, meta, {"diagnostics": {"debounceMs": 0}}, False, 5, 3, 0,
                        os.path.join(log_dir, "alternate.log"),
                    )
                    if session.get("complete_diagnostics_ms") is not None:
                        complete[b].append(session["complete_diagnostics_ms"])
        name = size_name(n)
        lines.append(f"| `check --format json` wall | {name} | "
                     + " | ".join(cell(walls[b], fmt_ms) for b in binaries) + " |")
        lines.append(f"| `check` CPU time (user + sys) | {name} | "
                     + " | ".join(cell(cpu[b], fmt_ms) for b in binaries) + " |")
        lines.append(f"| `check` peak RSS | {name} | "
                     + " | ".join(cell(rss[b], fmt_mb) for b in binaries) + " |")
        if all(complete[b] for b in binaries):
            lines.append(f"| LSP opened file's complete diagnostics after start | {name} | "
                         + " | ".join(cell(complete[b], fmt_ms) for b in binaries) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1k and 10k issues only (< 2 minutes)")
    ap.add_argument("--out", default="bench-results/latest.json", help="where to write the raw JSON")
    ap.add_argument("--sizes", help="comma-separated issue counts (overrides --quick)")
    ap.add_argument("--cache-dir", default=os.environ.get("PLANMARK_BENCH_CACHE", "/tmp/planmark-bench"),
                    help="where generated workspaces are kept and reused (default /tmp/planmark-bench)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--defects", type=float, default=0.05)
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release/planmark")
    ap.add_argument("--no-lsp", action="store_true", help="skip the language-server measurements")
    ap.add_argument("--edits", type=int, default=200, help="didChange edits (default 200)")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="wait up to SECONDS for other compilations to finish before measuring")
    ap.add_argument("--compare", metavar="BASE.json", help="also print changes against an earlier result")
    ap.add_argument("--results-md", metavar="PATH",
                    help="also write the table with the command and date (bench/RESULTS.md)")
    ap.add_argument("--alternate", metavar="OTHER_BINARY",
                    help="measure nothing else: run `check` (and a short server session) with this"
                    " binary and the built one in turn, --runs rounds, and print both")
    ap.add_argument("--runs", type=int, default=5, help="rounds for --alternate (default 5)")
    ap.add_argument("--render", metavar="RESULT.json",
                    help="measure nothing: print the table of an earlier result (and --results-md)")
    args = ap.parse_args()

    if args.render:
        with open(args.render) as fh:
            report = json.load(fh)
        sizes = [int(s) for s in report["sizes"]]
        report["table"] = build_table(report["results"], sizes, report["debounce"])
        print(report["table"])
        if args.results_md:
            write_results_md(args.results_md, results_markdown(report))
        return

    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    started = time.perf_counter()
    machine = machine_info()
    print(f"planmark benchmark — {machine['cores']} cores"
          f" ({machine.get('usable_cores')} usable), {machine.get('cpu', '?')},"
          f" {machine.get('mem_total_mb', '?')} MB RAM", flush=True)

    build_started = time.perf_counter()
    os.makedirs(args.cache_dir, exist_ok=True)
    binary = build(args.no_build, args.cache_dir)
    build_s = time.perf_counter() - build_started
    workspaces = {n: generate(args.cache_dir, n, args.seed, args.defects) for n in sizes}
    lsp_workspaces = {} if args.no_lsp else {n: lsp_copy(args.cache_dir, workspaces[n]) for n in sizes}
    log_dir = os.path.join(args.cache_dir, "logs")
    os.makedirs(log_dir, exist_ok=True)
    if args.alternate:
        other = os.path.abspath(args.alternate)
        if not os.access(other, os.X_OK):
            raise SystemExit(f"--alternate: {args.alternate} is not an executable file")
        run_cold(["/bin/true"])  # start the spawner
        print(alternate([other, binary], sizes, workspaces, lsp_workspaces, args.runs, log_dir))
        if SPAWN is not None:
            SPAWN.close()
        return

    debounce_off = server_supports_debounce_option()
    debounce = server_debounce_ms()
    debounce_label = (
        "debounce disabled with `debounceMs: 0`"
        if debounce_off
        else f"includes the server's {debounce if debounce is not None else '~50'} ms debounce,"
        " which no setting disables"
    )

    results = {}
    busy_log = {}
    waited = 0.0
    run_cold(["/bin/true"])  # start the spawner
    for n in sizes:
        wait_started = time.perf_counter()
        busy, cpu = wait_idle(args.wait_idle) if args.wait_idle else machine_load()
        if args.wait_idle:
            waited += time.perf_counter() - wait_started
        load = os.getloadavg()
        if busy:
            log(f"warning: the machine is busy ({', '.join(busy[:6])}); numbers are noisy")
        busy_log[str(n)] = {"busy": busy, "cpu_busy_before": cpu, "loadavg": load}
        runs = 3 if n >= 100000 else 5
        log(f"== {n} issues ({runs} runs), load average {load[0]:.2f}")
        entry = {"workspace": workspace_info(workspaces[n]), "runs": runs}
        with open(os.path.join(workspaces[n], ".planted.json")) as fh:
            entry["planted"] = json.load(fh)
        entry["cli"] = bench_cli(binary, workspaces[n], runs)
        if not args.no_lsp:
            root, meta = lsp_workspaces[n]
            requests = 100
            renames = 3 if n >= 100000 else 5
            # Each session indexes the whole workspace; --quick keeps to 3
            # so that the suite stays under two minutes.
            sessions = 3 if args.quick or n >= 100000 else 5
            try:
                entry["lsp"] = bench_lsp(
                    binary, root, meta, sessions, args.edits, requests, renames, debounce_off,
                    log_dir,
                )
            except (LspError, TimeoutError, OSError) as err:
                log(f"  lsp failed: {err}")
                entry["lsp"] = {"error": str(err)}
        results[str(n)] = entry

    table = build_table(results, sizes, debounce_label)
    flat = summary_numbers(results)
    elapsed = time.perf_counter() - started - waited
    report = {
        "schema": SCHEMA,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "command": " ".join(["python3", "bench/run.py", *sys.argv[1:]]),
        "machine": machine,
        "binary": binary,
        "sizes": sizes,
        "debounce": debounce_label,
        "busy": busy_log,
        "targets": {k: {str(s): v for s, v in t.items()} for k, t in TARGETS.items()},
        "scaling_targets": SCALING_TARGETS,
        "elapsed_s": elapsed,
        "waited_idle_s": waited,
        "build_s": build_s,
        "spawner_hwm_mb": SPAWN.hwm_mb() if SPAWN else None,
        "results": results,
        "summary": flat,
        "table": table,
    }
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    if os.path.basename(out_dir) == "bench-results" and not os.path.exists(
        os.path.join(out_dir, ".gitignore")
    ):
        with open(os.path.join(out_dir, ".gitignore"), "w") as fh:
            fh.write("# benchmark results are not committed (see bench/RESULTS.md)\n*\n")
    with open(args.out, "w") as fh:
        json.dump(report, fh, indent=1)

    if args.results_md:
        write_results_md(args.results_md, results_markdown(report))
    print()
    print(table)
    print()
    print(f"{len(sizes)} sizes in {elapsed:.0f} s ({build_s:.0f} s of it building)"
          + (f", plus {waited:.0f} s waiting for an idle machine" if waited >= 1 else "")
          + f"; raw numbers in {args.out}")
    if any(busy_log[s]["busy"] for s in busy_log):
        print("note: the machine was busy with other work during the measurements:",
              "; ".join(f"{size_name(int(k))}: {', '.join(v['busy'][:4])}"
                        for k, v in busy_log.items() if v["busy"]))
    if args.compare:
        print()
        print(compare(args.compare, flat))
    if SPAWN is not None:
        SPAWN.close()


if __name__ == "__main__":
    main()
