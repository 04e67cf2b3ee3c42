// Built-in constants: pi, e, sqrt2, log2, log10, not_a_number, positive_infinity, negative_infinity, machine_precision.
transformed data {
  real two_pi = 2 * pi();
  real euler = e();
  real roots = sqrt2() + log2() + log10();
  real eps = machine_precision();
  real nan = not_a_number();
  real inf = positive_infinity();
  real ninf = negative_infinity();
  int nan_flag = is_nan(nan);
  int inf_flag = is_inf(inf) + is_inf(ninf);
}
parameters {
  real<lower=negative_infinity(), upper=positive_infinity()> mu;
}
model {
  mu ~ normal(two_pi + euler + roots, 1 + eps + nan_flag + inf_flag);
}
