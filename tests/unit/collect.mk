# collect tests
