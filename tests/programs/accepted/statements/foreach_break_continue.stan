// break and continue inside foreach loops over an array and a vector.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
  vector[N] y;
}
transformed data {
  int nonzero = 0;
  real before_negative = 0;
  for (c in counts) {
    if (c == 0) {
      continue;
    }
    nonzero += 1;
  }
  for (v in y) {
    if (v < 0) {
      break;
    }
    before_negative += v;
  }
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(1 + nonzero, 1 + before_negative);
  counts ~ poisson(lambda);
}
