// Logical ||, && and ! with comparisons; && binds tighter than ||, comparisons tighter than both.
data {
  int<lower=0> N;
  real x;
  real y;
  int flag;
}
transformed data {
  int either = x > 0 || y > 0 && flag;
  int both = (x > 0 || y > 0) && flag;
  int negated = !flag || !(x < y);
  int eq_chain = x + y == 0;
  int not_eq = N != 0 && x != y;
  int sum_cmp = x < y == y < x;
  int double_not = !!flag;
  int real_cond = x != 0 && y != 0;
  int in_range = 0 <= N && N <= 10;
}
parameters {
  real mu;
}
model {
  if (either || both && negated) {
    mu ~ normal(eq_chain + not_eq + sum_cmp, 1);
  } else {
    mu ~ normal(double_not + real_cond + in_range, 1);
  }
}
