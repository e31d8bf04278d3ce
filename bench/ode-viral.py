"""
The within-host viral benchmark's NumPy side (bench/ode-viral.mjs runs it in the same run):
the target-cell-limited influenza model (Baccam et al. 2006) for N independent hosts,
vectorised RK4 with a fixed step, float64 and float32; and scipy.integrate.solve_ivp (RK45)
on a smaller batch, the tool users would otherwise pick. Prints one JSON object.
"""
import argparse
import json
import time

import numpy as np

BETA, P, C, DELTA, T0, V0 = 2.7e-5, 1.2e-2, 3.0, 4.0, 4e8, 9.3e-2


def initial(n, dtype):
    T = np.full(n, T0, dtype=dtype)
    I = np.zeros(n, dtype=dtype)
    V = (V0 * 10.0 ** (6.0 * np.arange(n) / n)).astype(dtype)
    return T, I, V


def f(T, I, V):
    infection = BETA * T * V
    return -infection, infection - DELTA * I, P * I - C * V


def rk4(n, days, dt, dtype):
    T, I, V = initial(n, dtype)
    steps = int(round(days / dt))
    h = dtype(dt)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        k1 = f(T, I, V)
        k2 = f(T + h / 2 * k1[0], I + h / 2 * k1[1], V + h / 2 * k1[2])
        k3 = f(T + h / 2 * k2[0], I + h / 2 * k2[1], V + h / 2 * k2[2])
        k4 = f(T + h * k3[0], I + h * k3[1], V + h * k3[2])
        T = T + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        I = I + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        V = V + h / 6 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2])
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, float(np.sum(V, dtype=np.float64))


def scipy_rk45(n, days):
    from scipy.integrate import solve_ivp

    T, I, V = initial(n, np.float64)

    def rhs(_t, y):
        T, I, V = y[:n], y[n:2 * n], y[2 * n:]
        a, b, c = f(T, I, V)
        return np.concatenate([a, b, c])

    start, cpu = time.perf_counter(), time.process_time()
    sol = solve_ivp(rhs, [0, days], np.concatenate([T, I, V]), method='RK45', rtol=1e-6, atol=1e-3)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, float(np.sum(sol.y[2 * n:, -1])), int(sol.nfev)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--agents', type=int, default=1_000_000)
    ap.add_argument('--days', type=float, default=1)
    ap.add_argument('--dt', type=float, default=0.1)
    ap.add_argument('--scipy-agents', type=int, default=10_000)
    a = ap.parse_args()
    out = {'numpy': np.__version__}
    out['rk4Float64Ms'], out['rk4Float64CpuMs'], out['rk4Float64SumV'] = rk4(a.agents, a.days, a.dt, np.float64)
    out['rk4Float32Ms'], out['rk4Float32CpuMs'], out['rk4Float32SumV'] = rk4(a.agents, a.days, a.dt, np.float32)
    try:
        import scipy

        out['scipy'] = scipy.__version__
        out['scipyAgents'] = a.scipy_agents
        out['scipyRk45Ms'], out['scipyRk45CpuMs'], out['scipySumV'], out['scipyNfev'] = scipy_rk45(a.scipy_agents, a.days)
    except ImportError:
        out['scipy'] = None
    print(json.dumps(out))


if __name__ == '__main__':
    main()
