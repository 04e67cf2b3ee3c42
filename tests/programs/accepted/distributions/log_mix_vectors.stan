// log_mix with a vector of mixing proportions and a vector (or array of vectors) of component log densities.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  simplex[3] w;
  ordered[3] m;
}
model {
  array[N] vector[3] lps;
  m ~ normal(0, 5);
  for (n in 1:N) {
    vector[3] lp;
    for (k in 1:3) {
      lp[k] = normal_lpdf(y[n] | m[k], 1);
    }
    lps[n] = lp;
    target += log_mix(w, lp);
  }
  target += log_mix(w, lps);
}
