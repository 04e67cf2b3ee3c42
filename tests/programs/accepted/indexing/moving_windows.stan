// Slices whose bounds are loop-dependent expressions: a moving-average model over a time series.
data {
  int<lower=3> T;
  int<lower=1, upper=T - 1> W;
  vector[T] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=-1, upper=1> phi;
}
model {
  mu ~ normal(0, 5);
  sigma ~ exponential(1);
  phi ~ normal(0, 0.5);
  for (t in (W + 1):T) {
    real window_mean = mean(y[(t - W):(t - 1)]);
    y[t] ~ normal(mu + phi * (window_mean - mu), sigma);
  }
  y[1:W] ~ normal(mu, sigma);
}
generated quantities {
  vector[W] last_window = y[(T - W + 1):T];
  real tail_mean = mean(y[(T - W + 1):]);
}
