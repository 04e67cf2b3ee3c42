// Less common continuous families: exp_mod_normal, skew_double_exponential, frechet, rayleigh, pareto_type_2, von_mises, wiener, loglogistic, std_normal, uniform, beta_proportion.
data {
  real<lower=0> rt;
}
parameters {
  real x;
  real<lower=0> y;
  real<lower=0, upper=1> p;
  real<lower=-pi(), upper=pi()> angle;
  real<lower=0> alpha;
  real<lower=0, upper=0.1> tau;
  real<lower=0, upper=1> beta;
}
model {
  x ~ std_normal();
  x ~ exp_mod_normal(0, 1, 2);
  x ~ skew_double_exponential(0, 1, 0.3);
  y ~ frechet(2, 1);
  y ~ rayleigh(1.5);
  y ~ pareto_type_2(0, 1, 3);
  y ~ loglogistic(1, 3);
  p ~ uniform(0, 1);
  p ~ beta_proportion(0.4, 10);
  angle ~ von_mises(0, 2);
  alpha ~ gamma(2, 2);
  beta ~ beta(2, 2);
  rt ~ wiener(alpha, tau, beta, 0.5);
}
