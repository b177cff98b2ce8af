// The declaration in include/CFuzzerDriver.h is all this module provides; the fuzzer runtime defines it.
#include "CFuzzerDriver.h"
