#include "CVisKernels.h"

#include <string.h>

// A constant pixel size makes each copy one or two moves.
static inline void vis_mirror_n(const uint8_t *src, uint8_t *dst, size_t width, size_t height, size_t channels) {
    size_t row_bytes = width * channels;
    for (size_t y = 0; y < height; y++) {
        const uint8_t *in = src + y * row_bytes;
        uint8_t *out = dst + y * row_bytes + row_bytes;
        for (size_t x = 0; x < width; x++) {
            out -= channels;
            memcpy(out, in + x * channels, channels);
        }
    }
}

void vis_mirror_rows_u8(const uint8_t *src, uint8_t *dst, size_t width, size_t height, size_t channels) {
    switch (channels) {
    case 1: vis_mirror_n(src, dst, width, height, 1); break;
    case 3: vis_mirror_n(src, dst, width, height, 3); break;
    case 4: vis_mirror_n(src, dst, width, height, 4); break;
    default: vis_mirror_n(src, dst, width, height, channels); break;
    }
}
