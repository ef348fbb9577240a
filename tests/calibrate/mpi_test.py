"""innosim calibrate under mpirun (OpenMPI, 3 ranks on this machine): the one-process posterior
bitwise; SIGTERM to mpirun stops the job within seconds, and the same command under mpirun
continues it to the same posterior.

    /usr/bin/python3 tests/calibrate/mpi_test.py build/release/tools/innosim
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
from harness import INNOSIM, check, finish  # noqa: E402
from common import BASS, same  # noqa: E402


MPIRUN = shutil.which("mpirun")
if MPIRUN is None:
    print("mpirun not found: install openmpi-bin (tools/setup does)")
    sys.exit(1)
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl="self,vader", OMPI_MCA_rmaps_base_oversubscribe="1")
if "ASAN_OPTIONS" in ENV:  # OpenMPI's own allocations are not freed (tests/sweep/mpi_test.py)
    ENV["ASAN_OPTIONS"] += ":detect_leaks=0"

CALIBRATION = """description: A small calibration of p and q.
model: classic
base: bass.yaml
seed: 11
particles: 200
generations: 6
parameters:
  model.p_innovation_per_step: {prior: loguniform, min: 0.001, max: 0.1}
  model.q_imitation_per_step: {prior: loguniform, min: 0.008, max: 0.8}
targets:
  - {name: step 10, indicator: adopters, reading: at_step, step: 10, observed: 138, sd: 15, source: s, definition: d}
  - {name: step 20, indicator: adopters, reading: at_step, step: 20, observed: 364, sd: 27, source: s, definition: d}
  - {name: step 30, indicator: adopters, reading: at_step, step: 30, observed: 601, sd: 30, source: s, definition: d}
"""


with tempfile.TemporaryDirectory() as tmp:
    for name, body in (("bass.yaml", BASS), ("calib.yaml", CALIBRATION)):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(body)
    calib = os.path.join(tmp, "calib.yaml")

    def mpirun(output):
        return subprocess.Popen([MPIRUN, "--oversubscribe", "-np", "3", INNOSIM, "calibrate", calib, "-o", output,
                                 "-q", "-t", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)

    ref = os.path.join(tmp, "ref.h5")
    p = subprocess.run([INNOSIM, "calibrate", calib, "-o", ref, "-q"], capture_output=True, text=True)
    check(p.returncode == 0, f"one process: exit {p.returncode}\n{p.stderr}")

    # 1. Three ranks: the same posterior, bitwise.
    out = os.path.join(tmp, "mpi.h5")
    p = mpirun(out)
    stdout, stderr = p.communicate(timeout=600)
    check(p.returncode == 0 and "3 MPI ranks" in stdout, f"mpirun exit {p.returncode}: {stdout}\n{stderr}")
    same(ref, out, "mpirun -np 3")

    # 2. SIGTERM to mpirun once simulations are journaled: stopped within seconds; continued.
    out = os.path.join(tmp, "term.h5")
    p = mpirun(out)
    deadline = time.time() + 60
    while time.time() < deadline and not (os.path.exists(out + ".journal") and
                                          os.path.getsize(out + ".journal") > 5000):
        time.sleep(0.01)
    t0 = time.time()
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=60)
    stopped = time.time() - t0
    if p.returncode == 0 or os.path.exists(out):
        # Finished before the signal (mpirun may still report the signal if it came while the
        # ranks were exiting): nothing to check about stopping.
        print("note: the calibration finished before SIGTERM arrived")
    else:
        check(stopped < 5, f"stopped {stopped:.2f} s after SIGTERM")
        check(not os.path.exists(out), "a result file from a stopped calibration")
    p = mpirun(out)
    stdout, stderr = p.communicate(timeout=600)
    check(p.returncode == 0, f"continued under mpirun: exit {p.returncode}\n{stderr}")
    same(ref, out, "stopped by SIGTERM and continued under mpirun")

finish()
