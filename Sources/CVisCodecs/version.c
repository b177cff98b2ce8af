#include "CVisCodecs.h"
int cvis_codecs_version(void) { return 1; }
