// A non-void function whose final if/else has one branch returning and the other rejecting.
functions {
  real sign_or_fail(real x) {
    if (x > 0) {
      return 1;
    } else if (x < 0) {
      return -1;
    } else {
      reject("zero has no sign");
    }
  }
}
data {
  real v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sign_or_fail(v), 1);
}
