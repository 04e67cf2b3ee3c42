// A user density and a mass function of one name: `~` picks by the variate's type.
functions {
  real my_lpdf(vector y, real mu) { return normal_lpdf(y | mu, 1); }
  real my_lpmf(array[] int y, real lam) { return poisson_lpmf(y | lam); }
}
data { int N; vector[N] y; array[N] int c; }
parameters { real mu; real<lower=0> lam; }
model { y ~ my(mu); c ~ my(lam); }
generated quantities {
  real ll = my_lpdf(y | mu) + my_lpmf(c | lam);
  vector[N] lls;
  for (n in 1:N) lls[n] = normal_lpdf(y[n] | mu, 1);
}
