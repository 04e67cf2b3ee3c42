// print, reject and fatal_error with strings, ints, reals, vectors and arrays mixed in one call.
data {
  int<lower=0> N;
  vector[N] y;
  array[N] int flags;
}
transformed data {
  print("N = ", N, ", y = ", y, ", flags = ", flags);
  if (N > 1000) {
    reject("too many observations: ", N, " > ", 1000);
  }
  if (N < 0) {
    fatal_error("negative size ", N, " with mean ", mean(y));
  }
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  if (is_nan(mu)) {
    reject("mu is ", mu, "; sigma is ", sigma, "; data ", y);
  }
  print("mu=", mu, " sigma=", sigma, " target=", target());
  y ~ normal(mu, sigma);
}
generated quantities {
  print("draw: ", [mu, sigma], " ", {1, 2});
}
