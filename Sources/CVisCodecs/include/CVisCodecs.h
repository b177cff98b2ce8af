#ifndef CVISCODECS_H
#define CVISCODECS_H
/*
 * CVisCodecs: thin wrappers around libpng and libjpeg(-turbo) for VisCore.
 *
 * Both libraries report fatal errors by longjmp. Every function here that calls into them installs its own
 * setjmp and custom error/warning handlers, so errors come back as a cvis_status plus a message written into
 * the caller's buffer; nothing is printed to stderr and a longjmp never crosses into Swift.
 *
 * Memory: decoders are opened, read into a caller-owned pixel buffer, and closed with their close function on
 * every path; encoders return a cvis_buffer that the caller frees with cvis_buffer_free.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of a codec call. Anything but CVIS_OK comes with a message. */
typedef enum cvis_status {
    CVIS_OK = 0,
    /* The data is malformed or truncated. */
    CVIS_CORRUPT = 1,
    /* The data is well formed but uses a feature we do not read. */
    CVIS_UNSUPPORTED = 2,
    /* Declared sizes exceed the caller's sample limit; nothing was allocated for the pixels. */
    CVIS_TOO_LARGE = 3,
    /* An allocation failed. */
    CVIS_OUT_OF_MEMORY = 4,
    /* An argument was out of range (a programming error on the Swift side, which validates first). */
    CVIS_INVALID_ARGUMENT = 5
} cvis_status;

/* Recommended capacity of message buffers. Messages are truncated to fit and always NUL-terminated. */
#define CVIS_MESSAGE_CAPACITY 256

/* The decoded image's size and its output samples per pixel (1 gray, 3 RGB, 4 RGBA). */
typedef struct cvis_image_info {
    uint32_t width;
    uint32_t height;
    uint32_t channels;
} cvis_image_info;

/* Encoded bytes allocated by an encoder; free with cvis_buffer_free. */
typedef struct cvis_buffer {
    uint8_t *data;
    size_t size;
    size_t capacity;
} cvis_buffer;

/* Frees an encoder's output and resets the buffer to empty. Safe on an empty buffer. */
void cvis_buffer_free(cvis_buffer *buffer);

/* ---- PNG ---------------------------------------------------------------------------------------------- */

typedef struct cvis_png_decoder cvis_png_decoder;

/*
 * Reads the PNG header from `data` (which must stay valid until cvis_png_decoder_close) and chooses the
 * output layout: gray → 1, RGB or palette → 3, anything with alpha or tRNS (including gray+alpha) → 4 (RGBA).
 * 16-bit samples are scaled to 8 bits with rounding; 1/2/4-bit gray is scaled to the full 0-255 range.
 * Fails with CVIS_TOO_LARGE when width*height*channels exceeds max_samples, before allocating pixels, and
 * with CVIS_CORRUPT when the file is far too short to hold the declared image.
 * On success *decoder must be closed; on failure *decoder is NULL.
 */
cvis_status cvis_png_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                  cvis_png_decoder **decoder, cvis_image_info *info,
                                  char *message, size_t message_capacity);

/* Decodes all rows into `pixels` (capacity at least width*height*channels bytes, tightly packed). */
cvis_status cvis_png_decoder_read(cvis_png_decoder *decoder, uint8_t *pixels, size_t capacity,
                                  char *message, size_t message_capacity);

/* Releases the decoder. Safe with NULL. */
void cvis_png_decoder_close(cvis_png_decoder *decoder);

typedef struct cvis_png_fast_decoder cvis_png_fast_decoder;

/*
 * The fast decoding path for clean 8-bit gray/RGB/RGBA PNGs without interlacing or tRNS (libdeflate inflate,
 * own unfiltering). Declines everything else, including any damage, with CVIS_UNSUPPORTED: the caller then
 * decodes with cvis_png_decoder_*, whose verdict (pixels or error) is the one that counts. Same contract as
 * cvis_png_decoder_open/read/close otherwise; `data` must stay valid until close.
 */
cvis_status cvis_png_fast_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                       cvis_png_fast_decoder **decoder, cvis_image_info *info,
                                       char *message, size_t message_capacity);
cvis_status cvis_png_fast_decoder_read(cvis_png_fast_decoder *decoder, uint8_t *pixels, size_t capacity,
                                       char *message, size_t message_capacity);
void cvis_png_fast_decoder_close(cvis_png_fast_decoder *decoder);

/*
 * Encodes 8-bit gray (1), RGB (3) or RGBA (4) pixels, rows `row_stride` bytes apart, written straight from
 * `pixels` without a copy. `compression_level` is zlib's 0-9.
 */
cvis_status cvis_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                            size_t row_stride, int compression_level, cvis_buffer *output,
                            char *message, size_t message_capacity);

