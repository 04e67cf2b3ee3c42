// An ODE solver (not supported yet).
functions {
  vector rhs(real t, vector y, real k) {
    return -k * y;
  }
}
parameters {
  real<lower=0> k;
}
model {
  array[1] vector[1] ys = ode_rk45(rhs, [1.0]', 0.0, {1.0}, k);
  ys[1][1] ~ normal(0.5, 0.1);
}
