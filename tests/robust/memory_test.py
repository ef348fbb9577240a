"""Memory is estimated before it is spent (tools/scenario/memory_limit.hpp): runs that cannot fit
are refused with exit 2, the estimate part by part and the key to change, before they allocate;
--max-memory sets the limit and its default respects a control group's limit (a Slurm job's
--mem); and the estimate is close to the peak memory a run really takes.

    /usr/bin/python3 tests/robust/memory_test.py build/release/tools/innosim
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SANITIZED = bool(os.environ.get("INNOSIM_SANITIZED"))
# Peaks are compared with the estimate for release builds only (sanitizers and Debug builds take
# other amounts of memory).
RELEASE = not SANITIZED and not os.environ.get("INNOSIM_UNOPTIMISED")
MiB = 1024 * 1024


def little_memory():
    if not SANITIZED:  # sanitizers reserve terabytes of address space
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: enough for a refusal


def innosim(args, preexec=None, timeout=120):
    return subprocess.run([INNOSIM, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          preexec_fn=preexec)


def refused(what, args, *messages, preexec=little_memory):
    try:
        p = innosim(args, preexec, timeout=60)
    except subprocess.TimeoutExpired:
        check(False, f"{what}: still running after 60 s")
        return None
    check(p.returncode == 2, f"{what}: exit {p.returncode}, expected 2\n{p.stderr}")
    for m in messages:
        check(re.search(m, p.stderr, re.S) is not None, f"{what}: no '{m}' in {p.stderr!r}")
    return p


def estimate_bytes(args):
    """The estimate for exactly these options: what a --max-memory 1K refusal says."""
    p = innosim([*args, "--max-memory", "1K"])
    m = re.search(r"needs about ([0-9.]+) (KiB|MiB|GiB)", p.stderr)
    check(p.returncode == 2 and m is not None, f"{args}: no estimate in {p.stderr!r}")
    if m is None:
        return None
    return float(m.group(1)) * {"KiB": 1024, "MiB": MiB, "GiB": 1024 * MiB}[m.group(2)]


def peak_bytes(args):
    """Peak resident memory of a run, as innosim reports it (VmHWM: this program's own peak,
    not the forked copy of the Python process that launched it)."""
    p = innosim([*args, "--quiet"])
    check(p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stderr}")
    m = re.search(r"peak memory ([0-9.]+) (KiB|MiB|GiB)\)", p.stderr)
    check(m is not None, f"{args}: no peak memory in {p.stderr!r}")
    return float(m.group(1)) * {"KiB": 1024, "MiB": MiB, "GiB": 1024 * MiB}[m.group(2)] if m else 0.0


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def synthetic(tmp, name, owners, counties, institutions, researchers=20, extends="baseline", rd_min_weight=0.05):
    side = int((owners * 1080) ** 0.5)  # Norway's density: 1,080 km2 a municipality
    return write(tmp, name, f"""description: A synthetic world of {owners} municipalities.
extends: {extends}
world:
  source: synthetic
  synthetic_owners: {owners}
  synthetic_counties: {counties}
  synthetic_institutions: {institutions}
  synthetic_side_km: {side}
  synthetic_researchers_per_institution: {researchers}
  rd_min_weight: {rd_min_weight}
diffusion:
  p_per_year: {0.04 * 371 / owners:.6g}
run:
  replicates: 1
""")


with tempfile.TemporaryDirectory() as tmp:
    # 1. The largest world the parameters allow: refused at once, by run and by scenario check.
    huge = write(tmp, "huge.yaml", """description: The largest synthetic world the ranges allow.
extends: baseline
world:
  source: synthetic
  synthetic_owners: 2000000
  synthetic_counties: 10000
  synthetic_institutions: 1000000
  synthetic_researchers_per_institution: 10000
