#!/usr/bin/env python3
"""Python anchors for vis-bench: the same workloads done by the libraries our users compare with.

Each ``anchor_*.py`` beside this file defines ``WORKLOADS = {workload_name: {anchor_name: factory}}`` where
``factory(workdir)`` prepares inputs and returns a zero-argument callable that does one run. This script times
each (one warm-up, then >= 5 runs and >= 0.5 s) and prints ``{workload: {anchor: median_ms or "reason"}}`` as
JSON. A library that is not installed yields its reason instead of a number.
"""
import argparse
import glob
import importlib.util
import json
import os
import statistics
import sys
import time


def load_workloads():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    table = {}
    for path in sorted(glob.glob(os.path.join(here, "anchor_*.py"))):
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, anchors in module.WORKLOADS.items():
            table.setdefault(name, {}).update(anchors)
    return table


def median_ms(body, min_runs=5, max_runs=200, min_seconds=0.5):
    body()
    samples = []
    start = time.perf_counter()
    while len(samples) < max_runs:
        t0 = time.perf_counter()
        body()
        t1 = time.perf_counter()
        samples.append((t1 - t0) * 1000.0)
        if len(samples) >= min_runs and t1 - start >= min_seconds:
            break
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--workloads", default="")
    args = parser.parse_args()
    wanted = [w for w in args.workloads.split(",") if w]
    table = load_workloads()
    out = {}
    for name in wanted:
        for anchor, factory in table.get(name, {}).items():
            try:
                body = factory(args.workdir)
                out.setdefault(name, {})[anchor] = median_ms(body)
            except ImportError as error:
                out.setdefault(name, {})[anchor] = f"not installed: {error.name}"
            except Exception as error:  # report, keep measuring the rest
                out.setdefault(name, {})[anchor] = f"{type(error).__name__}: {error}"
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
