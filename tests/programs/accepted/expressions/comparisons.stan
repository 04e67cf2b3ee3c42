// Comparison operators on ints and reals, mixed types, returning int values used in arithmetic.
data {
  int<lower=1> N;
  vector[N] y;
  real threshold;
}
transformed data {
  int n_above = 0;
  int n_equal = 0;
  for (n in 1:N) {
    n_above += y[n] > threshold;
    n_equal += y[n] == threshold;
  }
  int le = 3 <= 3.5;
  int ge = 4 >= N;
  int lt = -1 < 0;
  int gt = 2.0 > 1;
  int ne = N != n_above;
  int combined = (n_above > 0) + (n_equal >= 1) * 2;
}
parameters {
  real<lower=0, upper=1> p;
}
model {
  n_above ~ binomial(N, p);
  p ~ beta(1 + le + ge, 1 + lt + gt + ne + combined);
}
