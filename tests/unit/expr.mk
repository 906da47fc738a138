# expr tests
