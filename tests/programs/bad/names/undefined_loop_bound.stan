// Undefined names in a loop bound and a condition, and a real assigned to an int: three reports, no cascade.
parameters {
  real mu;
}
model {
  for (i in 1:undef_n) {
    mu ~ normal(i, 1);
  }
  if (undef_c > 0) mu ~ normal(0, 1);
  int k = 1;
  k = 2.5;
}