""")
    parts = r"TiB at its peak.*world: 2\.01e\+06 owners.*world: 1\.42e\+10 researchers.*world: networks.*most of it is"
    refused("run, the largest world", ["run", huge], r"huge\.yaml:[0-9]+:[0-9]+: this run needs about", parts,
            r"make it smaller with world\.rd_min_weight")
    refused("check, the largest world", ["scenario", "check", huge], r"huge\.yaml:[0-9]+:[0-9]+: this run needs about",
            parts)
    # scenario check takes the limit and the threads a run would be given.
    refused("check --max-memory 1M", ["scenario", "check", "baseline", "--max-memory", "1M", "-t", "2"],
            r"baseline\.yaml: this run needs about [0-9]+ MiB at its peak, more than the limit of 1 MiB")
    p = innosim(["scenario", "check", "baseline", "-t", "1"])
    check(p.returncode == 0 and "on 1 thread)" in p.stdout, f"scenario check -t 1:\n{p.stdout}{p.stderr}")
    # Without a limit the researchers still cannot be agents: refused before the world is built.
    many = synthetic(tmp, "researchers.yaml", 1000, 10, 200000, researchers=10000)
    refused("run, more researchers than agent ids", ["run", many, "--max-memory", "unlimited"],
            r"researchers\.yaml:[0-9]+:[0-9]+: the institutions would employ more than 1000000000 researchers")

    # 2. --max-memory: a limit any run exceeds, in every command that runs.
    refused("run --max-memory 1M", ["run", "baseline", "--max-memory", "1M"],
            r"baseline\.yaml: this run needs about [0-9]+ MiB at its peak, more than the limit of 1 MiB "
            r"\(--max-memory 1M\)", r"the program and its libraries")
    refused("compare --max-memory 1M", ["compare", "baseline", "no-programme", "--no-output", "--max-memory", "1M"],
            r"more than the limit of 1 MiB", r"baseline, world: networks", r"no-programme, world: networks")
    sweep = os.path.join(ROOT, "scenarios", "sweeps", "budget-grid.yaml")
    refused("sweep --max-memory 1M", ["sweep", sweep, "-o", os.path.join(tmp, "s.h5"), "--max-memory", "1M"],
            r"budget-grid\.yaml: point [0-9]+: this run needs about")
    check(not os.path.exists(os.path.join(tmp, "s.h5.journal")), "a refused sweep left its journal")
    p = innosim(["sweep", sweep, "-o", os.path.join(tmp, "s.h5"), "--dry-run", "-t", "2"])
    check(p.returncode == 0 and re.search(r"memory: about [0-9]+ MiB at its peak on 2 threads", p.stdout),
          f"sweep --dry-run shows no memory estimate:\n{p.stdout}{p.stderr}")
    p = innosim(["scenario", "check", "baseline"])
    check(p.returncode == 0 and re.search(r"baseline: ok .*; about [0-9]+ MiB at its peak on [0-9]+ threads?\)",
                                          p.stdout), f"scenario check shows no estimate:\n{p.stdout}{p.stderr}")
    for bad, why in [("abc", "not a number"), ("0", "must be more than 0"), ("150%", "a share above 100 %"),
                     ("5X", "unknown unit 'X'"), ("4000", r"a size needs a unit \(such as 4000M or 4000G\)")]:
        refused(f"--max-memory {bad}", ["run", "baseline", "-r", "2", "--max-memory", bad],
                rf"--max-memory '{re.escape(bad)}': {why}; give a size such as 6G")
    # A key the user did not set (inherited from a built-in) is not located in the user's file.
    small_world = write(tmp, "small.yaml", "description: Norway, fewer replicates.\nextends: baseline\n"
                        "run: {replicates: 2}\n")
    refused("run of a file extending baseline", ["run", small_world, "--max-memory", "1M"],
            r"^small\.yaml: this run needs about|/small\.yaml: this run needs about")
    p = innosim(["run", "baseline", "-r", "2", "--quiet", "--max-memory", "unlimited"])
    check(p.returncode == 0, f"--max-memory unlimited: exit {p.returncode}\n{p.stderr}")
    classic = write(tmp, "big-graph.yaml", """description: A graph too big for any limit of 1 GiB.
model: {type: independent_cascade}
graph: {type: barabasi_albert, nodes: 100000000, edges_per_node: 10}
run: {seed: 1, replicates: 2, steps: 10}
""")
    refused("classic run over the limit", ["run", classic, "--max-memory", "1G"],
            r"big-graph\.yaml:3:[0-9]+: this run needs about [0-9.]+ GiB .*graph of 1e\+08 nodes")

    # 3. The estimate against measured peaks (release builds).
    if RELEASE:
        ten = synthetic(tmp, "ten.yaml", 10000, 400, 200)
        edges = os.path.join(tmp, "edges.txt")
        with open(edges, "w") as f:
            # 300,000 distinct edges on 60,000 nodes, from a fixed linear congruential sequence.
            seen, x = set(), 12345
            while len(seen) < 300000:
                x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
                a, b = (x >> 20) % 60000, (x >> 40) % 60000
                if a != b and (min(a, b), max(a, b)) not in seen:
                    seen.add((min(a, b), max(a, b)))
                    f.write(f"{a} {b}\n")
        listed = write(tmp, "listed.yaml", f"""description: An edge list.
