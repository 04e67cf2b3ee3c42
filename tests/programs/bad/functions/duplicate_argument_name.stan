// Two arguments of a function have the same name.
functions {
  real sum_two(real x, real x) {
    return x + x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum_two(1, 2), 1);
}
