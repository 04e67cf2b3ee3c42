// Ordinal outcomes: ordered_logistic and ordered_probit, vectorised over an array of responses.
data {
  int<lower=1> N;
  int<lower=3> K;
  array[N] int<lower=1, upper=K> y;
  vector[N] x;
}
parameters {
  real beta;
  ordered[K - 1] c;
}
model {
  beta ~ normal(0, 2);
  y ~ ordered_logistic(beta * x, c);
  y[1] ~ ordered_probit(beta * x[1], c);
  target += ordered_logistic_lpmf(y | x * beta, c);
}
