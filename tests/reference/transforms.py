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


# Stan 2.37's transforms of vectors and matrices. sum_to_zero: z = V y with V's column i
# (i ones, then -i) / sqrt(i (i + 1)), built as a matrix here; the matrix form as Stan Math's
# loop over columns and rows computes it (written from its definition, sum_to_zero_constrain
# for matrices); simplex: softmax of sum_to_zero (the inverse isometric log ratio);
# unit_vectors: y / |y|. Log-Jacobians: the log-determinant of the numerical Jacobian of the
# map onto the first K - 1 coordinates (simplex) or of the radial completion (unit vector:
# -|y|^2 / 2 by the Reference Manual, checked as is).
def basis(n):
    V = mp.matrix(n + 1, n)
    for i in range(1, n + 1):
        for j in range(1, i + 1):
            V[j - 1, i - 1] = 1 / mp.sqrt(i * (i + 1))
        V[i, i - 1] = -i / mp.sqrt(i * (i + 1))
    return V


def sum_to_zero(y):
    z = basis(len(y)) * mp.matrix(y)
    return [z[i] for i in range(len(y) + 1)]


def sum_to_zero_matrix(x):
    n, m = len(x), len(x[0])
    Z = [[mp.mpf(0)] * (m + 1) for _ in range(n + 1)]
    beta = [mp.mpf(0)] * n
    for j in range(m - 1, -1, -1):
        ax_previous = mp.mpf(0)
        a_j = 1 / mp.sqrt((j + 1) * (j + 2))
        b_j = (j + 1) * a_j
        for i in range(n - 1, -1, -1):
            a_i = 1 / mp.sqrt((i + 1) * (i + 2))
            b_i = (i + 1) * a_i
            b_i_x = b_i * x[i][j] - ax_previous
            Z[i][j] = b_j * b_i_x - beta[i]
            beta[i] += a_j * b_i_x
            Z[n][j] -= Z[i][j]
            Z[i][m] -= Z[i][j]
            ax_previous += a_i * x[i][j]
        Z[n][m] -= Z[n][j]
    return Z


def simplex(y):
    z = sum_to_zero(y)
    s = mp.fsum(mp.exp(v) for v in z)
    return [mp.exp(v) / s for v in z]


def unit(y):
    r = mp.sqrt(mp.fsum(v * v for v in y))
    return [v / r for v in y]


def weighted(v):
    return mp.fsum((i + 1) * x for i, x in enumerate(v))


Y3 = [mp.mpf("0.5"), mp.mpf("-0.3"), mp.mpf("0.1")]
X23 = [[mp.mpf("0.5"), mp.mpf("-0.3"), mp.mpf("0.1")], [mp.mpf("1.2"), mp.mpf("0.4"), mp.mpf("-0.8")]]
Zm = sum_to_zero_matrix(X23)
cols = [simplex([X23[0][c], X23[1][c]]) for c in range(3)]
rows = [simplex(X23[r]) for r in range(2)]
Y3s = "[0.5, -0.3, 0.1]'"
M23 = "[[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]"
print("const MORE_VALUES: &[(&str, f64)] = &[")
rows_out = [
    (f"dot_product([1, 2, 3, 4]', simplex_constrain({Y3s}))", weighted(simplex(Y3))),
    (f"dot_product([1, 2, 3, 4]', sum_to_zero_constrain({Y3s}))", weighted(sum_to_zero(Y3))),
    (f"dot_product([1, 2, 3]', unit_vectors_constrain({Y3s}))", weighted(unit(Y3))),
    (
        # Weights (r + 1)^2 (c + 1): an additive weight would give 0 on any zero-sum matrix.
        f"sum([[1, 2, 3, 4], [4, 8, 12, 16], [9, 18, 27, 36]] .* sum_to_zero_constrain({M23}))",
        mp.fsum((r + 1) ** 2 * (c + 1) * Zm[r][c] for r in range(3) for c in range(4)),
    ),
    (
        f"sum(to_matrix([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3) .* stochastic_column_constrain({M23}))",
        mp.fsum((r + 1 + 3 * c) * cols[c][r] for r in range(3) for c in range(3)),
    ),
    (
        f"sum(to_matrix([1, 2, 3, 4, 5, 6, 7, 8], 2, 4) .* stochastic_row_constrain({M23}))",
        mp.fsum((r + 1 + 2 * c) * rows[r][c] for r in range(2) for c in range(4)),
    ),
]
for expr, v in rows_out:
    print(f'    ("{expr}", {fmt(v)}),')
print("];")

simplex_lj = log_det_jacobian(lambda y: simplex(y)[:-1], Y3)
print("const MORE_JACOBIANS: &[(&str, f64)] = &[")
print(f'    ("simplex", {fmt(simplex_lj)}),')
print(f'    ("unit_vectors", {fmt(-mp.fsum(v * v for v in Y3) / 2)}),')
print('    ("sum_to_zero", 0.0),  // linear onto the zero-sum subspace: Stan adds nothing')
print("];")
# The ILR simplex's log-Jacobian by the Reference Manual (Stan 2.37): sum(log x) + log(K) / 2,
# against the numerical one above.
x = simplex(Y3)
print("// simplex: sum(log x) + log(K)/2 =", fmt(mp.fsum(mp.log(v) for v in x) + mp.log(4) / 2))
