// `target` is assigned with `=`; it can only be incremented with `+=`.
parameters {
  real mu;
}
model {
  target = normal_lpdf(mu | 0, 1);
}
