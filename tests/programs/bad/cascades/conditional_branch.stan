// A misspelt branch of `?:`: only the unknown name is reported, not the branches' types.
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  real s = mu > 0 ? sigmaa : 1;
  mu ~ normal(0, s);
}
