//! One row per primitive or built-in: a program whose log density is that operation of the
//! parameters, differentiated by the compiler and checked against central finite differences.
//! The declarations give each argument its domain.

use runtime::Model;
use tests::{assert_gradient_matches, assert_hessian_matches, load_text, load_text_with_hessian, point};

/// (parameter declarations, log density expression)
const CASES: &[(&str, &str)] = &[
    ("real x; real y;", "x + y"),
    ("real x; real y;", "x - y"),
    ("real x; real y;", "x * y"),
    ("real x; real<lower=0.5> y;", "x / y"),
    ("real x;", "-x"),
    ("real<lower=0.1> x; real y;", "x ^ y"),
    ("real<lower=0.1> x; real y;", "pow(x, y)"),
    ("real x;", "exp(x)"),
    ("real<lower=0> x;", "log(x)"),
    ("real<lower=-0.9> x;", "log1p(x)"),
    ("real x;", "expm1(x)"),
    ("real<lower=0> x;", "sqrt(x)"),
    ("real<lower=0.1> x;", "abs(x) + abs(-x)"),
    ("real x; real y;", "fmin(x, y) + 2 * fmax(x, y)"),
    ("real x;", "sin(x) + cos(x)"),
    ("real<lower=-1, upper=1> x;", "tan(x)"),
    ("real x;", "tanh(x) + atan(x)"),
    ("real<lower=0.1> x;", "lgamma(x)"),
    ("real<lower=0.1> x;", "digamma(x)"),
    ("real<lower=0.1> x;", "trigamma(x)"),
    ("real x;", "erf(x) + erfc(x / 2)"),
    ("real x;", "Phi(x)"),
    ("real<lower=0, upper=1> x;", "inv_Phi(x)"),
    ("real x;", "log1p_exp(x)"),
    ("real<upper=-0.1> x;", "log1m_exp(x)"),
    ("real x;", "inv_logit(x) + log_inv_logit(x) + log1m_inv_logit(x)"),
    ("real x;", "square(x)"),
    ("real<lower=0> x;", "log10(x) + log2(x)"),
    ("real<upper=0.9> x;", "log1m(x)"),
    ("real<lower=0.1> x;", "inv(x) + inv_sqrt(x) + inv_square(x)"),
    ("real<lower=0, upper=1> x;", "logit(x)"),
    ("real<lower=0.1> x; real<lower=0.1> y;", "lbeta(x, y)"),
    ("real x; real y;", "log_sum_exp(x, y)"),
    ("real x;", "log_diff_exp(x + 1, x)"),
    ("real<lower=0, upper=1> t; real x; real y;", "log_mix(t, x, y)"),
    ("simplex[3] t; vector[3] lp; array[2] row_vector[3] lps;", "log_mix(t, lp) + log_mix(t, lps)"),
    ("real a; real<lower=-0.9, upper=0.9> z;", "hypergeometric_1F0(a, z)"),
    (
        "real<lower=0.1> a; real<lower=0.1> b; real<lower=3> c; real<lower=-3, upper=0.9> z;",
        "hypergeometric_2F1(a, b, c, z)",
    ),
    (
        "vector<lower=0.1>[3] a; vector<lower=3>[2] b; real<lower=-0.9, upper=0.9> z;",
        "hypergeometric_3F2(a, b, z) + hypergeometric_pFq(a[1:2], b, z)",
    ),
    ("real x; real y;", "fma(x, y, x) + hypot(x, y)"),
    (
        "vector[3] v; vector[3] w; real x;",
        "sum(add(v, w)) + sum(subtract(v, x)) + sum(elt_multiply(v, w)) + sum(elt_divide(v, 2 + w .* w)) + multiply(v', w) + sum(divide(v, 3))",
    ),
    ("real<lower=-0.9, upper=0.9> x;", "asin(x) + acos(x) + atanh(x)"),
    ("real x;", "asinh(x) + sinh(x) + cosh(x) + cbrt(x + 5) + exp2(x) + trunc(x)"),
    ("real<lower=1.1> x;", "acosh(x)"),
    ("real<lower=0.1> x;", "tgamma(x)"),
    ("real x;", "inv_cloglog(x) + Phi_approx(x)"),
    ("real<lower=0.1, upper=1.9> x;", "inv_erfc(x)"),
    ("real<lower=0, upper=1> p; real<upper=-0.1> x;", "std_normal_qf(p) + std_normal_log_qf(x)"),
    ("real<lower=-0.3> x;", "lambert_w0(x)"),
    ("real<lower=-0.35, upper=-0.01> x;", "lambert_wm1(x)"),
    ("real x; real y;", "atan2(x, y) + minus(x) + plus(y)"),
    ("real<lower=0.5> x; real<lower=0.1> y;", "fmod(x, y)"),
    ("real x; real<lower=0.1> y;", "lmultiply(x, y)"),
    ("real<lower=0.1> a; real<lower=0.1> b;", "beta(a, b)"),
    ("real x; real<upper=x> y;", "log_inv_logit_diff(x, y)"),
    ("real<lower=0, upper=1> p;", "binary_log_loss(1, p) + binary_log_loss(0, p)"),
    (
        "real<lower=0.1> x;",
        "falling_factorial(x, 3) + rising_factorial(x, 2) + log_falling_factorial(x + 3, x) + log_rising_factorial(x, x)",
    ),
    ("real<lower=1.5> x;", "lmgamma(3, x)"),
    ("real x;", "ldexp(x, 3)"),
    ("real<lower=0.1> a; real<lower=0> x;", "gamma_p(a, x) + gamma_q(a, x)"),
    ("real h; real a;", "owens_t(h, a)"),
    ("real<lower=0.5> a; real<lower=0.5> b; real<lower=0, upper=1> x;", "inc_beta(a, b, x) + inv_inc_beta(a, b, x)"),
    // In x alone: twice differentiable (the partials in a and b have no partials of their own).
    ("real<lower=0, upper=1> x;", "inc_beta(1.5, 2.5, x) + gamma_p(1.5, x + 0.5) + gamma_q(2.5, 2 * x + 0.5)"),
    ("real x;", "bessel_first_kind(2, x) + modified_bessel_first_kind(1, x)"),
    ("real<lower=0.1> x;", "bessel_second_kind(1, x) + modified_bessel_second_kind(2, x)"),
    ("real<lower=0> v; real<lower=0.1> z;", "log_modified_bessel_first_kind(v, z)"),
    ("vector[3] v; real<lower=0.1> y;", "sum(pow(v, 2) + atan2(v, y) + fmax(v, y) + hypot(y, v) + log_sum_exp(v, v))"),
    (
        "vector<lower=0.1>[3] a; vector<lower=0.1>[3] x;",
        "sum(gamma_p(a, x)) + sum(lbeta(a, 2.5)) + sum(bessel_first_kind({1, 2, 3}, x))",
    ),
    ("vector[3] v;", "sum(fma(v, v, 1.5)) + norm1(v) + norm2(v) + sum(asinh(v) + exp2(v) + inv_cloglog(v))"),
    ("real x; real y;", "x > y ? x * y : x - y"),
    ("vector[3] v;", "sum(v) + mean(v) + sd(v) + variance(v) + log_sum_exp(v) + max(v) + min(v) + prod(v)"),
    ("vector[3] v; vector[3] w;", "dot_product(v, w) + dot_self(v) + v' * w"),
    ("vector[3] v; matrix[3, 3] m;", "sum(m * v) + sum(v' * m)"),
    ("matrix[2, 3] a; matrix[3, 2] b;", "sum(a * b) + sum(a') + sum(b .* b) + sum(a ./ (1 + a .* a))"),
    ("vector[3] v;", "sum(exp(v) + log1p_exp(v) - square(v) ./ 2 + v .^ 2)"),
    ("matrix[2, 3] m;", "dot_product(to_vector(m), [1, 2, 3, 4, 5, 6]') + sum(to_row_vector(m) .* to_row_vector(m))"),
    ("matrix[3, 3] m;", "sum(cholesky_decompose(m * m' + diag_matrix(rep_vector(1, 3))))"),
    (
        "matrix[3, 3] m; vector[3] v;",
        "sum(mdivide_left_tri_low(cholesky_decompose(m * m' + diag_matrix(rep_vector(1, 3))), v))",
    ),
    (
        "vector[3] y; vector[3] mu; matrix[3, 3] m;",
        "multi_normal_cholesky_lpdf(y | mu, cholesky_decompose(m * m' + diag_matrix(rep_vector(1, 3))))",
    ),
    ("vector[3] y; vector[3] mu; matrix[3, 3] m;", "multi_normal_lpdf(y | mu, m * m' + diag_matrix(rep_vector(1, 3)))"),
    ("real<lower=0> a; real<lower=0> r;", "sum(gp_exp_quad_cov({1.0, 2.0, 3.5}, a, r))"),
    ("real y; real mu; real<lower=0> s;", "normal_lpdf(y | mu, s) + std_normal_lpdf(y)"),
    ("real y; real mu; real<lower=0> s;", "cauchy_lpdf(y | mu, s)"),
    ("real y; real<lower=0> nu; real mu; real<lower=0> s;", "student_t_lpdf(y | nu, mu, s)"),
    ("real<lower=0> y; real<lower=0> b;", "exponential_lpdf(y | b)"),
    ("real<lower=0> y; real<lower=0> a; real<lower=0> b;", "gamma_lpdf(y | a, b) + inv_gamma_lpdf(y | a, b)"),
    ("real<lower=0, upper=1> y; real<lower=0> a; real<lower=0> b;", "beta_lpdf(y | a, b)"),
    ("real<lower=0> y; real mu; real<lower=0> s;", "lognormal_lpdf(y | mu, s)"),
    ("real<lower=-3, upper=3> y; real<upper=-3> a; real<lower=3> b;", "uniform_lpdf(y | a, b)"),
    ("real<lower=0> l; real a;", "poisson_lpmf(3 | l) + poisson_log_lpmf(2 | a)"),
    (
        "real<lower=0, upper=1> t; real a;",
        "bernoulli_lpmf(1 | t) + bernoulli_logit_lpmf(0 | a) + binomial_lpmf(3 | 7, t) + binomial_logit_lpmf(4 | 9, a)",
    ),
    (
        "vector[4] y; vector[4] mu; real<lower=0> s;",
        "normal_lpdf(y | mu, s) + cauchy_lpdf(y | mu[1], s) + student_t_lpdf(y | 3, mu, s)",
    ),
    ("ordered[3] o; positive_ordered[2] p;", "normal_lpdf(o | 0, 1) + normal_lpdf(p | 1, 2)"),
    (
        "real y; real<lower=0.5> nu; real mu; real<lower=0> s;",
        "student_t_lccdf(y | nu, mu, s) + student_t_lcdf(y | nu, mu, s)",
    ),
    ("vector[3] y; matrix[3, 2] x; real a; vector[2] b; real<lower=0> s;", "normal_id_glm_lpdf(y | x, a, b, s)"),
    ("simplex[4] t; vector<lower=0>[4] a;", "dirichlet_lpdf(t | a)"),
    (
        "cholesky_factor_corr[4] L; real<lower=0> eta;",
        "lkj_corr_cholesky_lpdf(L | eta) + sum(multiply_lower_tri_self_transpose(L))",
    ),
    (
        "cholesky_factor_corr[3] L; vector<lower=0>[3] s; vector[3] y;",
        "multi_normal_cholesky_lpdf(y | rep_vector(0, 3), diag_pre_multiply(s, L)) + sum(diag_post_multiply(L, s))",
    ),
    (
        "real<lower=0> mu; real<lower=0> phi; real eta;",
        "neg_binomial_2_lpmf(3 | mu, phi) + neg_binomial_2_log_lpmf(2 | eta, phi)",
    ),
    (
        "real<lower=0> y; real<lower=0> a; real<lower=0> s;",
        "weibull_lpdf(y | a, s) + chi_square_lpdf(y | a) + inv_chi_square_lpdf(y | a) + scaled_inv_chi_square_lpdf(y | a, s) + rayleigh_lpdf(y | s)",
    ),
    (
        "real y; real mu; real<lower=0> s;",
        "logistic_lpdf(y | mu, s) + double_exponential_lpdf(y | mu, s) + gumbel_lpdf(y | mu, s)",
    ),
    ("real<lower=2> y; real<lower=0, upper=1> ym; real<lower=0> a;", "pareto_lpdf(y | ym, a)"),
    ("real<offset=1, multiplier=3> x; real<lower=-1, upper=x + 3> y;", "normal_lpdf(x | 0, 1) + normal_lpdf(y | 0, 1)"),
    (
        "matrix[3, 2] x; real a; vector[2] b;",
        "bernoulli_logit_glm_lpmf({1, 0, 1} | x, a, b) + poisson_log_glm_lpmf({3, 0, 2} | x, a, b)",
    ),
    (
        "row_vector[2] x; vector[3] a; vector[2] b; real<lower=0> phi;",
        "neg_binomial_2_log_glm_lpmf({3, 0, 2} | x, a, b, phi) + binomial_logit_glm_lpmf({3, 0, 2} | {5, 4, 3}, x, a, b)",
    ),
    ("vector[3] y; matrix[3, 2] x; vector[3] a; vector[2] b; real<lower=0> s;", "normal_id_glm_lpdf(y | x, a, b, s)"),
    (
        "real y; real mu; real<lower=0> s;",
        "normal_lcdf(y | mu, s) + normal_lccdf(y | mu, s) + lognormal_lcdf(exp(y) | mu, s) + cauchy_lcdf(y | mu, s) \
         + cauchy_lccdf(y | mu, s) + logistic_lcdf(y | mu, s) + logistic_lccdf(y | mu, s) \
         + double_exponential_lcdf(y | mu, s) + double_exponential_lccdf(y | mu, s) + gumbel_lcdf(y | mu, s) \
         + gumbel_lccdf(y | mu, s) + normal_cdf(y | mu, s) + lognormal_lccdf(exp(y) | mu, s)",
    ),
    (
        "real<lower=0> y; real<lower=0> a; real<lower=0> s;",
        "exponential_lcdf(y | a) + exponential_lccdf(y | a) + weibull_lcdf(y | a, s) + weibull_lccdf(y | a, s) \
         + rayleigh_lcdf(y | s) + rayleigh_lccdf(y | s)",
    ),
    (
        "real<lower=0, upper=1> y; real<lower=0> a; real<lower=0> b;",
        "beta_lcdf(y | a, b) + beta_lccdf(y | a, b) + bernoulli_lcdf(0 | y) + bernoulli_lccdf(0 | y) \
         + binomial_lcdf(3 | 9, y) + binomial_lccdf(3 | 9, y) + neg_binomial_2_lcdf(3 | a, b) \
         + neg_binomial_2_lccdf(3 | a, b) + beta_cdf(y | a, b)",
    ),
    (
        "real<lower=2> y; real<lower=0, upper=1> ym; real<lower=0> a;",
        "pareto_lcdf(y | ym, a) + pareto_lccdf(y | ym, a)",
    ),
    (
        "vector[3] y; real mu; real<lower=0> s; real<lower=-3, upper=3> u;",
        "normal_lcdf(y | mu, s) + std_normal_lccdf(y) + uniform_lcdf(u | -4, 4) + uniform_lccdf(u | -4, 4)",
    ),
    (
        "real<lower=0> y; real<lower=0.5> a; real<lower=0> b;",
        "gamma_lcdf(y | a, b) + gamma_lccdf(y | a, b) + inv_gamma_lcdf(y | a, b) + inv_gamma_lccdf(y | a, b) \
         + chi_square_lcdf(y | a) + inv_chi_square_lccdf(y | a) + scaled_inv_chi_square_lcdf(y | a, b) \
         + poisson_lcdf(3 | b) + poisson_lccdf(3 | b) + neg_binomial_lcdf(2 | a, b) + neg_binomial_lccdf(2 | a, b)",
    ),
    (
        "real y; real mu; real<lower=0> s; real<lower=0> lam; real<lower=0, upper=1> tau;",
        "exp_mod_normal_lcdf(y | mu, s, lam) + exp_mod_normal_lccdf(y | mu, s, lam) + skew_normal_lcdf(y | mu, s, lam) \
         + skew_normal_lccdf(y | mu, s, lam) + skew_double_exponential_lcdf(y | mu, s, tau) \
         + skew_double_exponential_lccdf(y | mu, s, tau)",
    ),
    (
        "real<lower=0> y; real<lower=0> a; real<lower=0> s; real<lower=0, upper=1> p;",
        "frechet_lcdf(y | a, s) + frechet_lccdf(y | a, s) + pareto_type_2_lcdf(y | -1, s, a) \
         + pareto_type_2_lccdf(y | -1, s, a) + loglogistic_cdf(y | s, a) + beta_proportion_lcdf(p | 0.3, a) \
         + beta_proportion_lccdf(p | 0.3, a)",
    ),
    (
        "simplex[3] t; vector[3] b;",
        "categorical_lpmf({1, 3, 3} | t) + categorical_logit_lpmf(2 | b) + multinomial_lpmf({2, 0, 3} | t) \
         + categorical_lpmf({2, 1} | softmax(b)) + categorical_lupmf(3 | (softmax(b))) \
         + dirichlet_multinomial_lpmf({2, 0, 3} | exp(b)) \
         + multinomial_logit_lpmf({2, 0, 3} | b)",
    ),
    (
        "real eta; vector[2] e; ordered[3] c; array[2] ordered[3] cs;",
        "ordered_logistic_lpmf(2 | eta, c) + ordered_logistic_lpmf({1, 4} | e, c) + ordered_logistic_lpmf({3, 2} | e, cs) \
         + ordered_probit_lpmf(3 | eta, c) + ordered_probit_lpmf({4, 1} | eta, cs) + ordered_probit_lpmf({2, 2} | e, c)",
    ),
    (
        "real<lower=0> a; real<lower=0> b; real<lower=0> r;",
        "beta_binomial_lpmf({3, 1} | 9, a, b) + beta_neg_binomial_lpmf(3 | r, a, b) + neg_binomial_lpmf({3, 0} | a, b) \
         + beta_binomial_lcdf({3, 9} | 9, a, b) + beta_binomial_lccdf(3 | 9, a, b) + beta_binomial_cdf(2 | 9, a, b)",
    ),
    (
        "real<lower=0> a; real<lower=0> b; real<lower=0> r;",
        "beta_neg_binomial_lcdf({3, 0} | r, a, b) + beta_neg_binomial_lccdf(2 | r, a, b) + beta_neg_binomial_cdf(4 | r, a, b)",
    ),
    (
        "real<lower=-pi(), upper=pi()> y; real mu; real<lower=0> k;",
        "von_mises_lcdf(y | mu, k) + von_mises_lccdf(y | mu, k) + von_mises_cdf(0.3 | mu, k) + von_mises_lcdf(y | 5.5, k + 0.1)",
    ),
    (
        "real y; real mu; real<lower=0> s; real<lower=0> lam; real<lower=0, upper=1> tau;",
        "exp_mod_normal_lpdf(y | mu, s, lam) + skew_normal_lpdf(y | mu, s, lam) + skew_double_exponential_lpdf(y | mu, s, tau)",
    ),
    (
        "real<lower=0> y; real<lower=0> a; real<lower=0> s; real<lower=0, upper=1> p;",
        "frechet_lpdf(y | a, s) + pareto_type_2_lpdf(y | -1, s, a) + loglogistic_lpdf(y | s, a) + beta_proportion_lpdf(p | 0.3, a)",
    ),
    (
        "array[2] vector[3] y; vector[3] mu; array[2] row_vector[3] mus; cholesky_factor_corr[3] L;",
        "multi_normal_cholesky_lpdf(y | mu, L) + multi_normal_lpdf(y | mus, multiply_lower_tri_self_transpose(L)) \
         + multi_normal_lpdf(mu | mus, multiply_lower_tri_self_transpose(L))",
    ),
    (
        "array[2] vector[3] y; vector[3] mu; cholesky_factor_corr[3] L; real<lower=1> nu;",
        "multi_student_t_cholesky_lpdf(y | nu, mu, L) + multi_student_t_lpdf(mu | nu, y[1], multiply_lower_tri_self_transpose(L)) \
         + multi_normal_prec_lpdf(y | mu, multiply_lower_tri_self_transpose(L))",
    ),
    (
        "matrix[3, 3] a; matrix[3, 3] b; real<lower=3> nu; cholesky_factor_corr[3] L; real<lower=0> eta;",
        "von_mises_lpdf(nu | 0.3, eta) + von_mises_lpdf(0.5 | nu, eta) + wishart_lpdf(a * a' + diag_matrix(rep_vector(1, 3)) | nu, b * b' + diag_matrix(rep_vector(1, 3))) \
         + inv_wishart_lpdf(a * a' + diag_matrix(rep_vector(1, 3)) | nu, b * b' + diag_matrix(rep_vector(1, 3))) \
         + lkj_corr_lpdf(multiply_lower_tri_self_transpose(L) | eta)",
    ),
    (
        "cholesky_factor_cov[3] LW; cholesky_factor_cov[3] LS; real<lower=3> nu;",
        "wishart_cholesky_lpdf(LW | nu, LS) + inv_wishart_cholesky_lpdf(LW | nu + 1, LS)",
    ),
    (
        "matrix[2, 3] y; cov_matrix[3] S; vector<lower=0>[2] w; cov_matrix[2] Y; vector[2] mu; real<lower=0> eta;",
        "multi_gp_lpdf(y | S, w) + multi_gp_cholesky_lpdf(y | cholesky_decompose(S), w) + lkj_cov_lpdf(Y | mu, w, eta)",
    ),
    (
        "matrix[2, 2] x; vector[3] a; matrix[2, 3] b; row_vector[2] xr; vector[2] bo; ordered[3] c;",
        "categorical_logit_glm_lpmf({1, 3} | x, a, b) + categorical_logit_glm_lpmf(2 | xr, a, b) \
         + ordered_logistic_glm_lpmf({2, 4} | x, bo, c) + ordered_logistic_glm_lpmf(1 | xr, bo, c)",
    ),
    (
        "matrix[2, 2] m; matrix[2, 3] g; matrix[3, 2] h;",
        "sum(matrix_power(m, 3)) + sum(matrix_power(m, 0)) + sum(matrix_power(m, 1)) + sum(symmetrize_from_lower_tri(m)) \
         + sum(generalized_inverse(g)) + sum(generalized_inverse(h)) + sum(generalized_inverse(m + diag_matrix(rep_vector(3, 2))))",
    ),
    (
        "cov_matrix[3] S; corr_matrix[3] C; cholesky_factor_cov[3, 2] L;",
        "wishart_lpdf(S | 5, C + diag_matrix(rep_vector(1, 3))) + lkj_corr_lpdf(C | 2) + sum(L) - dot_self(to_vector(L))",
    ),
    // Containers: slicing, reshaping, concatenation.
    (
        "vector[4] v; array[3] real a;",
        "dot_product(cumulative_sum(v), [1, 2, 3, 4]') + dot_product(cumulative_sum(a), {3, 1, 2}) + sum(head(v, 2)) * 2 + dot_self(tail(v, 3)) + dot_self(segment(v, 2, 2)) + dot_product(reverse(v), [1, 2, 3, 4]')",
    ),
    (
        "array[3] vector[2] b; array[2, 3] real c;",
        "dot_self(head(b, 2)[2]) + dot_self(tail(b, 1)[1]) + dot_self(segment(b, 2, 1)[1]) + dot_product(reverse(c)[1], {1, 2, 3})",
    ),
    (
        "matrix[3, 4] m;",
        "sum(block(m, 2, 2, 2, 3) .* block(m, 1, 1, 2, 3)) + dot_self(sub_col(m, 1, 2, 3)) + dot_self(sub_row(m, 2, 1, 4))",
    ),
    ("vector[4] v;", "dot_product(softmax(v), [1, 2, 3, 4]') + dot_product(log_softmax(v), [1, -2, 3, 0.5]')"),
    (
        "vector[2] v; vector[3] w; real x; row_vector[2] r; matrix[2, 2] m;",
        "dot_self(append_row(v, w)) + dot_self(append_row(x, v)) + dot_self(append_row(w, x)) + sum(append_row(m, r) .* append_row(m, r)) + sum(append_row(r, m)) + sum(append_row(r, r) .* m) + sum(append_row(m, m) .* append_row(m, m))",
    ),
    (
        "vector[2] v; row_vector[3] w; real x; matrix[2, 2] m;",
        "dot_self(append_col(w, w)) + dot_self(append_col(x, w)) + dot_self(append_col(w, x)) + sum(append_col(m, v) .* append_col(v, m)) + sum(append_col(v, v) .* m) + sum(append_col(m, m) .* append_col(m, m))",
    ),
    ("matrix[3, 3] m; vector[3] v; row_vector[3] r;", "sum(quad_form_diag(m, v)) + sum(quad_form_diag(m, r) .* m)"),
    (
        "vector[6] v; matrix[2, 3] m; row_vector[3] r; array[2] row_vector[3] ar; array[6] real a; array[2, 3] real a2;",
        "sum(to_matrix(v, 2, 3) .* m) + sum(to_matrix(v, 3, 2, 0) .* m') + sum(to_matrix(m, 3, 2) .* m') + sum(to_matrix(r) .* to_matrix(r)) + sum(to_matrix(v) .* to_matrix(v)) + sum(to_matrix(ar) .* m) + sum(to_matrix(a, 2, 3, 0) .* m) + sum(to_matrix(a2) .* m) + sum(to_matrix(m) .* m)",
    ),
    (
        "matrix[2, 3] m; array[2, 3] real a; vector[2] v; row_vector[3] r;",
        "dot_product(to_array_1d(m), {1, 2, 3, 4, 5, 6}) + dot_product(to_array_1d(a), {1, -2, 3, -4, 5, -6}) + dot_product(to_array_1d(to_array_2d(m)), {6, 5, 4, 3, 2, 1}) + sum(rep_matrix(v, 3) .* rep_matrix(r, 2) .* m)",
    ),
    (
        "matrix[3, 2] m; vector[2] d; real x;",
        "dot_self(col(m, 2)) + dot_self(row(m, 3)) + dot_self(diagonal(m)) + sum(add_diag(m, d) .* m) + sum(add_diag(m, x) .* m) + trace(m)",
    ),
    (
        "matrix[2, 3] a; matrix[2, 3] b; vector[2] v; row_vector[3] r;",
        "sum(rows_dot_product(a, b)) + 2 * sum(columns_dot_product(a, b)) + sum(rows_dot_self(a) + rows_dot_product(v, v)) + sum(columns_dot_self(r) .* columns_dot_product(r, r)) + sum(columns_dot_self(a))",
    ),
    (
        "matrix[2, 3] a; matrix[3, 3] s; matrix[3, 2] b; vector[3] v; matrix[2, 2] d;",
        "sum(crossprod(a)) + sum(tcrossprod(a)) + quad_form(s, v) + sum(quad_form(s, b)) + sum(quad_form_sym(s + s', b)) + quad_form_sym(s + s', v) + trace_quad_form(s, b) + trace_quad_form(s, v) + trace_gen_quad_form(d, s, b)",
    ),
    (
        "vector[3] v; row_vector[3] r; array[3] real a; real x; real y;",
        "norm1(v) + norm2(r) + norm1(a) + norm2(a) + squared_distance(v, r') + distance(v, r) + squared_distance(x, y) + distance(v, v + 1)",
    ),
    (
        "vector[4] v; array[3] real a;",
        "dot_product(sort_asc(v), [1, 2, 3, 4]') + dot_product(sort_desc(v), [1, -2, 3, 5]') + dot_product(sort_asc(a), {1, 2, 3}) + dot_product(v[sort_indices_desc(v)], [1, 3, 2, 4]') + rank(v, 2) * v[1]",
    ),
    (
        "vector[2] v; array[2] vector[2] b;",
        "sum(rep_array(v, 2)[2] .* rep_array(v, 3, 2)[3, 1]) + dot_self(rep_array(b, 2)[2, 1]) + sum(rep_array(v', 1)[1])",
    ),
    (
        "real<lower=0> s; real<lower=0> l; real<lower=0> p;",
        "sum(gp_exp_quad_cov({1.0, 2.0, 3.5}, s, l)) + sum(gp_matern32_cov({1.0, 2.0, 3.5}, {0.5, 1.5}, s, l)) + sum(gp_matern52_cov({1.0, 2.0, 3.5}, s, l)) + sum(gp_exponential_cov({1.0, 2.0, 3.5}, s, l)) + sum(gp_periodic_cov({1.0, 2.0, 3.5}, s, l, p + 1)) + sum(gp_dot_prod_cov({1.0, 2.0, 3.5}, s))",
    ),
    (
        "array[3] vector[2] x; real<lower=0> s; array[2] real<lower=0> l;",
        "sum(gp_exp_quad_cov(x, s, l)) + sum(gp_matern32_cov(x, {[1, 2]', [0.5, -1]'}, s, l[1])) + sum(gp_matern52_cov(x, s, l)) + sum(gp_exponential_cov(x, s, l[2])) + sum(gp_periodic_cov(x, s, l[1], 2)) + sum(gp_dot_prod_cov(x, x, s))",
    ),
    (
        "matrix[3, 3] m;",
        "sum(inverse(m + diag_matrix(rep_vector(3, 3))) .* m) + determinant(m) + log_determinant(m + diag_matrix(rep_vector(3, 3)))",
    ),
    ("matrix[3, 2] b; matrix[2, 2] c;", "dot_product(singular_values(b), [1, 2]') + sum(singular_values(c))"),
    (
        "array[2] vector[2] x; array[1] vector[2] y; vector[3] v; matrix[2, 3] m; vector[4] w;",
        "dot_self(append_array(x, y)[3]) + dot_self(append_array(y, x)[2]) + transpose(v) * v + sum(transpose(m) .* m') + sum(csr_matrix_times_vector(2, 3, w, {1, 3, 2, 3}, {1, 3, 5}, v)) + sum(csr_to_dense_matrix(2, 3, w, {1, 3, 2, 3}, {1, 3, 5}) .* m) + dot_self(csr_extract_w(m))",
    ),
    (
        "matrix[3, 3] m; matrix[3, 2] b;",
        "sum(matrix_exp(m) .* [[1, 2, 3], [4, 5, 6], [7, 8, 9]]) + sum(matrix_exp_multiply(m, b)) + sum(scale_matrix_exp_multiply(0.5, m, b))",
    ),
    // Complex numbers, built from parameters; each value is a real function of the parts.
    ("real x; real y;", "get_real(exp(to_complex(x, y))) + abs(to_complex(x, y) * 2i) + arg(to_complex(x + 3, y))"),
    (
        "real x; real y;",
        "get_imag(log(to_complex(x + 3, y))) + get_real(sqrt(to_complex(x + 3, y))) + norm(conj(x + y * 1i))",
    ),
    ("real x; real y;", "abs(sin(to_complex(x, y)) + cos(to_complex(y, x)) + tan(to_complex(x, y) / 3))"),
    ("real x; real y;", "abs(sinh(to_complex(x, y)) + cosh(to_complex(y, x)) + tanh(to_complex(x, y) / 3))"),
    ("real x; real<lower=0.5> y;", "abs(asin(to_complex(x, y)) + acos(to_complex(x, y)) + atan(to_complex(x, y)))"),
    ("real x; real<lower=0.5> y;", "abs(asinh(to_complex(y, x)) + acosh(to_complex(x, y)) + atanh(to_complex(x, y)))"),
    (
        "real x; real y;",
        "get_real(pow(to_complex(x + 3, y), to_complex(y, x)) + to_complex(x, y) ^ 2 + log10(3 + x * 1i))",
    ),
    ("real x; real y;", "get_imag(polar(exp(x), y) / to_complex(y, 2) - to_complex(x, y) * to_complex(y, x))"),
    (
        "vector[3] a; vector[3] b;",
        "abs(sum(to_complex(a, b) .* to_complex(b, a))) + get_imag(dot_product(to_complex(a, b), b)) + get_real(prod(to_complex(a, b)))",
    ),
    (
        "matrix[2, 2] a; matrix[2, 2] b;",
        "get_imag(sum(to_complex(a, b) * to_complex(b, a))) + abs(trace(to_complex(a, b)' * b)) + sum(abs(to_complex(a, b) ./ (2 + 1i)))",
    ),
    ("matrix[2, 3] a; matrix[2, 3] b;", "sum(singular_values(to_complex(a, b)))"),
    (
        "vector[4] a; vector[4] b;",
        "sum(abs(fft(to_complex(a, b)))) + get_real(inv_fft(to_complex(a, b))[2]) + abs(fft2(to_complex([a', b'], [b', a']))[2, 3])",
    ),
    (
        "vector[3] a; vector[3] b;",
        "sum(get_real(append_row(head(to_complex(a, b), 2), reverse(to_complex(b, a))))) + sum(abs(rep_matrix(to_complex(a, b), 2)))",
    ),
];

