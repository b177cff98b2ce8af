/*
 * libjpeg(-turbo) wrappers, structured like png.c: outer functions own resources, inner functions do the
 * setjmp and every libjpeg call.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "common.h"
#include "jpeg_forward.h"

/*
 * Every block of the full-resolution component costs at least one bit (its DC code), so a JPEG of N bytes
 * holds at most about 512*N pixels; 4096 leaves a wide margin for subsampled or unusual files while still
 * refusing to allocate gigabytes for a few hundred bytes.
 */
#define JPEG_MAX_PIXELS_PER_BYTE 4096u
/* Rows handed to libjpeg per read or write call. */
#define CVIS_JPEG_ROW_BATCH 16u
/* Below this many pixels a helper thread costs more than it saves. */
#define CVIS_JPEG_SPLIT_MIN_PIXELS (512u * 512u)

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
    /* The caller's file, kept for a helper thread's own decoder object (the caller keeps it alive). */
    const uint8_t *data;
    size_t size;
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
    decoder->data = data;
    decoder->size = size;
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

/* Reads rows from the current output scanline up to `end` straight into `pixels`. */
static cvis_status cvis_jpeg_read_rows(j_decompress_ptr cinfo, cvis_jpeg_error *error, uint8_t *pixels,
                                       size_t stride, uint32_t end) {
    while (cinfo->output_scanline < end) {
        /* Several rows per call let libjpeg-turbo upsample and convert straight into our rows (one row at a
           time goes through its spare-row buffer and an extra copy). */
        JSAMPROW rows[CVIS_JPEG_ROW_BATCH];
        uint32_t y = cinfo->output_scanline;
        uint32_t batch = end - y < CVIS_JPEG_ROW_BATCH ? end - y : CVIS_JPEG_ROW_BATCH;
        for (uint32_t k = 0; k < batch; k++) rows[k] = pixels + (size_t)(y + k) * stride;
        if (jpeg_read_scanlines(cinfo, rows, batch) == 0) {
            cvis_set_message(error->message, error->message_capacity,
                             "JPEG: no scanline at row %u (the file is truncated)", (unsigned)y);
            return CVIS_CORRUPT;
        }
    }
    return CVIS_OK;
}

/*
 * A baseline file is decoded on two threads when it is large and no other codec call is running. Entropy
 * decoding is sequential, but most of a decode's time after it (inverse DCT, upsampling, colour conversion)
 * is not: a helper decodes the top rows with a second libjpeg object while this thread skips them
 * (jpeg_skip_scanlines only entropy-decodes, about 60 % of the cost of a full decode at quality 95) and
 * decodes the rest. The split sits where both threads finish together for that proportion. The rows are the
 * same bytes a single decode writes (a test holds us to that), and every corruption check still runs: the
 * main object reads the whole entropy-coded stream.
 */
typedef struct cvis_jpeg_top_rows {
    const uint8_t *data;
    size_t size;
    J_COLOR_SPACE out_color_space;
    uint8_t *pixels;
    size_t stride;
    uint32_t rows;
    cvis_status status;
    pthread_t thread;
    char message[200];
} cvis_jpeg_top_rows;

static cvis_status cvis_jpeg_top_rows_inner(j_decompress_ptr cinfo, cvis_jpeg_error *error,
                                            cvis_jpeg_top_rows *job) {
    if (setjmp(error->jump)) return error->status;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, job->data, (unsigned long)job->size);
    jpeg_read_header(cinfo, TRUE);
    cinfo->out_color_space = job->out_color_space;
    jpeg_start_decompress(cinfo);
    return cvis_jpeg_read_rows(cinfo, error, job->pixels, job->stride, job->rows);
}

static void *cvis_jpeg_decode_top_rows(void *argument) {
    cvis_jpeg_top_rows *job = argument;
    struct jpeg_decompress_struct cinfo;
    cvis_jpeg_error error;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = &error.base;
    cvis_jpeg_install_errors(&error, job->message, sizeof job->message);
    job->status = cvis_jpeg_top_rows_inner(&cinfo, &error, job);
    /* The rest of the file is the main object's; abandoning this one mid-image is what destroy is for. */
    jpeg_destroy_decompress(&cinfo);
    return NULL;
}

