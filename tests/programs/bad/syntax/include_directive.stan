// `#include` pulls in another file, which vppl does not support.
#include "priors.stan"
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
