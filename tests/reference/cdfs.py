"""Reference values of Stan's log CDFs and log CCDFs, and of the densities over categories and
ranks, for tests/tests/densities.rs.

Each is computed with mpmath at 50 digits from the textbook definition (an integral of the
density or the classical closed form), independently of vppl's formulas. Run with
`python3 tests/reference/cdfs.py` and paste the rows into `CDF_CASES`, `CATEGORY_CASES`, `MORE_CASES` and `MATRIX_CASES`.
"""
import mpmath as mp

mp.mp.dps = 50


def normal_cdf(y, mu, s):
    return mp.ncdf((y - mu) / s)


def student_t_cdf(y, nu, mu, s):
    # The integral of the density from -inf: independent of the incomplete-beta identity.
    dens = lambda t: mp.gamma((nu + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / 2)) * (1 + t * t / nu) ** (-(nu + 1) / 2)
    return mp.quad(dens, [-mp.inf, (y - mu) / s])


def binomial_cdf(n, N, p):
    return mp.fsum(mp.binomial(N, k) * p**k * (1 - p) ** (N - k) for k in range(0, n + 1))


def neg_binomial_2_cdf(n, mu, phi):
    pmf = lambda k: mp.binomial(k + phi - 1, k) * (mu / (mu + phi)) ** k * (phi / (mu + phi)) ** phi
    return mp.fsum(pmf(k) for k in range(0, n + 1))


def beta_binomial_cdf(n, N, a, b):
    pmf = lambda k: mp.binomial(N, k) * mp.beta(k + a, N - k + b) / mp.beta(a, b)
    return mp.fsum(pmf(k) for k in range(0, n + 1))


def beta_neg_binomial_cdf(n, r, a, b):
    pmf = lambda k: mp.gamma(k + r) / (mp.factorial(k) * mp.gamma(r)) * mp.beta(a + r, b + k) / mp.beta(a, b)
    return mp.fsum(pmf(k) for k in range(0, n + 1))


def von_mises_cdf(y, mu, k):
    # The integral of the density from -pi, split where it peaks (mu wrapped into the range).
    dens = lambda t: mp.exp(k * mp.cos(t - mu)) / (2 * mp.pi * mp.besseli(0, k))
    peak = mu - 2 * mp.pi * mp.floor((mu + mp.pi) / (2 * mp.pi))
    points = [-mp.pi] + ([peak] if -mp.pi < peak < y else []) + [y]
    return mp.quad(dens, points)


def beta_cdf(y, a, b):
    return mp.betainc(a, b, 0, y, regularized=True)


