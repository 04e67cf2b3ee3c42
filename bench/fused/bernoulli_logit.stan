// A vectorised bernoulli_logit: one log-odds parameter per observation.
data {
  int<lower=1> N;
}
transformed data {
  array[N] int y;
  for (i in 1:N) {
    y[i] = i % 3 == 0;
  }
}
parameters {
  vector[N] x;
}
model {
  y ~ bernoulli_logit(x);
}
