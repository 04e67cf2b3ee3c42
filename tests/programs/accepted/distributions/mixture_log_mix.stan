// A two-component mixture written with log_sum_exp and log_mix, and a K-component mixture with log_mix over an array.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real<lower=0, upper=1> lambda;
  ordered[2] mu;
  vector<lower=0>[2] sigma;
  simplex[3] w;
  vector[3] m;
}
model {
  mu ~ normal(0, 5);
  sigma ~ lognormal(0, 1);
  m ~ normal(0, 5);
  for (n in 1:N) {
    target += log_mix(lambda, normal_lpdf(y[n] | mu[1], sigma[1]), normal_lpdf(y[n] | mu[2], sigma[2]));
    target += log_sum_exp(log(lambda) + normal_lpdf(y[n] | mu[1], 1), log1m(lambda) + normal_lpdf(y[n] | mu[2], 1));
    target += log_mix(to_array_1d(w), [normal_lpdf(y[n] | m[1], 1), normal_lpdf(y[n] | m[2], 1), normal_lpdf(y[n] | m[3], 1)]');
  }
}
