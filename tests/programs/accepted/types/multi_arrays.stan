// Multi-dimensional arrays of ints and reals with sizes from data.
data {
  int<lower=1> I;
  int<lower=1> J;
  int<lower=1> K;
  array[I, J] int<lower=0> counts;
  array[I, J, K] real y;
}
transformed data {
  array[I] int totals;
  for (i in 1:I) {
    totals[i] = sum(counts[i]);
  }
}
parameters {
  array[I, J] real mu;
  real<lower=0> sigma;
}
model {
  for (i in 1:I) {
    for (j in 1:J) {
      mu[i, j] ~ normal(0, 1);
      y[i, j] ~ normal(mu[i, j], sigma);
    }
  }
  sigma ~ exponential(1);
}
generated quantities {
  array[I, J, K] real yrep;
  for (i in 1:I) {
    for (j in 1:J) {
      yrep[i, j] = normal_rng(rep_array(mu[i, j], K), sigma);
    }
  }
}
