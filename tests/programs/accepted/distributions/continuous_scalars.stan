// Many univariate continuous distributions used with `~` on scalar parameters.
parameters {
  real a;
  real<lower=0> b;
  real<lower=0, upper=1> c;
  real d;
  real<lower=0> e;
  real<lower=0> f;
  real g;
  real<lower=0> h;
  real<lower=1> k;
}
model {
  a ~ normal(0, 1);
  b ~ gamma(2, 0.5);
  c ~ beta(2, 3);
  d ~ student_t(4, 0, 2);
  e ~ lognormal(0, 1);
  f ~ weibull(1.5, 2);
  g ~ double_exponential(0, 1);
  h ~ inv_gamma(3, 2);
  k ~ pareto(1, 3);
  a ~ cauchy(0, 5);
  b ~ exponential(2);
  e ~ chi_square(3);
  f ~ inv_chi_square(4);
  h ~ scaled_inv_chi_square(5, 1.5);
  g ~ logistic(0, 1);
  d ~ gumbel(0, 2);
  a ~ skew_normal(0, 1, 2);
}