static uint32_t cvis_jpeg_split_row(j_decompress_ptr cinfo) {
    if (cinfo->progressive_mode || cinfo->buffered_image || cinfo->output_height < 64 ||
        (uint64_t)cinfo->output_width * cinfo->output_height < CVIS_JPEG_SPLIT_MIN_PIXELS) {
        return 0;
    }
    /* Helper: 0.72 h full decode; main: skip 0.72 h (about 0.6 of decoding it) + decode 0.28 h, the same. */
    uint32_t group = (uint32_t)cinfo->max_v_samp_factor * DCTSIZE;
    return (uint32_t)((uint64_t)cinfo->output_height * 72 / 100) / group * group;
}

static cvis_status cvis_jpeg_read_inner(cvis_jpeg_decoder *decoder, uint8_t *pixels, int may_split) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    /* volatile: read after a longjmp back into this frame. */
    cvis_jpeg_top_rows *volatile job = NULL;
    volatile int helper_running = 0;
    if (setjmp(decoder->error.jump)) {
        if (helper_running) pthread_join(job->thread, NULL);
        free(job);
        return decoder->error.status;
    }
    jpeg_start_decompress(cinfo);
    uint32_t expected_components = decoder->cmyk ? 4 : decoder->channels;
    if (cinfo->output_width != decoder->width || cinfo->output_height != decoder->height ||
        (uint32_t)cinfo->output_components != expected_components) {
        cvis_set_message(decoder->error.message, decoder->error.message_capacity,
                         "JPEG: unexpected output layout (%d components)", cinfo->output_components);
        return CVIS_UNSUPPORTED;
    }
    size_t stride = (size_t)decoder->width * decoder->channels;
    if (!decoder->cmyk) {
        uint32_t split = may_split ? cvis_jpeg_split_row(cinfo) : 0;
        if (split > 0) job = calloc(1, sizeof *job);
        if (job != NULL) {
            *job = (cvis_jpeg_top_rows){.data = decoder->data, .size = decoder->size,
                                        .out_color_space = cinfo->out_color_space, .pixels = pixels,
                                        .stride = stride, .rows = split, .status = CVIS_CORRUPT};
            helper_running = pthread_create(&job->thread, NULL, cvis_jpeg_decode_top_rows, job) == 0;
            if (helper_running) jpeg_skip_scanlines(cinfo, split);
        }
        cvis_status status = cvis_jpeg_read_rows(cinfo, &decoder->error, pixels, stride, cinfo->output_height);
        if (helper_running) {
            pthread_join(job->thread, NULL);
            helper_running = 0;
            /* Rows in file order: a fault in the top rows is the one to report. */
            if (job->status != CVIS_OK) {
                status = job->status;
                cvis_set_message(decoder->error.message, decoder->error.message_capacity, "%s", job->message);
            }
        }
        free(job);
        job = NULL;
        if (status != CVIS_OK) return status;
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
                                   cvis_helper_thread helper, char *message, size_t message_capacity) {
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
    int idle = cvis_codec_begin();
    int may_split = helper == CVIS_HELPER_ALWAYS || (helper == CVIS_HELPER_WHEN_IDLE && idle);
    cvis_status status = cvis_jpeg_read_inner(decoder, pixels, may_split);
    cvis_codec_end();
    return status;
}

/* ---- encoding ---- */

/*
 * With our forward transform (jpeg_forward.c) libjpeg only entropy-codes: the coefficients go into whole-image
 * arrays handed to jpeg_write_coefficients, and jpeg_finish_compress codes them. That lets the transform run
 * on a helper thread while this one codes the rows already done: the wrapper around the memory manager's
 * access_virt_barray, libjpeg's only way to read those arrays, waits until the helper has finished the iMCU
 * row asked for. At quality 95 entropy coding is about two thirds of an encode, so the helper stays ahead.
 */
typedef struct cvis_jpeg_pipeline {
    cvis_jpeg_forward forward;
    jvirt_barray_ptr arrays[3];
    /* iMCU rows transformed so far, under `lock`; `stop` asks the helper to quit after an error. */
    pthread_mutex_t lock;
    pthread_cond_t advanced;
    uint32_t rows_done;
    int stop;
    int helper_running;
    pthread_t helper;
    JBLOCKARRAY (*library_access)(j_common_ptr, jvirt_barray_ptr, JDIMENSION, JDIMENSION, boolean);
} cvis_jpeg_pipeline;