CASES = [
    ("normal", "0.4 | -0.3, 1.2", normal_cdf(mp.mpf("0.4"), mp.mpf("-0.3"), mp.mpf("1.2"))),
    ("std_normal", "-1.7", mp.ncdf(mp.mpf("-1.7"))),
    ("lognormal", "1.3 | 0.2, 0.6", normal_cdf(mp.log(mp.mpf("1.3")), mp.mpf("0.2"), mp.mpf("0.6"))),
    ("cauchy", "0.7 | -0.2, 1.3", mp.mpf(1) / 2 + mp.atan((mp.mpf("0.7") + mp.mpf("0.2")) / mp.mpf("1.3")) / mp.pi),
    ("student_t", "0.7 | 3.5, -0.2, 1.3", student_t_cdf(mp.mpf("0.7"), mp.mpf("3.5"), mp.mpf("-0.2"), mp.mpf("1.3"))),
    ("student_t", "-2.1 | 3.5, -0.2, 1.3", student_t_cdf(mp.mpf("-2.1"), mp.mpf("3.5"), mp.mpf("-0.2"), mp.mpf("1.3"))),
    ("exponential", "1.3 | 0.8", 1 - mp.exp(-mp.mpf("0.8") * mp.mpf("1.3"))),
    ("beta", "0.3 | 2.5, 1.5", beta_cdf(mp.mpf("0.3"), mp.mpf("2.5"), mp.mpf("1.5"))),
    ("uniform", "0.3 | -1.0, 2.5", (mp.mpf("0.3") + 1) / mp.mpf("3.5")),
    ("logistic", "0.4 | -0.3, 1.2", 1 / (1 + mp.exp(-(mp.mpf("0.7") / mp.mpf("1.2"))))),
    ("double_exponential", "0.4 | -0.3, 1.2", 1 - mp.exp(-(mp.mpf("0.7") / mp.mpf("1.2"))) / 2),
    ("double_exponential", "-1.1 | -0.3, 1.2", mp.exp(-(mp.mpf("0.8") / mp.mpf("1.2"))) / 2),
    ("gumbel", "0.4 | -0.3, 1.2", mp.exp(-mp.exp(-(mp.mpf("0.7") / mp.mpf("1.2"))))),
    ("weibull", "1.3 | 2.2, 0.9", 1 - mp.exp(-((mp.mpf("1.3") / mp.mpf("0.9")) ** mp.mpf("2.2")))),
    ("rayleigh", "1.1 | 0.8", 1 - mp.exp(-(mp.mpf("1.1") ** 2) / (2 * mp.mpf("0.8") ** 2))),
    ("pareto", "2.5 | 1.2, 1.9", 1 - (mp.mpf("1.2") / mp.mpf("2.5")) ** mp.mpf("1.9")),
    ("bernoulli", "0 | 0.35", 1 - mp.mpf("0.35")),
    ("binomial", "3 | 9, 0.35", binomial_cdf(3, 9, mp.mpf("0.35"))),
    ("neg_binomial_2", "3 | 2.5, 1.7", neg_binomial_2_cdf(3, mp.mpf("2.5"), mp.mpf("1.7"))),
    ("gamma", "1.3 | 2.5, 0.8", mp.gammainc(mp.mpf("2.5"), 0, mp.mpf("0.8") * mp.mpf("1.3"), regularized=True)),
    ("inv_gamma", "1.3 | 2.5, 0.8", mp.gammainc(mp.mpf("2.5"), mp.mpf("0.8") / mp.mpf("1.3"), mp.inf, regularized=True)),
    ("chi_square", "2.3 | 3.5", mp.gammainc(mp.mpf("1.75"), 0, mp.mpf("1.15"), regularized=True)),
    ("inv_chi_square", "0.7 | 3.5", mp.gammainc(mp.mpf("1.75"), mp.mpf("0.5") / mp.mpf("0.7"), mp.inf, regularized=True)),
    ("scaled_inv_chi_square", "0.7 | 3.5, 0.8", mp.gammainc(mp.mpf("1.75"), mp.mpf("3.5") * mp.mpf("0.64") / (2 * mp.mpf("0.7")), mp.inf, regularized=True)),
    ("poisson", "4 | 2.7", mp.fsum(mp.mpf("2.7") ** k * mp.exp(-mp.mpf("2.7")) / mp.factorial(k) for k in range(5))),
    ("neg_binomial", "3 | 2.5, 1.7", neg_binomial_2_cdf(3, mp.mpf("2.5") / mp.mpf("1.7"), mp.mpf("2.5"))),
    ("exp_mod_normal", "0.7 | -0.2, 1.3, 0.8", mp.quad(lambda y: mp.quad(lambda x: mp.npdf(x, mp.mpf("-0.2"), mp.mpf("1.3")) * mp.mpf("0.8") * mp.exp(-mp.mpf("0.8") * (y - x)), [-mp.inf, y]), [-mp.inf, mp.mpf("0.7")])),
    ("skew_normal", "0.7 | -0.2, 1.3, 2.5", mp.quad(lambda y: 2 / mp.mpf("1.3") * mp.npdf((y + mp.mpf("0.2")) / mp.mpf("1.3")) * mp.ncdf(mp.mpf("2.5") * (y + mp.mpf("0.2")) / mp.mpf("1.3")), [-mp.inf, mp.mpf("-0.2"), mp.mpf("0.7")])),
    ("skew_double_exponential", "0.7 | -0.2, 1.3, 0.3", 1 - mp.mpf("0.7") * mp.exp(-2 * mp.mpf("0.3") * mp.mpf("0.9") / mp.mpf("1.3"))),
    ("skew_double_exponential", "-1.1 | -0.2, 1.3, 0.3", mp.mpf("0.3") * mp.exp(-2 * mp.mpf("0.7") * mp.mpf("0.9") / mp.mpf("1.3"))),
    ("frechet", "1.3 | 2.2, 0.9", mp.exp(-((mp.mpf("1.3") / mp.mpf("0.9")) ** -mp.mpf("2.2")))),
    ("pareto_type_2", "1.3 | 0.2, 0.9, 2.2", 1 - (1 + (mp.mpf("1.3") - mp.mpf("0.2")) / mp.mpf("0.9")) ** -mp.mpf("2.2")),
    ("loglogistic", "1.3 | 0.9, 2.2", 1 / (1 + (mp.mpf("1.3") / mp.mpf("0.9")) ** -mp.mpf("2.2"))),
    ("beta_proportion", "0.3 | 0.4, 5.5", beta_cdf(mp.mpf("0.3"), mp.mpf("0.4") * mp.mpf("5.5"), mp.mpf("0.6") * mp.mpf("5.5"))),
    ("beta_binomial", "3 | 9, 2.5, 1.7", beta_binomial_cdf(3, 9, mp.mpf("2.5"), mp.mpf("1.7"))),
    ("beta_neg_binomial", "3 | 2.2, 3.5, 1.7", beta_neg_binomial_cdf(3, mp.mpf("2.2"), mp.mpf("3.5"), mp.mpf("1.7"))),
    ("beta_neg_binomial", "0 | 0.8, 1.5, 4.0", beta_neg_binomial_cdf(0, mp.mpf("0.8"), mp.mpf("1.5"), mp.mpf("4.0"))),
    ("von_mises", "0.7 | -0.2, 2.5", von_mises_cdf(mp.mpf("0.7"), mp.mpf("-0.2"), mp.mpf("2.5"))),
    ("von_mises", "-2.5 | 2.8, 1.3", von_mises_cdf(mp.mpf("-2.5"), mp.mpf("2.8"), mp.mpf("1.3"))),
    ("von_mises", "1.0 | 7.0, 0.5", von_mises_cdf(mp.mpf("1.0"), mp.mpf("7.0"), mp.mpf("0.5"))),
    ("von_mises", "0.1 | 0.4, 30.0", von_mises_cdf(mp.mpf("0.1"), mp.mpf("0.4"), mp.mpf("30.0"))),
]

