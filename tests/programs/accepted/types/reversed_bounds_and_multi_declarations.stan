// Bounds written upper-first and multiplier-first, and several variables declared in one statement.
data {
  int<lower=0> N, M;
  real<lower=0> a, b;
  vector[N] y;
}
transformed data {
  real lo = -1, hi = 1;
  int total = N + M;
}
parameters {
  real<upper=hi, lower=lo> rho;
  real<multiplier=b + 1, offset=a> loc;
  real<lower=0> sigma, tau;
}
model {
  rho ~ uniform(lo, hi);
  loc ~ normal(a, b + 1);
  sigma ~ exponential(1);
  tau ~ exponential(1);
  y ~ normal(loc + rho, sigma + tau);
}
generated quantities {
  real ratio = sigma / tau, diff = sigma - tau;
}
