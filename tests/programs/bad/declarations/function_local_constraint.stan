// A local variable in a function body cannot carry a constraint.
functions {
  real soft_abs(real x) {
    real<lower=0> y = sqrt(x ^ 2 + 1e-8);
    return y;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(soft_abs(0.5), 1);
}
