/*
 * A fast path for decoding the PNGs most often read: 8-bit gray, RGB or RGBA, not interlaced, no tRNS.
 *
 * libdeflate inflates the whole image in one call (about twice zlib's speed, and it knows the exact output
 * size up front), then the rows are unfiltered straight into the caller's buffer. Anything else, and any file
 * that is not perfectly clean (a CRC mismatch, an unknown critical chunk, a short or overlong stream, a
 * missing IEND), is declined with CVIS_UNSUPPORTED so the caller decodes it with libpng, which then decides
 * between pixels and an error exactly as it always has.
 */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

struct cvis_png_fast_decoder {
    const uint8_t *data;
    size_t size;
    uint32_t width;
    uint32_t height;
    uint32_t channels;
    /* The IDAT payloads: where the first one starts, and whether they are several (to be joined). */
    size_t first_idat;
    size_t compressed_size;
    int several_idats;
};

static uint32_t cvis_be32(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

void cvis_png_fast_decoder_close(cvis_png_fast_decoder *decoder) {
    free(decoder);
}

static cvis_status cvis_decline(char *message, size_t capacity, const char *reason) {
    cvis_set_message(message, capacity, "PNG fast path declined: %s", reason);
    return CVIS_UNSUPPORTED;
}

cvis_status cvis_png_fast_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                       cvis_png_fast_decoder **decoder_out, cvis_image_info *info,
                                       char *message, size_t message_capacity) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    *decoder_out = NULL;
    if (data == NULL || size < 8 + 25 + 12 || memcmp(data, signature, 8) != 0 || cvis_be32(data + 8) != 13 ||
        memcmp(data + 12, "IHDR", 4) != 0) {
        return cvis_decline(message, message_capacity, "no IHDR");
    }
    const uint8_t *header = data + 16;
    uint32_t width = cvis_be32(header), height = cvis_be32(header + 4);
    uint8_t depth = header[8], color = header[9];
    if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu || depth != 8 ||
        (color != 0 && color != 2 && color != 6) || header[10] != 0 || header[11] != 0 || header[12] != 0) {
        return cvis_decline(message, message_capacity, "not 8-bit gray/RGB/RGBA without interlacing");
    }
    uint32_t channels = color == 0 ? 1 : color == 2 ? 3 : 4;
    if (!cvis_fits_sample_limit(width, height, channels, max_samples)) {
        return cvis_decline(message, message_capacity, "over the sample limit");
    }
    /* Walk every chunk to IEND, checking each CRC; IDATs must be consecutive. */
    size_t offset = 8, first_idat = 0, compressed = 0;
    int idats = 0, idat_run_ended = 0, ended = 0;
    while (offset + 12 <= size) {
        uint32_t length = cvis_be32(data + offset);
        if (length > 0x7fffffffu || length > size - offset - 12) break;
        const uint8_t *type = data + offset + 4;
        if (libdeflate_crc32(0, type, (size_t)length + 4) != cvis_be32(type + 4 + length)) break;
        if (memcmp(type, "IDAT", 4) == 0) {
            if (idat_run_ended) break;
            if (idats == 0) first_idat = offset + 8;
            idats++;
            compressed += length;
        } else {
            if (idats > 0) idat_run_ended = 1;
            if (memcmp(type, "IEND", 4) == 0) {
                ended = 1;
                break;
            }
            /* tRNS changes the output; unknown critical chunks (upper-case first letter) need libpng's verdict. */
            int critical = (type[0] & 0x20) == 0;
            if (memcmp(type, "tRNS", 4) == 0 || (critical && memcmp(type, "IHDR", 4) != 0 && memcmp(type, "PLTE", 4) != 0) ||
                (memcmp(type, "IHDR", 4) == 0 && offset != 8)) {
                break;
            }
        }
        offset += (size_t)length + 12;
    }
    if (!ended || idats == 0) return cvis_decline(message, message_capacity, "chunks not clean");
    cvis_png_fast_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) return cvis_decline(message, message_capacity, "out of memory");
    *decoder = (cvis_png_fast_decoder){data, size, width, height, channels, first_idat, compressed, idats > 1};
    info->width = width;
    info->height = height;
    info->channels = channels;
    *decoder_out = decoder;
    return CVIS_OK;
}

typedef int16_t cvis_i16x4 __attribute__((vector_size(8)));

static inline cvis_i16x4 cvis_load_pixel(const uint8_t *bytes, unsigned bpp) {
    uint8_t lanes[4] = {0, 0, 0, 0};
    memcpy(lanes, bytes, bpp);
    return (cvis_i16x4){lanes[0], lanes[1], lanes[2], lanes[3]};
}

static inline cvis_i16x4 cvis_abs16(cvis_i16x4 v) {
    cvis_i16x4 negative = v >> 15;  /* all ones in negative lanes */
    return (v ^ negative) - negative;
}

/*
 * Paeth decoding is serial from pixel to pixel but not within one: the channels of a pixel go through the
 * predictor together in 16-bit vector lanes (SSE2 / NEON via the compiler's vector extension).
 */
