#!/usr/bin/env python3
"""The PyTorch reference (../shared/bench/torch_reference.py) extended with pysster's
recurrent block, for sster's LSTM/GRU benchmark rows.

    conv stack as in the reference -> [LSTM or GRU (units), optionally bidirectional]
    -> Dense(100, relu, max_norm 3) -> Dropout(0.6) -> Dense(n_classes, softmax)

The recurrent layer replaces the Flatten, as in pysster (rnn_num 1): it reads the
pooled conv output as a sequence of (length, kernel_num) and returns its last output
(both directions' last outputs concatenated when bidirectional). Input dropout
(pysster's rnn_dropout_input, 0.2) uses one mask per sample and feature for every
time step, as Keras does; recurrent dropout is pysster's default 0.

The layers are PyTorch's fused nn.LSTM / nn.GRU, the fastest recurrent path PyTorch
has on a CPU, so the baseline is a strong one. They differ from Keras 2.2 in details
that do not change the amount of work: sigmoid instead of hard sigmoid gates, and the
GRU applies its reset gate after the recurrent product (reset_after=True).

Every option of the reference works here too (throughput and train modes), plus:
  --rnn-type {LSTM,GRU}  --rnn-units N (32)  --rnn-unidirectional
The reference script is looked up next to the project (../shared/bench/) unless
SSTER_TORCH_REFERENCE names it.
"""

import argparse
import importlib.util
import os
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_reference():
    default = pathlib.Path(__file__).resolve().parents[2] / "shared" / "bench" / "torch_reference.py"
    path = pathlib.Path(os.environ.get("SSTER_TORCH_REFERENCE", default))
    if not path.is_file():
        sys.exit(f"error: the PyTorch reference {path} is missing (set SSTER_TORCH_REFERENCE)")
    spec = importlib.util.spec_from_file_location("torch_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = load_reference()


def recurrent_network(rnn_type, units, bidirectional, dropout=0.2):
    """A PyssterCNN subclass whose Flatten is replaced by one recurrent layer."""
    cell = {"LSTM": nn.LSTM, "GRU": nn.GRU}[rnn_type]
    gates = {"LSTM": 4, "GRU": 3}[rnn_type]

    class PyssterRNN(ref.PyssterCNN):
        def __init__(self, length, channels=4, n_classes=2, p=ref.DEFAULTS):
            super().__init__(length, channels, n_classes, p)
            _, _, ch, steps = self.shapes
            self.rnn = cell(ch, units, batch_first=True, bidirectional=bidirectional)
            self.rnn_dropout = dropout
            feat = units * (2 if bidirectional else 1)
            self.dense = nn.ModuleList()
            for _ in range(p["dense_num"]):
                self.dense.append(nn.Linear(feat, p["neuron_num"]))
                feat = p["neuron_num"]
            self.out = nn.Linear(feat, n_classes)
            for m in [*self.dense, self.out]:                  # Keras RandomUniform / zeros
                nn.init.uniform_(m.weight, -0.05, 0.05)
                nn.init.zeros_(m.bias)
            for name, w in self.rnn.named_parameters():        # Keras: uniform kernels,
                if name.startswith("weight_ih"):               # orthogonal recurrent kernels
                    nn.init.uniform_(w, -0.05, 0.05)
                elif name.startswith("weight_hh"):
                    for g in w.chunk(gates):
                        nn.init.orthogonal_(g)
                else:
                    nn.init.zeros_(w)
            self.rnn_macs = steps * gates * units * (ch + units) * (2 if bidirectional else 1)

        def forward(self, x):
            x = self.input_dropout(x)
            for conv, drop in zip(self.convs, self.conv_dropouts):
                x = drop(F.max_pool1d(F.relu(conv(x)), self.p["pool_size"], self.p["pool_stride"]))
            x = x.transpose(1, 2)                              # (N, steps, channels)
            if self.training and self.rnn_dropout > 0:         # one mask for all time steps
                keep = 1 - self.rnn_dropout
                x = x * torch.bernoulli(torch.full((x.shape[0], 1, x.shape[2]), keep)) / keep
            _, h = self.rnn(x)
            h = h[0] if isinstance(h, tuple) else h            # LSTM: (h_n, c_n)
            x = torch.cat([h[-2], h[-1]], 1) if bidirectional else h[-1]
            for lin, drop in zip(self.dense, self.dense_dropouts):
                x = drop(F.relu(lin(x)))
            return self.out(x)

        @torch.no_grad()
        def apply_max_norm(self):
            super().apply_max_norm()                           # conv and dense kernels
            c = self.p["kernel_constraint"]
            for name, w in self.rnn.named_parameters():        # recurrent layers' input kernels
                if name.startswith("weight_ih"):
                    n = w.norm(dim=1, keepdim=True)       # per gate unit, over its inputs
                    w.mul_(n.clamp(max=c) / (ref.KERAS_EPS + n))

        def flops_per_sample(self):
            fl = super().flops_per_sample()                    # conv and dense; the recurrent
            fl["forward_flops"] += 2 * self.rnn_macs           # layer: gate products of every
            fl["train_flops"] += 2 * 3 * self.rnn_macs         # time step (and direction)
            return fl

    return PyssterRNN


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--rnn-type", choices=["LSTM", "GRU"], required=True)
    ap.add_argument("--rnn-units", type=int, default=32)
    ap.add_argument("--rnn-unidirectional", action="store_true")
    if "-h" in sys.argv or "--help" in sys.argv:
        print(__doc__)
        return
    args, rest = ap.parse_known_args()
    ref.PyssterCNN = recurrent_network(args.rnn_type, args.rnn_units, not args.rnn_unidirectional)
    sys.argv = [sys.argv[0], *rest]
    ref.main()


if __name__ == "__main__":
    main()
