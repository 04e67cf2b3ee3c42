// A recursive user-defined function (not supported yet: functions are inlined).
functions {
  real fact(real x) {
    if (x <= 1) {
      return 1;
    } else {
      return x * fact(x - 1);
    }
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(fact(3.0), 1);
}
