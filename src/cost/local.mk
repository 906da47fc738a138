# cost