# Stan has only `_cdf` for some distributions: their rows take its logarithm.
ONLY_CDF = {"loglogistic"}
for name, args, cdf in CASES:
    lcdf, lccdf = (f"log({name}_cdf({args}))", f"log1m({name}_cdf({args}))") if name in ONLY_CDF else (f"{name}_lcdf({args})", f"{name}_lccdf({args})")
    print(f'    ("{lcdf}", {mp.nstr(mp.log(cdf), 17)}),')
    print(f'    ("{lccdf}", {mp.nstr(mp.log(1 - cdf), 17)}),')


# Densities over categories and ranks (tests/tests/densities.rs, `CATEGORY_CASES`).
def lse(v):
    return mp.log(mp.fsum(mp.exp(x) for x in v))


def sig(x):
    return 1 / (1 + mp.exp(-x))


th = [mp.mpf("0.2"), mp.mpf("0.3"), mp.mpf("0.5")]
be = [mp.mpf(1), mp.mpf("-0.5"), mp.mpf("0.3")]
cuts = [mp.mpf(-1), mp.mpf("0.5"), mp.mpf(2)]
eta = mp.mpf("0.4")
multinomial = lambda y, p: mp.log(mp.factorial(sum(y))) - mp.fsum(mp.log(mp.factorial(k)) for k in y) + mp.fsum(k * mp.log(q) for k, q in zip(y, p))
CATEGORY = [
    ("categorical_lpmf({1, 3} | [0.2, 0.3, 0.5]')", mp.log(th[0]) + mp.log(th[2])),
    ("categorical_logit_lpmf(2 | [1, -0.5, 0.3]')", be[1] - lse(be)),
    ("categorical_lpmf({1, 3} | softmax([1, -0.5, 0.3]'))", be[0] + be[2] - 2 * lse(be)),
    ("multinomial_lpmf({2, 0, 3} | [0.2, 0.3, 0.5]')", multinomial([2, 0, 3], th)),
    ("multinomial_logit_lpmf({2, 0, 3} | [1, -0.5, 0.3]')", multinomial([2, 0, 3], [mp.exp(b - lse(be)) for b in be])),
    ("ordered_logistic_lpmf(2 | 0.4, [-1, 0.5, 2]')", mp.log(sig(eta - cuts[0]) - sig(eta - cuts[1]))),
    ("ordered_logistic_lpmf({1, 4} | [0.4, -0.2]', [-1, 0.5, 2]')", mp.log(1 - sig(eta + 1)) + mp.log(sig(mp.mpf("-0.2") - 2))),
    ("ordered_probit_lpmf(3 | 0.4, [-1, 0.5, 2]')", mp.log(mp.ncdf(eta - cuts[1]) - mp.ncdf(eta - cuts[2]))),
    # The Dirichlet-multinomial pmf as the integral of the multinomial against the Dirichlet,
    # in closed form: Γ(α₀) N! / Γ(N + α₀) Π Γ(yₖ + αₖ) / (Γ(αₖ) yₖ!).
    ("dirichlet_multinomial_lpmf({2, 0, 3} | [1.5, 0.5, 2]')", mp.loggamma(4) + mp.loggamma(6) - mp.loggamma(9) + mp.fsum(mp.loggamma(yk + ak) - mp.loggamma(ak) - mp.loggamma(yk + 1) for yk, ak in zip([2, 0, 3], [mp.mpf("1.5"), mp.mpf("0.5"), mp.mpf(2)]))),
]
print()
for expr, value in CATEGORY:
    print(f'    ("{expr}", {mp.nstr(value, 17)}),')


