/*
 * The encoder's forward transform (see jpeg_forward.h). Every step is integer-exact, so the AVX2 loops and
 * the scalar ones produce the same coefficients, and both the ones libjpeg-turbo's compressor produces.
 *
 * What libjpeg does at the image's edges, and so what this does:
 * - columns past the right edge repeat the last pixel (jcsample.c expand_right_edge), before downsampling;
 * - rows past the bottom repeat the last row; a chroma row past the last real one (ceil(height/2)) repeats
 *   that chroma row, not the last image row (jcprepct.c pads the downsampled rows);
 * - 2x2 downsampling adds a bias of 1, 2, 1, 2, ... along the row before the shift (jcsample.c h2v2_downsample);
 * - blocks past a component's width or height in blocks are libjpeg's dummy blocks, made by the entropy coder.
 */
#include "jpeg_forward.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define CVIS_JPEG_HAVE_AVX2_PATH 1
#endif

/* jfdctint.c's constants: FIX(x) with 13 fraction bits, and the pass scaling. */
enum {
    CONST_BITS = 13, PASS1_BITS = 2,
    FIX_0_298631336 = 2446, FIX_0_390180644 = 3196, FIX_0_541196100 = 4433, FIX_0_765366865 = 6270,
    FIX_0_899976223 = 7373, FIX_1_175875602 = 9633, FIX_1_501321110 = 12299, FIX_1_847759065 = 15137,
    FIX_1_961570560 = 16069, FIX_2_053119869 = 16819, FIX_2_562915447 = 20995, FIX_3_072711026 = 25172,
};

/* jccolor.c's RGB→YCbCr with 16 fraction bits; Cb and Cr round with 0.5 - epsilon and carry the 128 offset. */
enum {
    Y_R = 19595, Y_G = 38470, Y_B = 7471, Y_ROUND = 32768,
    CB_R = -11059, CB_G = -21709, CB_B = 32768, CR_R = 32768, CR_G = -27439, CR_B = -5329,
    CHROMA_ROUND = (128 << 16) + 32767,
};

static uint32_t cvis_blocks(uint32_t samples, uint32_t per_block) { return (samples + per_block - 1) / per_block; }

/* jcdctmgr.c compute_reciprocal with 16-bit DCT elements: q = ((|x| + correction) * reciprocal) >> shift. */
static void cvis_reciprocal(uint32_t divisor, uint32_t *reciprocal, uint32_t *correction, uint32_t *shift) {
    int b = 31 - __builtin_clz(divisor);
    int r = 16 + b;
    uint64_t fq = ((uint64_t)1 << r) / divisor, fr = ((uint64_t)1 << r) % divisor;
    uint32_t c = divisor / 2;
    if (fr == 0) {
        fq >>= 1;
        r--;
    } else if (fr <= divisor / 2) {
        c++;
    } else {
        fq++;
    }
    *reciprocal = (uint32_t)fq;
    *correction = c;
    *shift = (uint32_t)r;
}

int cvis_jpeg_forward_init(cvis_jpeg_forward *forward, j_compress_ptr cinfo, const uint8_t *pixels,
                           size_t row_stride, int vector_allowed) {
    memset(forward, 0, sizeof *forward);
    forward->pixels = pixels;
    forward->row_stride = row_stride;
    forward->width = cinfo->image_width;
    forward->height = cinfo->image_height;
    forward->channels = (uint32_t)cinfo->input_components;
    forward->components = cinfo->num_components;
    uint32_t luma_factor = forward->components == 3 ? 2 : 1;
    forward->imcu_height = 8 * luma_factor;
    forward->imcu_rows = cvis_blocks(forward->height, forward->imcu_height);
    for (int c = 0; c < forward->components; c++) {
        uint32_t factor = c == 0 ? luma_factor : 1;
        uint32_t component_width = cvis_blocks(forward->width, luma_factor / factor);
        uint32_t component_height = cvis_blocks(forward->height, luma_factor / factor);
        forward->width_in_blocks[c] = cvis_blocks(component_width, 8);
        forward->height_in_blocks[c] = cvis_blocks(component_height, 8);
        const JQUANT_TBL *table = cinfo->quant_tbl_ptrs[cinfo->comp_info[c].quant_tbl_no];
        for (int i = 0; i < 64; i++) {
            cvis_reciprocal((uint32_t)table->quantval[i] << 3, &forward->reciprocal[c][i], &forward->correction[c][i],
                            &forward->shift[c][i]);
        }
    }
    forward->padded_width = forward->components == 3 ? forward->width_in_blocks[1] * 16 : forward->width_in_blocks[0] * 8;
#ifdef CVIS_JPEG_HAVE_AVX2_PATH
    forward->use_avx2 = vector_allowed && __builtin_cpu_supports("avx2");
#else
    (void)vector_allowed;
#endif
    /* 16 samples of slack after each buffer: the vector loops may read (never use) one vector past a row. */
    size_t converted = (size_t)forward->components * forward->imcu_height * forward->padded_width + 16;
    size_t downsampled = forward->components == 3 ? (size_t)2 * 8 * (forward->padded_width / 2) + 16 : 0;
    forward->converted = malloc(converted * sizeof(int16_t));
    forward->downsampled = downsampled ? malloc(downsampled * sizeof(int16_t)) : NULL;
    if (forward->converted == NULL || (downsampled && forward->downsampled == NULL)) {
        cvis_jpeg_forward_free(forward);
        return 0;
    }
    return 1;
}