static inline __attribute__((always_inline)) void cvis_unpaeth(const uint8_t *in, const uint8_t *above, uint8_t *out,
                                                               size_t bytes, const unsigned bpp) {
    if (bpp == 1) {
        for (size_t i = 1; i < bytes; i++) {
            int a = out[i - 1], b = above[i], c = above[i - 1];
            int p = b - c, q = a - c;
            int pa = abs(p), pb = abs(q), pc = abs(p + q);
            int prediction = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
            out[i] = (uint8_t)(in[i] + prediction);
        }
        return;
    }
    cvis_i16x4 a = cvis_load_pixel(out, bpp), c = cvis_load_pixel(above, bpp);
    for (size_t i = bpp; i + bpp <= bytes; i += bpp) {
        cvis_i16x4 b = cvis_load_pixel(above + i, bpp), x = cvis_load_pixel(in + i, bpp);
        cvis_i16x4 p = b - c, q = a - c;
        cvis_i16x4 pa = cvis_abs16(p), pb = cvis_abs16(q), pc = cvis_abs16(p + q);
        /* Comparisons give all-ones lanes where true: select a where pa is smallest, else b or c. */
        cvis_i16x4 use_a = (cvis_i16x4)((pa <= pb) & (pa <= pc)), use_b = (cvis_i16x4)(pb <= pc);
        cvis_i16x4 b_or_c = (use_b & b) | (~use_b & c);
        cvis_i16x4 prediction = (use_a & a) | (~use_a & b_or_c);
        cvis_i16x4 value = (x + prediction) & 0xFF;
        uint8_t lanes[4] = {(uint8_t)value[0], (uint8_t)value[1], (uint8_t)value[2], (uint8_t)value[3]};
        memcpy(out + i, lanes, bpp);
        a = value;
        c = b;
    }
}

/* Undoes one row's filter: `line` is the filtered row (type byte first), `above` the previous output row. */
static int cvis_unfilter_row(const uint8_t *line, const uint8_t *above, uint8_t *out, size_t bytes, unsigned bpp) {
    const uint8_t *in = line + 1;
    switch (line[0]) {
    case 0:
        memcpy(out, in, bytes);
        return 1;
    case 1:
        for (size_t i = 0; i < bpp && i < bytes; i++) out[i] = in[i];
        for (size_t i = bpp; i < bytes; i++) out[i] = (uint8_t)(in[i] + out[i - bpp]);
        return 1;
    case 2:
        if (above == NULL) {
            memcpy(out, in, bytes);
        } else {
            for (size_t i = 0; i < bytes; i++) out[i] = (uint8_t)(in[i] + above[i]);
        }
        return 1;
    case 3:
        for (size_t i = 0; i < bpp && i < bytes; i++) out[i] = (uint8_t)(in[i] + (above ? above[i] >> 1 : 0));
        for (size_t i = bpp; i < bytes; i++) {
            out[i] = (uint8_t)(in[i] + (((unsigned)out[i - bpp] + (above ? above[i] : 0u)) >> 1));
        }
        return 1;
    case 4:
        if (above == NULL) {
            /* With no row above, Paeth predicts the left neighbour: the Sub filter. */
            for (size_t i = 0; i < bpp && i < bytes; i++) out[i] = in[i];
            for (size_t i = bpp; i < bytes; i++) out[i] = (uint8_t)(in[i] + out[i - bpp]);
            return 1;
        }
        for (size_t i = 0; i < bpp && i < bytes; i++) out[i] = (uint8_t)(in[i] + above[i]);
        /* A constant pixel size lets the compiler keep the channels of one pixel in flight together. */
        switch (bpp) {
        case 1: cvis_unpaeth(in, above, out, bytes, 1); break;
        case 3: cvis_unpaeth(in, above, out, bytes, 3); break;
        default: cvis_unpaeth(in, above, out, bytes, 4); break;
        }
        return 1;
    default:
        return 0;
    }
}

cvis_status cvis_png_fast_decoder_read(cvis_png_fast_decoder *decoder, uint8_t *pixels, size_t capacity,
                                       char *message, size_t message_capacity) {
    const size_t stride = (size_t)decoder->width * decoder->channels, line = stride + 1;
    if (pixels == NULL || capacity < stride * decoder->height) {
        cvis_set_message(message, message_capacity, "PNG: output buffer too small");
        return CVIS_INVALID_ARGUMENT;
    }
    const size_t raw_size = line * decoder->height;
    uint8_t *raw = malloc(raw_size);
    uint8_t *joined = NULL;
    const uint8_t *compressed = decoder->data + decoder->first_idat;
    if (raw != NULL && decoder->several_idats) {
        joined = malloc(decoder->compressed_size);
        if (joined != NULL) {
            size_t offset = decoder->first_idat - 8, filled = 0;
            while (filled < decoder->compressed_size) {
                uint32_t length = cvis_be32(decoder->data + offset);
                memcpy(joined + filled, decoder->data + offset + 8, length);
                filled += length;
                offset += (size_t)length + 12;
            }
        }
        compressed = joined;
    }
    struct libdeflate_decompressor *inflater = raw && compressed ? libdeflate_alloc_decompressor() : NULL;
    cvis_status status = CVIS_OK;
    if (inflater == NULL) {
        status = cvis_decline(message, message_capacity, "out of memory");
    } else {
        size_t produced = 0;
        enum libdeflate_result result =
            libdeflate_zlib_decompress(inflater, compressed, decoder->compressed_size, raw, raw_size, &produced);
        if (result != LIBDEFLATE_SUCCESS || produced != raw_size) {
            status = cvis_decline(message, message_capacity, "the image data does not inflate to its exact size");
        } else {
            for (uint32_t y = 0; y < decoder->height && status == CVIS_OK; y++) {
                uint8_t *out = pixels + (size_t)y * stride;
                if (!cvis_unfilter_row(raw + (size_t)y * line, y ? out - stride : NULL, out, stride,
                                       decoder->channels)) {
                    status = cvis_decline(message, message_capacity, "unknown filter type");
                }
            }
        }
        libdeflate_free_decompressor(inflater);
    }
    free(joined);
    free(raw);
    return status;
}
