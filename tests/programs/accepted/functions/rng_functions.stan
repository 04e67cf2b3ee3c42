// `_rng` functions, usable in transformed data and generated quantities.
functions {
  vector noisy_vector_rng(int n, real scale) {
    vector[n] out;
    for (i in 1:n) {
      out[i] = normal_rng(0, scale);
    }
    return out;
  }
  int coin_flips_rng(int n, real p) {
    int heads = 0;
    for (i in 1:n) {
      heads += bernoulli_rng(p);
    }
    return heads;
  }
}
data {
  int<lower=1> N;
}
transformed data {
  vector[N] jitter = noisy_vector_rng(N, 0.1);
}
parameters {
  real<lower=0, upper=1> p;
}
model {
  p ~ beta(2, 2);
}
generated quantities {
  int heads = coin_flips_rng(N, p);
  vector[N] sim = noisy_vector_rng(N, 1.0) + jitter;
}
