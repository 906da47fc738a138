# expr
