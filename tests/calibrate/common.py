"""What the calibration tests share: the small Bass scenario they calibrate, and the check that
two calibration files hold the same posterior, bitwise."""
import h5py
import numpy as np

from harness import check

# 1,000 agents, fully mixed, 60 monthly steps: fast enough to calibrate many times in a test.
BASS = """description: Bass on 1,000 agents.
model: {type: bass, p_innovation_per_step: 0.01, q_imitation_per_step: 0.08, step_rule: exact}
graph: {type: complete, nodes: 1000}
seeding: {strategy: none}
run: {seed: 1, replicates: 1, steps: 60}
"""


def datasets(path):
    """Every dataset under /calibration with its values (/runtime, which records the run, is left out)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f["calibration"].visititems(visit)
    return out


def same(a, b, what):
    """Checks that two calibration files hold the same datasets: numbers bitwise, strings as text."""
    da, db = datasets(a), datasets(b)
    check(sorted(da) == sorted(db), f"{what}: different datasets {sorted(set(da) ^ set(db))}")
    for k in da:
        if k not in db:
            continue
        x, y = np.asarray(da[k]), np.asarray(db[k])
        if x.dtype.kind == "O" or y.dtype.kind == "O":
            equal = x.shape == y.shape and list(x.ravel()) == list(y.ravel())
        else:
            equal = x.shape == y.shape and x.tobytes() == y.tobytes()
        check(equal, f"{what}: /calibration/{k} differs")
