"""innosim calibrate as a real Slurm job chain (tools/slurm-local runs a single-node cluster): the
script of `innosim slurm CALIBRATION.yaml` submitted once with sbatch runs an array job per
round of proposals and a collector after each; one task of a round is cancelled with a plain
scancel in the middle of its share, so the collector has to submit that round again; the file
the chain writes equals the one-process calibration bitwise.

    /usr/bin/python3 tests/calibrate/slurm_test.py build/release/tools/innosim
Exit 77 (skipped) when no Slurm controller answers.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
from harness import check, finish, run, skip_without_slurm  # noqa: E402
from common import same  # noqa: E402

skip_without_slurm()

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BASS = os.path.join(ROOT, "scenarios", "calibration", "bass.yaml")  # 10,000 agents: a task takes seconds
SETTINGS = ["--particles", "100", "--generations", "4"]

tmp = tempfile.mkdtemp(prefix="innosim-calibrate-slurm-")
os.chmod(tmp, 0o755)
ref = os.path.join(tmp, "one.h5")
run("calibrate", BASS, "-o", ref, "-q", *SETTINGS)

output = os.path.join(tmp, "chain.h5")
script = os.path.join(tmp, "chain.sbatch")
p = run("slurm", BASS, "-o", output, "--tasks", "3", "--cpus", "1", "--time", "00:10:00", *SETTINGS)
check("job chain" in p.stdout and "--collect" in p.stdout, "a calibration gets the job chain's script")
with open(script, "w") as f:
    f.write(p.stdout)
first = subprocess.run(["sbatch", "--parsable", script], capture_output=True, text=True, check=True,
                       cwd=tmp).stdout.strip().split(";")[0]
print("submitted the chain's first collector, job", first)
chain_log = output + ".slurm-chain.log"


def chain():
    return open(chain_log).read() if os.path.exists(chain_log) else ""


def ours():
    """Jobs of this chain still queued or running."""
    return subprocess.run(["squeue", "-h", "-n", "innosim-chain", "-o", "%i %T"], capture_output=True,
                          text=True).stdout.strip()


# From the second round's array job on: cancel task 1 once it has journaled part of its share,
# until a cancel lands in the middle of a share (the task's log says it stopped and was not
# requeued); the collector must then submit that round again with fewer simulations missing.
def task_log(array):
    return "".join(open(f).read() for f in glob.glob(output + f".slurm-{array}_1.log"))


cancelled, tried = None, set()
journal = output.replace(".h5", ".part-0001-of-0003.h5.journal")
t0 = time.time()
while time.time() - t0 < 300 and cancelled is None and "is complete" not in chain():
    arrays = re.findall(r"array job (\d+)", chain())
    fresh = [a for a in arrays[1:] if a not in tried]
    if fresh:
        array = fresh[0]
        tried.add(array)
        # Wait for the task to start and journal part of its share.
        while time.time() - t0 < 300 and not subprocess.run(
                ["squeue", "-h", "-j", f"{array}_1", "-t", "RUNNING"], capture_output=True, text=True).stdout.strip():
            if "is complete" in chain() or array not in subprocess.run(["squeue", "-h", "-o", "%F"], capture_output=True,
                                                                      text=True).stdout:
                break
            time.sleep(0.05)
        size = os.path.getsize(journal) if os.path.exists(journal) else 0
        while time.time() - t0 < 300 and (not os.path.exists(journal) or os.path.getsize(journal) < size + 500):
            if subprocess.run(["squeue", "-h", "-j", f"{array}_1"], capture_output=True, text=True).stdout.strip() == "":
                break
            time.sleep(0.01)
        subprocess.run(["scancel", f"{array}_1"], capture_output=True)
        # Wait for the task to end, then read what it said.
        while subprocess.run(["squeue", "-h", "-j", f"{array}_1"], capture_output=True, text=True).stdout.strip():
            time.sleep(0.2)
        if "cancelled and is not requeued" in task_log(array):
            cancelled = array
            print(f"cancelled task 1 of array job {array} in the middle of its share")
        else:
            print(f"note: task 1 of array job {array} had finished its share before the cancel; trying a later round")
    time.sleep(0.05)
check(cancelled is not None, f"no cancel landed in the middle of a share:\n{chain()}")

t0 = time.time()
while time.time() - t0 < 600 and ours():
    time.sleep(1)
check(not ours(), "the chain ended")
log = chain()
check("the calibration is complete" in log, f"the chain completed the calibration:\n{log}")
# The round of the cancelled task was submitted again, with fewer simulations missing.
rounds = re.findall(r"round g(\d+)-p(\d+)-m(\d+): array job (\d+)", log)
where = [k for k, r in enumerate(rounds) if r[3] == cancelled]
check(where and where[0] + 1 < len(rounds) and rounds[where[0] + 1][:2] == rounds[where[0]][:2]
      and int(rounds[where[0] + 1][2]) < int(rounds[where[0]][2]),
      f"the cancelled round was not submitted again with fewer missing: {rounds}")
same(ref, output, "the Slurm job chain against one process")
check(not glob.glob(os.path.join(tmp, "*.lock")), "a lock file was left behind")
finish()
