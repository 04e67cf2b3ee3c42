"""Reference values of Stan's Wiener first-passage-time log densities, for tests/tests/wiener.rs.

Each is computed with mpmath, independently of vppl's series:
- the four-parameter density from the large-time series alone (Feller's eigenfunction expansion),
  summed to far below the working precision, which is raised by the digits the alternating
  terms cancel;
- the five-parameter density (drift variability) as the four-parameter one integrated over a
  normal drift, by quadrature, not with the closed form;
- the seven-parameter density as the five-parameter one (closed form, held to the quadrature by
  the rows before) averaged by quadrature over the uniform start and the uniform non-decision
  time.

Run with `python3 tests/reference/wiener.py` (some minutes: the last rows are double integrals at
20 digits) and paste the rows into `VALUES` of
tests/tests/wiener.rs.
"""
import mpmath as mp

DIGITS = 40


def f(x):
    # The double nearest the decimal, as the compiled program receives it.
    return mp.mpf(float(x))


def large_time(u, w):
    """The density at time u of the first passage through 0 of a driftless Wiener process that
    starts at w in (0, 1), absorbed at 0 and 1: pi sum k exp(-k^2 pi^2 u / 2) sin(k pi w)."""
    # Past this the density is below exp(-400) of its scale: zero at any precision used here.
    if w * w / (2 * u) > 400:
        return mp.mpf(0)
    # The terms reach about 1/u while the sum is about exp(-w^2 / 2u): that many more digits.
    extra = int(float(w * w / (2 * u) + mp.log(1 / u)) / 2.302585) + 10
    with mp.workdps(DIGITS + extra):
        u, w = mp.mpf(u), mp.mpf(w)
        total, k = mp.mpf(0), 1
        while True:
            term = k * mp.exp(-k * k * mp.pi**2 * u / 2) * mp.sin(k * mp.pi * w)
            total += term
            if k * k * mp.pi**2 * u / 2 > (DIGITS + extra + 20) * 2.302585 + 3 * mp.log(k + 1):
                break
            k += 1
        return +(mp.pi * total)


def wiener4(y, a, tau, beta, delta):
    """The density of the first passage through the upper boundary at time y."""
    t = y - tau
    return mp.exp(delta * a * (1 - beta) - delta**2 * t / 2) / a**2 * large_time(t / a**2, 1 - beta)


def wiener5_by_quadrature(y, a, tau, beta, delta, sv):
    """The four-parameter density averaged over a drift ~ normal(delta, sv)."""
    dens = lambda nu: wiener4(y, a, tau, beta, nu) * mp.npdf(nu, delta, sv)
    return mp.quad(dens, [-mp.inf, delta - 4 * sv, delta, delta + 4 * sv, mp.inf])


def wiener5(t, a, beta, delta, sv):
    """The drift-averaged density in closed form (at time t after the non-decision time)."""
    w = 1 - beta
    one = 1 + sv**2 * t
    expo = (sv**2 * a**2 * w**2 + 2 * a * delta * w - delta**2 * t) / (2 * one)
    return mp.exp(expo) / (a**2 * mp.sqrt(one)) * large_time(t / a**2, w)


def wiener7(y, a, tau, beta, delta, sv, sw, st0):
    """The five-parameter density averaged over start ~ uniform(beta -+ sw/2) and non-decision
    time ~ uniform(tau, tau + st0)."""
    t = y - tau
    if st0 == 0:
        in_time = lambda w: wiener5(t, a, w, delta, sv)
    else:
        lo = max(t - st0, mp.mpf(0))
        in_time = lambda w: mp.quad(lambda s: wiener5(s, a, w, delta, sv), mp.linspace(lo, t, 5)) / st0
    if sw == 0:
        return in_time(beta)
    return mp.quad(in_time, [beta - sw / 2, beta, beta + sw / 2]) / sw


mp.mp.dps = DIGITS

# (y, alpha, tau, beta, delta): short times (t / alpha^2 < 0.25) and long ones, a start near
# either boundary, a strong drift; the first five are Stan Math's test points (RWiener's values).
FOUR = [
    ("1.1", "2.1", "0.3", "0.55", "0.4"),
    ("2.1", "4.1", "0.6", "0.05", "0.1"),
    ("1.2", "10.1", "0.35", "0.95", "0.5"),
    ("50.1", "4.3", "1.05", "0.65", "0.15"),
    ("1.51", "1.1", "0.9", "0.2", "10.5"),
    ("0.35", "1.5", "0.3", "0.45", "0.7"),
    ("1.0", "1.0", "0.75", "0.3", "-0.8"),
    ("5.0", "0.5", "0.2", "0.5", "1.0"),
    ("0.9", "1.2", "0.2", "0.000001", "0.3"),
    ("0.9", "1.2", "0.2", "0.999999", "0.3"),
    ("0.31", "0.8", "0.3", "0.02", "-2.0"),
    ("0.6", "0.5", "0.1", "0.97", "1.5"),
]
print("    // wiener(y | alpha, tau, beta, delta)")
for row in FOUR:
    y, a, tau, beta, delta = map(f, row)
    print(f'    ("{row[0]} | {", ".join(row[1:])}", {float(mp.log(wiener4(y, a, tau, beta, delta)))!r}),')

# (y, alpha, tau, beta, delta, sv)
FIVE = [
    ("1.1", "2.1", "0.3", "0.55", "0.4", "0.5"),
    ("0.35", "1.5", "0.3", "0.45", "0.7", "1.2"),
    ("3.0", "1.0", "0.2", "0.3", "-1.0", "0.8"),
    ("1.0", "1.0", "0.2", "0.6", "0.5", "0"),
]
print("    // wiener(y | alpha, tau, beta, delta, sv)")
for row in FIVE:
    y, a, tau, beta, delta, sv = map(f, row)
    if sv == 0:
        value = wiener4(y, a, tau, beta, delta)
    else:
        value = wiener5_by_quadrature(y, a, tau, beta, delta, sv)
        closed = wiener5(y - tau, a, beta, delta, sv)
        assert abs(value / closed - 1) < mp.mpf(10) ** (-DIGITS + 10), (row, value, closed)
    print(f'    ("{row[0]} | {", ".join(row[1:])}", {float(mp.log(value))!r}),')

# (y, alpha, tau, beta, delta, sv, sw, st0): both variabilities, each alone, neither, and a
# non-decision time range reaching past the response time.
mp.mp.dps = 20
SEVEN = [
    ("1.1", "2.1", "0.3", "0.55", "0.4", "0.5", "0.2", "0.15"),
    ("0.6", "1.0", "0.25", "0.4", "1.5", "0", "0.3", "0.5"),
    ("1.0", "1.5", "0.3", "0.5", "-0.5", "0.3", "0", "0.2"),
    ("1.0", "1.5", "0.3", "0.5", "-0.5", "0.3", "0.4", "0"),
    ("1.0", "1.5", "0.3", "0.5", "-0.5", "0.3", "0", "0"),
    ("0.45", "0.7", "0.2", "0.3", "2.0", "1.0", "0.5", "0.1"),
]
print("    // wiener(y | alpha, tau, beta, delta, sv, sw, st0)")
for row in SEVEN:
    value = wiener7(*map(f, row))
    print(f'    ("{row[0]} | {", ".join(row[1:])}", {float(mp.log(value))!r}),')
