// A vectorised poisson_log: one log-rate parameter per observation.
data {
  int<lower=1> N;
}
transformed data {
  array[N] int y;
  for (i in 1:N) {
    y[i] = (i * 37) % 5;
  }
}
parameters {
  vector[N] x;
}
model {
  y ~ poisson_log(x);
}
