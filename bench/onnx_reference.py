#!/usr/bin/env python3
"""ONNX Runtime reference for sster's inference benchmark.

The PyTorch reference network (PyssterCNN of ../shared/bench/torch_reference.py,
pysster's default architecture, softmax on top) is exported with torch.onnx.export
and run by ONNX Runtime's CPU build: the same one-hot data, batches of 128, the
given number of intra-op threads, one sequential session, graph optimisations on.
Weights are the reference's initial ones (the speed does not depend on them).

Usage (from bench/.venv, which has torch, onnx and onnxruntime from PyPI):
  onnx_reference.py --pos POS.fa[.gz] --neg NEG.fa[.gz] --threads N
                    [--kernel-num K] [--json out.json]

Reports inference samples/s over all sequences after a warm-up of 8 batches,
timers around compute only. The last line on stdout is one JSON object.
"""

import argparse
import warnings
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
import torch_reference as ref  # noqa: E402


def export(model, example, path):
    """The network with its softmax as ONNX, batch dimension free."""
    net = torch.nn.Sequential(model, torch.nn.Softmax(dim=1)).eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the TorchScript exporter needs no onnxscript
        torch.onnx.export(net, (example,), path, input_names=["x"], output_names=["probs"],
                          dynamic_axes={"x": {0: "batch"}, "probs": {0: "batch"}}, opset_version=17,
                          dynamo=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pos", required=True)
    ap.add_argument("--neg", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--kernel-num", type=int, default=ref.DEFAULTS["kernel_num"])
    ap.add_argument("--batch", type=int, default=ref.DEFAULTS["batch_size"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the result JSON here")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    p = dict(ref.DEFAULTS, kernel_num=args.kernel_num)
    x, _ = ref.load_classes([args.pos, args.neg], np.random.default_rng(args.seed))
    n, length = x.shape[0], x.shape[2]
    model = ref.PyssterCNN(length, p=p).eval()
    data = x.numpy().astype(np.float32)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pysster_cnn.onnx")
        export(model, x[: args.batch], path)
        session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])

    def predict(upto):
        for first in range(0, upto, args.batch):
            session.run(None, {"x": data[first:first + args.batch]})

    # The exported network computes what the PyTorch model computes.
    with torch.no_grad():
        expected = torch.softmax(model(x[: args.batch]), dim=1).numpy()
    got = session.run(None, {"x": data[: args.batch]})[0]
    if not np.allclose(got, expected, atol=1e-5):
        sys.exit("error: ONNX Runtime's output differs from PyTorch's")

    predict(min(n, 8 * args.batch))  # warm-up
    t0 = time.perf_counter()
    predict(n)
    infer_s = time.perf_counter() - t0
    fl = model.flops_per_sample()
    res = dict(samples=n, length=length, threads=args.threads, kernel_num=args.kernel_num, batch=args.batch,
               infer_seconds=infer_s, infer_samples_per_s=n / infer_s,
               infer_gflops_per_s=n / infer_s * fl["forward_flops"] / 1e9,
               onnxruntime=ort.__version__, torch=torch.__version__, cpu=ref.cpu_name())
    line = json.dumps(res)
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")


if __name__ == "__main__":
    main()
