// map_rect (not supported yet; the ODE solvers and reduce_sum are).
functions {
  vector job(vector phi, vector theta, data array[] real x_r, data array[] int x_i) {
    return [normal_lpdf(x_r[1] | theta[1], phi[1])]';
  }
}
data {
  array[2, 1] real y;
  array[2, 0] int x_i;
}
parameters {
  vector<lower=0>[1] phi;
  array[2] vector[1] theta;
}
model {
  target += sum(map_rect(job, phi, theta, y, x_i));
}
