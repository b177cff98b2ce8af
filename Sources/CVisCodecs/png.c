/*
 * libpng wrappers. Every function that calls libpng is split in two: an outer function that owns resources
 * and an inner one that does setjmp and all libpng calls, so no local of the setjmp frame is read after a
 * longjmp and resources are released on every path by the outer function.
 */
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

/* zlib's best case is 1032:1 (a 258-byte match in two bits), so a stream can never inflate further. */
#define DEFLATE_MAX_RATIO 1032u

typedef struct cvis_png_context {
    char *message;
    size_t message_capacity;
    cvis_status status;
} cvis_png_context;

struct cvis_png_decoder {
    png_structp png;
    png_infop info;
    cvis_png_context context;
    const uint8_t *data;
    size_t size;
    size_t offset;
    uint32_t width;
    uint32_t height;
    uint32_t channels;
    int passes;
};

static void cvis_png_error(png_structp png, png_const_charp text) {
    cvis_png_context *context = png_get_error_ptr(png);
    if (context != NULL) {
        /* libpng's own allocation failures say "out of memory" (various capitalisations). */
        const char *lowered = text;
        int out_of_memory = lowered != NULL && (strstr(lowered, "ut of memory") || strstr(lowered, "ut of Memory"));
        context->status = out_of_memory ? CVIS_OUT_OF_MEMORY : CVIS_CORRUPT;
        cvis_set_message(context->message, context->message_capacity, "PNG: %s", text ? text : "error");
    }
    png_longjmp(png, 1);
}

static void cvis_png_warning(png_structp png, png_const_charp text) {
    /* Warnings (bad CRC in an ancillary chunk, unknown sRGB profile, ...) do not stop decoding; they are
       deliberately swallowed so libpng never writes to stderr. */
    (void)png;
    (void)text;
}

static void cvis_png_read_data(png_structp png, png_bytep out, png_size_t length) {
    cvis_png_decoder *decoder = png_get_io_ptr(png);
    if (length > decoder->size - decoder->offset) {
        png_error(png, "unexpected end of data (the file is truncated)");
    }
    memcpy(out, decoder->data + decoder->offset, length);
    decoder->offset += length;
}

void cvis_png_decoder_close(cvis_png_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->png != NULL) {
        png_destroy_read_struct(&decoder->png, decoder->info ? &decoder->info : NULL, NULL);
    }
    free(decoder);
}

