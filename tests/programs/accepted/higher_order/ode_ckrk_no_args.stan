// ode_ckrk with a right-hand side taking no extra arguments, and a parameter initial state and time.
functions {
  vector logistic_growth(real t, vector y) {
    return y .* (1 - y);
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  vector[T] pop;
}
parameters {
  real<lower=0, upper=1> y0;
}
transformed parameters {
  array[T] vector[1] y = ode_ckrk(logistic_growth, [y0]', -1.0, ts);
}
model {
  y0 ~ beta(2, 2);
  for (t in 1:T) {
    pop[t] ~ normal(y[t, 1], 0.05);
  }
}
