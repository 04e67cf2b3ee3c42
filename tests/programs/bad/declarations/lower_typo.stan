// The bound keyword `lower` is misspelled `lowr`.
parameters {
  real mu;
  real<lowr=0> sigma;
}
model {
  mu ~ normal(0, sigma);
}
