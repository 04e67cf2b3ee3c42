"""Reference values of Stan's qr_Q and qr_R (rows of `VALUES` in tests/tests/primitives.rs).

Stan's QR is Eigen's HouseholderQR followed by a sign change: each of the first min(r, c)
columns of Q and rows of R is negated where R's diagonal is negative. The reflections are
computed here in mpmath at 50 digits, one column at a time as Eigen's makeHouseholder does
(beta = -sign(c0) * norm, tau = (beta - c0) / beta, essential part x / (c0 - beta)); Q is the
product of the reflections. The checks below hold the result to Q R = A and Q^T Q = I.

Run: python3 tests/reference/qr.py
"""

import mpmath as mp

mp.mp.dps = 50


def stan_qr(a):
    r, c = len(a), len(a[0])
    R = mp.matrix(a)
    Q = mp.eye(r)
    for j in range(min(r, c)):
        c0 = R[j, j]
        tail = sum(R[i, j] ** 2 for i in range(j + 1, r))
        if tail == 0:
            continue
        beta = mp.sqrt(c0**2 + tail)
        if c0 >= 0:
            beta = -beta
        v = [mp.mpf(0)] * r
        v[j] = mp.mpf(1)
        for i in range(j + 1, r):
            v[i] = R[i, j] / (c0 - beta)
        tau = (beta - c0) / beta
        H = mp.eye(r)
        for p in range(r):
            for q in range(r):
                H[p, q] -= tau * v[p] * v[q]
        R = H * R
        Q = Q * H
        for i in range(j + 1, r):
            R[i, j] = 0
    for i in range(min(r, c)):
        if R[i, i] < 0:
            for p in range(r):
                Q[p, i] = -Q[p, i]
            for q in range(c):
                R[i, q] = -R[i, q]
    assert mp.norm(Q * R - mp.matrix(a)) < mp.mpf(10) ** -40
    assert mp.norm(Q.T * Q - mp.eye(r)) < mp.mpf(10) ** -40
    return Q, R


def column_major(m):
    return [m[i, j] for j in range(m.cols) for i in range(m.rows)]


for a in ([[1, 2], [3, -4], [0, 5]], [[2, -1, 0.5], [1, 3, -2]]):
    Q, R = stan_qr(a)
    print(a)
    print("Q", ", ".join(mp.nstr(x, 17) for x in column_major(Q)))
    print("R", ", ".join(mp.nstr(x, 17) for x in column_major(R)))
