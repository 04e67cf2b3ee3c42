// Unknown distribution: `normall` (a typo of `normal`).
parameters {
  real mu;
}
model {
  mu ~ normall(0, 1);
}
