parameters { real x; } model { target += foo(x); }
