// ODE solutions computed in generated quantities at prediction times, using a data-only argument.
functions {
  vector sir(real t, vector y, real beta, real gamma, data real n_pop) {
    real infection = beta * y[1] * y[2] / n_pop;
    real recovery = gamma * y[2];
    return [-infection, infection - recovery, recovery]';
  }
}
data {
  int<lower=1> T_pred;
  array[T_pred] real ts_pred;
  real<lower=1> n_pop;
  vector[3] y0;
}
parameters {
  real<lower=0> beta;
  real<lower=0> gamma;
}
model {
  beta ~ lognormal(0, 0.5);
  gamma ~ lognormal(-1, 0.5);
}
generated quantities {
  array[T_pred] vector[3] y_pred = ode_rk45(sir, y0, 0, ts_pred, beta, gamma, n_pop);
  array[T_pred] real cases;
  for (t in 1:T_pred) {
    cases[t] = poisson_rng(fmax(y_pred[t, 2], 1e-8));
  }
}
