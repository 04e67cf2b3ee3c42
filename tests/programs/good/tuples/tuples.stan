// Tuples end to end: tuple data read from CmdStan's objects {"1": ..., "2": ...} (an array of
// tuples, a nested tuple), tuple literals, component access and assignment, unpacking, a user
// function taking and returning tuples, a tuple parameter with a constrained component, and
// tuple outputs written as Stan names them (`pair:1`, `recs.2:2.1`).
functions {
  tuple(real, vector) centre(tuple(real, vector) t) {
    return (t.1 - mean(t.2), t.2 - mean(t.2));
  }
}
data {
  int<lower=1> N;
  array[N] tuple(int<lower=0>, vector[2]) recs;
  tuple(real, tuple(int, array[2] real)) nested;
}
transformed data {
  tuple(real, vector[N]) firsts;
  firsts.1 = nested.2.2[1] + nested.1;
  for (n in 1:N) {
    firsts.2[n] = recs[n].1 + recs[n].2[2];
  }
  tuple(real, vector[N]) centred = centre(firsts);
  real a;
  real b;
  (a, b) = (nested.2.2[2], nested.2.1);
  (a, b) = (b, a);
}
parameters {
  tuple(real, real<lower=0>) loc_scale;
}
transformed parameters {
  tuple(real, array[2] real) shifted = (loc_scale.1 + a, {loc_scale.2, b});
}
model {
  tuple(vector[N], real) local = (centred.2, 1.5);
  local.2 = loc_scale.2;
  loc_scale.1 ~ normal(centred.1, 2);
  loc_scale.2 ~ lognormal(0, 1);
  local.1 ~ normal(loc_scale.1, local.2);
}
generated quantities {
  tuple(real, int) pair = (loc_scale.1, N);
  array[2] tuple(real, vector[2]) recs_out;
  for (i in 1:2) {
    recs_out[i] = (recs[i].1 * loc_scale.2, recs[i].2);
  }
  recs_out[2].2[1] = -1;
  tuple(complex, tuple(int, real)) deep = (to_complex(1, loc_scale.2), (N, a));
}
