// A misspelt index, condition, loop bound and logical operand: only the unknown names are
// reported.
data {
  int N;
  vector[N] y;
  int flag;
}
parameters {
  real mu;
}
model {
  real first = y[kk];
  if (flg) {
    mu ~ normal(0, 1);
  }
  for (n in 1:NN) {
    y[n] ~ normal(mu, 1);
  }
  while (flag && dne) {
    break;
  }
}
