/*
 * libjpeg(-turbo) wrappers, structured like png.c: outer functions own resources, inner functions do the
 * setjmp and every libjpeg call.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "common.h"

/*
 * Every block of the full-resolution component costs at least one bit (its DC code), so a JPEG of N bytes
 * holds at most about 512*N pixels; 4096 leaves a wide margin for subsampled or unusual files while still
 * refusing to allocate gigabytes for a few hundred bytes.
 */
#define JPEG_MAX_PIXELS_PER_BYTE 4096u
/* Rows handed to libjpeg per read or write call. */
#define CVIS_JPEG_ROW_BATCH 16u

typedef struct cvis_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t message_capacity;
    cvis_status status;
} cvis_jpeg_error;

static void cvis_jpeg_fail(j_common_ptr cinfo, cvis_status status) {
    cvis_jpeg_error *error = (cvis_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    error->status = status;
    cvis_set_message(error->message, error->message_capacity, "JPEG: %s", text);
    longjmp(error->jump, 1);
}

static void cvis_jpeg_error_exit(j_common_ptr cinfo) {
    int code = cinfo->err->msg_code;
    cvis_status status = CVIS_CORRUPT;
    if (code == JERR_OUT_OF_MEMORY) status = CVIS_OUT_OF_MEMORY;
    else if (code == JERR_CONVERSION_NOTIMPL || code == JERR_NOT_COMPILED || code == JERR_ARITH_NOTIMPL) {
        status = CVIS_UNSUPPORTED;
    }
    cvis_jpeg_fail(cinfo, status);
}

static void cvis_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  /* trace messages */
    switch (cinfo->err->msg_code) {
    /* libjpeg pads a truncated or damaged scan with gray and only warns; a gray-filled image is not a
       decoded image, so these become errors. */
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
        cvis_jpeg_fail(cinfo, CVIS_CORRUPT);
        break;
    default:
        /* Extraneous bytes, unknown JFIF versions, odd Adobe transforms: harmless, tolerated like Pillow. */
        cinfo->err->num_warnings++;
        break;
    }
}

static void cvis_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; /* never print to stderr */ }

static void cvis_jpeg_install_errors(cvis_jpeg_error *error, char *message, size_t message_capacity) {
    jpeg_std_error(&error->base);
    error->base.error_exit = cvis_jpeg_error_exit;
    error->base.emit_message = cvis_jpeg_emit_message;
    error->base.output_message = cvis_jpeg_output_message;
    error->message = message;
    error->message_capacity = message_capacity;
    error->status = CVIS_CORRUPT;
}

struct cvis_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    cvis_jpeg_error error;
    int created;
    int cmyk;
    uint8_t *cmyk_row;
    uint32_t width;
    uint32_t height;
    uint32_t channels;
};

void cvis_jpeg_decoder_close(cvis_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder->cmyk_row);
    free(decoder);
}

static cvis_status cvis_jpeg_open_inner(cvis_jpeg_decoder *decoder, const uint8_t *data, size_t size,
                                        uint64_t max_samples) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (setjmp(decoder->error.jump)) return decoder->error.status;
    decoder->created = 1;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);

    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = JCS_GRAYSCALE;
        decoder->channels = 1;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo->out_color_space = JCS_RGB;
        decoder->channels = 3;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;
        decoder->channels = 3;
        decoder->cmyk = 1;
        break;
    default:
        cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                         "JPEG: %d-component image in an unknown colour space", cinfo->num_components);
        return CVIS_UNSUPPORTED;
    }
    uint64_t width = cinfo->image_width, height = cinfo->image_height;
    if (!cvis_fits_sample_limit(width, height, decoder->channels, max_samples)) {
        cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                         "JPEG header declares %llux%llu pixels with %u channels, more than the limit of %llu samples",
                         (unsigned long long)width, (unsigned long long)height, (unsigned)decoder->channels,
                         (unsigned long long)max_samples);
        return CVIS_TOO_LARGE;
    }
    if (width * height / JPEG_MAX_PIXELS_PER_BYTE > (uint64_t)size + 256) {
        cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                         "JPEG: %zu bytes cannot hold the declared %llux%llu image (the file is truncated)",
                         size, (unsigned long long)width, (unsigned long long)height);
        return CVIS_CORRUPT;
    }
    decoder->width = (uint32_t)width;
    decoder->height = (uint32_t)height;
    return CVIS_OK;
}

