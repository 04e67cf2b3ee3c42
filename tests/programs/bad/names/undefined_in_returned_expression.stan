// An undefined name in a function's returned expression: reported once, and the call that uses
// the result (here as a density argument) adds nothing (this once crashed the compiler).
functions {
  vector lp(data matrix X, vector beta, real alpha) {
    return alXha + p * beta;
  }
}
data { int N; int K; matrix[N, K] X; vector[N] y; }
parameters { real alpha; vector[K] beta; real<lower=0> sigma; }
model {
  y ~ normal(lp(X, beta, alpha), sigma);
}
