// Stan 2.36 custom transforms: `jacobian +=` in a `_jacobian` function and directly in transformed parameters.
functions {
  real upper_bounded_jacobian(real x, real ub) {
    jacobian += x;
    return ub - exp(x);
  }
}
data {
  real ub;
}
parameters {
  real x_raw;
  real y_raw;
}
transformed parameters {
  real x = upper_bounded_jacobian(x_raw, ub);
  real y = exp(y_raw);
  jacobian += y_raw;
}
model {
  x ~ normal(0, 1);
  y ~ exponential(1);
}
