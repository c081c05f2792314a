#!/usr/bin/env python3
"""Whole models in PyTorch, the same as lib/bench's Java models (unrolled.bench.Models), for the end-to-end table.

Each model is one call, timed as the Java side times it, in float32 on the CPU:

  charlm-train      notebook 10's character language model: Embedding(85, 16), LSTM(16, 128, batch_first),
                    Linear(128, 85), mean softmax cross-entropy over N x T = 32 x 48 positions, global-norm clipping
                    at 1.0 (clip_grad_norm_), Adam(lr 0.02): one training step
  classifier-train  notebook 10's name classifier: Embedding(57, 16), LSTM(16, 32), the last step's h, Linear(32, 2),
                    mean cross-entropy over N = 128 names of T = 8 characters, clipping at 1.0, Adam(0.02)

The parameter counts differ from the Java models by design: PyTorch's recurrent layers have two bias vectors (b_ih and
b_hh) where Unrolled's cells have one, 4H more for an LSTM; --check prints both.

  /usr/bin/python3 lib/bench/pytorch_models.py --check        parameter counts and the first loss of each model
  /usr/bin/python3 lib/bench/pytorch_models.py --serve        answers 'MODEL THREADS SECONDS' with 'wall-ms cpu-ms calls'

libgomp's threads wait passively (OMP_WAIT_POLICY=PASSIVE), as in pytorch_rnn.py. Not part of any test.
"""
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def char_lm(torch, nn):
    """Notebook 10's character language model and its training step."""
    V, E, H, N, T = 85, 16, 128, 32, 48

    class CharLm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.rnn = nn.LSTM(E, H, batch_first=True)
            self.output = nn.Linear(H, V)

        def forward(self, ids):
            y, _ = self.rnn(self.embedding(ids))
            return self.output(y)

    torch.manual_seed(10)
    model = CharLm()
    ids = torch.randint(0, V, (N, T + 1))
    inputs, targets = ids[:, :-1], ids[:, 1:].reshape(-1)
    return model, lambda: nn.functional.cross_entropy(model(inputs).reshape(-1, V), targets)


def classifier(torch, nn):
    """Notebook 10's name classifier and its training step."""
    V, E, H, K, N, T = 57, 16, 32, 2, 128, 8

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.rnn = nn.LSTM(E, H, batch_first=True)
            self.output = nn.Linear(H, K)

        def forward(self, ids):
            _, (h, _) = self.rnn(self.embedding(ids))
            return self.output(h[-1])

    torch.manual_seed(7)
    model = Classifier()
    ids = torch.randint(0, V, (N, T))
    labels = torch.randint(0, K, (N,))
    return model, lambda: nn.functional.cross_entropy(model(ids), labels)


MODELS = {"charlm-train": char_lm, "classifier-train": classifier}


def training_step(torch, model, loss_of):
    """One step as a PyTorch training loop runs it: zero the gradients, forward, loss, backward, clip, Adam."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss

    return step


def main():
    try:
        import torch
        import torch.nn as nn
    except ImportError:
        sys.exit("pytorch_models.py: this Python has no torch (Debian: apt-get install python3-torch)")
    if "--check" in sys.argv:
        for name, build in MODELS.items():
            model, loss_of = build(torch, nn)
            count = sum(p.numel() for p in model.parameters())
            print(f"{name}\tparameters {count}\tfirst loss {loss_of().item():.4f}")
        return
    if "--serve" not in sys.argv:
        sys.exit(__doc__)
    steps = {}
    print(f"ready torch {torch.__version__}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}", flush=True)
    for line in sys.stdin:
        name, threads, seconds = line.split()
        torch.set_num_threads(int(threads))
        if name not in steps:
            model, loss_of = MODELS[name](torch, nn)
            steps[name] = training_step(torch, model, loss_of)
        call = steps[name]
        count = 0
        start = time.perf_counter()
        cpu = time.process_time()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= float(seconds):
                break
        cpu = time.process_time() - cpu
        print(f"{elapsed / count * 1000.0:.4f} {cpu / count * 1000.0:.4f} {count}", flush=True)


if __name__ == "__main__":
    main()
