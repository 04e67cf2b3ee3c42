// `inv_logit` misspelled as `invlogit`.
data {
  int<lower=1> N;
  vector[N] x;
  array[N] int<lower=0, upper=1> y;
}
parameters {
  real alpha;
  real beta;
}
model {
  y ~ bernoulli(invlogit(alpha + beta * x));
}
