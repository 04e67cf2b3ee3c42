// A misspelled distribution and a misspelled function: both are reported with a suggestion.
parameters {
  real mu;
  real<lower=0> tau;
}
model {
  tau ~ cauhcy(0, 1);
  mu ~ normal(0, sqr(tau));
}
