generated quantities {
  real x = normal_rng(0, 1);
}
