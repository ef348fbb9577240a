"""An innosim sweep as a real Slurm array job (tools/slurm-local runs a single-node cluster):
the script of `innosim slurm` submitted with sbatch; one task gets the time-limit warning (USR1
to the batch shell, as --signal=B:USR1@N sends it) in the middle of its runs, saves its work,
requeues itself and resumes; `innosim merge` of the parts gives the one-process file bitwise.
Then a task of a second job is cancelled with a plain scancel: it saves its work and is not
requeued (a user's cancel is final).

    python3 tests/sweep/slurm_test.py build/release/tools/innosim
Exit 77 (skipped) when no Slurm controller answers.
"""
import glob
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
from harness import INNOSIM, check, finish, run, skip_without_slurm  # noqa: E402
from same import differences  # noqa: E402

skip_without_slurm()

tmp = tempfile.mkdtemp(prefix="innosim-slurm-")
os.chmod(tmp, 0o755)
sweep = os.path.join(tmp, "sweep.yaml")
with open(os.path.join(HERE, "small.yaml")) as f:
    # Long enough per task (about 2 s) to be interrupted in the middle.
    text = f.read().replace("years: 6", "years: 15").replace("replicates: 3", "replicates: 4")
with open(sweep, "w") as f:
    f.write(text)
output = os.path.join(tmp, "result.h5")
RECORD_BYTES = 16 + 8 * 215 * 16 + 4 + 8  # totals and 15 years

ref = os.path.join(tmp, "ref.h5")
run("sweep", sweep, "-o", ref, "-q")

script = os.path.join(tmp, "job.sbatch")
p = run("slurm", sweep, "-o", output, "--tasks", "3", "--cpus", "1", "--time", "00:10:00")
with open(script, "w") as f:
    f.write(p.stdout)
job = subprocess.run(["sbatch", "--parsable", script], capture_output=True, text=True, check=True,
                     cwd=tmp).stdout.strip().split(";")[0]
print("submitted array job", job)


def squeue(*args):
    return subprocess.run(["squeue", "-h", "-j", job, *args], capture_output=True, text=True).stdout


# Task 1 gets the time-limit warning once it has journaled a few runs.
journal = output.replace(".h5", ".part-0001-of-0003.h5.journal")
t0 = time.time()
while time.time() - t0 < 120 and not (os.path.exists(journal) and os.path.getsize(journal) > 100 + 3 * RECORD_BYTES):
    time.sleep(0.02)
check(os.path.exists(journal), "task 1 started and journals its runs")
subprocess.run(["scancel", "--batch", "--signal=USR1", f"{job}_1"], check=True)
print("sent the time-limit warning (USR1) to task 1")

# The task requeues itself. Slurm holds a requeued job back for a while (its begin time); make it
# eligible now so that the test does not wait for that.
requeued = False
t0 = time.time()
while time.time() - t0 < 600:
    state = squeue("-o", "%i %T %r")
    if f"{job}_1 PENDING" in state and not requeued:
        requeued = True
        subprocess.run(["scontrol", "update", f"jobid={job}_1", "StartTime=now"], capture_output=True)
    if not state.strip():
        break
    time.sleep(0.5)
check(not squeue().strip(), "every task finished")

logs = sorted(glob.glob(output + ".slurm-*_1.log"))
log = open(logs[0]).read() if logs else ""
check("stopped by SIGTERM" in log, f"task 1 saved its work when warned:\n{log}")
check("before the time limit" in log and "requeueing" in log, "task 1 requeued itself")
check("resuming:" in log, "the requeued task resumed from its journal")
parts = sorted(glob.glob(output.replace(".h5", ".part-*-of-0003.h5")))
check(len(parts) == 3, f"three parts: {parts}")
merged = os.path.join(tmp, "merged.h5")
run("merge", *parts, "-o", merged)
d = differences(ref, merged)
check(not d, f"the merged array job equals the one-process sweep: {d[:5]}")

# A user's scancel is final: the task saves its work and is not requeued.
output2 = os.path.join(tmp, "cancelled.h5")
p = run("slurm", sweep, "-o", output2, "--tasks", "2", "--cpus", "1", "--time", "00:10:00")
with open(script, "w") as f:
    f.write(p.stdout)
job = subprocess.run(["sbatch", "--parsable", script], capture_output=True, text=True, check=True,
                     cwd=tmp).stdout.strip().split(";")[0]
journal = output2.replace(".h5", ".part-0000-of-0002.h5.journal")
t0 = time.time()
while time.time() - t0 < 120 and not (os.path.exists(journal) and os.path.getsize(journal) > 100 + 3 * RECORD_BYTES):
    time.sleep(0.02)
subprocess.run(["scancel", f"{job}_0"], check=True)
print("cancelled task 0 of job", job)
t0 = time.time()
while time.time() - t0 < 120 and f"{job}_0" in squeue("-o", "%i"):
    time.sleep(0.5)
time.sleep(5)  # a requeue would show the task again by now
check(f"{job}_0" not in squeue("-o", "%i"), "the cancelled task came back")
logs = sorted(glob.glob(output2 + ".slurm-*_0.log"))
log = open(logs[0]).read() if logs else ""
check("cancelled and is not requeued" in log, f"the cancelled task says so:\n{log}")
check("resuming:" not in log, "the cancelled task resumed")
check(os.path.exists(journal), "the cancelled task's finished runs are kept in its journal")
subprocess.run(["scancel", job], capture_output=True)
finish()
