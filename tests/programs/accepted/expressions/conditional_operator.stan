// The ?: operator: right associativity, lowest precedence, int/real promotion and container branches.
data {
  int<lower=1> N;
  vector[N] y;
  real x;
  int use_log;
}
transformed data {
  real sign_x = x > 0 ? 1 : x < 0 ? -1 : 0;
  real promoted = use_log ? 1 : 2.5;
  int picked = N > 5 ? N : 5;
  vector[N] transformed_y = use_log ? log1p(abs(y)) : y;
  real summed = 1 + (use_log ? 2 : 3) * 2;
  real low_prec = use_log || x > 0 ? x + 1 : x - 1;
  array[2] int pair = N > 1 ? {1, N} : {0, 0};
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(sign_x * promoted, picked);
  sigma ~ exponential(summed);
  transformed_y ~ normal(mu, N > 10 ? sigma : 2 * sigma);
}
generated quantities {
  real clipped = mu > low_prec ? low_prec : mu;
  int first = pair[1];
}
