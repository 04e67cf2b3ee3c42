"""Reference values of Stan's functions of complex numbers, for tests/tests/complex.rs.

Each is computed with mpmath at 50 digits (its principal branches are those of C++'s
std::complex, which Stan uses), independently of vppl's formulas in real arithmetic. Run with
`python3 tests/reference/complex.py` and paste the rows into `CASES`.
"""
import mpmath as mp

mp.mp.dps = 50

# Points away from the branch cuts (the real axis outside [-1, 1], the imaginary axis outside
# [-i, i], the negative real axis), in every quadrant.
POINTS = [(0.7, 0.4), (-1.3, 0.8), (-0.6, -1.9), (2.2, -0.5)]

UNARY = {
    "exp": mp.exp,
    "log": mp.log,
    "log10": mp.log10,
    "sqrt": mp.sqrt,
    "sin": mp.sin,
    "cos": mp.cos,
    "tan": mp.tan,
    "sinh": mp.sinh,
    "cosh": mp.cosh,
    "tanh": mp.tanh,
    "asin": mp.asin,
    "acos": mp.acos,
    "atan": mp.atan,
    "asinh": mp.asinh,
    "acosh": mp.acosh,
    "atanh": mp.atanh,
    "conj": mp.conj,
    "abs": lambda z: mp.mpc(abs(z)),
    "arg": lambda z: mp.mpc(mp.arg(z)),
    "norm": lambda z: mp.mpc(abs(z) ** 2),
}


def lit(x, y):
    return f"to_complex({x}, {y})"


def row(expr, value):
    value = mp.mpc(value)
    print(f'    ("{expr}", {mp.nstr(value.real, 17)}, {mp.nstr(value.imag, 17)}),')


for name, f in UNARY.items():
    for x, y in POINTS:
        z = mp.mpc(mp.mpf(str(x)), mp.mpf(str(y)))
        row(f"{name}({lit(x, y)})", f(z))

BINARY = [
    ("pow", lambda a, b: mp.exp(b * mp.log(a))),
    ("+", lambda a, b: a + b),
    ("-", lambda a, b: a - b),
    ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / b),
]
PAIRS = [((0.7, 0.4), (-1.3, 0.8)), ((-0.6, -1.9), (2.2, -0.5))]
for name, f in BINARY:
    for (x1, y1), (x2, y2) in PAIRS:
        a = mp.mpc(mp.mpf(str(x1)), mp.mpf(str(y1)))
        b = mp.mpc(mp.mpf(str(x2)), mp.mpf(str(y2)))
        if name.isalpha():
            expr = f"{name}({lit(x1, y1)}, {lit(x2, y2)})"
        else:
            expr = f"{lit(x1, y1)} {name} {lit(x2, y2)}"
        row(expr, f(a, b))

# Promotion of reals and ints, literals, polar form.
row("pow(to_complex(0.7, 0.4), 2.5)", mp.exp(mp.mpf("2.5") * mp.log(mp.mpc("0.7", "0.4"))))
row("pow(1.5, to_complex(0.7, 0.4))", mp.exp(mp.mpc("0.7", "0.4") * mp.log(mp.mpf("1.5"))))
row("3 - 2.5i", mp.mpc(3, "-2.5"))
row("polar(2.0, 0.6)", mp.mpf(2) * mp.exp(mp.mpc(0, "0.6")))
row("proj(to_complex(0.7, -0.4))", mp.mpc("0.7", "-0.4"))

# Containers: sums, products and reductions of complex vectors and matrices.
u = [mp.mpc("0.5", "1"), mp.mpc("-1", "2"), mp.mpc("3", "-0.5")]
v = [mp.mpc("2", "-1"), mp.mpc("0.25", "0.5"), mp.mpc("-1.5", "1")]
U = "to_complex([0.5, -1, 3]', [1, 2, -0.5]')"
V = "to_complex([2, 0.25, -1.5]', [-1, 0.5, 1]')"
row(f"dot_product({U}, {V})", mp.fsum(mp.conj(a) * b for a, b in zip(u, v)))
row(f"sum({U} .* {V})", mp.fsum(a * b for a, b in zip(u, v)))
row(f"{U}' * {V}", mp.fsum(a * b for a, b in zip(u, v)))
row(f"prod({U})", u[0] * u[1] * u[2])
row(f"dot_self({U})", mp.fsum(abs(a) ** 2 for a in u))
row(f"sum({U} ./ {V})", mp.fsum(a / b for a, b in zip(u, v)))
row(f"cumulative_sum({U})[3]", mp.fsum(u))
A = mp.matrix([[u[0], u[1]], [u[2], v[0]]])
B = mp.matrix([[v[1], v[2]], [u[1], u[0]]])
AS = "to_complex([[0.5, -1], [3, 2]], [[1, 2], [-0.5, -1]])"
BS = "to_complex([[0.25, -1.5], [-1, 0.5]], [[0.5, 1], [2, 1]])"
C = A * B
row(f"({AS} * {BS})[2, 1]", C[1, 0])
row(f"trace({AS} * {BS})", C[0, 0] + C[1, 1])
row(f"({AS}')[1, 2]", A[1, 0])
row(f"sum(columns_dot_product({AS}, {BS}))", mp.fsum(A[i, j] * B[i, j] for i in range(2) for j in range(2)))

# The discrete Fourier transforms, from their definition.
xs = [mp.mpc(1, 0), mp.mpc(2, 1), mp.mpc("-0.5", 0), mp.mpc(4, -1), mp.mpc(0, "1.5")]
XS = "to_complex([1, 2, -0.5, 4, 0]', [0, 1, 0, -1, 1.5]')"
n = len(xs)
dft = lambda x, k, sign: mp.fsum(x[j] * mp.exp(sign * 2j * mp.pi * mp.mpf(j * k) / len(x)) for j in range(len(x)))
for k in [0, 1, 3]:
    row(f"fft({XS})[{k + 1}]", dft(xs, k, -1))
    row(f"inv_fft({XS})[{k + 1}]", dft(xs, k, 1) / n)
M2 = [[mp.mpc(1, 0), mp.mpc(2, 1), mp.mpc(3, 0)], [mp.mpc(4, 1), mp.mpc(5, 0), mp.mpc(6, 1)]]
MS = "to_complex([[1, 2, 3], [4, 5, 6]], [[0, 1, 0], [1, 0, 1]])"
dft2 = lambda k, l, sign: mp.fsum(
    M2[a][b] * mp.exp(sign * 2j * mp.pi * (mp.mpf(a * k) / 2 + mp.mpf(b * l) / 3)) for a in range(2) for b in range(3)
)
row(f"fft2({MS})[2, 3]", dft2(1, 2, -1))
row(f"inv_fft2({MS})[1, 2]", dft2(0, 1, 1) / 6)

# Singular values of a complex matrix (the real part of the value; its imaginary part is 0).
SV = mp.matrix([[mp.mpc(1, 2), mp.mpc("0.5", -1), mp.mpc(0, 1)], [mp.mpc(-1, 0), mp.mpc(2, "0.5"), mp.mpc(1, 1)]])
SVS = "to_complex([[1, 0.5, 0], [-1, 2, 1]], [[2, -1, 1], [0, 0.5, 1]])"
sv = sorted(mp.sqrt(abs(e)) for e in mp.eig(SV * SV.transpose_conj())[0])[::-1]
for k in range(2):
    row(f"singular_values({SVS})[{k + 1}]", sv[k])
