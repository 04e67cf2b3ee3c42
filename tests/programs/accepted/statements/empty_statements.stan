// Empty statements (a lone semicolon) as loop bodies, branch bodies and between ordinary statements.
data {
  int<lower=0> N;
  vector[N] y;
}
transformed data {
  int n_pos = 0;
  for (n in 1:N) {
    if (y[n] > 0) {
      n_pos += 1;
    } else
      ;
  }
  ;
  for (n in 1:N)
    ;
}
parameters {
  real mu;
}
model {
  ;
  y ~ normal(mu, 1);
  mu ~ normal(n_pos, 10);
}
