#!/usr/bin/env python3
"""PyTorch's CPU recurrent layers at the benchmark sizes, for comparison with the JMH benchmarks of this folder.

For each cell (LSTM, GRU, tanh RNN), each size N x T x D x H and each mode it times, in float32 on the CPU:

  train   y = layer(x) from a zero state, then the backward pass of sum(y * dy) (dy fixed), which computes
          dx and every parameter's gradient: what FastRecurrentLayer.forward + backward computes
  infer   y = layer(x) under torch.no_grad(): the forward pass alone

and prints one tab-separated line per measurement:

  pytorch <TAB> cell <TAB> NxTxDxH <TAB> train|infer <TAB> mean ms <TAB> error ms <TAB> calls <TAB> threads

where the error is the half-width of the 99.9% confidence interval of the mean over the measured rounds (as JMH
reports it). Run it with the Python that has torch (Debian: apt-get install python3-torch libopenblas0):

  /usr/bin/python3 lib/bench/pytorch_rnn.py [--threads 1,2] [--quick] [--sizes 32x50x64x128,...]

Each measurement is taken with each thread count given (default 1 and every core) and the faster is printed, so
PyTorch gets its best setting on a machine shared with other work. libgomp's threads wait passively
(OMP_WAIT_POLICY=PASSIVE, unless set otherwise): with its default busy-waiting, PyTorch on 2 threads took 6.9 s
instead of 0.17 s per LSTM training call at 32x50x64x128 on the loaded 2-core machine these benchmarks were written on.

Not part of any test: lib/bench's Table runs it next to JMH when it finds a Python with torch.
"""
import argparse
import math
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

SIZES = ["32x50x64x128", "64x100x128x256", "1x200x32x64"]
CELLS = ["LSTM", "GRU", "RNN"]

# two-sided 99.9% Student t quantiles for small degrees of freedom (as JMH uses for its error)
T_999 = {1: 636.62, 2: 31.60, 3: 12.92, 4: 8.61, 5: 6.87, 6: 5.96, 7: 5.41, 8: 5.04, 9: 4.78, 10: 4.59,
         11: 4.44, 12: 4.32, 13: 4.22, 14: 4.14, 15: 4.07, 16: 4.01, 17: 3.97, 18: 3.92, 19: 3.88}


def layer_for(torch, cell, d, h):
    if cell == "LSTM":
        return torch.nn.LSTM(d, h, batch_first=True)
    if cell == "GRU":
        return torch.nn.GRU(d, h, batch_first=True)
    return torch.nn.RNN(d, h, nonlinearity="tanh", batch_first=True)


