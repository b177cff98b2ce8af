/* Internal helpers shared by the PNG and JPEG shims. */
#ifndef CVIS_COMMON_H
#define CVIS_COMMON_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "CVisCodecs.h"

/* Writes a printf-style message into `message` (truncated, always NUL-terminated); no-op without a buffer. */
void cvis_set_message(char *message, size_t capacity, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends bytes to a growing buffer; returns 0 when the allocation fails. */
int cvis_buffer_append(cvis_buffer *buffer, const uint8_t *bytes, size_t count);

/* Whether width*height*channels fits within max_samples (computed without overflow). */
int cvis_fits_sample_limit(uint64_t width, uint64_t height, uint64_t channels, uint64_t max_samples);

/*
 * Codec calls running now in this process. Backends encode on their own writer threads, often several images
 * at a time: a second thread per call would then only add contention, so only a lone call gets one.
 * cvis_codec_begin registers a call and says whether it may start one helper thread; every call pairs it with
 * cvis_codec_end.
 */
int cvis_codec_begin(void);
void cvis_codec_end(void);

#endif
