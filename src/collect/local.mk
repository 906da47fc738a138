# collect
