"""Whether two result files hold the same results: every dataset and attribute outside /runtime
equal, bitwise for numbers (the comparison sweeps, merges and MPI runs promise)."""
import h5py
import numpy as np


def _same(x, y):
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if x.dtype.kind == "O":
            return x.tolist() == y.tolist()
        return x.tobytes() == y.tobytes()
    return x == y


def differences(path_a, path_b, skip=("runtime",)):
    """The names of objects or attributes that differ (empty when the files agree)."""
    out = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        names_a, names_b = [], []
        a.visit(lambda n: names_a.append(n) if n.split("/")[0] not in skip else None)
        b.visit(lambda n: names_b.append(n) if n.split("/")[0] not in skip else None)
        for n in sorted(set(names_a) ^ set(names_b)):
            out.append(f"only in one file: {n}")
        for n in ["/"] + sorted(set(names_a) & set(names_b)):
            oa, ob = a[n], b[n]
            for k in set(oa.attrs) | set(ob.attrs):
                if k not in oa.attrs or k not in ob.attrs or not _same(oa.attrs[k], ob.attrs[k]):
                    out.append(f"attribute {n}:{k}")
            if isinstance(oa, h5py.Dataset) and not _same(oa[()], ob[()]):
                out.append(f"dataset {n}")
    return out
