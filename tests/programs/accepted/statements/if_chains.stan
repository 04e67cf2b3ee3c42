// if / else if / else chains, branches without braces, and a dangling else binding to the inner if.
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  array[N] int category;
  int n_small = 0;
  for (n in 1:N) {
    if (y[n] < -1) {
      category[n] = 1;
    } else if (y[n] < 0) {
      category[n] = 2;
    } else if (y[n] < 1) {
      category[n] = 3;
    } else {
      category[n] = 4;
    }
    if (category[n] <= 2)
      n_small += 1;
    else if (category[n] == 3)
      n_small += 0;
    if (n > 1)
      if (category[n] == category[n - 1])
        n_small += 0;
      else
        n_small -= 0;
  }
}
parameters {
  real mu;
}
model {
  if (n_small > N / 2) {
    mu ~ normal(-1, 1);
  } else {
    mu ~ normal(1, 1);
  }
  y ~ normal(mu, 1);
}
