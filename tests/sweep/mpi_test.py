"""innosim sweep under mpirun (OpenMPI, 3 ranks on this machine): the one-process file bitwise,
a rank killed with SIGKILL ends the job promptly and a resume completes it, and SIGTERM to
mpirun stops the job within seconds, resumable.

    python3 tests/sweep/mpi_test.py build/release/tools/innosim
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
from harness import INNOSIM, check, finish, run  # noqa: E402
from same import differences  # noqa: E402

MPIRUN = shutil.which("mpirun")
if MPIRUN is None:
    print("mpirun not found: install openmpi-bin (tools/setup does)")
    sys.exit(1)
SWEEP = os.path.join(HERE, "small.yaml")
tmp = tempfile.mkdtemp(prefix="innosim-mpi-")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl="self,vader", OMPI_MCA_rmaps_base_oversubscribe="1")
# OpenMPI does not free what MPI_Init allocates (much of it in plugins it has unloaded by exit,
# so LeakSanitizer cannot even name them): in the asan build, leak checking is off for the
# ranks. innosim's own code on these paths is leak-checked by tests/sweep/sweep_test.py.
if "ASAN_OPTIONS" in ENV:
    ENV["ASAN_OPTIONS"] += ":detect_leaks=0"
RECORD_BYTES = 16 + 8 * 215 * 7 + 4 + 8


def path(name):
    return os.path.join(tmp, name)


def mpirun(output, *extra):
    return subprocess.Popen([MPIRUN, "--oversubscribe", "-np", "3", INNOSIM, "sweep", SWEEP, "-o", output, "-q",
                             "-t", "1", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def wait_for_journal(output, records, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        j = output + ".journal"
        if os.path.exists(j) and os.path.getsize(j) > 100 + records * RECORD_BYTES:
            return True
        time.sleep(0.02)
    return False


def same(a, b, what):
    d = differences(a, b)
    check(not d, f"{what}: {len(d)} difference(s) from the one-process file: {d[:5]}")


def innosim_pids(parent=None):
    """The ranks: innosim processes running this sweep (children of mpirun when given)."""
    args = ["pgrep", "-f", f"^{INNOSIM} sweep {SWEEP}"] + (["-P", str(parent)] if parent else [])
    out = subprocess.run(args, capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


ref = path("ref.h5")
run("sweep", SWEEP, "-o", ref, "-q")

# 1. Three ranks (rank 0 drives, two run): the same file.
out = path("mpi.h5")
p = mpirun(out)
stdout, stderr = p.communicate(timeout=600)
check(p.returncode == 0, f"mpirun exit {p.returncode}: {stderr}")
check("MPI: 3 ranks" in stdout, f"the summary names the ranks: {stdout}")
same(ref, out, "mpirun -np 3")

# 2. A worker rank killed: the job ends promptly, the journal keeps what was done, a resume
# under mpirun completes it.
out = path("killed-rank.h5")
p = mpirun(out)
check(wait_for_journal(out, 10), "the MPI sweep journals its runs")
with open(out + ".lock") as f:
    driver = int(f.read().split()[1])  # "pid N on host"
workers = [pid for pid in innosim_pids(p.pid) if pid != driver]
check(len(workers) == 2, f"two worker ranks besides rank 0 (pid {driver}): {workers}")
t0 = time.time()
os.kill(workers[0], signal.SIGKILL)
try:
    p.communicate(timeout=30)
except subprocess.TimeoutExpired:
    p.kill()
    check(False, "the job did not end within 30 s of a rank's death")
ended = time.time() - t0
check(p.returncode != 0, "mpirun reports the failure")
check(ended < 15, f"the job ended {ended:.1f} s after the rank died")
time.sleep(0.5)
check(not innosim_pids(), "no rank is left running")
check(os.path.exists(out + ".journal") and not os.path.exists(out), "the journal is kept, no result file")
p = mpirun(out)
stdout, stderr = p.communicate(timeout=600)
check(p.returncode == 0 and "resuming:" in stdout, f"the resume continues: {stdout} {stderr}")
same(ref, out, "resumed after a rank died")

# 3. SIGTERM to mpirun (what Slurm sends before it kills a job): stopped within seconds, resumable.
out = path("term.h5")
p = mpirun(out)
check(wait_for_journal(out, 10), "the MPI sweep journals its runs")
t0 = time.time()
p.send_signal(signal.SIGTERM)
p.communicate(timeout=60)
stopped = time.time() - t0
check(p.returncode != 0, "mpirun exits non-zero after SIGTERM")
check(stopped < 5, f"stopped {stopped:.2f} s after SIGTERM")
time.sleep(0.5)
check(not innosim_pids(), "no rank is left running")
p = mpirun(out)
stdout, stderr = p.communicate(timeout=600)
check(p.returncode == 0, f"resume exit {p.returncode}: {stderr}")
same(ref, out, "resumed after SIGTERM")

finish()