/// Programs whose model block is given whole (statements, not one expression).
const BODIES: &[(&str, &str)] = &[
    (
        "vector[3] v; matrix[2, 2] m;",
        "array[2, 3] real a; matrix[2, 3] b; a[1] = to_array_1d(v); a[2][1] = v[1] * v[2]; a[2][2:3] = {v[3], 1}; b[1] = v'; b[2][1] = m[1][2]; b[2, 2:3] = m[2]; b[2][3] += m[2][1] * v[1]; target += dot_product(to_array_1d(a), {1, 2, 3, 4, 5, 6}) + sum(b .* b);",
    ),
    (
        "matrix[3, 3] m; vector[3] v; matrix[3, 2] b; row_vector[3] r; matrix[2, 3] bt;",
        "matrix[3, 3] s = m * m' + diag_matrix(rep_vector(1, 3)); target += sum(mdivide_left(m + 3 * identity_matrix(3), v)) + sum(mdivide_left(s, b)) + sum(mdivide_left_spd(s, v)) + sum(mdivide_left_spd(s, b)) + sum(mdivide_right(r, s)) + sum(mdivide_right(bt, m + 3 * identity_matrix(3))) + sum(mdivide_right_spd(bt, s)) + sum(mdivide_left_tri_low(cholesky_decompose(s), b)) + sum(mdivide_right_tri_low(bt, cholesky_decompose(s))) + sum(mdivide_right_tri_low(r, cholesky_decompose(s))) + sum(inverse_spd(s) .* m) + sum(chol2inv(cholesky_decompose(s)) .* m) + log_determinant_spd(s);",
    ),
    (
        "matrix[3, 3] m; vector[3] v; row_vector[3] r; matrix[3, 2] b;",
        "matrix[3, 3] s = m + 3 * identity_matrix(3); target += sum(s \\ v) + sum(s \\ b) + sum(r / s) + sum(b' / s);",
    ),
    (
        "matrix[3, 3] m;",
        "matrix[3, 3] s = m + m'; target += dot_product(eigenvalues_sym(s), [1, 2, 4]') + sum(square(eigenvectors_sym(s)) .* [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);",
    ),
];

