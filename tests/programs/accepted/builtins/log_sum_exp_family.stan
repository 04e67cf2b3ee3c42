// log_sum_exp, log_diff_exp, log_softmax, log_inv_logit_diff and log_mix used on scalars, vectors and arrays.
data {
  int<lower=1> N;
  vector[N] v;
  array[N] real a;
}
parameters {
  real<lower=0, upper=1> theta;
  real lo;
  real<lower=lo> hi;
}
model {
  real s1 = log_sum_exp(v);
  real s2 = log_sum_exp(a);
  real s3 = log_sum_exp(lo, hi);
  real s4 = log_diff_exp(hi, lo);
  vector[N] ls = log_softmax(v);
  real s5 = log_inv_logit_diff(hi, lo);
  target += log_mix(theta, normal_lpdf(0 | lo, 1), normal_lpdf(0 | hi, 1));
  target += -square(s1 + s2 + s3 + s4 + s5 + sum(ls)) * 1e-6;
}
