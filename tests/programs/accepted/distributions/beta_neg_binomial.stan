// beta_neg_binomial (new in Stan 2.36) with `~`, its `_lpmf`, `_lccdf` and `_rng` forms.
data {
  int<lower=0> N;
  array[N] int<lower=0> f;
}
parameters {
  real<lower=0> r;
  real<lower=0> a;
  real<lower=0> b;
}
model {
  r ~ gamma(2, 1);
  a ~ gamma(2, 1);
  b ~ gamma(2, 1);
  f ~ beta_neg_binomial(r, a, b);
  target += beta_neg_binomial_lccdf(10 | r, a, b);
}
generated quantities {
  real lp = beta_neg_binomial_lpmf(f | r, a, b);
  int f_rep = beta_neg_binomial_rng(r, a, b);
}