uint32_t cvis_jpeg_forward_array_rows(const cvis_jpeg_forward *forward, int component) {
    /* The entropy coder reads whole iMCU rows of block rows, real or not. */
    uint32_t per_imcu = component == 0 ? forward->imcu_height / 8 : 1;
    return forward->imcu_rows * per_imcu;
}

void cvis_jpeg_forward_free(cvis_jpeg_forward *forward) {
    free(forward->converted);
    free(forward->downsampled);
    forward->converted = NULL;
    forward->downsampled = NULL;
}

/* ---- scalar ------------------------------------------------------------------------------------------------ */

static void cvis_convert_rgb_scalar(const uint8_t *rgb, uint32_t first, uint32_t width, int16_t *y, int16_t *cb,
                                    int16_t *cr) {
    for (uint32_t x = first; x < width; x++) {
        int r = rgb[3 * x], g = rgb[3 * x + 1], b = rgb[3 * x + 2];
        y[x] = (int16_t)((Y_R * r + Y_G * g + Y_B * b + Y_ROUND) >> 16);
        cb[x] = (int16_t)((CB_R * r + CB_G * g + CB_B * b + CHROMA_ROUND) >> 16);
        cr[x] = (int16_t)((CR_R * r + CR_G * g + CR_B * b + CHROMA_ROUND) >> 16);
    }
}

static void cvis_downsample_scalar(const int16_t *top, const int16_t *bottom, uint32_t first, uint32_t count,
                                   int16_t *out) {
    for (uint32_t x = first; x < count; x++) {
        int bias = (x & 1) ? 2 : 1;
        out[x] = (int16_t)((top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1] + bias) >> 2);
    }
}

#define CVIS_DESCALE(x, n) (((x) + (1 << ((n) - 1))) >> (n))

/* One 1-D pass of jfdctint.c over the 8 values at in[0], in[step], ...; the first pass keeps PASS1_BITS. */
static inline void cvis_fdct_1d(int32_t *data, int step, int first_pass) {
    int32_t d0 = data[0], d1 = data[step], d2 = data[2 * step], d3 = data[3 * step];
    int32_t d4 = data[4 * step], d5 = data[5 * step], d6 = data[6 * step], d7 = data[7 * step];
    int32_t tmp0 = d0 + d7, tmp7 = d0 - d7, tmp1 = d1 + d6, tmp6 = d1 - d6;
    int32_t tmp2 = d2 + d5, tmp5 = d2 - d5, tmp3 = d3 + d4, tmp4 = d3 - d4;
    int32_t tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    int n = first_pass ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS;
    if (first_pass) {
        data[0] = (tmp10 + tmp11) * (1 << PASS1_BITS);
        data[4 * step] = (tmp10 - tmp11) * (1 << PASS1_BITS);
    } else {
        data[0] = CVIS_DESCALE(tmp10 + tmp11, PASS1_BITS);
        data[4 * step] = CVIS_DESCALE(tmp10 - tmp11, PASS1_BITS);
    }
    int32_t z1 = (tmp12 + tmp13) * FIX_0_541196100;
    data[2 * step] = CVIS_DESCALE(z1 + tmp13 * FIX_0_765366865, n);
    data[6 * step] = CVIS_DESCALE(z1 - tmp12 * FIX_1_847759065, n);
    z1 = tmp4 + tmp7;
    int32_t z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
    int32_t z5 = (z3 + z4) * FIX_1_175875602;
    tmp4 *= FIX_0_298631336;
    tmp5 *= FIX_2_053119869;
    tmp6 *= FIX_3_072711026;
    tmp7 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    data[7 * step] = CVIS_DESCALE(tmp4 + z1 + z3, n);
    data[5 * step] = CVIS_DESCALE(tmp5 + z2 + z4, n);
    data[3 * step] = CVIS_DESCALE(tmp6 + z2 + z3, n);
    data[step] = CVIS_DESCALE(tmp7 + z1 + z4, n);
}

