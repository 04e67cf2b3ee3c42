// `jacobian` is still a valid name in Stan 2.36, with a warning: it becomes a keyword.
parameters { real<lower=0> sigma; }
model {
  real jacobian = log(sigma);
  sigma ~ exponential(1);
}