# More univariate distributions (tests/tests/densities.rs, `MORE_CASES`): each density from its
# textbook form, or as the sum of its pmf for the counts.
f = mp.mpf
B = lambda a, b: mp.beta(a, b)
MORE = [
    ("beta_binomial_lpmf(3 | 9, 2.5, 1.7)", mp.log(mp.binomial(9, 3) * B(3 + f("2.5"), 6 + f("1.7")) / B(f("2.5"), f("1.7")))),
    ("beta_neg_binomial_lpmf(3 | 2.2, 3.5, 1.7)", mp.log(mp.gamma(3 + f("2.2")) / (mp.factorial(3) * mp.gamma(f("2.2"))) * B(f("3.5") + f("2.2"), f("1.7") + 3) / B(f("3.5"), f("1.7")))),
    ("neg_binomial_lpmf(3 | 2.5, 1.7)", mp.log(mp.binomial(3 + f("2.5") - 1, 3) * (f("1.7") / (1 + f("1.7"))) ** f("2.5") * (1 / (1 + f("1.7"))) ** 3)),
    ("hypergeometric_lpmf(2 | 5, 4, 6)", mp.log(mp.binomial(4, 2) * mp.binomial(6, 3) / mp.binomial(10, 5))),
    ("discrete_range_lpmf(3 | 1, 6)", mp.log(f(1) / 6)),
    ("exp_mod_normal_lpdf(0.7 | -0.2, 1.3, 0.8)", mp.log(mp.quad(lambda x: mp.npdf(x, f("-0.2"), f("1.3")) * f("0.8") * mp.exp(-f("0.8") * (f("0.7") - x)), [-mp.inf, f("0.7")]))),
    ("skew_normal_lpdf(0.7 | -0.2, 1.3, 2.5)", mp.log(2 / f("1.3") * mp.npdf((f("0.7") + f("0.2")) / f("1.3")) * mp.ncdf(f("2.5") * (f("0.7") + f("0.2")) / f("1.3")))),
    ("skew_double_exponential_lpdf(0.7 | -0.2, 1.3, 0.3)", mp.log(2 * f("0.3") * f("0.7") / f("1.3") * mp.exp(-2 / f("1.3") * f("0.3") * f("0.9")))),
    ("frechet_lpdf(1.3 | 2.2, 0.9)", mp.log(f("2.2") / f("0.9") * (f("1.3") / f("0.9")) ** (-1 - f("2.2")) * mp.exp(-((f("1.3") / f("0.9")) ** -f("2.2"))))),
    ("pareto_type_2_lpdf(1.3 | 0.2, 0.9, 2.2)", mp.log(f("2.2") / f("0.9") * (1 + (f("1.3") - f("0.2")) / f("0.9")) ** (-(f("2.2") + 1)))),
    ("loglogistic_lpdf(1.3 | 0.9, 2.2)", mp.log((f("2.2") / f("0.9")) * (f("1.3") / f("0.9")) ** (f("2.2") - 1) / (1 + (f("1.3") / f("0.9")) ** f("2.2")) ** 2)),
    ("beta_proportion_lpdf(0.3 | 0.4, 5.5)", mp.log(f("0.3") ** (f("0.4") * f("5.5") - 1) * f("0.7") ** (f("0.6") * f("5.5") - 1) / B(f("0.4") * f("5.5"), f("0.6") * f("5.5")))),
]
print()
for expr, value in MORE:
    print(f'    ("{expr}", {mp.nstr(value, 17)}),')


