// A data vector is called like a function, `mu(1)`, instead of indexed, `mu[1]`.
data {
  vector[3] mu;
}
parameters {
  real y;
}
model {
  y ~ normal(mu(1), 1);
}
