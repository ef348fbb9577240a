"""Parameter recovery on the programme model: ABC-SMC finds the imitation coefficient q and the
own-innovation rate that made synthetic targets.

The "observed" targets are one run of the Norway baseline (seed 99) at its defaults,
diffusion.q_per_year = 2.2 and innovation.own_rate_per_year = 2: the adoptions over the 15
years, the own innovations over the 15 years, and the mean share of municipalities innovating in
two years. Each target's sd is the spread of 20 other runs at the same values (the noise the
observation has). The calibration (100 particles, log-uniform priors over [0.5, 8] for both,
until the tolerance is at most 1.2) must give posteriors whose central 98 % intervals hold the
true values and are at most half as wide as the prior's (in logarithms): the targets identify
both parameters. A calibrated 98 % interval misses with probability 0.02, so the two together
pass with probability about 0.96; the seeds are fixed, so the outcome is the same on every run.

    /usr/bin/python3 tests/calibrate/programme_recovery_test.py build/release/tools/innosim
"""
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish, text  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

TRUE = {"diffusion.q_per_year": 2.2, "innovation.own_rate_per_year": 2.0}


def weighted_quantile(values, weights, q):
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    mid = np.cumsum(w) - w / 2
    return float(np.interp(q, mid, v))


def observe(tmp, seed, replicates):
    """Totals of adoptions and own innovations, and the mean of year ends of the innovating share."""
    out = os.path.join(tmp, f"obs-{seed}.h5")
    p = subprocess.run([INNOSIM, "run", "baseline", "-r", str(replicates), "--seed", str(seed), "-o", out, "-q"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"run: {p.stderr}")
    with h5py.File(out, "r") as f:
        s = f["scenarios/baseline"]
        names = [text(n) for n in s["indicators/name"][:]]
        return (s["totals"][:, names.index("adoptions")], s["totals"][:, names.index("innovations_own")],
                s["yearly"][:, :, names.index("innovating_24m_share")].mean(axis=1))


with tempfile.TemporaryDirectory() as tmp:
    adoptions, own, innovating = observe(tmp, 99, 1)
    spread = observe(tmp, 7, 20)
    sd = [float(np.std(x, ddof=1)) for x in spread]
    print(f"observed: adoptions {adoptions[0]:.0f} (sd {sd[0]:.0f}), own innovations {own[0]:.0f} (sd {sd[1]:.0f}), "
          f"innovating {innovating[0]:.4f} (sd {sd[2]:.4f})")
    calib = os.path.join(tmp, "calib.yaml")
    with open(calib, "w") as f:
        f.write(f"""description: Recovery of q and the own-innovation rate from one baseline run.
base: baseline
seed: 4
particles: 100
parameters:
  diffusion.q_per_year: {{prior: loguniform, min: 0.5, max: 8}}
  innovation.own_rate_per_year: {{prior: loguniform, min: 0.5, max: 8}}
targets:
  - {{name: adoptions, indicator: adoptions, reading: total, observed: {adoptions[0]}, sd: {sd[0]:.6g},
     source: one run at the defaults, definition: adoptions over the run}}
  - {{name: own innovations, indicator: innovations_own, reading: total, observed: {own[0]}, sd: {sd[1]:.6g},
     source: one run at the defaults, definition: own innovations over the run}}
  - {{name: innovating, indicator: innovating_24m_share, reading: mean_of_year_ends, observed: {innovating[0]:.10g},
     sd: {sd[2]:.6g}, source: one run at the defaults, definition: share innovating in two years}}
""")
    out = os.path.join(tmp, "calib.h5")
    p = subprocess.run([INNOSIM, "calibrate", calib, "-o", out, "-q", "--until-tolerance", "1.2"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"calibrate: exit {p.returncode}\n{p.stderr}")
    print(p.stdout)
    with h5py.File(out, "r") as f:
        c = f["calibration"]
        names = [text(n) for n in c["parameters/name"][()]]
        last = sorted(k for k in c["generations"] if k.isdigit())[-1]
        theta, w = c[f"generations/{last}/theta"][()], c[f"generations/{last}/weights"][()]
        for k, name in enumerate(names):
            lo, hi = weighted_quantile(theta[:, k], w, 0.01), weighted_quantile(theta[:, k], w, 0.99)
            ratio = math.log(hi / lo) / math.log(8 / 0.5)
            print(f"{name}: 98 % interval [{lo:.4g}, {hi:.4g}], true {TRUE[name]}, {100 * ratio:.0f} % of the prior's "
                  "width")
            check(lo <= TRUE[name] <= hi, f"{name}: the 98 % interval [{lo:.4g}, {hi:.4g}] misses {TRUE[name]}")
            check(ratio < 0.5, f"{name}: the interval is {100 * ratio:.0f} % as wide as the prior (not identified)")

finish()
