// Multiple indexing with arrays of ints: gathering, repeating and reordering elements.
data {
  int<lower=1> N;
  int<lower=1> G;
  array[N] int<lower=1, upper=G> group;
  vector[N] y;
  array[N] real w;
}
transformed data {
  array[N] int rev;
  for (n in 1:N) {
    rev[n] = N + 1 - n;
  }
  vector[N] y_rev = y[rev];
  array[N] real w_rev = w[rev];
  array[3] int repeat_first = {1, 1, 1};
  vector[3] y_first3 = y[repeat_first];
  array[N] int group_rev = group[rev];
}
parameters {
  vector[G] alpha;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 1);
  sigma ~ exponential(1);
  y ~ normal(alpha[group], sigma);
  y_rev ~ normal(alpha[group_rev], sigma);
  target += 0 * sum(y_first3) + 0 * sum(w_rev);
}
