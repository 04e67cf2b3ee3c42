// A drift diffusion model of choices and response times: Stan's wiener density is that of the
// upper boundary; a lower-boundary response is its mirror image (start 1 - beta, drift -delta).
data {
  int N_up;
  int N_low;
  vector[N_up] rt_up;
  vector[N_low] rt_low;
}
parameters {
  real<lower=0.5, upper=3> alpha;
  real<lower=0, upper=0.2> tau;
  real<lower=0, upper=1> beta;
  real delta;
}
model {
  alpha ~ gamma(4, 2);
  delta ~ normal(0, 2);
  rt_up ~ wiener(alpha, tau, beta, delta);
  rt_low ~ wiener(alpha, tau, 1 - beta, -delta);
}
