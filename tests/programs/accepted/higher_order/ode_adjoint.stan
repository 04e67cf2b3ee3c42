// ode_adjoint_tol_ctl: the adjoint ODE solver with its full list of control arguments.
functions {
  vector decay2(real t, vector y, vector k) {
    return -k .* y;
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  array[T] vector[2] obs;
}
parameters {
  vector<lower=0>[2] k;
}
transformed parameters {
  array[T] vector[2] y = ode_adjoint_tol_ctl(decay2, [1, 2]', 0, ts, 1e-6, rep_vector(1e-6, 2), 1e-6, rep_vector(1e-6, 2), 1e-6, 1e-6, 10000, 150, 1, 2, 2, k);
}
model {
  k ~ lognormal(0, 1);
  for (t in 1:T) {
    obs[t] ~ normal(y[t], 0.1);
  }
}
