// A real passed where a user function's parameter is an int.
functions {
  real scale(real x, int k) {
    return x * k;
  }
}
parameters { real mu; }
model {
  mu ~ normal(scale(mu, 1.5), 1);
}
