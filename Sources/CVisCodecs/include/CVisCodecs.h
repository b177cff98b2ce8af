#ifndef CVISCODECS_H
#define CVISCODECS_H
#include <stddef.h>
#include <stdint.h>
/* Declarations are added by the codec implementation. */
int cvis_codecs_version(void);
#endif