static void cvis_fdct_block_scalar(const int16_t *samples, size_t stride, const cvis_jpeg_forward *forward,
                                   int component, JCOEF *out) {
    int32_t data[64];
    for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) data[r * 8 + c] = samples[(size_t)r * stride + c] - 128;
    }
    for (int r = 0; r < 8; r++) cvis_fdct_1d(data + r * 8, 1, 1);
    for (int c = 0; c < 8; c++) cvis_fdct_1d(data + c, 8, 0);
    for (int i = 0; i < 64; i++) {
        int32_t value = data[i];
        uint32_t magnitude = (uint32_t)(value < 0 ? -value : value);
        uint32_t q = ((magnitude + forward->correction[component][i]) * forward->reciprocal[component][i]) >>
                     forward->shift[component][i];
        out[i] = (JCOEF)(value < 0 ? -(int32_t)q : (int32_t)q);
    }
}

/* ---- AVX2 -------------------------------------------------------------------------------------------------- */

#ifdef CVIS_JPEG_HAVE_AVX2_PATH
#define CVIS_AVX2 __attribute__((target("avx2")))

/* Eight pixels at a time; returns the first column not done. Reads 28 bytes from each group's start. */
CVIS_AVX2 static uint32_t cvis_convert_rgb_avx2(const uint8_t *rgb, uint32_t width, int16_t *y, int16_t *cb,
                                                 int16_t *cr) {
    /* Per 128-bit lane of four pixels: (R, G) and (B, G) as 16-bit pairs in each 32-bit lane. */
    const __m256i rg_shuffle = _mm256_setr_epi8(0, -1, 1, -1, 3, -1, 4, -1, 6, -1, 7, -1, 9, -1, 10, -1,
                                                0, -1, 1, -1, 3, -1, 4, -1, 6, -1, 7, -1, 9, -1, 10, -1);
    const __m256i bg_shuffle = _mm256_setr_epi8(2, -1, 1, -1, 5, -1, 4, -1, 8, -1, 7, -1, 11, -1, 10, -1,
                                                2, -1, 1, -1, 5, -1, 4, -1, 8, -1, 7, -1, 11, -1, 10, -1);
    /* Y's G weight (38470) is over int16, so it is split across both pairs: 22086 + 16384. */
    const __m256i y_rg = _mm256_set1_epi32((22086 << 16) | Y_R);
    const __m256i y_bg = _mm256_set1_epi32((16384 << 16) | Y_B);
    const __m256i cb_rg = _mm256_set1_epi32((int32_t)((uint32_t)(uint16_t)CB_G << 16 | (uint16_t)CB_R));
    const __m256i cr_bg = _mm256_set1_epi32((int32_t)((uint32_t)(uint16_t)CR_G << 16 | (uint16_t)CR_B));
    const __m256i low16 = _mm256_set1_epi32(0xFFFF);
    const __m256i y_round = _mm256_set1_epi32(Y_ROUND), chroma_round = _mm256_set1_epi32(CHROMA_ROUND);
    uint32_t x = 0;
    for (; x + 10 <= width; x += 8) {
        const uint8_t *p = rgb + 3 * (size_t)x;
        __m256i bytes = _mm256_loadu2_m128i((const __m128i *)(p + 12), (const __m128i *)p);
        __m256i rg = _mm256_shuffle_epi8(bytes, rg_shuffle), bg = _mm256_shuffle_epi8(bytes, bg_shuffle);
        __m256i r = _mm256_and_si256(rg, low16), b = _mm256_and_si256(bg, low16);
        __m256i vy = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(rg, y_rg), _mm256_madd_epi16(bg, y_bg)), y_round);
        __m256i vcb = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(rg, cb_rg), _mm256_slli_epi32(b, 15)), chroma_round);
        __m256i vcr = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(bg, cr_bg), _mm256_slli_epi32(r, 15)), chroma_round);
        vy = _mm256_srai_epi32(vy, 16);
        vcb = _mm256_srai_epi32(vcb, 16);
        vcr = _mm256_srai_epi32(vcr, 16);
        __m256i packed_y = _mm256_permute4x64_epi64(_mm256_packs_epi32(vy, vy), 0x08);
        __m256i packed_cb = _mm256_permute4x64_epi64(_mm256_packs_epi32(vcb, vcb), 0x08);
        __m256i packed_cr = _mm256_permute4x64_epi64(_mm256_packs_epi32(vcr, vcr), 0x08);
        _mm_storeu_si128((__m128i *)(y + x), _mm256_castsi256_si128(packed_y));
        _mm_storeu_si128((__m128i *)(cb + x), _mm256_castsi256_si128(packed_cb));
        _mm_storeu_si128((__m128i *)(cr + x), _mm256_castsi256_si128(packed_cr));
    }
    return x;
}

