model { print("hello); }
