#!/usr/bin/python3
"""PyTorch CPU baseline for bench/dynamics.bench.ts: the same bilinear game θᵀAφ (dim n per player), the same
methods (simultaneous GDA, extragradient), gradients by autograd, float32, one thread per op as in
REFERENCE.md (OPENBLAS_NUM_THREADS=1). Prints one JSON line: {"method": ms_per_step, ...}.
Usage: /usr/bin/python3 bench/torch_dynamics.py --dim 100 --steps 2000
"""
import argparse, json, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--dim", type=int, default=100)
p.add_argument("--steps", type=int, default=2000)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
g = torch.Generator().manual_seed(0)
A = torch.randn(a.dim, a.dim, generator=g) / a.dim**0.5
eta = 0.05

def field(th, ph):
    th = th.detach().requires_grad_(True)
    ph = ph.detach().requires_grad_(True)
    L = th @ (A @ ph)
    gth, gph = torch.autograd.grad(L, (th, ph))
    return gth, -gph

def sim(th, ph):
    gt, gp = field(th, ph)
    return th - eta * gt, ph - eta * gp

def eg(th, ph):
    gt, gp = field(th, ph)
    gt, gp = field(th - eta * gt, ph - eta * gp)
    return th - eta * gt, ph - eta * gp

out = {}
for name, step in [("simultaneous", sim), ("extragradient", eg)]:
    th = torch.ones(a.dim); ph = torch.ones(a.dim)
    for _ in range(20):
        th, ph = step(th, ph)
    t0 = time.perf_counter()
    for _ in range(a.steps):
        th, ph = step(th, ph)
        float(th[0])  # read back, as saddle does every step
    out[name] = 1000 * (time.perf_counter() - t0) / a.steps
print(json.dumps(out))
