#!/usr/bin/python3
"""Plots one indicator of an innosim result file: the mean over replicates per year, with a 95 %
interval, one line per scenario. The starting point for reading results in Python (docs/output.md).

    build/release/tools/innosim run baseline --replicates 20 --output baseline.h5
    tools/examples/plot_indicator.py baseline.h5 adoptions -o adoptions.png

Needs Debian's python3-h5py, python3-numpy and python3-matplotlib (tools/setup installs them).
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(value):
    """h5py returns variable-length strings as bytes or str depending on version."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("result", help="an innosim result file (.h5)")
    parser.add_argument("indicator", nargs="?", default="adoptions", help="indicator name (default: adoptions)")
    parser.add_argument("-o", "--output", default="indicator.png", help="image to write (default indicator.png)")
    args = parser.parse_args()

    with h5py.File(args.result, "r") as f:
        if text(f.attrs.get("format", "")) != "innosim-result":
            sys.exit(f"{args.result}: not an innosim result file")
        fig, ax = plt.subplots(figsize=(7, 4))
        unit = ""
        for name, group in f["scenarios"].items():
            names = [text(n) for n in group["indicators/name"][:]]
            if args.indicator not in names:
                sys.exit(f"{args.result}: no indicator '{args.indicator}'; there are: {', '.join(names)}")
            i = names.index(args.indicator)
            unit = text(group["indicators/unit"][i])
            yearly = group["yearly"][:, :, i]  # [replicate, year]
            n = yearly.shape[0]
            mean = yearly.mean(axis=0)
            half = 1.96 * yearly.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros_like(mean)
            years = np.arange(1, yearly.shape[1] + 1)
            ax.plot(years, mean, marker="o", label=f"{name} ({n} replicates)")
            ax.fill_between(years, mean - half, mean + half, alpha=0.25)
        ax.set_xlabel("programme year")
        ax.set_ylabel(f"{args.indicator} ({unit})")
        ax.set_title(f"{args.indicator}: mean per year with 95 % interval")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.output, dpi=120)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
