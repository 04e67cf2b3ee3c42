// A function declared and never defined, and two independent mistakes: all three reported.
functions {
  real f(real x);
}
parameters {
  real mu;
}
model {
  mu ~ normal(undefined_q, 1);
  int k = 2.5;
}
