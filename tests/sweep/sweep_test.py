"""innosim sweep end to end: the result file's layout, thread independence, resuming after
kill -9, SIGTERM and SIGINT, the lock, shards and merge, Slurm's array variables, bad input,
and sensitivity analysis stored in the file.

    python3 tests/sweep/sweep_test.py build/release/tools/innosim
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
import h5py  # noqa: E402
import numpy as np  # noqa: E402
from harness import INNOSIM, check, finish, run, text  # noqa: E402
from same import differences  # noqa: E402

SWEEP = os.path.join(HERE, "small.yaml")
tmp = tempfile.mkdtemp(prefix="innosim-sweep-")


def path(name):
    return os.path.join(tmp, name)


def start(*args, env=None):
    return subprocess.Popen([INNOSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def same(a, b, what):
    d = differences(a, b)
    check(not d, f"{what}: {len(d)} difference(s) from the one-process file: {d[:5]}")


def leftovers(output):
    return [n for n in os.listdir(os.path.dirname(output)) if n.startswith(os.path.basename(output) + ".")]


# A run's journal record: framing, totals and 6 years of 215 indicators (keep: yearly).
RECORD_BYTES = 16 + 8 * 215 * 7 + 4 + 8


def wait_for_journal(output, records, timeout=60):
    """Waits until the journal holds about `records` records."""
    journal = output + ".journal"
    t0 = time.time()
    while time.time() - t0 < timeout:
        if os.path.exists(journal) and os.path.getsize(journal) > 100 + records * RECORD_BYTES:
            return True
        time.sleep(0.02)
    return False


# 1. The reference, and what it holds.
ref = path("ref.h5")
p = run("sweep", SWEEP, "-o", ref, "-q")
check("72 runs" in p.stdout, f"the summary names the runs: {p.stdout}")
with h5py.File(ref, "r") as f:
    check(text(f.attrs["kind"]) == "sweep", "kind is sweep")
    s = f["sweep"]
    check(int(s.attrs["points"]) == 24 and int(s.attrs["replicates"]) == 3 and int(s.attrs["runs"]) == 72,
          "24 points x 3 replicates")
    runs, points, reps = f["runs/run"][()], f["runs/point"][()], f["runs/replicate"][()]
    check(list(runs) == list(range(72)), "runs in order 0..71")
    check((points == runs // 3).all() and (reps == runs % 3).all(), "run = point x replicates + replicate")
    names = [text(n) for n in f["indicators/name"][()]]
    totals = f["runs/totals"][()]
    check(totals.shape == (72, len(names)), f"totals [run, indicator]: {totals.shape}")
    check(f["runs/yearly"].shape == (72, 6, len(names)), "yearly [run, year, indicator] (keep: yearly)")
    check("series" not in f["runs"], "no monthly series unless keep: series")
    mean = f["points/mean"][()]
    check(np.allclose(mean, totals.reshape(24, 3, -1).mean(axis=1), rtol=1e-12, atol=1e-12),
          "points/mean is the mean of each point's replicates")
    unit, values = s["unit"][()], s["values"][()]
    keys = [text(k) for k in s["factors/key"][()]]
    check(keys == ["programme.budget_mnok_per_year", "diffusion.q_per_year", "programme.ip_min_municipalities",
                   "arenas.conference"], f"factor order: {keys}")
    for i in range(4):
        cells = np.floor(unit[:, i] * 24).astype(int)
        check(sorted(cells) == list(range(24)), f"Latin hypercube: factor {i} hits each of its 24 cells once")
    check(np.allclose(values[:, 0], 30 + unit[:, 0] * 90, rtol=1e-15), "a uniform factor is min + u (max - min)")
    check(np.allclose(values[:, 1], np.exp(np.log(1) + unit[:, 1] * (np.log(4) - np.log(1))), rtol=1e-12),
          "a loguniform factor is uniform in its logarithm")
    check(set(values[:, 2]) <= {1.0, 2.0, 3.0} and set(values[:, 3]) == {0.0, 1.0},
          "integer and boolean factors take their levels")
    i = names.index("money_committed_mnok")
    # More budget commits more money, on average (a sanity check of the factor reaching the model).
    slope = np.polyfit(values[:, 0], mean[:, i], 1)[0]
    check(slope > 0, f"committed money grows with the budget (slope {slope})")
    check(text(s["sweep_file"][()]).startswith("description:"), "the sweep file is stored")

# 2. Threads do not matter.
one = path("one-thread.h5")
run("sweep", SWEEP, "-o", one, "-q", "-t", "1")
same(ref, one, "one thread")

# 3. kill -9 at random moments, then resume.
killed = path("killed.h5")
rng = random.Random(20261130)
for attempt, records in enumerate((2, 20, 45)):
    proc = start("sweep", SWEEP, "-o", killed, "-q")
    wait_for_journal(killed, records)
    time.sleep(rng.uniform(0, 0.05))  # sometimes in the middle of an append
    proc.kill()
    proc.wait()
    if os.path.exists(killed):
        same(ref, killed, f"kill -9 #{attempt} after the end")
        break
    check(os.path.exists(killed + ".journal"), "the journal survives kill -9")
    check(not any(n.endswith(".h5") and "tmp" not in n for n in leftovers(killed)),
          "nothing under the final name while unfinished")
p = run("sweep", SWEEP, "-o", killed, "-q")
same(ref, killed, "resumed after kill -9")
check(not [n for n in leftovers(killed) if not n.startswith("killed.h5.tmp-")],
      f"journal and lock removed when done: {leftovers(killed)}")
p = run("sweep", SWEEP, "-o", killed)
check("nothing to do" in p.stdout, "a finished sweep run again does nothing")

# 4. SIGTERM and SIGINT stop within seconds with their exit codes, and resume.
for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
    out = path(f"signal-{code}.h5")
    proc = start("sweep", SWEEP, "-o", out, "-q")
    check(wait_for_journal(out, 3), "the journal fills")
    t0 = time.time()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    stopped = time.time() - t0
    check(proc.returncode == code, f"exit {proc.returncode} after {sig.name}, expected {code}: {err}")
    check(stopped < 5, f"stopped {stopped:.2f} s after {sig.name}")
    check("Run the same command again" in err, "says how to continue")
    check(not os.path.exists(out), "no result file after a stop")
    p = run("sweep", SWEEP, "-o", out, "-q")
    same(ref, out, f"resumed after {sig.name}")

# 5. Two drivers on one output: the second is refused, the first finishes.
out = path("two.h5")
first = start("sweep", SWEEP, "-o", out, "-q")
check(wait_for_journal(out, 1), "the first driver started")
p = run("sweep", SWEEP, "-o", out, "-q", expect=1)
check("held by another innosim" in p.stderr, f"the second driver names the holder: {p.stderr}")
first.communicate(timeout=300)
check(first.returncode == 0, "the first driver finishes")
same(ref, out, "the first driver's file")

# 6. Shards into parts, merged: the one-process file. A part is refused when missing or foreign.
parts = []
for i in range(3):
    run("sweep", SWEEP, "-o", path("sharded.h5"), "--shard", f"{i}/3", "-q")
    parts.append(path(f"sharded.part-{i:04d}-of-0003.h5"))
check(all(os.path.exists(p) for p in parts), "each shard writes its part")
with h5py.File(parts[1], "r") as f:
    check(text(f.attrs["kind"]) == "sweep-part" and list(f["runs/run"][()]) == list(range(1, 72, 3)),
          "part 1 of 3 holds runs 1, 4, 7, ...")
merged = path("merged.h5")
run("merge", *parts, "-o", merged)
same(ref, merged, "merged parts")
p = run("merge", parts[0], parts[2], "-o", path("m2.h5"), expect=2)
check("missing: 1" in p.stderr, f"a missing part is named: {p.stderr}")
p = run("merge", parts[0], parts[0], parts[1], "-o", path("m3.h5"), expect=2)
check("given twice" in p.stderr, "a part given twice is refused")
other = path("other.yaml")
with open(SWEEP) as f, open(other, "w") as g:
    g.write(f.read().replace("seed: 4242", "seed: 4243"))
run("sweep", other, "-o", path("other.h5"), "--shard", "2/3", "-q")
p = run("merge", parts[0], parts[1], path("other.part-0002-of-0003.h5"), "-o", path("m4.h5"), expect=2)
check("different sweeps" in p.stderr, f"a part of another sweep is refused: {p.stderr}")
check(not os.path.exists(path("m4.h5")), "no merged file after a refusal")

# 7. Slurm's array variables choose the shard.
env = dict(os.environ, SLURM_ARRAY_TASK_ID="5", SLURM_ARRAY_TASK_MIN="4", SLURM_ARRAY_TASK_COUNT="3")
proc = start("sweep", SWEEP, "-o", path("array.h5"), "-q", env=env)
proc.communicate(timeout=300)
check(proc.returncode == 0 and os.path.exists(path("array.part-0001-of-0003.h5")),
      "SLURM_ARRAY_TASK_ID 5 of an array starting at 4 runs part 1 of 3")
same(parts[1], path("array.part-0001-of-0003.h5"), "the array task's part")

# 8. Bad input: exit 2, file:line:column, what was expected.
bad = path("bad.yaml")
for body, expected in [
    ("base: baseline\nreplicates: 2\ndesign: {type: grid}\nfactors:\n"
     "  programme.budget_mnok_per_yaer: {min: 30, max: 120, count: 2}\n",
     "bad.yaml:5:3: 'programme.budget_mnok_per_yaer' is not a parameter of the programme model (did you mean "
     "'programme.budget_mnok_per_year'?)"),
    ("base: baseline\nreplicate: 2\ndesign: {type: grid}\nfactors:\n  arenas.conference: {levels: [true]}\n",
     "bad.yaml:2:1: unknown key 'replicate' (did you mean 'replicates'?)"),
    ("base: baseline\nreplicates: 2\ndesign: {type: latin_hypercube, points: 3}\nfactors:\n"
     "  programme.share_arenas: {min: 0.1, max: 0.5}\n", "they must add up to 1"),
    ("base: baseline\nreplicates: 2\ndesign: {type: grid}\nfactors:\n"
     "  programme.budget_mnok_per_year: {min: 30, max: 120}\n", "a grid needs levels or count"),
    ("base: basline\nreplicates: 2\ndesign: {type: grid}\nfactors:\n  arenas.conference: {levels: [true]}\n",
     "did you mean 'baseline'"),
    ("base: baseline\nreplicates: 2\ndesign: {type: morris, trajectories: 4, levels: 3}\nfactors:\n"
     "  diffusion.q_per_year: {min: 0.1, max: 1}\n", "must be even"),
]:
    with open(bad, "w") as f:
        f.write(body)
    p = run("sweep", bad, "-o", path("bad.h5"), expect=2)
    check(expected in p.stderr, f"expected '{expected}' in: {p.stderr}")
    check(not os.path.exists(path("bad.h5")) and not os.path.exists(path("bad.h5.journal")),
          "bad input writes nothing")
p = run("sweep", other, "-o", ref, "-q", expect=2)
check("another sweep" in p.stderr, "an output holding another sweep's results is not overwritten")

# 9. Sensitivity analysis: a Saltelli sweep gives Sobol indices, stored in the file; a Morris
# sweep gives elementary effects; the wrong design is refused.
def two_factor_sweep(name, design):
    """A sweep file of budget and p over 3 years, one replicate per point."""
    with open(path(name), "w") as f:
        f.write(f"base: baseline\nreplicates: 1\nyears: 3\nseed: 5\ndesign: {design}\n"
                "factors:\n  programme.budget_mnok_per_year: {min: 10, max: 200}\n"
                "  diffusion.p_per_year: {min: 0.001, max: 0.05}\n")
    return path(name)


sobol = two_factor_sweep("sobol.yaml", "{type: saltelli, base_rows: 8}")
run("sweep", sobol, "-o", path("sobol.h5"), "-q")
p = run("analyse", "sobol", path("sobol.h5"), "--bootstrap", "200")
check("first order S" in p.stdout and "money_committed_mnok" in p.stdout, f"a Sobol table: {p.stdout}")
with h5py.File(path("sobol.h5"), "r") as f:
    t = f["analysis/sobol"]
    check(len(t["factor"]) == 10 and "total_high" in t, "10 rows (5 outputs x 2 factors) with intervals")
    rows = {(text(o), text(k)): (a, b) for o, k, a, b in
            zip(t["output"][()], t["factor"][()], t["first"][()], t["total"][()])}
    budget = rows[("money_committed_mnok", "programme.budget_mnok_per_year")]
    check(budget[1] > 0.5, f"money committed depends mostly on the budget (ST = {budget[1]:.2f})")
run("analyse", "morris", path("sobol.h5"), expect=2)
morris = two_factor_sweep("morris.yaml", "{type: morris, trajectories: 4}")
run("sweep", morris, "-o", path("morris.h5"), "-q")
p = run("analyse", "morris", path("morris.h5"), "--output-indicator", "money_committed_mnok")
check("mu*" in p.stdout, "a Morris table")
with h5py.File(path("morris.h5"), "r") as f:
    check(len(f["analysis/morris/factor"]) == 2, "two Morris rows stored")

# 10. The Slurm script is ready to submit: it names the sweep, the array and the requeue.
p = run("slurm", SWEEP, "-o", path("cluster.h5"), "--tasks", "10", "--time", "02:00:00")
for needle in ("#SBATCH --array=0-9", "#SBATCH --requeue", "--shard \"${SLURM_ARRAY_TASK_ID}/10\"",
               "scontrol requeue", "merge"):
    check(needle in p.stdout, f"the script has {needle}")
check(subprocess.run(["bash", "-n"], input=p.stdout, text=True).returncode == 0, "the script is valid bash")

finish()