def measure(call, rounds, seconds):
    """Mean and 99.9% error of the time per call (ms), over rounds of about `seconds` each, after as much warm-up."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        call()
    means = []
    calls = 0
    for _ in range(rounds):
        count = 0
        start = time.perf_counter()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        calls += count
        means.append(elapsed / count * 1000.0)
    mean = statistics.fmean(means)
    error = float("nan")
    if len(means) > 1:
        error = T_999.get(len(means) - 1, 3.3) * statistics.stdev(means) / math.sqrt(len(means))
    return mean, error, calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default=f"1,{os.cpu_count()}",
                        help="thread counts to try, the faster is reported (default: 1 and every core)")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 s instead of 5")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--cells", default=",".join(CELLS))
    parser.add_argument("--serve", action="store_true",
                        help="answer requests 'CELL NxTxDxH train|infer THREADS SECONDS' read from stdin, one line each, "
                             "with 'wall-ms cpu-ms calls' per call (for lib/bench's Table, which alternates them with "
                             "the Java measurements)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("pytorch_rnn.py: this Python has no torch (Debian: apt-get install python3-torch libopenblas0)")
    if args.serve:
        serve(torch)
        return
    threads = sorted({int(v) for v in args.threads.split(",")})
    rounds = 3 if args.quick else 5
    print(f"# torch {torch.__version__}, threads tried {threads}, BLAS {blas_name(torch)}, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}", flush=True)
    for size in args.sizes.split(","):
        for cell in args.cells.split(","):
            for mode, call in calls_for(torch, cell, size).items():
                best = None
                for count in threads:
                    set_threads(torch, count)
                    result = measure(call, rounds, 1.0) + (count,)
                    if best is None or result[0] < best[0]:
                        best = result
                mean, error, calls, count = best
                print(f"pytorch\t{cell}\t{size}\t{mode}\t{mean:.4f}\t{error:.4f}\t{calls}\t{count}", flush=True)


def calls_for(torch, cell, size):
    """The training and inference calls of one cell at one size, on fixed seeded inputs."""
    n, t, d, h = (int(v) for v in size.split("x"))
    torch.manual_seed(1)
    layer = layer_for(torch, cell, d, h)
    x = torch.randn(n, t, d, requires_grad=True)
    dy = torch.randn(n, t, h) * 0.1

    def train():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        y, _ = layer(x)
        y.backward(dy)

    def infer():
        with torch.no_grad():
            layer(x)

    return {"train": train, "infer": infer}


def serve(torch):
    """One timed slice per request: run the call for at least the given seconds and answer the mean time per call."""
    cache = {}
    print(f"ready torch {torch.__version__}, BLAS {blas_name(torch)}, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}",
          flush=True)
    for line in sys.stdin:
        cell, size, mode, threads, seconds = line.split()
        set_threads(torch, int(threads))
        key = (cell, size)
        if key not in cache:
            cache[key] = calls_for(torch, cell, size)
        answer_slice(cache[key][mode], float(seconds))


def answer_slice(call, seconds):
    """Runs the call for at least the given seconds and prints 'wall-ms cpu-ms calls' per call (also pytorch_models.py's)."""
    count = 0
    start = time.perf_counter()
    cpu = time.process_time()
    while True:
        call()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    cpu = time.process_time() - cpu
    print(f"{elapsed / count * 1000.0:.4f} {cpu / count * 1000.0:.4f} {count}", flush=True)


def blas_name(torch):
    """The BLAS behind torch's matrix products, and the sgemm rate it reaches here.

    Debian's torch is built against the generic libblas.so.3, so which library does its products is whatever the
    system's alternative points to: OpenBLAS once libopenblas0 is installed, otherwise the reference (netlib) BLAS,
    which on a 2-core AVX-512 machine reached 5 GFLOP/s against OpenBLAS's 180 and made a whole char-LM training step
    about five times slower (154 ms against 29). A table against that PyTorch would flatter the other side, so the
    name and the measured rate are printed with every figure."""
    import ctypes
    try:
        blas = ctypes.CDLL("libblas.so.3")
    except OSError:
        blas = None
    if blas is not None and hasattr(blas, "openblas_get_config"):
        blas.openblas_get_config.restype = ctypes.c_char_p
        blas.openblas_get_corename.restype = ctypes.c_char_p
        name = (f"{blas.openblas_get_config().decode().split(' ')[0]} {blas.openblas_get_config().decode().split(' ')[1]}"
                f" (kernels {blas.openblas_get_corename().decode()})")
    else:
        name = "reference BLAS (not OpenBLAS: apt-get install libopenblas0)"
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    a @ b
    start = time.perf_counter()
    for _ in range(5):
        a @ b
    rate = 5 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9
    return f"{name}, sgemm 1024^3 {rate:.1f} GFLOP/s"


def set_threads(torch, count):
    """torch's intra-op threads, and OpenBLAS's own: torch.set_num_threads reaches only OpenMP when torch was built
    against the generic BLAS, and OpenBLAS's pthreads would otherwise use every core in a "1 thread" measurement."""
    import ctypes
    torch.set_num_threads(count)
    try:
        blas = ctypes.CDLL("libblas.so.3")
    except OSError:
        return
    if hasattr(blas, "openblas_set_num_threads"):
        blas.openblas_set_num_threads(count)

if __name__ == "__main__":
    main()
