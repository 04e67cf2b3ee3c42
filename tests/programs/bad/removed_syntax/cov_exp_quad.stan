data { array[3] real x; } transformed data { matrix[3,3] K = cov_exp_quad(x, 1.0, 1.0); }
