// Vectorised binary functions (pow, fmax, fmin, fdim, hypot, lbeta, lchoose, log_diff_exp) and vectorised fma.
data {
  int<lower=1> N;
  vector<lower=0>[N] v;
  array[N] real<lower=0> a;
}
transformed data {
  vector[N] p1 = pow(v, 0.5);
  vector[N] p2 = pow(2, v);
  vector[N] p3 = pow(v, v);
  array[N] real p4 = pow(a, 2.0);
  vector[N] m1 = fmax(v, 1.0);
  vector[N] m2 = fmin(v, v);
  vector[N] d = fdim(v, 1);
  vector[N] h = hypot(v, 1.0);
  vector[N] lb = lbeta(v + 1, v + 1);
  vector[N] lc = lchoose(v + 3, 2.0);
  vector[N] lde = log_diff_exp(v + 1, 0.0);
  vector[N] f = fma(v, v, v);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(p1 + p2 + p3 + m1 + m2 + d + h + lb + lc + lde + f) + sum(p4), 100);
}
