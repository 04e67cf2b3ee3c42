// An element of a function argument is assigned to; arguments are read-only.
functions {
  vector clip_first(vector v) {
    v[1] = 0;
    return v;
  }
}
parameters {
  vector[3] mu;
}
model {
  mu ~ normal(clip_first(rep_vector(1, 3)), 1);
}
