// Locals declared in nested blocks are visible inside them, including to deeper blocks, and vanish afterwards.
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  real result = 0;
  {
    real outer_tmp = mean(y);
    {
      real inner_tmp = outer_tmp * 2;
      result += inner_tmp;
    }
    {
      real inner_tmp = outer_tmp / 2;
      result += inner_tmp;
    }
    result += outer_tmp;
  }
  {
    real outer_tmp = sd(y);
    result += outer_tmp;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(result, 10);
}
