data { int y[3]; } model { }
