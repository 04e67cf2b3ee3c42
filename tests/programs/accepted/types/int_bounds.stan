// Bounded integer declarations in data and generated quantities, including arrays of bounded ints.
data {
  int<lower=0> N;
  int<lower=1, upper=N> K;
  array[N] int<lower=0, upper=1> flags;
  array[N] int<lower=1, upper=K> group;
}
parameters {
  vector[K] alpha;
}
model {
  alpha ~ normal(0, 1);
  flags ~ bernoulli_logit(alpha[group]);
}
generated quantities {
  int<lower=0, upper=N> successes = sum(flags);
  array[K] int<lower=0> per_group = rep_array(0, K);
  for (n in 1:N) {
    per_group[group[n]] += flags[n];
  }
}
