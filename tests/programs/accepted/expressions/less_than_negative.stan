// `<-` with no space is `<` then `-`: a comparison with a negative number, as in stanc.
parameters {
  real mu;
}
model {
  if (mu <-1) mu ~ normal(0, 1);
  real a = mu<-2 ? 1 : 0;
}