/// Loops whose reverse reads values the forward loop stored for it (`ad`'s saves): a call and a
/// division from a loop that starts at 2, so the array's element is not the index; a
/// recurrence whose lets read the state the next statement overwrites (once popped from the
/// tape); a let of the outer loop read by an inner one; an element-wise result read back
/// from the vector that holds it; a saved `1 / s` beside a division by s (the simplification
/// folded the saved let into the reciprocal they share, and the reverse loop read the forward
/// loop's last value of it).
const SAVED_BODIES: &[(&str, &str)] = &[
    (
        "vector<lower=0>[2] y; vector[2] x;",
        "vector[2] w; for (i in 1:2) { real s = sqrt(y[i]); real r = 1 / s; w[i] = (-(r * x[i])) / s; } target += log_sum_exp(w);",
    ),
    (
        "vector[5] v;",
        "vector[5] w; w[1] = v[1]; for (i in 2:5) w[i] = exp(v[i]) / (1 + v[i] * v[i]); target += log_sum_exp(w) + dot_product(softmax(w), [1, 2, 3, 4, 5]') + dot_product(log_softmax(2 * w), [0.5, -1, 2, 1, 3]');",
    ),
    (
        "vector<lower=0.1>[4] v; real<lower=0.1> s;",
        "real h = s; for (t in 1:4) { target += -log(h) - square(v[t]) / h + sqrt(h + v[t]); h = 0.5 + 0.3 * h + 0.2 * square(v[t]); }",
    ),
    (
        "matrix[3, 2] m; vector[3] v;",
        "vector[2] acc = rep_vector(0, 2); for (i in 1:3) { real e = exp(v[i]); real d = e / (1 + e); for (j in 1:2) acc[j] += d * m[i, j] * log1p_exp(m[i, j]); } target += log_sum_exp(acc) + square(acc[1]);",
    ),
];

