parameters { real x; } model { increment_log_prob(normal_log(x, 0, 1)); }
