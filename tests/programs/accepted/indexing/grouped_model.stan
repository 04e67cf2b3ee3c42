// Hierarchical regression indexed by group and by observation, with multi-indexes on both sides of ~.
data {
  int<lower=1> N;
  int<lower=1> G;
  array[N] int<lower=1, upper=G> g;
  vector[N] x;
  vector[N] y;
  int<lower=0, upper=N> M;
  array[M] int<lower=1, upper=N> held_out;
}
parameters {
  vector[G] a;
  vector[G] b;
  real<lower=0> sigma;
}
model {
  a ~ normal(0, 1);
  b ~ normal(0, 1);
  sigma ~ exponential(1);
  y ~ normal(a[g] + b[g] .* x, sigma);
}
generated quantities {
  vector[M] pred = a[g[held_out]] + b[g[held_out]] .* x[held_out];
  real first_pred = M > 0 ? pred[1] : 0;
}
