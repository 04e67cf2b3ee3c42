parameters { real for; } model { }
