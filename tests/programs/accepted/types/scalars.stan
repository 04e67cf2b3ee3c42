// Unconstrained and bounded int and real scalars declared in data, parameters and generated quantities.
data {
  int N;
  int<lower=0> K;
  int<lower=1, upper=10> J;
  real x;
  real<lower=0> scale;
  real<upper=0> depth;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(x, scale);
  sigma ~ exponential(J);
}
generated quantities {
  int draws = N + K;
  real shifted = mu + depth;
}