# Matrix densities (tests/tests/densities.rs, `MATRIX_CASES`), from the textbook forms with
# mpmath's matrices.
M = mp.matrix
S = M([[2, f("0.3")], [f("0.3"), 1]])
y2 = M([f("0.5"), -1])
mu2 = M([f("0.2"), f("0.3")])
d2 = y2 - mu2
nu = f("4.5")
quad = (d2.T * mp.inverse(S) * d2)[0]
mst = mp.loggamma((nu + 2) / 2) - mp.loggamma(nu / 2) - mp.log(nu * mp.pi) - mp.log(mp.det(S)) / 2 - (nu + 2) / 2 * mp.log(1 + quad / nu)
L = mp.cholesky(S)
prec = -(d2.T * S * d2)[0] / 2 + mp.log(mp.det(S)) / 2 - mp.log(2 * mp.pi)
r, eta = f("0.3"), f("2.5")
lkj = (eta - 1) * mp.log(1 - r * r) - mp.log(mp.beta(eta, eta)) - (2 * eta - 1) * mp.log(2)
W = M([[2, f("0.3")], [f("0.3"), 1]])
Sw = M([[1, f("0.2")], [f("0.2"), f("0.5")]])
nw = f(4)
lmg2 = lambda a: mp.log(mp.sqrt(mp.pi)) + mp.loggamma(a) + mp.loggamma(a - f("0.5"))
trace = lambda A: A[0, 0] + A[1, 1]
wish = (nw - 3) / 2 * mp.log(mp.det(W)) - trace(mp.inverse(Sw) * W) / 2 - nw * mp.log(2) - nw / 2 * mp.log(mp.det(Sw)) - lmg2(nw / 2)
iwish = nw / 2 * mp.log(mp.det(Sw)) - nw * mp.log(2) - lmg2(nw / 2) - (nw + 3) / 2 * mp.log(mp.det(W)) - trace(Sw * mp.inverse(W)) / 2
# The Cholesky forms: the density of W times the Jacobian of W = L Lᵀ, 2^K Π L_ii^(K - i + 1)
# (Muirhead, Theorem 2.1.9).
LW, LS = mp.cholesky(W), mp.cholesky(Sw)
jac = 2 * mp.log(2) + 2 * mp.log(LW[0, 0]) + mp.log(LW[1, 1])
mstr = lambda A: "[" + ", ".join("[" + ", ".join(mp.nstr(A[i, j], 20) for j in range(A.cols)) + "]" for i in range(A.rows)) + "]"


def mvn(y, mu, S):
    d = y - mu
    return -mp.log(2 * mp.pi) * S.rows / 2 - mp.log(mp.det(S)) / 2 - (d.T * mp.inverse(S) * d)[0] / 2


