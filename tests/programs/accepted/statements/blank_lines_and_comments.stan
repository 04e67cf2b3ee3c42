// Blank lines between blocks and statements are kept by the formatter (one at most), comments too.
// header

functions {
  real f(real x) {
    real y = x;

    return y;
  }
}

data {
  int N;


  // the outcomes
  vector[N] y;
}
parameters { real mu; }

model {

  mu ~ normal(0, 1);
  /* block

  comment */
  y ~ normal(mu, 1);

}
