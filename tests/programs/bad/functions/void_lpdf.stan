// A user-defined density must return `real`.
functions {
  void flat_lpdf(real y) {
    print("flat");
  }
}
parameters {
  real mu;
}
model {
  mu ~ flat();
}