/// Tuples: a tuple parameter, literals, components read and assigned, an array of tuples
/// assigned element by element and component by component, unpacking (a swap included).
const TUPLE_BODIES: &[(&str, &str)] = &[(
    "tuple(real, real<lower=0>) p; vector[3] v;",
    "tuple(vector[3], real) t = (v, p.1); t.2 *= p.2; t.1[2] = p.1 * p.2; array[2] tuple(real, vector[3]) a; a[1] = (p.2, v); a[2] = (t.2, t.1 .* v); a[1].2[1] = exp(p.1); real q; real r; (q, r) = (a[2].1, a[1].2[3]); (q, r) = (r, q * r); target += dot_product(a[2].2, [1, 2, 3]') + q + 2 * r + sum(t.1) + a[1].2[1];",
)];

/// The decompositions, through sums of their elements times fixed weights (which single out
/// every element, whatever its sign convention would do to a plain sum).
const DECOMPOSITION_BODIES: &[(&str, &str)] = &[
    (
        "matrix[3, 2] a; matrix[2, 3] b;",
        "matrix[3, 3] w = [[1, -2, 3], [0.5, 2, -1], [1.5, -0.5, 2.5]]; matrix[2, 2] q; matrix[2, 3] r; (q, r) = qr_thin(b); tuple(matrix[3, 3], matrix[3, 2]) full = qr(a); target += sum(qr_thin_Q(a) .* w[:, 1:2]) + sum(qr_thin_R(a) .* w[1:2, 1:2]) + sum(qr_Q(a) .* w) + sum(qr_R(a) .* w[:, 2:3]) + sum(qr_Q(b) .* w[1:2, 1:2]) + sum(qr_R(b) .* w[2:3, :]) + sum(q .* w[2:3, 2:3]) + sum(r .* w[1:2, :]) + sum(full.1 .* w') + sum(full.2 .* w[:, 1:2]);",
    ),
    (
        "matrix[3, 3] m;",
        "tuple(matrix[3, 3], vector[3]) e = eigendecompose_sym(m + m'); tuple(vector[9], array[9] int, array[4] int) c = csr_extract(m); target += dot_product(e.2, [1, 2, 4]') + sum(square(e.1) .* [[1, 2, 3], [4, 5, 6], [7, 8, 9]]) + dot_product(c.1, linspaced_vector(9, 1, 2));",
    ),
];

