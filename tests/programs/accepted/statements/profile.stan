// Profile statements in several blocks, nested profiles, and locals declared inside a profile.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
transformed data {
  real xbar = mean(x);
}
parameters {
  real alpha;
  real beta;
  real<lower=0> sigma;
}
transformed parameters {
  vector[N] mu;
  profile("linear predictor") {
    mu = alpha + beta * (x - xbar);
  }
}
model {
  profile("priors") {
    alpha ~ normal(0, 10);
    beta ~ normal(0, 10);
    sigma ~ exponential(1);
  }
  profile("likelihood") {
    real scale = sigma;
    profile("inner") {
      y ~ normal(mu, scale);
    }
  }
}
generated quantities {
  real rss;
  profile("gq") {
    rss = dot_self(y - mu);
  }
}