/*
 * Encodes 8-bit gray (1), RGB (3) or RGBA (4) pixels as PNG for speed rather than size: one fixed filter per
 * row (Paeth; Sub on the first row), Huffman coding with runs of zeros, large images in two bands, on two
 * threads unless another encode is running. About the size of zlib level 1 for photographs, several times faster. Rows are `row_stride` apart.
 */
cvis_status cvis_png_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                                 size_t row_stride, cvis_buffer *output, char *message, size_t message_capacity);

/* ---- JPEG --------------------------------------------------------------------------------------------- */

typedef struct cvis_jpeg_decoder cvis_jpeg_decoder;

/*
 * Reads the JPEG header (baseline or progressive) from `data` (valid until close). Output is gray (1) for
 * grayscale files and RGB (3) for YCbCr, RGB, CMYK and YCCK files (CMYK is converted like Pillow: samples are
 * read with Adobe's inverted convention, as Pillow and OpenCV do whether or not an APP14 marker says so). Size limits as for PNG.
 */
cvis_status cvis_jpeg_decoder_open(const uint8_t *data, size_t size, uint64_t max_samples,
                                   cvis_jpeg_decoder **decoder, cvis_image_info *info,
                                   char *message, size_t message_capacity);

/* When a codec call may start a helper thread. */
typedef enum cvis_helper_thread {
    CVIS_HELPER_NEVER = 0,
    /* Only when no other codec call is running in the process and a second CPU is usable (the default). */
    CVIS_HELPER_WHEN_IDLE = 1,
    /* Whenever the work qualifies (tests). */
    CVIS_HELPER_ALWAYS = 2,
} cvis_helper_thread;

/*
 * Decodes all rows into `pixels`. A truncated file or corrupt entropy-coded data is an error (libjpeg only
 * warns and pads with gray); other libjpeg warnings (extraneous bytes, odd markers) are tolerated. A baseline
 * file of at least 512×512 pixels is decoded on two threads as `helper` allows; the pixels are the same either way.
 */
cvis_status cvis_jpeg_decoder_read(cvis_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity,
                                   cvis_helper_thread helper, char *message, size_t message_capacity);

/* Releases the decoder. Safe with NULL. */
void cvis_jpeg_decoder_close(cvis_jpeg_decoder *decoder);

/* How an encode turns pixels into quantized DCT coefficients; every choice writes the same bytes. */
typedef enum cvis_jpeg_transform {
    /* The fastest available: for a large image, when no other codec call is running and a second CPU is
       usable, our transform on a helper thread while libjpeg entropy-codes the rows already transformed;
       otherwise libjpeg's own streaming compressor (faster on one thread, and it needs only a few rows). */
    CVIS_JPEG_TRANSFORM_FAST = 0,
    /* Ours, scalar, all on the calling thread: the twin the vector path is tested against. */
    CVIS_JPEG_TRANSFORM_PORTABLE = 1,
    /* libjpeg's own colour conversion, downsampling and DCT: the reference. */
    CVIS_JPEG_TRANSFORM_LIBJPEG = 2,
    /* Ours, with AVX2 where the CPU has it, all on the calling thread (tests). */
    CVIS_JPEG_TRANSFORM_VECTOR = 3,
    /* FAST's pipeline at any size, whatever else is running (tests). */
    CVIS_JPEG_TRANSFORM_PIPELINED = 4,
} cvis_jpeg_transform;

/*
 * Encodes 8-bit gray (1) or RGB (3) pixels as a baseline JPEG with `quality` 1-100 (4:2:0 chroma for RGB),
 * with libjpeg's own transform (CVIS_JPEG_TRANSFORM_LIBJPEG).
 */
cvis_status cvis_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                             size_t row_stride, int quality, cvis_buffer *output,
                             char *message, size_t message_capacity);

/* The buffer size cvis_jpeg_encode starts with: room for a typical quality-95 file of that image. */
size_t cvis_jpeg_encode_estimate(uint32_t width, uint32_t height, uint32_t channels);

/*
 * cvis_jpeg_encode with a choice of `transform`, writing straight into the caller's `destination`
 * (`destination_capacity` bytes; see cvis_jpeg_encode_estimate): on success `*written` is the file's size there, or
 * 0 when the file outgrew it and is in `output` instead (free it with cvis_buffer_free). Saves the caller a copy of
 * every file that fits.
 */
cvis_status cvis_jpeg_encode_into(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                                  size_t row_stride, int quality, cvis_jpeg_transform transform,
                                  uint8_t *destination, size_t destination_capacity,
                                  size_t *written, cvis_buffer *output, char *message, size_t message_capacity);

#ifdef __cplusplus
}
#endif
#endif
