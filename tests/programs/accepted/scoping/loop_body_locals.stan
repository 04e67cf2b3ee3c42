// Locals declared inside loop bodies are fresh on every iteration and do not clash with the loop variable's siblings.
data {
  int<lower=1> T;
  vector[T] y;
}
parameters {
  real<lower=-1, upper=1> rho;
  real<lower=0> sigma;
}
model {
  for (t in 2:T) {
    real prev = y[t - 1];
    real pred = rho * prev;
    y[t] ~ normal(pred, sigma);
  }
  {
    int t = 1;
    real pred = 0;
    y[t] ~ normal(pred, sigma / sqrt(1 - rho ^ 2));
  }
  sigma ~ exponential(1);
}
generated quantities {
  vector[T] y_next;
  for (t in 1:T) {
    real pred = rho * y[t];
    y_next[t] = normal_rng(pred, sigma);
  }
  int t_last = T;
  while (t_last > 1) {
    int step = 1;
    t_last -= step;
  }
}
