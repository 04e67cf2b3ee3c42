// Ordered cut points and positive ordered rates.
data {
  int<lower=1> N;
  int<lower=3> K;
  array[N] int<lower=1, upper=K> y;
  vector[N] x;
}
parameters {
  real beta;
  ordered[K - 1] cutpoints;
  positive_ordered[2] rates;
}
model {
  beta ~ normal(0, 2);
  cutpoints ~ normal(0, 5);
  rates ~ gamma(2, 1);
  y ~ ordered_logistic(x * beta, cutpoints);
}
generated quantities {
  real ratio = rates[2] / rates[1];
}
