transformed data { real b = binomial_coefficient_log(5, 2); }
