#!/usr/bin/python3
"""PyTorch CPU baseline for R independent MLP GANs trained in one batched step (issue: replicas that pay).

The REFERENCE.md pair (G 2->128->128->2, D 2->128->128->1, batch 256, non-saturating, Adam(2e-4, 0.5, 0.999)),
R copies stacked on a leading axis: every layer is one torch.baddbmm over [R, B, in] x [R, in, out], so one
step trains R GANs (Adam is elementwise, so one optimizer over the stacked tensors is R independent Adams).
Iteration pattern as ../shared/baselines/torch_gan_cpu.py: fake = G(z) once; D step on real and fake.detach();
G step on D(fake).

Usage: /usr/bin/python3 bench/torch_replicas.py --replicas 8 [--threads 2] [--warmup 5] [--steps 30]
Prints median=<ms per step for all R> like torch_gan_cpu.py. Run with OPENBLAS_NUM_THREADS=1.
"""
import argparse, math, statistics, time
import torch
import torch.nn.functional as F


def stacked_mlp(r, sizes, g):
    ps = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        bound = 1 / math.sqrt(i)
        w = (torch.rand(r, i, o, generator=g) * 2 - 1) * bound
        b = (torch.rand(r, 1, o, generator=g) * 2 - 1) * bound
        ps += [w.requires_grad_(), b.requires_grad_()]
    return ps


def forward(ps, x):
    h = x
    n = len(ps) // 2
    for k in range(n):
        h = torch.baddbmm(ps[2 * k + 1], h, ps[2 * k])
        if k < n - 1:
            h = F.relu(h)
    return h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--replicas', type=int, default=8)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--steps', type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    r, bs = a.replicas, 256
    G = stacked_mlp(r, [2, 128, 128, 2], g)
    D = stacked_mlp(r, [2, 128, 128, 1], g)
    optG = torch.optim.Adam(G, lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D, lr=2e-4, betas=(0.5, 0.999))

    def ring(n):
        k = torch.randint(0, 8, (r, n), generator=g)
        ang = k.float() * (2 * math.pi / 8)
        return torch.stack([torch.cos(ang), torch.sin(ang)], 2) * 2.0 + 0.02 * torch.randn(r, n, 2, generator=g)

    def step():
        real = ring(bs)
        z = torch.randn(r, bs, 2, generator=g)
        fake = forward(G, z)
        optD.zero_grad(set_to_none=True)
        lossD = F.softplus(-forward(D, real)).mean() + F.softplus(forward(D, fake.detach())).mean()
        lossD.backward(); optD.step()
        optG.zero_grad(set_to_none=True)
        lossG = F.softplus(-forward(D, fake)).mean()
        lossG.backward(); optG.step()
        return lossD.item(), lossG.item()

    for _ in range(a.warmup):
        step()
    times, cpu = [], []
    for _ in range(a.steps):
        c0 = time.process_time(); t0 = time.perf_counter(); step()
        times.append((time.perf_counter() - t0) * 1e3); cpu.append((time.process_time() - c0) * 1e3)
    print(f'replicas={r} batch={bs} torch={torch.__version__} threads={torch.get_num_threads()}')
    print(f'ms/step for all replicas: median={statistics.median(times):.3f} '
          f'per replica={statistics.median(times) / r:.3f} over {a.steps} steps')
    print(f'process CPU ms/iter (all threads): median={statistics.median(cpu):.3f}')


if __name__ == '__main__':
    main()
