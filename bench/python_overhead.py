"""What calling sster through Python costs: pysster's Model API on PUM2
through the Python package against the same steps in C++
(bench/model_api_bench), 2 threads. Runs alternate, each in a process of
its own; the fastest run of each kind counts (other load only slows a run).
Both sides report a CRC-32 of the trained weights: the runs must agree bit
for bit, so the two did the same work. Prints a table with a row per step:
time through Python over time in C++ (1.000 is no cost).

    build-python/venv/bin/python bench/python_overhead.py --cxx build/bench/model_api_bench \\
        --pos P --neg N [--threads 2] [--epochs 5] [--passes 20] [--repeat 3]
"""

import argparse
import json
import subprocess
import sys
import time
import zlib


def measure_python(pos, neg, threads, epochs, passes):
    import sster
    from sster import Data, Model

    sster.set_threads(threads)
    data = Data([pos, neg], "ACGU")
    model = Model({"epochs": epochs, "patience_lr": epochs + 1, "patience_stopping": epochs + 1}, data, seed=1)
    t0 = time.perf_counter()
    model.train(data, verbose=False)
    t1 = time.perf_counter()
    for _ in range(passes):
        model.predict(data, "all")
    t2 = time.perf_counter()
    return {"train_seconds": t1 - t0, "predict_seconds": t2 - t1, "train_records": len(data.get_indices("train")),
            "records": len(data), "weights_crc32": zlib.crc32(model.weights.tobytes())}


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cxx", help="model_api_bench")
    p.add_argument("--pos", required=True)
    p.add_argument("--neg", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--passes", type=int, default=20)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--measure", action="store_true", help="one Python run, as JSON (used by the runs themselves)")
    a = p.parse_args()
    steps = [str(a.threads), str(a.epochs), str(a.passes)]
    if a.measure:
        print(json.dumps(measure_python(a.pos, a.neg, a.threads, a.epochs, a.passes)))
        return
    runs = {"python": [], "cxx": []}
    for _ in range(a.repeat):
        for kind in ("cxx", "python"):
            if kind == "cxx":
                cmd = [a.cxx, a.pos, a.neg] + steps
            else:
                cmd = [sys.executable, __file__, "--measure", "--pos", a.pos, "--neg", a.neg, "--threads", steps[0],
                       "--epochs", steps[1], "--passes", steps[2]]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            runs[kind].append(json.loads(out.strip().splitlines()[-1]))
    for kind in ("train_records", "records", "weights_crc32"):  # both did the same work
        counts = {r[kind] for v in runs.values() for r in v}
        if len(counts) != 1:
            sys.exit("python_overhead: the runs differ in {}: {}".format(kind, sorted(counts)))
    best = {k: {s: min(r[s] for r in v) for s in ("train_seconds", "predict_seconds")} for k, v in runs.items()}
    n = runs["cxx"][0]
    print("## Python package overhead ({} threads, {})\n".format(a.threads, cpu_model()))
    print("pysster's Model API on PUM2, the same steps through the Python package and in C++ "
          "(bench/model_api_bench); fastest of {} runs each, alternating, one process per run. "
          "Target: Python / C++ at most 1.03.\n".format(a.repeat))
    print("| step       | work                                  | C++ seconds | Python seconds | Python / C++ |")
    print("| :--------- | :------------------------------------ | ----------: | -------------: | -----------: |")
    for step, work, key in (("training", "{} epochs of {:,} records".format(a.epochs, n["train_records"]),
                             "train_seconds"),
                            ("prediction", "{} x {:,} records".format(a.passes, n["records"]), "predict_seconds")):
        cxx, py = best["cxx"][key], best["python"][key]
        print("| {:<10} | {:<37} | {:>11.3f} | {:>14.3f} | {:>12.3f} |".format(step, work, cxx, py, py / cxx))
    print("\n- all runs (train/predict seconds): " + "; ".join(
        "{} {}".format(name, ", ".join("{:.3f}/{:.3f}".format(r["train_seconds"], r["predict_seconds"])
                                       for r in runs[kind])) for kind, name in (("cxx", "C++"), ("python", "Python"))))


if __name__ == "__main__":
    main()
