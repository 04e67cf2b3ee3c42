"""Reference values of Stan 2.37's transform functions for tests/tests/transform_functions.rs.

Each constrained value comes from the Reference Manual's definition of the transform, each
unconstrained value from solving constrain(x) = y numerically (mpmath's findroot), and each
log-Jacobian from a numerical derivative of the constraining map (mpmath's diff), so none
shares vppl's formulas. mpmath at 50 digits. Run with `python3 tests/reference/transforms.py`
and paste the rows into `VALUES` and `JACOBIANS`.
"""
import mpmath as mp

mp.mp.dps = 50


def lower(x, lb):
    return lb + mp.exp(x)


def upper(x, ub):
    return ub - mp.exp(x)


def lower_upper(x, lb, ub):
    return lb + (ub - lb) / (1 + mp.exp(-x))


def affine(x, offset, mult):
    return offset + mult * x


def unconstrain(f, y, *bounds):
    return mp.findroot(lambda x: f(x, *bounds) - y, mp.mpf(0.1))


def log_jacobian(f, x, *bounds):
    return mp.log(abs(mp.diff(lambda t: f(t, *bounds), x)))


def fmt(v):
    return mp.nstr(v, 17, min_fixed=-30, max_fixed=30)


# (Stan expression, value): constrained and unconstrained values, element-wise forms summed.
values = [
    ("lower_bound_constrain(0.3, 1.5)", lower(mp.mpf("0.3"), mp.mpf("1.5"))),
    ("upper_bound_constrain(-0.7, 2)", upper(mp.mpf("-0.7"), 2)),
    ("lower_upper_bound_constrain(0.4, -1, 3)", lower_upper(mp.mpf("0.4"), -1, 3)),
    ("offset_multiplier_constrain(0.4, -1, 3)", affine(mp.mpf("0.4"), -1, 3)),
    ("lower_bound_unconstrain(3.2, 1.5)", unconstrain(lower, mp.mpf("3.2"), mp.mpf("1.5"))),
    ("upper_bound_unconstrain(-0.5, 2)", unconstrain(upper, mp.mpf("-0.5"), 2)),
    ("lower_upper_bound_unconstrain(2.2, -1, 3)", unconstrain(lower_upper, mp.mpf("2.2"), -1, 3)),
    ("offset_multiplier_unconstrain(0.4, -1, 3)", unconstrain(affine, mp.mpf("0.4"), -1, 3)),
    (
        "sum(lower_bound_constrain([0.3, -1.2]', [1, 2]'))",
        lower(mp.mpf("0.3"), 1) + lower(mp.mpf("-1.2"), 2),
    ),
    (
        "sum(lower_upper_bound_constrain({0.3, -1.2}, 0, {1, 4}))",
        lower_upper(mp.mpf("0.3"), 0, 1) + lower_upper(mp.mpf("-1.2"), 0, 4),
    ),
    (
        "sum(offset_multiplier_unconstrain([1.5, 2.5], [1, 0], 2))",
        unconstrain(affine, mp.mpf("1.5"), 1, 2) + unconstrain(affine, mp.mpf("2.5"), 0, 2),
    ),
    (
        "sum(upper_bound_unconstrain({-0.5, 1.5}, {0, 2}))",
        unconstrain(upper, mp.mpf("-0.5"), 0) + unconstrain(upper, mp.mpf("1.5"), 2),
    ),
]

# (call at the free value x, its log-Jacobian at x = 0.35): the `_jacobian` function's increment.
X = mp.mpf("0.35")
jacobians = [
    ("lower_bound_jacobian(x, 1.5)", log_jacobian(lower, X, mp.mpf("1.5"))),
    ("upper_bound_jacobian(x, 2)", log_jacobian(upper, X, 2)),
    ("lower_upper_bound_jacobian(x, -1, 3)", log_jacobian(lower_upper, X, -1, 3)),
    ("offset_multiplier_jacobian(x, -1, 3)", log_jacobian(affine, X, -1, 3)),
]

print("const VALUES: &[(&str, f64)] = &[")
for expr, v in values:
    print(f'    ("{expr}", {fmt(v)}),')
print("];")
print("const JACOBIANS: &[(&str, f64)] = &[")
for expr, v in jacobians:
    print(f'    ("{expr}", {fmt(v)}),')
print("];")


# The vector transforms: ordered (x1, x1 + exp(x2), ...) and positive_ordered (exp(x1), ...),
# their values summed with weights 1, 2, 3 (so the order matters), and the log-Jacobian as the
# log-determinant of mpmath's numerical Jacobian matrix.
def ordered(x, positive):
    y, out = None, []
    for i, xi in enumerate(x):
        if i == 0:
            y = mp.exp(xi) if positive else xi
        else:
            y = y + mp.exp(xi)
        out.append(y)
    return out


def log_det_jacobian(f, x):
    n = len(x)
    J = mp.matrix(n, n)
    for j in range(n):
        for i in range(n):
            def fi(t, i=i, j=j):
                xs = list(x)
                xs[j] = t
                return f(xs)[i]
            J[i, j] = mp.diff(fi, x[j])
    return mp.log(abs(mp.det(J)))


V = [mp.mpf("0.5"), mp.mpf("-0.3"), mp.mpf("0.1")]
print("const VECTOR_VALUES: &[(&str, f64)] = &[")
for name, positive in [("ordered", False), ("positive_ordered", True)]:
    y = ordered(V, positive)
    print(f'    ("{name}_constrain([0.5, -0.3, 0.1]\')", {fmt(y[0] + 2 * y[1] + 3 * y[2])}),')
print("];")
print("const VECTOR_JACOBIANS: &[(&str, f64)] = &[")
for name, positive in [("ordered", False), ("positive_ordered", True)]:
    print(f'    ("{name}", {fmt(log_det_jacobian(lambda x: ordered(x, positive), V))}),')
print("];")
