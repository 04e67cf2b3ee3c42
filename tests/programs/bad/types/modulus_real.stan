// `%` is defined for ints only; `t` is a real.
data {
  int<lower=1> N;
  array[N] real t;
}
transformed data {
  array[N] int weekday;
  for (n in 1:N) {
    weekday[n] = t[n] % 7;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
