// A misspelt density written with `|`: the unknown name is reported, not the `|` as if it
// were a plain function's.
parameters {
  real mu;
}
model {
  target += normal_lpdff(mu | 0, 1);
}
