// A missing `;` in a function, and a dangling `+` before a `;`: one report each, no cascade.
functions {
  real foo(real x) {
    real y = x
    return y;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1) + ;
}
