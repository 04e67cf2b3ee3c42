// The same local name declared independently in sibling branches, loop bodies and separate blocks.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  for (n in 1:N) {
    real z = (y[n] - mu) / sigma;
    if (z > 0) {
      real w = 1;
      target += normal_lpdf(z | 0, w) - log(sigma);
    } else {
      real w = 1;
      target += normal_lpdf(z | 0, w) - log(sigma);
    }
  }
  {
    real z = mu / 10;
    target += std_normal_lpdf(z);
  }
  sigma ~ exponential(1);
}
generated quantities {
  real z = (mean(y) - mu) / sigma;
  for (n in 1:N) {
    real w = y[n] - mu;
    z += w * 0;
  }
}
