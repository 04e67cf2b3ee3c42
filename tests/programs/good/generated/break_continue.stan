// `break` and `continue` in transformed data and generated quantities (not differentiated):
// the first index where the data exceed a threshold, and a sum that skips odd positions.
data {
  int<lower=1> N;
  array[N] real x;
}
transformed data {
  int first = 0;
  for (n in 1:N) {
    if (x[n] > 1.5) {
      first = n;
      break;
    }
  }
}
parameters {
  real mu;
}
model {
  x ~ normal(mu, 1);
}
generated quantities {
  int first_above = first;
  real even_sum = 0;
  int n = 0;
  while (1) {
    n += 1;
    if (n > N) {
      break;
    }
    if (n % 2 == 1) {
      continue;
    }
    even_sum += x[n] + mu;
  }
}
