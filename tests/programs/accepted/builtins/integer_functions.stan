// Integer builtins and operators: %/%, %, abs, int_step, min/max on ints, sign-related checks, to_int, choose.
data {
  int n;
  int<lower=1> m;
  real x;
}
transformed data {
  int q = n %/% m;
  int r = n % m;
  int a = abs(n);
  int s = int_step(n) + int_step(-1);
  int lo = min(n, m);
  int hi = max(n, m);
  int t = to_int(x);
  int c = choose(m + 3, 2);
  int b = (n > 0) + (n == m) + (n != m) + !(n < 0) + (n >= 0 && m > 0) + (n <= 0 || m < 0);
  real st = step(x) + is_inf(x) + is_nan(x);
  int sg = n < 0 ? -1 : 1;
}
parameters {
  real mu;
}
model {
  mu ~ normal(q + r + a + s + lo + hi + t + c + b + st + sg, 10);
}
