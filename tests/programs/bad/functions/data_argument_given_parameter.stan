// A `data` argument cannot receive a parameter.
functions {
  real shift(data real x, real y) {
    return x + y;
  }
}
data {
  real a;
}
parameters {
  real mu;
}
model {
  mu ~ normal(shift(mu, a), 1);
}