/* Sixteen outputs at a time; returns the first output not done. */
CVIS_AVX2 static uint32_t cvis_downsample_avx2(const int16_t *top, const int16_t *bottom, uint32_t count,
                                               int16_t *out) {
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i bias = _mm256_setr_epi32(1, 2, 1, 2, 1, 2, 1, 2);
    uint32_t x = 0;
    for (; x + 16 <= count; x += 16) {
        __m256i sum0 = _mm256_add_epi16(_mm256_loadu_si256((const __m256i *)(top + 2 * x)),
                                        _mm256_loadu_si256((const __m256i *)(bottom + 2 * x)));
        __m256i sum1 = _mm256_add_epi16(_mm256_loadu_si256((const __m256i *)(top + 2 * x + 16)),
                                        _mm256_loadu_si256((const __m256i *)(bottom + 2 * x + 16)));
        __m256i lo = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(sum0, ones), bias), 2);
        __m256i hi = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(sum1, ones), bias), 2);
        _mm256_storeu_si256((__m256i *)(out + x), _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8));
    }
    return x;
}

CVIS_AVX2 static inline void cvis_transpose8(__m256i v[8]) {
    __m256i t0 = _mm256_unpacklo_epi32(v[0], v[1]), t1 = _mm256_unpackhi_epi32(v[0], v[1]);
    __m256i t2 = _mm256_unpacklo_epi32(v[2], v[3]), t3 = _mm256_unpackhi_epi32(v[2], v[3]);
    __m256i t4 = _mm256_unpacklo_epi32(v[4], v[5]), t5 = _mm256_unpackhi_epi32(v[4], v[5]);
    __m256i t6 = _mm256_unpacklo_epi32(v[6], v[7]), t7 = _mm256_unpackhi_epi32(v[6], v[7]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    v[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    v[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    v[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    v[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    v[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    v[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    v[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    v[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

#define CVIS_MUL(a, k) _mm256_mullo_epi32((a), _mm256_set1_epi32(k))

/* cvis_fdct_1d across the eight vectors, lane by lane. */
CVIS_AVX2 static inline void cvis_fdct_1d_avx2(__m256i d[8], int first_pass) {
    __m256i tmp0 = _mm256_add_epi32(d[0], d[7]), tmp7 = _mm256_sub_epi32(d[0], d[7]);
    __m256i tmp1 = _mm256_add_epi32(d[1], d[6]), tmp6 = _mm256_sub_epi32(d[1], d[6]);
    __m256i tmp2 = _mm256_add_epi32(d[2], d[5]), tmp5 = _mm256_sub_epi32(d[2], d[5]);
    __m256i tmp3 = _mm256_add_epi32(d[3], d[4]), tmp4 = _mm256_sub_epi32(d[3], d[4]);
    __m256i tmp10 = _mm256_add_epi32(tmp0, tmp3), tmp13 = _mm256_sub_epi32(tmp0, tmp3);
    __m256i tmp11 = _mm256_add_epi32(tmp1, tmp2), tmp12 = _mm256_sub_epi32(tmp1, tmp2);
    if (first_pass) {
        d[0] = _mm256_slli_epi32(_mm256_add_epi32(tmp10, tmp11), PASS1_BITS);
        d[4] = _mm256_slli_epi32(_mm256_sub_epi32(tmp10, tmp11), PASS1_BITS);
    } else {
        const __m256i half = _mm256_set1_epi32(1 << (PASS1_BITS - 1));
        d[0] = _mm256_srai_epi32(_mm256_add_epi32(_mm256_add_epi32(tmp10, tmp11), half), PASS1_BITS);
        d[4] = _mm256_srai_epi32(_mm256_add_epi32(_mm256_sub_epi32(tmp10, tmp11), half), PASS1_BITS);
    }
    __m256i z1 = CVIS_MUL(_mm256_add_epi32(tmp12, tmp13), FIX_0_541196100);
    __m256i even2 = _mm256_add_epi32(z1, CVIS_MUL(tmp13, FIX_0_765366865));
    __m256i even6 = _mm256_sub_epi32(z1, CVIS_MUL(tmp12, FIX_1_847759065));
    z1 = _mm256_add_epi32(tmp4, tmp7);
    __m256i z2 = _mm256_add_epi32(tmp5, tmp6), z3 = _mm256_add_epi32(tmp4, tmp6), z4 = _mm256_add_epi32(tmp5, tmp7);
    __m256i z5 = CVIS_MUL(_mm256_add_epi32(z3, z4), FIX_1_175875602);
    tmp4 = CVIS_MUL(tmp4, FIX_0_298631336);
    tmp5 = CVIS_MUL(tmp5, FIX_2_053119869);
    tmp6 = CVIS_MUL(tmp6, FIX_3_072711026);
    tmp7 = CVIS_MUL(tmp7, FIX_1_501321110);
    z1 = CVIS_MUL(z1, -FIX_0_899976223);
    z2 = CVIS_MUL(z2, -FIX_2_562915447);
    z3 = _mm256_add_epi32(CVIS_MUL(z3, -FIX_1_961570560), z5);
    z4 = _mm256_add_epi32(CVIS_MUL(z4, -FIX_0_390180644), z5);
    __m256i odd7 = _mm256_add_epi32(_mm256_add_epi32(tmp4, z1), z3);
    __m256i odd5 = _mm256_add_epi32(_mm256_add_epi32(tmp5, z2), z4);
    __m256i odd3 = _mm256_add_epi32(_mm256_add_epi32(tmp6, z2), z3);
    __m256i odd1 = _mm256_add_epi32(_mm256_add_epi32(tmp7, z1), z4);
    const int bits = first_pass ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS;
    const __m256i round = _mm256_set1_epi32(1 << (bits - 1));
    const __m128i count = _mm_cvtsi32_si128(bits);
    d[2] = _mm256_sra_epi32(_mm256_add_epi32(even2, round), count);
    d[6] = _mm256_sra_epi32(_mm256_add_epi32(even6, round), count);
    d[7] = _mm256_sra_epi32(_mm256_add_epi32(odd7, round), count);
    d[5] = _mm256_sra_epi32(_mm256_add_epi32(odd5, round), count);
    d[3] = _mm256_sra_epi32(_mm256_add_epi32(odd3, round), count);
    d[1] = _mm256_sra_epi32(_mm256_add_epi32(odd1, round), count);
}

CVIS_AVX2 static void cvis_fdct_block_avx2(const int16_t *samples, size_t stride, const cvis_jpeg_forward *forward,
                                           int component, JCOEF *out) {
    const __m256i center = _mm256_set1_epi32(128);
    __m256i v[8];
    for (int r = 0; r < 8; r++) {
        __m128i row = _mm_loadu_si128((const __m128i *)(samples + (size_t)r * stride));
        v[r] = _mm256_sub_epi32(_mm256_cvtepi16_epi32(row), center);
    }
    /* Rows first, as jfdctint.c: transposed, each vector holds one column, so the lanes run the row DCTs. */
    cvis_transpose8(v);
    cvis_fdct_1d_avx2(v, 1);
    cvis_transpose8(v);
    cvis_fdct_1d_avx2(v, 0);
    __m256i q[8];
    for (int r = 0; r < 8; r++) {
        __m256i magnitude = _mm256_abs_epi32(v[r]);
        __m256i correction = _mm256_loadu_si256((const __m256i *)(forward->correction[component] + 8 * r));
        __m256i reciprocal = _mm256_loadu_si256((const __m256i *)(forward->reciprocal[component] + 8 * r));
        __m256i shift = _mm256_loadu_si256((const __m256i *)(forward->shift[component] + 8 * r));
        __m256i quotient = _mm256_srlv_epi32(_mm256_mullo_epi32(_mm256_add_epi32(magnitude, correction), reciprocal), shift);
        q[r] = _mm256_sign_epi32(quotient, v[r]);
    }
    for (int r = 0; r < 8; r += 2) {
        __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(q[r], q[r + 1]), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + 8 * r), packed);
    }
}
#endif

/* ---- one iMCU row ------------------------------------------------------------------------------------------ */

static void cvis_fdct_block(const cvis_jpeg_forward *forward, const int16_t *samples, size_t stride, int component,
                            JCOEF *out) {
#ifdef CVIS_JPEG_HAVE_AVX2_PATH
    if (forward->use_avx2) {
        cvis_fdct_block_avx2(samples, stride, forward, component, out);
        return;
    }
#endif
    cvis_fdct_block_scalar(samples, stride, forward, component, out);
}

/* Converts image row `image_row` into converted row `k` of each component, padded by repeating the last column. */
static void cvis_convert_row(cvis_jpeg_forward *forward, uint32_t image_row, uint32_t k) {
    const uint8_t *source = forward->pixels + (size_t)image_row * forward->row_stride;
    uint32_t width = forward->width, padded = forward->padded_width;
    size_t plane = (size_t)forward->imcu_height * padded;
    int16_t *y = forward->converted + (size_t)k * padded;
    if (forward->components == 1) {
        for (uint32_t x = 0; x < width; x++) y[x] = source[x];
        for (uint32_t x = width; x < padded; x++) y[x] = y[width - 1];
        return;
    }
    int16_t *cb = y + plane, *cr = cb + plane;
    uint32_t first = 0;
#ifdef CVIS_JPEG_HAVE_AVX2_PATH
    if (forward->use_avx2) first = cvis_convert_rgb_avx2(source, width, y, cb, cr);
#endif
    cvis_convert_rgb_scalar(source, first, width, y, cb, cr);
    for (uint32_t x = width; x < padded; x++) {
        y[x] = y[width - 1];
        cb[x] = cb[width - 1];
        cr[x] = cr[width - 1];
    }
}

void cvis_jpeg_forward_row(cvis_jpeg_forward *forward, uint32_t row) {
    uint32_t imcu_height = forward->imcu_height, padded = forward->padded_width;
    uint32_t first_image_row = row * imcu_height;
    for (uint32_t k = 0; k < imcu_height; k++) {
        uint32_t image_row = first_image_row + k;
        cvis_convert_row(forward, image_row < forward->height ? image_row : forward->height - 1, k);
    }
    /* Luma: one or two block rows of this iMCU row, real blocks only. */
    for (uint32_t block_row = 0; block_row < imcu_height / 8; block_row++) {
        uint32_t global_row = row * (imcu_height / 8) + block_row;
        if (global_row >= forward->height_in_blocks[0]) break;
        JBLOCKROW blocks = forward->blocks[0][global_row];
        const int16_t *samples = forward->converted + (size_t)block_row * 8 * padded;
        for (uint32_t bx = 0; bx < forward->width_in_blocks[0]; bx++) {
            cvis_fdct_block(forward, samples + 8 * bx, padded, 0, blocks[bx]);
        }
    }
    if (forward->components == 1) return;
    /* Chroma: 8 downsampled rows from the 16 converted ones; rows past ceil(height/2) repeat the last real one. */
    uint32_t chroma_width = padded / 2, chroma_height = (forward->height + 1) / 2;
    size_t plane = (size_t)imcu_height * padded;
    for (int c = 1; c <= 2; c++) {
        const int16_t *converted = forward->converted + (size_t)c * plane;
        int16_t *downsampled = forward->downsampled + (size_t)(c - 1) * 8 * chroma_width;
        for (uint32_t k = 0; k < 8; k++) {
            uint32_t chroma_row = row * 8 + k;
            uint32_t source = (chroma_row < chroma_height ? chroma_row : chroma_height - 1) - row * 8;
            const int16_t *top = converted + (size_t)(2 * source) * padded, *bottom = top + padded;
            int16_t *out = downsampled + (size_t)k * chroma_width;
            uint32_t first = 0;
#ifdef CVIS_JPEG_HAVE_AVX2_PATH
            if (forward->use_avx2) first = cvis_downsample_avx2(top, bottom, chroma_width, out);
#endif
            cvis_downsample_scalar(top, bottom, first, chroma_width, out);
        }
        JBLOCKROW blocks = forward->blocks[c][row];
        for (uint32_t bx = 0; bx < forward->width_in_blocks[c]; bx++) {
            cvis_fdct_block(forward, downsampled + 8 * bx, chroma_width, c, blocks[bx]);
        }
    }
}
