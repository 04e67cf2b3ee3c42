// While loops with int and real conditions, counting down and iterating to convergence.
data {
  int<lower=1> N;
  real<lower=0> target_value;
}
transformed data {
  int steps = 0;
  int remaining = N;
  real x = target_value + 1;
  while (remaining > 0) {
    remaining -= 1;
    steps += 1;
  }
  while (abs(x * x - target_value) > 1e-8 && steps < 1000) {
    x = 0.5 * (x + target_value / x);
    steps += 1;
  }
  int flag = 1;
  while (flag)
    flag = 0;
}
parameters {
  real mu;
}
model {
  mu ~ normal(x, steps);
}