static uint32_t cvis_read_be32(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

static cvis_status cvis_png_too_large(uint32_t width, uint32_t height, uint32_t channels, uint64_t max_samples,
                                      char *message, size_t message_capacity) {
    cvis_set_message(message, message_capacity,
                     "PNG header declares %ux%u pixels with %u channels, more than the limit of %llu samples",
                     (unsigned)width, (unsigned)height, (unsigned)channels, (unsigned long long)max_samples);
    return CVIS_TOO_LARGE;
}

/*
 * IHDR must directly follow the signature. Checking its size here, before libpng reads on to the first IDAT,
 * reports a hostile header as too large even when nothing follows it. The channel count assumes no tRNS
 * (the fewest output channels); the exact check after png_read_info accounts for it.
 */
static cvis_status cvis_png_check_header(const uint8_t *data, size_t size, uint64_t max_samples,
                                         char *message, size_t message_capacity) {
    if (size < 33 || memcmp(data + 12, "IHDR", 4) != 0) return CVIS_OK;  /* libpng reports the damage */
    uint32_t width = cvis_read_be32(data + 16), height = cvis_read_be32(data + 20);
    uint8_t color_type = data[25];
    uint32_t channels = color_type == PNG_COLOR_TYPE_GRAY ? 1
                      : (color_type & PNG_COLOR_MASK_ALPHA) ? 4 : 3;
    if (!cvis_fits_sample_limit(width, height, channels, max_samples)) {
        return cvis_png_too_large(width, height, channels, max_samples, message, message_capacity);
    }
    return CVIS_OK;
}

static cvis_status cvis_png_open_inner(cvis_png_decoder *decoder, uint64_t max_samples) {
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    if (setjmp(png_jmpbuf(png))) return decoder->context.status;

    /* libpng's default limit (1e6 per side) would reject legal images; the PNG maximum lets our own
       sample-count check below be the one that decides, with a precise error. */
    png_set_user_limits(png, 0x7fffffffu, 0x7fffffffu);
    png_set_chunk_malloc_max(png, 8u << 20);
    png_set_chunk_cache_max(png, 1000);
    png_set_read_fn(png, decoder, cvis_png_read_data);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    uint32_t channels;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: channels = has_trns ? 4 : 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: channels = 4; break;
    case PNG_COLOR_TYPE_RGB: channels = has_trns ? 4 : 3; break;
    case PNG_COLOR_TYPE_RGB_ALPHA: channels = 4; break;
    case PNG_COLOR_TYPE_PALETTE: channels = has_trns ? 4 : 3; break;
    default:
        cvis_set_message(decoder->context.message, decoder->context.message_capacity,
                         "PNG: unknown colour type %d", color_type);
        return CVIS_UNSUPPORTED;
    }
    if (!cvis_fits_sample_limit(width, height, channels, max_samples)) {
        return cvis_png_too_large(width, height, channels, max_samples, decoder->context.message,
                                  decoder->context.message_capacity);
    }
    /* A small file cannot inflate to a huge image: refuse before the caller allocates for it. */
    uint64_t file_channels = png_get_channels(png, info);
    uint64_t packed_row = ((uint64_t)width * file_channels * (uint64_t)bit_depth + 7) / 8;
    uint64_t raw_size = (uint64_t)height * (packed_row + 1);
    uint64_t remaining = decoder->size - decoder->offset;
    if (raw_size / DEFLATE_MAX_RATIO > remaining + 64) {
        cvis_set_message(decoder->context.message, decoder->context.message_capacity,
                         "PNG: %llu remaining bytes cannot hold the declared %ux%u image (the file is truncated)",
                         (unsigned long long)remaining, (unsigned)width, (unsigned)height);
        return CVIS_CORRUPT;
    }

    if (bit_depth == 16) png_set_scale_16(png);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (has_trns) png_set_tRNS_to_alpha(png);
    if (channels == 4 && (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA)) {
        png_set_gray_to_rgb(png);
    }
    decoder->passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    if (png_get_channels(png, info) != channels || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != (png_size_t)width * channels) {
        cvis_set_message(decoder->context.message, decoder->context.message_capacity,
                         "PNG: unexpected layout after transforms (colour type %d, bit depth %d)", color_type, bit_depth);
        return CVIS_UNSUPPORTED;
    }
    decoder->width = width;
    decoder->height = height;
    decoder->channels = channels;
    return CVIS_OK;
}

cvis_status cvis_png_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                  cvis_png_decoder **decoder_out, cvis_image_info *info,
                                  char *message, size_t message_capacity) {
    *decoder_out = NULL;
    cvis_set_message(message, message_capacity, "%s", "");
    if (data == NULL || size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        cvis_set_message(message, message_capacity, "PNG: missing PNG signature");
        return CVIS_CORRUPT;
    }
    cvis_status header_status = cvis_png_check_header(data, size, max_samples, message, message_capacity);
    if (header_status != CVIS_OK) return header_status;
    cvis_png_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        cvis_set_message(message, message_capacity, "PNG: out of memory");
        return CVIS_OUT_OF_MEMORY;
    }
    decoder->context = (cvis_png_context){message, message_capacity, CVIS_CORRUPT};
    decoder->data = data;
    decoder->size = size;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &decoder->context, cvis_png_error, cvis_png_warning);
    if (decoder->png != NULL) decoder->info = png_create_info_struct(decoder->png);
    if (decoder->png == NULL || decoder->info == NULL) {
        cvis_png_decoder_close(decoder);
        cvis_set_message(message, message_capacity, "PNG: out of memory");
        return CVIS_OUT_OF_MEMORY;
    }
    cvis_status status = cvis_png_open_inner(decoder, max_samples);
    if (status != CVIS_OK) {
        cvis_png_decoder_close(decoder);
        return status;
    }
    info->width = decoder->width;
    info->height = decoder->height;
    info->channels = decoder->channels;
    *decoder_out = decoder;
    return CVIS_OK;
}

