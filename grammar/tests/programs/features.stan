// A program that touches every construct of the grammar.
functions {
  // Forward declaration.
  real foo(data real x, vector y);
  real foo(data real x, vector y) {
    return x + sum(y);
  }
  void hello(array[] real xs, array[,] int ys) {
    print("hello ", xs, " and ", ys);
  }
  array[] vector bar(tuple(real, array[] int) t) {
    array[1] vector[2] out;
    out[1] = [t.1, 2]';
    return out;
  }
  tuple(real, int) pair(real x) {
    return (x, 1);
  }
  real baz_lpdf(real y, real mu) {
    return normal_lpdf(y | mu, 1);
  }
}
data {
  int<lower=0> N;
  int<lower=1, upper=N> K;
  array[N] real<upper=10> y;
  vector<offset=1, multiplier=2>[N] v;
  matrix<lower=0>[N, K] X;
  cholesky_factor_cov[K, K] L;
  tuple(real, array[2] int) tp;
  real lower;
  int T;
  ;
}
transformed data {
  real x = 1.5e-3;
  complex z = 2i + 1.5i;
  array[3] int idx = {1, 2, 3};
  row_vector[2] rv = [1, .5];
  matrix[2, 2] m = [[1, 2], [3, 4]];
  int w, q = 3;
  real r = 2E+5;
  real s = 1.;
}
parameters {
  real mu;
  real<lower=-1, upper=1> phi;
  simplex[K] theta;
  cholesky_factor_corr[K] Lc;
  vector<lower=0>[N] sigma;
  sum_to_zero_vector[K] stz;
}
transformed parameters {
  vector[N] eta = mu + phi * v;
}
model {
  target += normal_lpdf(y | mu, 1);
  mu ~ normal(0, 10) T[-5, 5];
  phi ~ uniform(-1, 1) T[, 1];
  sigma ~ exponential(1) T[0, ];
  for (n in 1:N) {
    target += -0.5 * square(y[n] - mu);
  }
  for (yy in y) {
    if (yy > 0) {
      continue;
    } else if (yy < -1) {
      break;
    } else {
      ;
    }
  }
  while (0) {
  }
  {
    real tmp = X[1, 2];
    vector[K] col = X[:, 1]';
    matrix[2, K] sub = X[2:3, ];
    vector[2] h = v[:2];
    vector[2] t2 = v[3:];
    tmp += 1;
    tmp -= 1;
    tmp *= 2;
    tmp /= 2;
  }
  profile("likelihood") {
    y ~ normal(mu, 1);
  }
  if (N == 0) reject("N is ", N);
  if (N < 0) fatal_error("bad");
  hello(y, {{1}});
}
generated quantities {
  real pp = N > 0 ? mu : phi;
  int b = !(N == 1) || N != 2 && N >= 3;
  real e = mu ^ 2 ^ phi;
  vector[N] ev = v .* v ./ v .^ 2;
  int d = N %/% 2 % 3;
  matrix[K, K] ld = L \ L;
  real tr = target();
}
