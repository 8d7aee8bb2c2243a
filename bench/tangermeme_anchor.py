#!/usr/bin/env python3
"""tangermeme on the same network, sequences and references as sster: the anchor
for sster's attribution figures (bench/attribution_run.sh runs it).

    tangermeme_anchor.py --dir DIR --threads 2 [--json out.json]

DIR is what `sster_bench attribution --export DIR` writes, plus model.json
(`sster export-json DIR/model.sster -o DIR/model.json`):
  model.json                the network: conv/pool blocks, flatten, dense layers
  ism_ohe.npz               the sequences, one-hot (N, A, L)
  ism_attr.npz              sster's ISM, hypothetical (N, A, L): changes minus their
                            mean per position, tangermeme's own convention
  deeplift_attr.npz         sster's DeepLIFT-SHAP, hypothetical contributions
  references.npz            sster's dinucleotide shuffles (N, R, A, L), given to
                            tangermeme so both explain from the same references
The network is rebuilt in PyTorch from the JSON (conv kernels (W, C, K) ->
(K, C, W), dense kernels transposed, Keras' channels-last flatten), in float32,
explained on class 0's logit. Times tangermeme's saturation_mutagenesis (its
defaults, batch 256) and deep_lift_shap (batch 256) with torch.set_num_threads;
reports sequences/s, the Pearson correlation with sster's attributions over all
values, and how far the rebuilt network's logits are from sster's.
Needs bench/.venv with torch and tangermeme (pip install torch==2.13.0 tangermeme);
never the test suite.
"""

import argparse
import json
import platform
import time
import warnings

import numpy as np
import torch
import tangermeme
from tangermeme.deep_lift_shap import deep_lift_shap
from tangermeme.saturation_mutagenesis import saturation_mutagenesis


class ChannelsLastFlatten(torch.nn.Module):
    """Keras' Flatten after a Conv1D: (B, K, L) flattened position by position."""

    def forward(self, x):
        return x.permute(0, 2, 1).reshape(x.shape[0], -1)


def per_layer(value, i):
    return value[i] if isinstance(value, list) else value


def build_network(spec):
    """The sster network of model.json as a torch.nn.Sequential returning logits."""
    params = spec["params"]
    layers, conv_index = [], 0
    dense = [l for l in spec["layers"] if l["name"].startswith("dense")]
    for layer in spec["layers"]:
        name = layer["name"]
        weights = {p["name"]: np.asarray(p["values"], dtype=np.float32) for p in layer["params"]}
        if name.startswith("conv1d"):
            w = weights["kernel"]  # (W, C, K)
            conv = torch.nn.Conv1d(w.shape[1], w.shape[2], w.shape[0])
            conv.weight.data = torch.from_numpy(np.ascontiguousarray(w.transpose(2, 1, 0)))
            conv.bias.data = torch.from_numpy(weights["bias"])
            layers += [conv, torch.nn.ReLU()]
        elif name.startswith("max_pooling1d"):
            layers.append(torch.nn.MaxPool1d(per_layer(params["pool_size"], conv_index),
                                             per_layer(params["pool_stride"], conv_index)))
            conv_index += 1
        elif name.startswith("flatten"):
            layers.append(ChannelsLastFlatten())
        elif name.startswith("dense"):
            w = weights["kernel"]  # (inputs, units)
            linear = torch.nn.Linear(w.shape[0], w.shape[1])
            linear.weight.data = torch.from_numpy(np.ascontiguousarray(w.T))
            linear.bias.data = torch.from_numpy(weights["bias"])
            layers.append(linear)
            if layer is not dense[-1]:
                layers.append(torch.nn.ReLU())
        elif not name.startswith("dropout"):
            raise SystemExit("tangermeme_anchor: no PyTorch twin for layer " + name)
    return torch.nn.Sequential(*layers).eval()


def pearson(a, b):
    a, b = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    return float(np.corrcoef(a, b)[0, 1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    d = args.dir
    spec = json.load(open(d + "/model.json"))
    model = build_network(spec)
    X = torch.from_numpy(np.load(d + "/ism_ohe.npz")["arr_0"])
    refs = torch.from_numpy(np.load(d + "/references.npz")["arr_0"])
    sster_ism = np.load(d + "/ism_attr.npz")["arr_0"]
    sster_dl = np.load(d + "/deeplift_attr.npz")["arr_0"]
    outputs = json.load(open(d + "/attribution.json"))["outputs"]
    n = X.shape[0]
    with torch.no_grad():
        logits = model(X)[:, 0].numpy()
    logit_difference = float(np.abs(logits - np.asarray(outputs)).max())

    def timed(f):
        best, result = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = f()
            best = min(best, time.perf_counter() - t0)
        return best, result

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t_ism, ism = timed(lambda: saturation_mutagenesis(model, X, target=0, hypothetical=True,
                                                          batch_size=args.batch, device="cpu"))
        t_dl, dl = timed(lambda: deep_lift_shap(model, X, target=0, references=refs, hypothetical=True,
                                                batch_size=args.batch, device="cpu"))
    notes = sorted({str(w.message).split(".")[0] for w in caught})
    result = {
        "tangermeme": tangermeme.__version__ if hasattr(tangermeme, "__version__") else "?",
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": args.threads,
        "batch": args.batch,
        "sequences": n,
        "references": int(refs.shape[1]),
        "ism_seq_per_s": n / t_ism,
        "deeplift_seq_per_s": n / t_dl,
        "ism_pearson": pearson(ism.numpy(), sster_ism),
        "deeplift_pearson": pearson(dl.numpy(), sster_dl),
        "ism_max_difference": float(np.abs(ism.numpy() - sster_ism).max()),
        "deeplift_max_difference": float(np.abs(dl.numpy() - sster_dl).max()),
        "logit_max_difference": logit_difference,
        "warnings": notes,
    }
    text = json.dumps(result)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