static cvis_status cvis_png_read_inner(cvis_png_decoder *decoder, uint8_t *pixels) {
    png_structp png = decoder->png;
    if (setjmp(png_jmpbuf(png))) return decoder->context.status;
    size_t stride = (size_t)decoder->width * decoder->channels;
    /* With interlace handling each pass revisits every row and libpng merges the pass into it in place. */
    for (int pass = 0; pass < decoder->passes; pass++) {
        for (uint32_t y = 0; y < decoder->height; y++) {
            png_read_row(png, pixels + (size_t)y * stride, NULL);
        }
    }
    png_read_end(png, NULL);
    return CVIS_OK;
}

cvis_status cvis_png_decoder_read(cvis_png_decoder *decoder, uint8_t *pixels, size_t capacity,
                                  char *message, size_t message_capacity) {
    if (decoder == NULL || pixels == NULL ||
        capacity < (size_t)decoder->width * decoder->height * decoder->channels) {
        cvis_set_message(message, message_capacity, "PNG: output buffer too small");
        return CVIS_INVALID_ARGUMENT;
    }
    decoder->context.message = message;
    decoder->context.message_capacity = message_capacity;
    decoder->context.status = CVIS_CORRUPT;
    return cvis_png_read_inner(decoder, pixels);
}

/* ---- encoding ---- */

typedef struct cvis_png_writer {
    cvis_png_context context;
    cvis_buffer *output;
} cvis_png_writer;

static void cvis_png_write_data(png_structp png, png_bytep bytes, png_size_t length) {
    cvis_png_writer *writer = png_get_io_ptr(png);
    if (!cvis_buffer_append(writer->output, bytes, length)) png_error(png, "out of memory");
}

static void cvis_png_flush(png_structp png) { (void)png; }

static cvis_status cvis_png_encode_inner(png_structp png, png_infop info, cvis_png_writer *writer,
                                         const uint8_t *pixels, uint32_t width, uint32_t height,
                                         uint32_t channels, size_t row_stride, int compression_level) {
    if (setjmp(png_jmpbuf(png))) return writer->context.status;
    int color_type = channels == 1 ? PNG_COLOR_TYPE_GRAY
                   : channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA;
    png_set_write_fn(png, writer, cvis_png_write_data, cvis_png_flush);
    png_set_compression_level(png, compression_level);
    /* Stored (level 0) data gains nothing from filtering; skip its cost. */
    if (compression_level == 0) png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(png, info, width, height, 8, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, pixels + (size_t)y * row_stride);
    }
    png_write_end(png, info);
    return CVIS_OK;
}

cvis_status cvis_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                            size_t row_stride, int compression_level, cvis_buffer *output,
                            char *message, size_t message_capacity) {
    cvis_set_message(message, message_capacity, "%s", "");
    *output = (cvis_buffer){NULL, 0, 0};
    if (pixels == NULL || width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu ||
        (channels != 1 && channels != 3 && channels != 4) || row_stride < (size_t)width * channels ||
        compression_level < 0 || compression_level > 9) {
        cvis_set_message(message, message_capacity, "PNG: invalid encoder arguments");
        return CVIS_INVALID_ARGUMENT;
    }
    cvis_png_writer writer = {{message, message_capacity, CVIS_OUT_OF_MEMORY}, output};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer.context, cvis_png_error, cvis_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    cvis_status status;
    if (png == NULL || info == NULL) {
        cvis_set_message(message, message_capacity, "PNG: out of memory");
        status = CVIS_OUT_OF_MEMORY;
    } else {
        /* Reserve roughly the compressed size of a photo up front so the buffer rarely grows. */
        size_t estimate = (size_t)width * height * channels / 2 + 1024;
        if (estimate > (64u << 20)) estimate = 64u << 20;
        output->data = malloc(estimate);
        output->capacity = output->data ? estimate : 0;
        status = cvis_png_encode_inner(png, info, &writer, pixels, width, height, channels, row_stride,
                                       compression_level);
    }
    if (png != NULL) png_destroy_write_struct(&png, info ? &info : NULL);
    if (status != CVIS_OK) cvis_buffer_free(output);
    return status;
}
