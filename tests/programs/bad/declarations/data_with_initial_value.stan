// Data variables are read from the data file; they cannot be given a value.
data {
  int<lower=1> N = 10;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
