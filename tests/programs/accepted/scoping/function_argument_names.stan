// Function arguments and function locals may reuse the names of data, parameters and other functions' arguments.
functions {
  real scaled_sum(vector y, real sigma) {
    real N = num_elements(y);
    return sum(y) / (N * sigma);
  }
  real centre(real mu, real y) {
    real sigma = 1;
    return (y - mu) / sigma;
  }
  real square_plus(real mu) {
    return mu * mu + 1;
  }
}
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(scaled_sum(y, 1), square_plus(1));
  sigma ~ exponential(1);
  y ~ normal(mu, sigma);
  target += -0.5 * square(centre(mu, mean(y)));
}
