"""network-sir in PyTorch, the reference for bench/run.mjs (optional: run only where `import torch` works).

    python3 bench/pytorch/network_sir.py --agents N --steps T [--budget S] [--threads 2] [--device cpu|cuda]

Prints one JSON line with the fields of bench/run.mjs's results (plus dBeta, dGamma, note).
The segment sum is the general CSR one: index_select of I by the contact indices, then index_add_
into each edge's row (it does not assume a fixed degree).
"""
import argparse
import json
import os
import resource
import time

import torch

DEGREE = 10
BETA = 0.05
GAMMA = 0.1
SEED_FRACTION = 0.001
FWD_BWD_PER_FWD = 5  # fwd+bwd time / forward time assumed when deciding whether the gradient fits the budget


def peak_rss_mb():
    """Peak resident memory of this process: VmHWM where /proc exists, else ru_maxrss (kB on Linux)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StraightThroughBernoulli(torch.autograd.Function):
    """x = 1[u < p] with dx/dp := 1."""

    @staticmethod
    def forward(ctx, p, u):
        return (u < p).to(p.dtype)

    @staticmethod
    def backward(ctx, dy):
        return dy, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--agents', type=int, default=100_000)
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--budget', type=float, default=240)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    cuda = args.device == 'cuda'
    if cuda and not torch.cuda.is_available():
        parser.error('--device cuda: torch sees no CUDA device')

    def sync():
        if cuda:
            torch.cuda.synchronize()
    n, steps = args.agents, args.steps
    e = n * DEGREE
    notes = []
    row = {'scenario': 'network-sir', 'impl': 'pytorch', 'backend': torch.cuda.get_device_name(0) if cuda else 'cpu', 'agents': n, 'edges': e, 'steps': steps,
           'fwdMsPerStep': None, 'fwdBwdMsPerStep': None, 'peakRssMb': None, 'agentStepsPerSec': None, 'dBeta': None, 'dGamma': None}

    gen = torch.Generator(device=dev).manual_seed(1)
    col_idx = torch.randint(0, n, (e,), generator=gen, device=dev)
    row_of_edge = torch.arange(n, device=dev).repeat_interleave(DEGREE)  # CSR rows: rowPtr[i] = i * K
    infected0 = (torch.rand(n, generator=gen, device=dev) < SEED_FRACTION).float()

    def step(s, i, r, beta, gamma, t):
        g = torch.Generator(device=dev).manual_seed(1000 + t)
        pressure = torch.zeros(n, device=dev).index_add_(0, row_of_edge, torch.index_select(i, 0, col_idx))
        p_infect = 1 - torch.exp(-beta * pressure)
        infected = StraightThroughBernoulli.apply(p_infect, torch.rand(n, generator=g, device=dev)) * s
        recovered = StraightThroughBernoulli.apply(gamma.expand(n), torch.rand(n, generator=g, device=dev)) * i
        return s - infected, i + infected - recovered, r + recovered, infected.sum()

    def forward(days):
        beta, gamma = torch.tensor(BETA, device=dev), torch.tensor(GAMMA, device=dev)
        s, i, r = 1 - infected0, infected0.clone(), torch.zeros(n, device=dev)
        with torch.no_grad():
            for t in range(days):
                s, i, r, new = step(s, i, r, beta, gamma, t)
                new.item()
        sync()

    def fits(what, estimate_s):
        if estimate_s <= args.budget:
            return True
        notes.append(f'{what} skipped: estimated {round(estimate_s)} s > budget {args.budget:g} s')
        return False

    t0 = time.perf_counter()
    forward(1)
    warm_ms = (time.perf_counter() - t0) * 1000
    if fits('forward', warm_ms * steps / 1000):
        t0 = time.perf_counter()
        forward(steps)
        fwd_ms = (time.perf_counter() - t0) * 1000 / steps
        row['fwdMsPerStep'] = fwd_ms
        row['agentStepsPerSec'] = n * 1000 / fwd_ms
        # the tape keeps about 70 bytes per agent per step (measured: 11.8 GB peak at 8.4M agents, 20 steps)
        tape_gb = steps * n * 72 / 2 ** 30
        free_gb = (torch.cuda.mem_get_info()[0] if cuda else os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_AVPHYS_PAGES')) / 2 ** 30
        fits_memory = tape_gb < 0.7 * free_gb
        if not fits_memory:
            notes.append(f'fwd+bwd skipped: tape ~{tape_gb:.1f} GB > 70% of {free_gb:.1f} GB free')
        if fits_memory and fits('fwd+bwd', fwd_ms * steps * FWD_BWD_PER_FWD / 1000):
            beta = torch.tensor(BETA, requires_grad=True, device=dev)
            gamma = torch.tensor(GAMMA, requires_grad=True, device=dev)
            t0 = time.perf_counter()
            s, i, r = 1 - infected0, infected0.clone(), torch.zeros(n, device=dev)
            total = torch.zeros((), device=dev)
            for t in range(steps):
                s, i, r, new = step(s, i, r, beta, gamma, t)
                total = total + new
            total.backward()
            row['dBeta'], row['dGamma'] = beta.grad.item(), gamma.grad.item()
            sync()
            row['fwdBwdMsPerStep'] = (time.perf_counter() - t0) * 1000 / steps
    row['peakRssMb'] = peak_rss_mb()
    if cuda:
        row['peakGpuMb'] = torch.cuda.max_memory_allocated() / 2 ** 20
    if notes:
        row['note'] = '; '.join(notes)
    print(json.dumps(row), flush=True)


if __name__ == '__main__':
    main()