/// Values of functions of no parameter (`dims`) and container results, from generated
/// quantities: (statements, the outputs in order).
const VALUES: &[(&str, &[f64])] = &[
    (
        "array[3] int d = dims(rep_array(1.0, 2, 3, 4)); array[2] int e = dims(rep_matrix(0, 5, 6)); array[0] int f = dims(1.5); int s = size(2);",
        &[2.0, 3.0, 4.0, 5.0, 6.0, 1.0],
    ),
    (
        "array[4] int c = cumulative_sum({1, 2, 3, 4}); array[3] int r = reverse({1, 2, 3});",
        &[1.0, 3.0, 6.0, 10.0, 3.0, 2.0, 1.0],
    ),
    // Stan's output is column-major: (1,1), (2,1), (1,2), ...
    ("matrix[2, 3] m = to_matrix({1, 2, 3, 4, 5, 6}, 2, 3, 0);", &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]),
    ("array[4] real a = to_array_1d({{1, 2}, {3, 4}});", &[1.0, 2.0, 3.0, 4.0]),
    ("vector[3] v = append_row(1, [2, 3]'); row_vector[3] w = append_col([1, 2], 3);", &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0]),
    (
        "array[4] int s = sort_indices_asc({3.0, 1.0, 2.0, 1.0}); array[3] int d = sort_desc({2, 3, 1}); int r = rank({3, 1, 2}, 1);",
        &[2.0, 4.0, 3.0, 1.0, 3.0, 2.0, 1.0, 2.0],
    ),
    (
        "matrix[2, 2] i = inverse([[4, 7], [2, 6]]); real d = determinant([[4, 7], [2, 6]]); real ld = log_determinant([[4, 7], [2, 6]]); vector[2] e = eigenvalues_sym([[2, 1], [1, 2]]); vector[2] s = singular_values([[3, 0], [0, -2]]); matrix[2, 2] x = matrix_exp([[0, 1], [0, 0]]);",
        &[0.6, -0.2, -0.7, 0.4, 10.0, 2.302585092994046, 1.0, 3.0, 3.0, 2.0, 1.0, 0.0, 1.0, 1.0],
    ),
    (
        "array[3] int a = append_array({1, 2}, {3}); array[4] int l = linspaced_int_array(4, 1, 10); array[5] int c = linspaced_int_array(5, 1, 3); array[3] int v = csr_extract_v([[0, 2, 0], [3, 0, 4]]); array[3] int u = csr_extract_u([[0, 2, 0], [3, 0, 4]]); vector[3] w = csr_extract_w([[0, 2, 0], [3, 0, 4]]);",
        &[1.0, 2.0, 3.0, 1.0, 4.0, 7.0, 10.0, 1.0, 1.0, 2.0, 2.0, 3.0, 2.0, 1.0, 3.0, 1.0, 2.0, 4.0, 2.0, 3.0, 4.0],
    ),
    // Tuples are written element by element of their arrays (column-major), each tuple's
    // components in order.
    (
        "tuple(real, array[2] int) t = (1.5, {2, 3}); array[2] tuple(int, vector[2]) a = {(1, [2, 3]'), (4, [5, 6]')}; array[2, 2] tuple(int, int) b; for (i in 1:2) { for (j in 1:2) { b[i, j] = (i, 10 * j); } }",
        &[1.5, 2.0, 3.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 10.0, 2.0, 10.0, 1.0, 20.0, 2.0, 20.0],
    ),
    // Stan's QR (Eigen's Householder reflections, then R's diagonal made nonnegative); values
    // from tests/reference/qr.py, and by hand for the 2 x 2 thin one.
    (
        "matrix[2, 2] q = qr_thin_Q([[3, 1], [4, 2]]); matrix[2, 2] r = qr_thin_R([[3, 1], [4, 2]]); matrix[3, 3] qf = qr_Q([[1, 2], [3, -4], [0, 5]]); matrix[3, 2] rf = qr_R([[1, 2], [3, -4], [0, 5]]); tuple(matrix[2, 2], matrix[2, 3]) w = qr([[2, -1, 0.5], [1, 3, -2]]);",
        &[
            0.6,
            0.8,
            -0.8,
            0.6,
            5.0,
            0.0,
            2.2,
            0.4,
            0.31622776601683793,
            0.9486832980505138,
            0.0,
            0.50709255283710995,
            -0.16903085094570332,
            0.84515425472851658,
            -0.80178372573727315,
            0.26726124191242438,
            0.53452248382484877,
            3.1622776601683793,
            0.0,
            0.0,
            -3.1622776601683793,
            5.916079783099616,
            0.0,
            0.89442719099991588,
            0.44721359549995794,
            -0.44721359549995794,
            0.89442719099991588,
            2.2360679774997897,
            0.0,
            0.44721359549995794,
            3.1304951684997056,
            -0.44721359549995794,
            -2.0124611797498107,
        ],
    ),
    (
        "tuple(matrix[2, 2], vector[2]) e = eigendecompose_sym([[2, 1], [1, 2]]); tuple(vector[3], array[3] int, array[3] int) c = csr_extract([[0, 2, 0], [3, 0, 4]]);",
        &[
            -0.7071067811865476,
            0.7071067811865476,
            0.7071067811865476,
            0.7071067811865476,
            1.0,
            3.0,
            2.0,
            3.0,
            4.0,
            2.0,
            1.0,
            3.0,
            1.0,
            2.0,
            4.0,
        ],
    ),
    (
        "real q = quantile([4, 1, 3, 2]', 0.5); array[3] real qs = quantile({4.0, 1.0, 3.0, 2.0}, {0.0, 0.25, 1.0}); real one = quantile([7]', 0.3);",
        &[2.5, 1.0, 1.75, 4.0, 7.0],
    ),
    (
        "vector[3] l = linspaced_vector(3, 0, 1); array[1] real l1 = linspaced_array(1, 0, 2); array[2] int o = one_hot_int_array(2, 2); row_vector[2] z = ones_row_vector(2); vector[2] u = uniform_simplex(2); matrix[2, 2] i = identity_matrix(2);",
        &[0.0, 0.5, 1.0, 2.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 0.0, 0.0, 1.0],
    ),
];

