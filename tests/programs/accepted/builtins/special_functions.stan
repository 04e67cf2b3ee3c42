// Special functions: Bessel functions, beta/gamma incomplete functions, owens_t, binary_log_loss, choose, falling/rising factorials, log_modified_bessel_first_kind.
data {
  real<lower=0> x;
  int<lower=0> n;
}
transformed data {
  real b = bessel_first_kind(1, x) + bessel_second_kind(1, x + 1) + modified_bessel_first_kind(1, x) + modified_bessel_second_kind(1, x + 1);
  real g = gamma_p(2, x) + gamma_q(2, x) + inc_beta(2, 3, 0.4) + beta(2, 3) + owens_t(x, 0.5);
  real l = log_modified_bessel_first_kind(0.5, x) + binary_log_loss(1, 0.3) + log_falling_factorial(5, 2) + log_rising_factorial(3, 2);
  real c = choose(n + 5, 2) + falling_factorial(6, 2) + rising_factorial(3, 2);
  real w = lambert_w0(x) + lambert_wm1(-0.2) + inv_inc_beta(2, 3, 0.5) + inv_erfc(0.5);
}
parameters {
  real mu;
}
model {
  mu ~ normal(b + g + l + c + w, 10);
}
