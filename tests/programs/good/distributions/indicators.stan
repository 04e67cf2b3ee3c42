// Integer data compared with == to build 0/1 indicators; bernoulli_logit and binomial.
data {
  int<lower=1> N;
  array[N] int<lower=1, upper=3> group;
  array[N] int<lower=0, upper=1> y;
  array[N] int<lower=0> trials;
  array[N] int<lower=0> successes;
}
parameters {
  real a;
  real b;
  real<lower=0, upper=1> p;
}
model {
  a ~ normal(0, 2);
  b ~ normal(0, 2);
  p ~ beta(1, 1);
  for (n in 1:N) {
    int is_two = group[n] == 2;
    y[n] ~ bernoulli_logit(a + b * is_two);
  }
  successes ~ binomial(trials, p);
}
