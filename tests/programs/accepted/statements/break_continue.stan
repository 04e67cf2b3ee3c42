// break and continue in for loops and while loops, including nested loops.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
}
transformed data {
  int first_zero = 0;
  int pairs = 0;
  for (n in 1:N) {
    if (counts[n] == 0) {
      first_zero = n;
      break;
    }
  }
  for (i in 1:N) {
    for (j in 1:N) {
      if (j <= i)
        continue;
      if (pairs > 100)
        break;
      pairs += 1;
    }
  }
  int k = 0;
  while (1) {
    k += 1;
    if (k >= N)
      break;
  }
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(1 + sum(counts), 1 + first_zero + pairs + k);
  counts ~ poisson(lambda);
}
