/* tuples.c: placeholder */
#include "facts/tuples.h"
