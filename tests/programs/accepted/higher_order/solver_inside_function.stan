// A higher-order call inside a user function: the solver's functional argument is another user function.
functions {
  vector quadratic_root(vector x, real a, real c) {
    return [a * square(x[1]) - c]';
  }
  real positive_root(real a, real c) {
    vector[1] x = solve_newton(quadratic_root, [1.0]', a, c);
    return x[1];
  }
}
data {
  real<lower=0> c;
  real y;
}
parameters {
  real<lower=0.1> a;
}
model {
  a ~ lognormal(0, 1);
  y ~ normal(positive_root(a, c), 0.1);
}
