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
from harness import check, finish, run  # noqa: E402
from common import same  # noqa: E402

try:
    answers = subprocess.run(["sinfo", "-h"], capture_output=True).returncode == 0
except FileNotFoundError:  # Slurm's client tools are not installed
    answers = False
if not answers:
    print("no Slurm controller answers (start one with tools/slurm-local start): skipped")
    sys.exit(77)

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


# The second round's array job (generation 1): cancel task 1 once it has journaled part of its share.
cancelled = None
t0 = time.time()
while time.time() - t0 < 300 and cancelled is None and "is complete" not in chain():
    arrays = re.findall(r"array job (\d+)", chain())
    if len(arrays) >= 2:
        journal = output.replace(".h5", ".part-0001-of-0003.h5.journal")
        size = os.path.getsize(journal) if os.path.exists(journal) else 0
        while time.time() - t0 < 300 and os.path.exists(journal) and os.path.getsize(journal) < size + 2000:
            time.sleep(0.01)
        subprocess.run(["scancel", f"{arrays[1]}_1"], capture_output=True)
        cancelled = arrays[1]
        print(f"cancelled task 1 of array job {cancelled}")
    time.sleep(0.05)
check(cancelled is not None, f"the chain reached a second round:\n{chain()}")

t0 = time.time()
while time.time() - t0 < 600 and ours():
    time.sleep(1)
check(not ours(), "the chain ended")
log = chain()
check("the calibration is complete" in log, f"the chain completed the calibration:\n{log}")
task_log = "".join(open(f).read() for f in glob.glob(output + f".slurm-{cancelled}_1.log"))
if "cancelled and is not requeued" in task_log:
    print("the cancelled task stopped mid-share")
else:
    print(f"note: task 1 had finished its share before the cancel arrived:\n{task_log}")
same(ref, output, "the Slurm job chain against one process")
check(not glob.glob(os.path.join(tmp, "*.lock")), "a lock file was left behind")
finish()
