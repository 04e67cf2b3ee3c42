// Nested statement blocks with their own local variables, in every block that allows statements.
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  real centre;
  {
    real total = sum(y);
    {
      int count = N;
      centre = total / count;
    }
  }
}
parameters {
  real mu;
  real<lower=0> sigma;
}
transformed parameters {
  real z;
  {
    z = (mu - centre) / sigma;
  }
}
model {
  {
    vector[N] resid = y - mu;
    target += normal_lpdf(resid | 0, sigma);
  }
  sigma ~ exponential(1);
}
generated quantities {
  real ss;
  {
  }
  {
    ss = dot_self(y - mu);
  }
}
