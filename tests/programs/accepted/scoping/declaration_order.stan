// Variables are visible from their declaration onwards: later sizes, bounds and initialisers use earlier ones.
data {
  int<lower=1> N;
  int<lower=N> M;
  vector[M] y;
  array[N] int<lower=1, upper=M> pick;
}
transformed data {
  int P = M - N;
  vector[P + N] y_copy = y;
  vector[N] picked = y[pick];
  real bound = max(picked) + 1;
}
parameters {
  real<upper=bound> mu;
  real<lower=0> sigma;
  real<lower=mu> above_mu;
}
transformed parameters {
  real gap = above_mu - mu;
  real<lower=0> gap_abs = abs(gap);
}
model {
  y_copy ~ normal(mu, sigma);
  above_mu ~ normal(mu + 1, 1);
  sigma ~ exponential(1 + gap_abs * 0);
}
