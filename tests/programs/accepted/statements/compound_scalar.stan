// Compound assignment operators +=, -=, *= and /= on int and real scalars.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
}
transformed data {
  int total = 0;
  int prod = 1;
  real mean_count = 0;
  real spread = 1;
  for (n in 1:N) {
    total += counts[n];
    prod *= 2;
    spread -= 0.1;
  }
  prod /= 2;
  mean_count += total;
  mean_count /= N;
  spread *= mean_count;
  total -= 1;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(mean_count + 1, 1 + abs(spread));
  counts ~ poisson(lambda);
}