/// Sizes and positions out of range are run-time errors with a message.
const ERRORS: &[(&str, &str)] = &[
    // Lowered as categorical_logit, named as written.
    ("real l = categorical_lpmf(4 | softmax([1, 2, 3]'));", "categorical: outcome 4 is not a category in 1..3"),
    ("vector[2] h = head([1, 2, 3]', 4);", "head: 4 elements from position 1 do not fit"),
    ("vector[2] h = segment([1, 2, 3]', 3, 2);", "segment: 2 elements from position 3 do not fit"),
    ("matrix[2, 2] b = block(rep_matrix(0, 3, 3), 2, 3, 2, 2);", "block: 2 elements from position 3 do not fit"),
    ("matrix[2, 2] m = to_matrix({1, 2, 3}, 2, 2);", "to_matrix: 4 elements are needed, the argument has 3"),
    ("matrix[3, 2] m = append_row(rep_matrix(0, 2, 2), [1, 2, 3]);", "append_row: the operands have 2 and 3 columns"),
    ("real x = quad_form_sym([[1, 2], [3, 4]], [1, 1]');", "quad_form_sym: the matrix is not symmetric"),
    ("vector[2] o = one_hot_vector(2, 3);", "one_hot_vector: 1 elements from position 3 do not fit"),
    (
        "vector[2] y = csr_matrix_times_vector(2, 2, [1, 2]', {1, 3}, {1, 2, 3}, [1, 1]');",
        "csr_matrix_times_vector: 1 elements from position 3 do not fit",
    ),
    (
        "matrix[2, 2] d = csr_to_dense_matrix(2, 2, [1, 2]', {1, 2}, {1, 2, 4});",
        "the rows end at 4, not one past the 2 values",
    ),
    ("array[2] real s = sort_asc({1, not_a_number()});", "sort_asc: element 2 is NaN"),
];