# multi_gp: each row of y normal with covariance S/w_i.
Sg = M([[2, f("0.3"), f("0.1")], [f("0.3"), 1, f("0.2")], [f("0.1"), f("0.2"), f("1.5")]])
yg = M([[f("0.5"), -1, f("0.2")], [f("0.1"), f("0.4"), f("-0.7")]])
wg = [f("0.8"), f("2.5")]
zero3 = M([0, 0, 0])
gp = mp.fsum(mvn(M([yg[i, j] for j in range(3)]), zero3, Sg / wg[i]) for i in range(2))
# lkj_cov: lognormal standard deviations and an LKJ correlation matrix.
Yc = M([[4, f("0.6")], [f("0.6"), f("0.25")]])
sds = [mp.sqrt(Yc[0, 0]), mp.sqrt(Yc[1, 1])]
rc = Yc[0, 1] / (sds[0] * sds[1])
lognormal = lambda y, m, s: -mp.log(y * s * mp.sqrt(2 * mp.pi)) - (mp.log(y) - m) ** 2 / (2 * s * s)
lkj_cov = lognormal(sds[0], f("0.5"), f("1.2")) + lognormal(sds[1], f("-0.3"), f("0.7")) + (eta - 1) * mp.log(1 - rc * rc) - mp.log(mp.beta(eta, eta)) - (2 * eta - 1) * mp.log(2)
# The GLMs at their linear predictors.
xg = M([[1, 2], [f("0.5"), -1]])
al = [f("0.1"), f("-0.2"), f("0.3")]
bg = M([[f("0.2"), f("-0.1"), f("0.4")], [f("0.3"), f("0.5"), f("-0.6")]])
lin = xg * bg
cat = lambda i, k: lin[i, k] + al[k] - lse([lin[i, j] + al[j] for j in range(3)])
bo = M([f("0.3"), f("-0.2")])
eo = xg * bo
cuts = [mp.mpf(-1), mp.mpf("0.5"), mp.mpf(2)]
olog = lambda k, e: mp.log((1 if k == 1 else sig(e - cuts[k - 2])) - (0 if k == 4 else sig(e - cuts[k - 1])))
MATRIX = [
    ("multi_student_t_lpdf([0.5, -1]' | 4.5, [0.2, 0.3]', [[2, 0.3], [0.3, 1]])", mst),
    (f"multi_student_t_cholesky_lpdf([0.5, -1]' | 4.5, [0.2, 0.3]', [[{mp.nstr(L[0,0], 20)}, 0], [{mp.nstr(L[1,0], 20)}, {mp.nstr(L[1,1], 20)}]])", mst),
    ("multi_normal_prec_lpdf([0.5, -1]' | [0.2, 0.3]', [[2, 0.3], [0.3, 1]])", prec),
    ("lkj_corr_lpdf([[1, 0.3], [0.3, 1]] | 2.5)", lkj),
    ("wishart_lpdf([[2, 0.3], [0.3, 1]] | 4, [[1, 0.2], [0.2, 0.5]])", wish),
    ("inv_wishart_lpdf([[2, 0.3], [0.3, 1]] | 4, [[1, 0.2], [0.2, 0.5]])", iwish),
    (f"wishart_cholesky_lpdf({mstr(LW)} | 4, {mstr(LS)})", wish + jac),
    (f"inv_wishart_cholesky_lpdf({mstr(LW)} | 4, {mstr(LS)})", iwish + jac),
    ("multi_gp_lpdf([[0.5, -1, 0.2], [0.1, 0.4, -0.7]] | [[2, 0.3, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 1.5]], [0.8, 2.5]')", gp),
    (f"multi_gp_cholesky_lpdf([[0.5, -1, 0.2], [0.1, 0.4, -0.7]] | {mstr(mp.cholesky(Sg))}, [0.8, 2.5]')", gp),
    ("lkj_cov_lpdf([[4, 0.6], [0.6, 0.25]] | [0.5, -0.3]', [1.2, 0.7]', 2.5)", lkj_cov),
    ("categorical_logit_glm_lpmf({1, 3} | [[1, 2], [0.5, -1]], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])", cat(0, 0) + cat(1, 2)),
    ("categorical_logit_glm_lpmf(2 | [[1, 2], [0.5, -1]], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])", cat(0, 1) + cat(1, 1)),
    ("categorical_logit_glm_lpmf({2, 3} | [0.5, -1], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])", cat(1, 1) + cat(1, 2)),
    ("ordered_logistic_glm_lpmf({2, 4} | [[1, 2], [0.5, -1]], [0.3, -0.2]', [-1, 0.5, 2]')", olog(2, eo[0]) + olog(4, eo[1])),
    ("ordered_logistic_glm_lpmf(3 | [0.5, -1], [0.3, -0.2]', [-1, 0.5, 2]')", olog(3, eo[1])),
]
print()
for expr, value in MATRIX:
    print(f'    ("{expr}", {mp.nstr(value, 17)}),')