cvis_status cvis_jpeg_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                   cvis_jpeg_decoder **decoder_out, cvis_image_info *info,
                                   char *message, size_t message_capacity) {
    *decoder_out = NULL;
    cvis_set_message(message, message_capacity, "%s", "");
    if (data == NULL || size == 0) {
        cvis_set_message(message, message_capacity, "JPEG: empty data");
        return CVIS_CORRUPT;
    }
    cvis_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        cvis_set_message(message, message_capacity, "JPEG: out of memory");
        return CVIS_OUT_OF_MEMORY;
    }
    decoder->cinfo.err = &decoder->error.base;
    cvis_jpeg_install_errors(&decoder->error, message, message_capacity);
    cvis_status status = cvis_jpeg_open_inner(decoder, data, size, max_samples);
    if (status != CVIS_OK) {
        cvis_jpeg_decoder_close(decoder);
        return status;
    }
    info->width = decoder->width;
    info->height = decoder->height;
    info->channels = decoder->channels;
    *decoder_out = decoder;
    return CVIS_OK;
}

/*
 * Pillow's CMYK→RGB (Convert.c cmyk2rgb): each channel is (255-K) scaled by (255-ink)/255, rounded.
 * Photoshop stores CMYK inverted (marked by an Adobe APP14) and so does every common writer; Pillow and OpenCV
 * read all CMYK JPEGs that way, marker or not, and so do we: `in` holds inverted samples.
 */
static inline uint8_t cvis_cmyk_channel(unsigned ink, unsigned not_black) {
    unsigned product = ink * not_black + 128;
    unsigned scaled = ((product >> 8) + product) >> 8;
    return (uint8_t)(not_black - scaled);
}

static void cvis_inverted_cmyk_to_rgb(const uint8_t *in, uint8_t *out, uint32_t width) {
    for (uint32_t x = 0; x < width; x++, in += 4, out += 3) {
        unsigned c = 255u - in[0], m = 255u - in[1], y = 255u - in[2], k = 255u - in[3];
        unsigned not_black = 255 - k;
        out[0] = cvis_cmyk_channel(c, not_black);
        out[1] = cvis_cmyk_channel(m, not_black);
        out[2] = cvis_cmyk_channel(y, not_black);
    }
}

static cvis_status cvis_jpeg_read_inner(cvis_jpeg_decoder *decoder, uint8_t *pixels) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (setjmp(decoder->error.jump)) return decoder->error.status;
    jpeg_start_decompress(cinfo);
    uint32_t expected_components = decoder->cmyk ? 4 : decoder->channels;
    if (cinfo->output_width != decoder->width || cinfo->output_height != decoder->height ||
        (uint32_t)cinfo->output_components != expected_components) {
        cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                         "JPEG: unexpected output layout (%d components)", cinfo->output_components);
        return CVIS_UNSUPPORTED;
    }
    size_t stride = (size_t)decoder->width * decoder->channels;
    while (cinfo->output_scanline < cinfo->output_height && !decoder->cmyk) {
        /* Several rows per call let libjpeg-turbo upsample and convert straight into our rows (one row at a
           time goes through its spare-row buffer and an extra copy). */
        JSAMPROW rows[CVIS_JPEG_ROW_BATCH];
        uint32_t y = cinfo->output_scanline;
        uint32_t batch = cinfo->output_height - y < CVIS_JPEG_ROW_BATCH ? cinfo->output_height - y : CVIS_JPEG_ROW_BATCH;
        for (uint32_t k = 0; k < batch; k++) rows[k] = pixels + (size_t)(y + k) * stride;
        if (jpeg_read_scanlines(cinfo, rows, batch) == 0) {
            cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                             "JPEG: no scanline at row %u (the file is truncated)", (unsigned)y);
            return CVIS_CORRUPT;
        }
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        uint32_t y = cinfo->output_scanline;
        JSAMPROW row = decoder->cmyk_row;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
            cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                             "JPEG: no scanline at row %u (the file is truncated)", (unsigned)y);
            return CVIS_CORRUPT;
        }
        cvis_inverted_cmyk_to_rgb(row, pixels + (size_t)y * stride, decoder->width);
    }
    jpeg_finish_decompress(cinfo);
    return CVIS_OK;
}

cvis_status cvis_jpeg_decoder_read(cvis_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity,
                                   char *message, size_t message_capacity) {
    if (decoder == NULL || pixels == NULL ||
        capacity < (size_t)decoder->width * decoder->height * decoder->channels) {
        cvis_set_message(message, message_capacity, "JPEG: output buffer too small");
        return CVIS_INVALID_ARGUMENT;
    }
    decoder->error.message = message;
    decoder->error.message_capacity = message_capacity;
    decoder->error.status = CVIS_CORRUPT;
    if (decoder->cmyk && decoder->cmyk_row == NULL) {
        decoder->cmyk_row = malloc((size_t)decoder->width * 4);
        if (decoder->cmyk_row == NULL) {
            cvis_set_message(message, message_capacity, "JPEG: out of memory");
            return CVIS_OUT_OF_MEMORY;
        }
    }
    return cvis_jpeg_read_inner(decoder, pixels);
}