typedef struct cvis_jpeg_encoder {
    struct jpeg_compress_struct cinfo;
    cvis_jpeg_error error;
    int created;
    unsigned char *output;
    unsigned long output_size;
    /* Our first output buffer; libjpeg replaces `output` with its own allocation when it outgrows it. */
    unsigned char *initial;
    unsigned long initial_size;
    cvis_jpeg_pipeline *pipeline;
} cvis_jpeg_encoder;

static void *cvis_jpeg_transform_rows(void *argument) {
    cvis_jpeg_pipeline *pipeline = argument;
    int stop = 0;
    for (uint32_t row = 0; row < pipeline->forward.imcu_rows && !stop; row++) {
        cvis_jpeg_forward_row(&pipeline->forward, row);
        pthread_mutex_lock(&pipeline->lock);
        pipeline->rows_done = row + 1;
        stop = pipeline->stop;
        pthread_cond_signal(&pipeline->advanced);
        pthread_mutex_unlock(&pipeline->lock);
    }
    return NULL;
}

static JBLOCKARRAY cvis_jpeg_access_when_ready(j_common_ptr cinfo, jvirt_barray_ptr array, JDIMENSION start_row,
                                               JDIMENSION num_rows, boolean writable) {
    cvis_jpeg_pipeline *pipeline = cinfo->client_data;
    uint32_t rows_per_imcu = array == pipeline->arrays[0] ? pipeline->forward.imcu_height / 8 : 1;
    uint32_t needed = (start_row + num_rows + rows_per_imcu - 1) / rows_per_imcu;
    if (needed > pipeline->forward.imcu_rows) needed = pipeline->forward.imcu_rows;
    pthread_mutex_lock(&pipeline->lock);
    while (pipeline->rows_done < needed) pthread_cond_wait(&pipeline->advanced, &pipeline->lock);
    pthread_mutex_unlock(&pipeline->lock);
    return pipeline->library_access(cinfo, array, start_row, num_rows, writable);
}

/* Stops and joins the helper, if any (it writes into libjpeg's coefficient arrays, so this must come before
   jpeg_destroy_compress), and frees the rest. The arrays are libjpeg's. */
static void cvis_jpeg_pipeline_free(cvis_jpeg_pipeline *pipeline) {
    if (pipeline == NULL) return;
    if (pipeline->helper_running) {
        pthread_mutex_lock(&pipeline->lock);
        pipeline->stop = 1;
        pthread_mutex_unlock(&pipeline->lock);
        pthread_join(pipeline->helper, NULL);
    }
    cvis_jpeg_forward_free(&pipeline->forward);
    pthread_cond_destroy(&pipeline->advanced);
    pthread_mutex_destroy(&pipeline->lock);
    free(pipeline);
}

/* Below this many pixels the helper thread costs more than it saves. */
#define CVIS_JPEG_PIPELINE_MIN_PIXELS (256u * 256u)
/* The whole-image coefficient arrays cost as much memory as the pixels; past this size libjpeg's streaming
   compressor, which needs a few rows, is used instead (same bytes). */
#define CVIS_JPEG_OWN_TRANSFORM_MAX_PIXELS ((uint64_t)1 << 26)

/* Encodes with our transform; libjpeg's parameters are set. Called inside cvis_jpeg_encode_inner's setjmp. */
static void cvis_jpeg_encode_own_transform(cvis_jpeg_encoder *encoder, const uint8_t *pixels, size_t row_stride,
                                           int vector_allowed, int may_use_helper) {
    j_compress_ptr cinfo = &encoder->cinfo;
    cvis_jpeg_pipeline *pipeline = encoder->pipeline;
    if (!cvis_jpeg_forward_init(&pipeline->forward, cinfo, pixels, row_stride, vector_allowed)) {
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    }
    cvis_jpeg_forward *forward = &pipeline->forward;
    /* The arrays must live in memory whole (a JPEGMEM limit would ask for a backing store we do not have). */
    cinfo->mem->max_memory_to_use = 0;
    uint32_t rows[3];
    for (int c = 0; c < forward->components; c++) {
        rows[c] = cvis_jpeg_forward_array_rows(forward, c);
        pipeline->arrays[c] = cinfo->mem->request_virt_barray((j_common_ptr)cinfo, JPOOL_IMAGE, FALSE,
                                                              forward->width_in_blocks[c], rows[c], rows[c]);
    }
    jpeg_write_coefficients(cinfo, pipeline->arrays);
    for (int c = 0; c < forward->components; c++) {
        forward->blocks[c] =
            cinfo->mem->access_virt_barray((j_common_ptr)cinfo, pipeline->arrays[c], 0, rows[c], TRUE);
    }
    if (may_use_helper) {
        pipeline->helper_running = pthread_create(&pipeline->helper, NULL, cvis_jpeg_transform_rows, pipeline) == 0;
    }
    if (pipeline->helper_running) {
        pipeline->library_access = cinfo->mem->access_virt_barray;
        cinfo->client_data = pipeline;
        cinfo->mem->access_virt_barray = cvis_jpeg_access_when_ready;
    } else {
        for (uint32_t row = 0; row < forward->imcu_rows; row++) cvis_jpeg_forward_row(forward, row);
    }
    /* Every row was transformed before libjpeg could code it, so the helper is past its last write here. */
    jpeg_finish_compress(cinfo);
}

