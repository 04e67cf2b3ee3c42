// softmax and log_sum_exp of a parameter vector. The max that shifts the exponentials is
// held constant (its loop has no reverse), and each reverse loop reads the exponentials its
// forward loop stored instead of computing them again. categorical of a softmax is lowered
// as categorical_logit (no probability vector, no log per outcome); 2 * eta is computed
// inside both loops of log_sum_exp (its max and its sum), never stored.
data {
  int<lower=1> K;
  int<lower=0> N;
  array[N] int<lower=1, upper=K> y;
}
parameters {
  vector[K] eta;
}
model {
  eta ~ normal(0, 2);
  y ~ categorical(softmax(eta));
  target += -0.5 * log_sum_exp(2 * eta) + softmax(eta)[1];
}
