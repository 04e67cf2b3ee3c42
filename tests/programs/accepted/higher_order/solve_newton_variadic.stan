// solve_newton with variadic arguments (a vector parameter and a data real) and solve_newton_tol.
functions {
  vector steady_state(vector x, vector k, real total) {
    vector[2] r;
    r[1] = k[1] * x[1] - k[2] * x[2];
    r[2] = x[1] + x[2] - total;
    return r;
  }
}
data {
  real<lower=0> total;
  vector[2] obs;
}
parameters {
  vector<lower=0>[2] k;
}
transformed parameters {
  vector[2] x = solve_newton(steady_state, [0.5, 0.5]', k, total);
  vector[2] x_tol = solve_newton_tol(steady_state, [0.5, 0.5]', 1e-3, 1e-8, 200, k, total);
}
model {
  k ~ lognormal(0, 1);
  obs ~ normal(x, 0.05);
}
