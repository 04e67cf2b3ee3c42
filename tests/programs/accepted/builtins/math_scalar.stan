// Scalar math functions: log1p, expm1, lgamma, tgamma, digamma, inv_logit, logit, log1m_exp, fma, hypot, cbrt, erf, Phi.
data {
  real x;
  real<lower=0> y;
}
transformed data {
  real a = log1p(y) + expm1(x) + lgamma(y + 1) + tgamma(2.5) + digamma(y + 1);
  real b = inv_logit(x) + logit(0.3) + log1m(0.2) + log1m_exp(-y - 1) + log1p_exp(x);
  real c = fma(x, 2, 3) + hypot(x, y) + cbrt(x) + erf(x) + erfc(x) + Phi(x) + inv_Phi(0.7) + Phi_approx(x);
  real d = log2(y + 1) + log10(y + 1) + exp2(x) + pow(y, 1.5) + inv(2.0) + inv_sqrt(4.0) + inv_square(2.0) + square(x);
  real e = fmin(x, y) + fmax(x, y) + fdim(x, y) + fmod(7.5, 2) + trunc(x) + round(x) + floor(x) + ceil(x);
  real f = lbeta(2, 3) + lchoose(5, 2) + log_inv_logit(x) + log1m_inv_logit(x) + logit(inv_logit(x)) + lmgamma(3, y + 2);
}
parameters {
  real mu;
}
model {
  mu ~ normal(a + b + c + d + e + f, 1);
}
