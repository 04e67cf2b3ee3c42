// `offset` combined with `lower` on one declaration: a type takes a range or an affine transform, not both.
parameters {
  real<lower=0, offset=1> sigma;
}
model {
  sigma ~ normal(1, 0.5);
}