/* With a pipeline, our transform (vector path if `vector_allowed`), on a helper thread if `may_use_helper`. */
static cvis_status cvis_jpeg_encode_inner(cvis_jpeg_encoder *encoder, const uint8_t *pixels, uint32_t width,
                                          uint32_t height, uint32_t channels, size_t row_stride, int quality,
                                          int vector_allowed, int may_use_helper) {
    j_compress_ptr cinfo = &encoder->cinfo;
    /* After an error the helper may still be running; the caller joins it before destroying libjpeg's arrays. */
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
    if (encoder->pipeline != NULL) {
        cvis_jpeg_encode_own_transform(encoder, pixels, row_stride, vector_allowed, may_use_helper);
        return CVIS_OK;
    }
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
    return cvis_jpeg_encode_into(pixels, width, height, channels, row_stride, quality, CVIS_JPEG_TRANSFORM_LIBJPEG,
                                 NULL, 0, &written, output, message, message_capacity);
}

size_t cvis_jpeg_encode_estimate(uint32_t width, uint32_t height, uint32_t channels) {
    size_t estimate = (size_t)width * height * channels / 4 + 65536;
    return estimate > (64u << 20) ? (64u << 20) : estimate;
}

cvis_status cvis_jpeg_encode_into(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                                  size_t row_stride, int quality, cvis_jpeg_transform transform,
                                  uint8_t *destination, size_t destination_capacity,
                                  size_t *written, cvis_buffer *output, char *message, size_t message_capacity) {
    *written = 0;
    cvis_set_message(message, message_capacity, "%s", "");
    *output = (cvis_buffer){NULL, 0, 0};
    if (pixels == NULL || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
        (channels != 1 && channels != 3) || row_stride < (size_t)width * channels || quality < 1 || quality > 100 ||
        (unsigned)transform > CVIS_JPEG_TRANSFORM_PIPELINED) {
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
    uint64_t pixel_count = (uint64_t)width * height;
    int idle = cvis_codec_begin();
    int pipeline_size = pixel_count >= CVIS_JPEG_PIPELINE_MIN_PIXELS && pixel_count <= CVIS_JPEG_OWN_TRANSFORM_MAX_PIXELS;
    int may_use_helper = transform == CVIS_JPEG_TRANSFORM_PIPELINED ||
                         (transform == CVIS_JPEG_TRANSFORM_FAST && idle && pipeline_size);
    int own_transform = may_use_helper || transform == CVIS_JPEG_TRANSFORM_PORTABLE ||
                        transform == CVIS_JPEG_TRANSFORM_VECTOR;
    cvis_status status = CVIS_OK;
    if (own_transform) {
        encoder->pipeline = calloc(1, sizeof *encoder->pipeline);
        if (encoder->pipeline == NULL) {
            cvis_set_message(message, message_capacity, "JPEG: out of memory");
            status = CVIS_OUT_OF_MEMORY;
        } else {
            pthread_mutex_init(&encoder->pipeline->lock, NULL);
            pthread_cond_init(&encoder->pipeline->advanced, NULL);
        }
    }
    if (status == CVIS_OK) {
        status = cvis_jpeg_encode_inner(encoder, pixels, width, height, channels, row_stride, quality,
                                        transform != CVIS_JPEG_TRANSFORM_PORTABLE, may_use_helper);
    }
    cvis_codec_end();
    cvis_jpeg_pipeline_free(encoder->pipeline);
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
