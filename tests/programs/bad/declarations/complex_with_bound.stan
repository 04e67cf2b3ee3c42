// Complex numbers are not ordered, so they cannot have bounds.
data {
  complex<lower=0> z;
}
parameters {
  real mu;
}
model {
  mu ~ normal(get_real(z), 1);
}
