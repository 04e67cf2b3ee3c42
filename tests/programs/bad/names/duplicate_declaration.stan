// Duplicate declaration: `mu` is declared in data and again in parameters.
data {
  real mu;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
