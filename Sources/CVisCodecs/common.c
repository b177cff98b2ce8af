#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "common.h"
#if defined(__linux__)
#include <sched.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cvis_set_message(char *message, size_t capacity, const char *format, ...) {
    if (message == NULL || capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, capacity, format, arguments);
    va_end(arguments);
}

int cvis_buffer_append(cvis_buffer *buffer, const uint8_t *bytes, size_t count) {
    if (count > SIZE_MAX - buffer->size) return 0;
    size_t needed = buffer->size + count;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
        while (capacity < needed) {
            if (capacity > SIZE_MAX / 2) { capacity = needed; break; }
            capacity *= 2;
        }
        uint8_t *grown = realloc(buffer->data, capacity);
        if (grown == NULL) return 0;
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, count);
    buffer->size = needed;
    return 1;
}

void cvis_buffer_free(cvis_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}

int cvis_fits_sample_limit(uint64_t width, uint64_t height, uint64_t channels, uint64_t max_samples) {
    /* Dimensions are at most 2^32 each, so width*height fits in 64 bits; the channel factor is checked apart. */
    uint64_t area = width * height;
    if (channels != 0 && area > UINT64_MAX / channels) return 0;
    return area * channels <= max_samples;
}

static int cvis_running_codec_calls;

/* CPUs this process may run on: a process pinned to one core (taskset, a container's cpuset) must not start a
   helper that would only take turns with it. */
static long cvis_usable_cpus(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
#endif
    return sysconf(_SC_NPROCESSORS_ONLN);
}

int cvis_codec_begin(void) {
    int others_running = __atomic_fetch_add(&cvis_running_codec_calls, 1, __ATOMIC_RELAXED);
    return others_running == 0 && cvis_usable_cpus() > 1;
}

void cvis_codec_end(void) { __atomic_fetch_sub(&cvis_running_codec_calls, 1, __ATOMIC_RELAXED); }