model: {{type: independent_cascade, p_transmit: 0.2}}
graph: {{type: edge_list, path: {edges}}}
run: {{seed: 1, replicates: 2, steps: 30}}
""")
        ba = write(tmp, "ba.yaml", """description: A scale-free graph.
model: {type: independent_cascade, p_transmit: 0.05}
graph: {type: barabasi_albert, nodes: 300000, edges_per_node: 5}
run: {seed: 1, replicates: 4, steps: 50}
""")
        # Worlds where one part dominates: researchers (agents and research ties), and the rd
        # layer with every owner-institution tie kept.
        researchers = synthetic(tmp, "researchers-heavy.yaml", 1000, 40, 40, researchers=5000)
        rd_heavy = synthetic(tmp, "rd-heavy.yaml", 5000, 200, 100, rd_min_weight=0)
        for args in (["run", "baseline", "-r", "4", "-t", "2"], ["run", ten, "-t", "1"], ["run", ten, "-t", "2", "-r", "2"],
                     ["run", researchers, "-t", "1"], ["run", rd_heavy, "-t", "1"],
                     ["run", ba, "-t", "2"], ["run", listed, "-t", "2"]):
            est = estimate_bytes(args)
            peak = peak_bytes(args)
            print(f"{' '.join(os.path.basename(a) for a in args)}: estimate {est / MiB:.0f} MiB, peak {peak / MiB:.0f} MiB")
            if est is not None:
                check(peak <= est <= 2 * peak,
                      f"{args}: estimate {est / MiB:.0f} MiB for a peak of {peak / MiB:.0f} MiB (not within 1-2x)")

    # 4. In a control group with a memory limit (as in a Slurm job with --mem), the default
    # limit is 80 % of its headroom: a run that fits the machine but not the group is refused.
    group = None
    candidates = []
    controllers = "/sys/fs/cgroup/cgroup.controllers"  # cgroup v2 at /sys/fs/cgroup, with memory
    if os.path.exists(controllers) and "memory" in open(controllers).read().split():
        candidates.append(("/sys/fs/cgroup", "memory.max"))
    if os.path.exists("/sys/fs/cgroup/memory/memory.limit_in_bytes"):  # cgroup v1
        candidates.append(("/sys/fs/cgroup/memory", "memory.limit_in_bytes"))
    for root, limit_file in candidates:
        # Groups left by an earlier run of this test that was killed: removed when their
        # process is gone (an empty group can be removed; one with processes cannot).
        for name in os.listdir(root):
            m = re.fullmatch(r"innosim-memory-test-([0-9]+)", name)
            if m and not os.path.exists(f"/proc/{m.group(1)}"):
                try:
                    os.rmdir(os.path.join(root, name))
                except OSError:
                    pass
        candidate = os.path.join(root, f"innosim-memory-test-{os.getpid()}")
        try:
            os.mkdir(candidate)
        except OSError:
            continue
        try:
            if not os.path.exists(os.path.join(candidate, "cgroup.procs")):
                raise OSError("not a control group")
            with open(os.path.join(candidate, limit_file), "w") as f:
                f.write(str(200 * MiB))
            group = candidate
            break
        except OSError:
            os.rmdir(candidate)
    if group is None:
        print("skipped: no writable memory control group here (needs root and cgroup v1 or v2 memory)")
    else:
        def enter():
            with open(os.path.join(group, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
        try:
            thirty = synthetic(tmp, "thirty.yaml", 30000, 1200, 600)
            refused("run in a 200 MiB control group", ["run", thirty, "-t", "1"],
                    r"more than the limit of [0-9]+ MiB \(80 % of the [0-9]+ MiB available now", preexec=enter)
            if RELEASE:  # a sanitized or Debug build may not fit the group's 200 MiB
                p = subprocess.run([INNOSIM, "run", "baseline", "-r", "2", "--quiet"], capture_output=True,
                                   text=True, cwd=ROOT, preexec_fn=enter, timeout=120)
                check(p.returncode == 0, f"baseline in a 200 MiB control group: exit {p.returncode}\n{p.stderr}")
        finally:
            os.rmdir(group)

finish()
