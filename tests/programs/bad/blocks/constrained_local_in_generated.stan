// A local variable inside a loop of generated quantities cannot carry a constraint.
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ exponential(1);
}
generated quantities {
  int total = 0;
  for (i in 1:10) {
    int<lower=0> draw = poisson_rng(lambda);
    total += draw;
  }
}
