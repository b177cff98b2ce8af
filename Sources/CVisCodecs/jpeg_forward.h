/*
 * The encoder's forward transform: colour conversion, 4:2:0 downsampling, the forward DCT and quantization,
 * one iMCU row (16 image rows for RGB, 8 for gray) at a time, into the whole-image coefficient arrays that
 * jpeg_write_coefficients then entropy-codes. The arithmetic is libjpeg-turbo's for the accurate integer DCT
 * (jfdctint.c, jccolor.c, jcsample.c, jcdctmgr.c, and their SIMD twins, which give the same integers), so the
 * coefficients, and the file, are the ones libjpeg's own compressor makes.
 */
#ifndef CVIS_JPEG_FORWARD_H
#define CVIS_JPEG_FORWARD_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

typedef struct cvis_jpeg_forward {
    const uint8_t *pixels;
    size_t row_stride;
    uint32_t width, height, channels;
    /* 1 for gray, 3 for Y, Cb, Cr; Y is sampled 2x2 and the chroma 1x1 when there are three. */
    int components;
    /* Rows of the image per iMCU row: 8 × the luma's vertical factor. */
    uint32_t imcu_height;
    uint32_t imcu_rows;
    int use_avx2;
    /* Samples per converted row: the chroma's blocks × 16 for RGB, the luma's blocks × 8 for gray. */
    uint32_t padded_width;
    /* Scratch, one iMCU row: converted rows (components × imcu_height × padded_width) and downsampled chroma
       (2 × 8 × padded_width / 2), as int16 so the vector loops need no widening on load. */
    int16_t *converted;
    int16_t *downsampled;
    JBLOCKARRAY blocks[3];
    uint32_t width_in_blocks[3];
    uint32_t height_in_blocks[3];
    /* Per component's table: libjpeg's reciprocal, rounding correction and shift for each divisor (quantval × 8). */
    uint32_t reciprocal[3][64];
    uint32_t correction[3][64];
    uint32_t shift[3][64];
} cvis_jpeg_forward;

/*
 * Sets up `forward` for `cinfo` after jpeg_set_defaults and jpeg_set_quality (which fix the sampling and the
 * quantization tables); `blocks` comes later, from the realized coefficient arrays. Returns 0 when the
 * scratch cannot be allocated.
 */
int cvis_jpeg_forward_init(cvis_jpeg_forward *forward, j_compress_ptr cinfo, const uint8_t *pixels,
                           size_t row_stride, int vector_allowed);

/* The coefficient array sizes in blocks that cvis_jpeg_forward_init computed (rows rounded up to the iMCU). */
uint32_t cvis_jpeg_forward_array_rows(const cvis_jpeg_forward *forward, int component);

/* Transforms iMCU row `row` into `blocks`. Touches only that row's blocks and `forward`'s scratch. */
void cvis_jpeg_forward_row(cvis_jpeg_forward *forward, uint32_t row);

/* Frees the scratch; safe on a zeroed or already freed `forward`. */
void cvis_jpeg_forward_free(cvis_jpeg_forward *forward);

#endif
