// An array of tuples as a parameter: valid Stan, which orders its unconstrained values element
// by element; vppl compiles tuple parameters outside arrays only.
parameters {
  array[2] tuple(real, real<lower=0>) pairs;
}
model {
  for (i in 1:2) {
    pairs[i].1 ~ normal(0, pairs[i].2);
    pairs[i].2 ~ exponential(1);
  }
}