fn generated(statements: &str) -> Result<Vec<f64>, String> {
    use rand_chacha::rand_core::SeedableRng;
    let program = format!("generated quantities {{ {statements} }}\n");
    let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
    let mut out = vec![0.0; model.output_names().len()];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    model.write_array(&[], &mut rng, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[test]
fn container_functions_give_stans_values() {
    for (statements, expected) in VALUES {
        let out = generated(statements).unwrap_or_else(|e| panic!("{statements}: {e}"));
        let close = out.len() == expected.len()
            && out.iter().zip(*expected).all(|(x, y)| (x - y).abs() <= 1e-12 * y.abs().max(1.0));
        assert!(close, "{statements}: {out:?}, expected {expected:?}");
    }
}

#[test]
fn container_sizes_out_of_range_are_errors() {
    for (statements, message) in ERRORS {
        match generated(statements) {
            Ok(out) => panic!("{statements}: no error, values {out:?}"),
            Err(e) => assert!(e.contains(message), "{statements}: {e}"),
        }
    }
}

/// Every case above as a program: (its model block, the program).
fn programs() -> impl Iterator<Item = (String, String)> {
    let cases = CASES.iter().map(|(decls, expr)| (*decls, format!("target += {expr};")));
    let bodies = BODIES
        .iter()
        .chain(TUPLE_BODIES)
        .chain(DECOMPOSITION_BODIES)
        .chain(SAVED_BODIES)
        .map(|(decls, body)| (*decls, body.to_string()));
    cases.chain(bodies).map(|(decls, body)| {
        let program = format!("parameters {{ {decls} }}\nmodel {{ {body} }}\n");
        (body, program)
    })
}

#[test]
fn every_primitive_matches_finite_differences() {
    for (expr, program) in programs() {
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let n = model.n_unconstrained();
        for seed in 0..3 {
            assert_gradient_matches(&model, &point(n, seed + 11, 0.8), &expr);
        }
    }
}

/// The functions whose second derivative vppl does not have: each partial of theirs calls an
/// internal function of the table (which has no partials of its own). A program using one has
/// no Hessian, and says which function is to blame.
const NO_SECOND_DERIVATIVE: &[&str] = &[
    "falling_factorial",
    "gamma_p",
    "hypergeometric_2f1",
    "inc_beta",
    "log_modified_bessel_first_kind",
    "von_mises_cdf_centered",
];

/// The programs whose Hessian is refused at run time: the singular values of a complex matrix
/// (those of its real form, which repeats each) are equal in pairs, where each has no second
/// derivative.
const REPEATED_SINGULAR_VALUES: &[&str] = &["target += sum(singular_values(to_complex(a, b)));"];

/// The Hessian of every case above (second derivatives through the whole compiler) against
/// central differences of its gradient, at two points; a program using a function of
/// `NO_SECOND_DERIVATIVE` has none, and each entry there is used by some program.
#[test]
fn every_primitive_has_its_second_derivative() {
    let mut missing = std::collections::BTreeSet::new();
    for (expr, program) in programs() {
        let model = load_text_with_hessian(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        if let Some(why) = &model.meta().no_hessian {
            let name = why.split('`').nth(1).unwrap_or_default().to_string();
            missing.insert(name);
            continue;
        }
        let n = model.n_unconstrained();
        if REPEATED_SINGULAR_VALUES.contains(&expr.as_str()) {
            let e = model.hessian(&point(n, 11, 0.8)).expect_err("repeated singular values");
            assert!(e.message.contains("no Hessian where two singular values are equal"), "{expr}: {e}");
            continue;
        }
        for seed in 0..2 {
            assert_hessian_matches(&model, &point(n, seed + 11, 0.8), &expr);
        }
    }
    let listed: std::collections::BTreeSet<String> = NO_SECOND_DERIVATIVE.iter().map(|s| s.to_string()).collect();
    assert_eq!(missing, listed, "the functions without a second derivative");
}

/// Where the formulas written with max and |·| have their kink (log1p_exp at 0, so the
/// Bernoulli and binomial logits; log_sum_exp of two equal values, so log_mix), the gradient is
/// the smooth function's: max's and abs's own derivatives there (1 and sign(0) = 0) gave
/// 1 for log1p_exp'(0) = ½. A point of zeros is where many fits start.
#[test]
fn kinks_of_smooth_functions_have_their_derivative() {
    let program = "parameters { real x; real z; }\nmodel { 1 ~ bernoulli_logit(x); 0 ~ bernoulli_logit(z); \
                   3 ~ binomial_logit(5, x); target += log1p_exp(x) + log_sum_exp(x, z) + log_mix(0.3, x, z) \
                   + log_sum_exp([x, z]') + log_inv_logit(z) + log1m_inv_logit(x); }\n";
    let model = load_text(program).expect("compiles");
    assert_gradient_matches(&model, &[0.0, 0.0], "kinks at 0");
}

/// `~` drops only terms of data alone: its gradient equals that of the full `_lpdf`/`_lpmf`
/// (a term wrongly tagged as constant would be missing from the first).
#[test]
fn tilde_drops_only_constant_terms() {
    let cases = [
        ("real<lower=0> a; real<lower=0> b;", "{3, 1}", "beta_binomial", "9, a, b", "lpmf"),
        ("real<lower=0> a; real<lower=0> b;", "3", "beta_neg_binomial", "a, 2.5, b", "lpmf"),
        ("real<lower=0> a; real<lower=0> b;", "{3, 0}", "neg_binomial", "a, b", "lpmf"),
        ("real mu; real<lower=0> s;", "0.7", "exp_mod_normal", "mu, s, 0.8", "lpdf"),
        ("real mu; real<lower=0> s;", "0.7", "skew_normal", "mu, s, 2.5", "lpdf"),
        ("real mu; real<lower=0, upper=1> t;", "0.7", "skew_double_exponential", "mu, 1.3, t", "lpdf"),
        ("real<lower=0> a; real<lower=0> s;", "1.3", "frechet", "a, s", "lpdf"),
        ("real<lower=0> a; real<lower=0> s;", "1.3", "pareto_type_2", "0.2, s, a", "lpdf"),
        ("real<lower=0> a; real<lower=0> s;", "1.3", "loglogistic", "s, a", "lpdf"),
        ("real<lower=0, upper=1> m; real<lower=0> k;", "0.3", "beta_proportion", "m, k", "lpdf"),
        ("simplex[3] t;", "{1, 3}", "categorical", "t", "lpmf"),
        ("vector[3] b;", "{1, 3}", "categorical", "softmax(b)", "lpmf"),
        ("vector[3] b;", "{2, 0, 3}", "multinomial_logit", "b", "lpmf"),
        ("real eta; ordered[3] c;", "2", "ordered_logistic", "eta, c", "lpmf"),
    ];
    for (decls, y, dist, args, suffix) in cases {
        let tilde = load_text(&format!("parameters {{ {decls} }}\nmodel {{ {y} ~ {dist}({args}); }}\n"))
            .unwrap_or_else(|e| panic!("{dist}: {e}"));
        let full =
            load_text(&format!("parameters {{ {decls} }}\nmodel {{ target += {dist}_{suffix}({y} | {args}); }}\n"))
                .unwrap_or_else(|e| panic!("{dist}: {e}"));
        let n = tilde.n_unconstrained();
        let x = point(n, 5, 0.8);
        let (mut g1, mut g2) = (vec![0.0; n], vec![0.0; n]);
        tilde.log_density_gradient(&x, &mut g1).unwrap_or_else(|e| panic!("{dist}: {e}"));
        full.log_density_gradient(&x, &mut g2).unwrap_or_else(|e| panic!("{dist}: {e}"));
        for (a, b) in g1.iter().zip(&g2) {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{dist}: ~ gives {g1:?}, the full density {g2:?}");
        }
    }
}

/// A vectorised density is the sum of its elements' densities.
#[test]
fn vectorised_densities_are_sums() {
    let pairs = [
        (
            "array[2] vector[3] y; vector[3] mu; cholesky_factor_corr[3] L;",
            "multi_normal_cholesky_lpdf(y | mu, L)",
            "multi_normal_cholesky_lpdf(y[1] | mu, L) + multi_normal_cholesky_lpdf(y[2] | mu, L)",
        ),
        (
            "array[2] simplex[3] t; vector<lower=0>[3] a;",
            "dirichlet_lpdf(t | a)",
            "dirichlet_lpdf(t[1] | a) + dirichlet_lpdf(t[2] | a)",
        ),
        (
            "array[2] vector[3] y; vector[3] mu; cholesky_factor_corr[3] L;",
            "multi_student_t_cholesky_lpdf(y | 3.5, mu, L)",
            "multi_student_t_cholesky_lpdf(y[1] | 3.5, mu, L) + multi_student_t_cholesky_lpdf(y[2] | 3.5, mu, L)",
        ),
    ];
    for (decls, whole, parts) in pairs {
        let value = |expr: &str| {
            let m = load_text(&format!("parameters {{ {decls} }}\nmodel {{ target += {expr}; }}\n"))
                .unwrap_or_else(|e| panic!("{expr}: {e}"));
            m.log_density(&point(m.n_unconstrained(), 3, 0.8), false).unwrap_or_else(|e| panic!("{expr}: {e}"))
        };
        let (a, b) = (value(whole), value(parts));
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{whole} = {a}, but {parts} = {b}");
    }
}

/// The int-valued functions, the functions behind the operators and the vectorised log_mix:
/// their values, through the whole compiler.
#[test]
fn functions_compute_their_values() {
    let cases: &[(&str, f64)] = &[
        ("choose(5, 2) + choose(7, 0) + choose(3, 5) + choose(30, 15)", 10.0 + 1.0 + 0.0 + 155117520.0),
        ("falling_factorial(5, 2) + falling_factorial(4, 6) + falling_factorial(12, 12)", 20.0 + 0.0 + 479001600.0),
        ("rising_factorial(3, 2) + rising_factorial(0, 4) + rising_factorial(5, 0)", 12.0 + 0.0 + 1.0),
        ("sum(choose({4, 6}, 2)) + sum(falling_factorial(5, {1, 3}))", 6.0 + 15.0 + 5.0 + 60.0),
        ("modulus(7, 3) + modulus(-7, 3)", 1.0 - 1.0),
        ("logical_eq(2, 2.0) + logical_neq(1, 2) + logical_lt(1, 2) + logical_lte(2, 2) + logical_gt(1, 2)", 4.0),
        ("logical_gte(3, 2.5) + logical_and(1, 0) + logical_or(0, 2) + logical_negation(0)", 3.0),
        ("plus(2.5) + minus(1.5) + sum(minus({1, 2}))", 1.0 - 3.0),
        ("to_int(3.7) + to_int(-2.9) + sum(to_int({1.5, 2.5})) + to_int(4)", 3.0 - 2.0 + 1.0 + 2.0 + 4.0),
        ("add(1, 2) + divide(7, 2) + elt_divide(7, 2) + elt_multiply(2, 3) + subtract(1, 0.5) + multiply(2, 3)", 21.5),
        // [[1, 2], [3, 4]]³ = [[37, 54], [81, 118]]; the zeroth power is I.
        ("sum(matrix_power([[1, 2], [3, 4]], 3)) + sum(matrix_power([[1, 2], [3, 4]], 0))", 290.0 + 2.0),
        ("matrix_power([[1, 2], [3, 4]], 5)[2, 1] + symmetrize_from_lower_tri([[1, 9], [2, 3]])[1, 2]", 2337.0 + 2.0),
        ("sum(generalized_inverse([[2, 0], [0, 4]]))", 0.75),
        // A scalar divided by a container: by each element.
        ("sum(divide(2, [1, 4]')) + sum(divide(3, [[1, 2], [3, 6]])) + sum(divide(1, [2, 4]))", 9.25),
        ("log_mix([0.25, 0.75]', [-1, -2]')", (0.25 * (-1f64).exp() + 0.75 * (-2f64).exp()).ln()),
        ("log_mix({0.5, 0.5}, {[0, 0], [1, 1]})", 1.0),
        // ₂F₁(1, 1; 2; z) = −log(1 − z)/z; ₃F₂ with a₃ = b₂ is ₂F₁.
        ("hypergeometric_pFq([1, 1]', [2]', 0.5)", 2.0 * std::f64::consts::LN_2),
        ("hypergeometric_3F2({1, 1, 3}, {2, 3}, -0.5)", 2.0 * 1.5f64.ln()),
    ];
    for (expr, expected) in cases {
        let program = format!("parameters {{ real x; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let lp = model.log_density(&[0.0], true).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((lp - expected).abs() <= 1e-15 * expected.abs().max(1.0), "{expr}: {lp}, not {expected}");
    }
    // Outside the domain, or beyond a 32-bit int: an error, as in Stan (found when the model
    // loads, since these log densities fail at every point).
    for expr in [
        "choose(40, 20)",
        "falling_factorial(-1, 2)",
        "rising_factorial(20, 20)",
        "modulus(1, 0)",
        "to_int(3e10)",
        "hypergeometric_pFq([1, 1]', [2]', 1.5)",
        "hypergeometric_3F2({1, 1}, {2, 3}, 0.5)",
    ] {
        let program = format!("parameters {{ real x; }}\nmodel {{ target += {expr}; }}\n");
        let fails = load_text(&program).map_or(true, |model| model.log_density(&[0.0], true).is_err());
        assert!(fails, "{expr}");
    }
}

/// The generalized inverse against mpmath's Moore–Penrose inverse (Gᵀ (G Gᵀ)⁻¹ of a wide matrix of
/// full rank, and its transpose's transpose for the tall one); Stan's jitter of 3.7e-7 on the
/// diagonal moves the values by about that much.
#[test]
fn generalized_inverse_is_moore_penrose_at_full_rank() {
    // mpmath: G.T * inverse(G * G.T) = [[1/3, -1/3], [1/3, 1/6], [-1/3, 5/6]] for this G.
    let want = [1.0 / 3.0, 1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0, 1.0 / 6.0, 5.0 / 6.0];
    for (call, transposed) in [
        ("generalized_inverse([[1, 2, 0], [0, 1, 1]])", false),
        ("generalized_inverse([[1, 0], [2, 1], [0, 1]])", true),
    ] {
        let out = generated(&format!("matrix[{}] x = {call};", if transposed { "2, 3" } else { "3, 2" }))
            .unwrap_or_else(|e| panic!("{call}: {e}"));
        for (k, w) in want.iter().enumerate() {
            // Column-major output; the tall case is the transpose.
            let got = if transposed { out[(k % 3) * 2 + k / 3] } else { out[k] };
            assert!((got - w).abs() < 1e-5, "{call}: element {k} is {got}, want {w}");
        }
    }
}