/* ---- encoding ---- */

typedef struct cvis_jpeg_encoder {
    struct jpeg_compress_struct cinfo;
    cvis_jpeg_error error;
    int created;
    unsigned char *output;
    unsigned long output_size;
    /* Our first output buffer; libjpeg replaces `output` with its own allocation when it outgrows it. */
    unsigned char *initial;
    unsigned long initial_size;
} cvis_jpeg_encoder;

static cvis_status cvis_jpeg_encode_inner(cvis_jpeg_encoder *encoder, const uint8_t *pixels, uint32_t width,
                                          uint32_t height, uint32_t channels, size_t row_stride, int quality) {
    j_compress_ptr cinfo = &encoder->cinfo;
    if (setjmp(encoder->error.jump)) return encoder->error.status;
    encoder->created = 1;
    jpeg_create_compress(cinfo);
    /* Start with room for a typical quality-95 file so libjpeg rarely has to grow (and copy) the buffer. */
    encoder->output = encoder->initial;
    encoder->output_size = encoder->initial_size;
    jpeg_mem_dest(cinfo, &encoder->output, &encoder->output_size);
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = (int)channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    while (cinfo->next_scanline < cinfo->image_height) {
        /* libjpeg takes non-const rows but only reads them; a batch per call saves its per-call overhead. */
        JSAMPROW rows[CVIS_JPEG_ROW_BATCH];
        uint32_t y = cinfo->next_scanline;
        uint32_t batch = height - y < CVIS_JPEG_ROW_BATCH ? height - y : CVIS_JPEG_ROW_BATCH;
        for (uint32_t k = 0; k < batch; k++) rows[k] = (JSAMPROW)(pixels + (size_t)(y + k) * row_stride);
        jpeg_write_scanlines(cinfo, rows, batch);
    }
    jpeg_finish_compress(cinfo);
    return CVIS_OK;
}

cvis_status cvis_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                             size_t row_stride, int quality, cvis_buffer *output,
                             char *message, size_t message_capacity) {
    size_t written = 0;
    return cvis_jpeg_encode_into(pixels, width, height, channels, row_stride, quality, NULL, 0, &written, output,
                                 message, message_capacity);
}

size_t cvis_jpeg_encode_estimate(uint32_t width, uint32_t height, uint32_t channels) {
    size_t estimate = (size_t)width * height * channels / 4 + 65536;
    return estimate > (64u << 20) ? (64u << 20) : estimate;
}

cvis_status cvis_jpeg_encode_into(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                                  size_t row_stride, int quality, uint8_t *destination, size_t destination_capacity,
                                  size_t *written, cvis_buffer *output, char *message, size_t message_capacity) {
    *written = 0;
    cvis_set_message(message, message_capacity, "%s", "");
    *output = (cvis_buffer){NULL, 0, 0};
    if (pixels == NULL || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
        (channels != 1 && channels != 3) || row_stride < (size_t)width * channels || quality < 1 || quality > 100) {
        cvis_set_message(message, message_capacity, "JPEG: invalid encoder arguments");
        return CVIS_INVALID_ARGUMENT;
    }
    cvis_jpeg_encoder *encoder = calloc(1, sizeof *encoder);
    if (encoder == NULL) {
        cvis_set_message(message, message_capacity, "JPEG: out of memory");
        return CVIS_OUT_OF_MEMORY;
    }
    encoder->cinfo.err = &encoder->error.base;
    cvis_jpeg_install_errors(&encoder->error, message, message_capacity);
    if (destination != NULL && destination_capacity > 0) {
        encoder->initial = destination;
        encoder->initial_size = (unsigned long)destination_capacity;
    } else {
        size_t estimate = cvis_jpeg_encode_estimate(width, height, channels);
        encoder->initial = malloc(estimate);
        encoder->initial_size = encoder->initial ? (unsigned long)estimate : 0;
    }
    cvis_status status = cvis_jpeg_encode_inner(encoder, pixels, width, height, channels, row_stride, quality);
    if (encoder->created) jpeg_destroy_compress(&encoder->cinfo);
    /* libjpeg frees the buffers it grew through but never ours; exactly one of the two survives. */
    if (encoder->output != encoder->initial && encoder->initial != destination) free(encoder->initial);
    if (status == CVIS_OK && encoder->output == NULL) status = CVIS_OUT_OF_MEMORY;
    if (status != CVIS_OK) {
        if (encoder->output != destination) free(encoder->output);
    } else if (encoder->output == destination) {
        *written = encoder->output_size;
    } else {
        /* Both ours and jpeg_mem_dest's buffers come from malloc, so cvis_buffer_free (free) releases it. */
        output->data = encoder->output;
        output->size = encoder->output_size;
        output->capacity = encoder->output_size;
    }
    free(encoder);
    return status;
}
