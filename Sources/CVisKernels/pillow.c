#include "CVisKernels.h"
#include "vis_cpu.h"

#include <stdlib.h>
#include <string.h>

// Pillow's arithmetic for the self-supervised pipelines (VisTools' `pillowResized`, `PillowEnhance`), each kernel
// with a portable scalar path and an AVX2 one that computes the same bytes, the resampling passes also an AVX-VNNI
// one. The Swift implementations in VisTools are the reference all are checked against (randomized differential
// tests).
//
// Products and sums are written out one operation at a time and must not be fused: Pillow's builds round each.
#pragma clang fp contract(off)

// ---------------------------------------------------------------------------------------------------------------
// Resampling: Pillow's `ImagingResampleHorizontal_8bpc` / `ImagingResampleVertical_8bpc`. Coefficients are 22-bit
// fixed point (`PRECISION_BITS` = 32 − 8 − 2), sums are C `int`s started at half a unit, shifted down and clipped.
// The AVX2 paths split each coefficient `w` into `hi = w >> 11` and `lo = w & 2047` (both fit int16), so that
// 16-bit multiply-adds of pairs give `Σx·hi` and `Σx·lo`; `(Σx·hi << 11) + Σx·lo` is `Σx·w` modulo 2^32, which is
// what Pillow's `int` sum holds. (The VNNI paths split it into three signed bytes instead.)

enum { vis_pillow_bits = 22, vis_pillow_split = 11 };

static inline uint8_t vis_pillow_clip8(uint32_t sum) {
    int32_t shifted = (int32_t)sum >> vis_pillow_bits;
    return shifted <= 0 ? 0 : shifted >= 255 ? 255 : (uint8_t)shifted;
}

static void scalar_horizontal(const uint8_t *src, size_t src_stride, size_t rows, size_t channels,
                              const int32_t *starts, const int32_t *counts, const int32_t *weights,
                              size_t weight_stride, size_t out_width, uint8_t *dst, size_t dst_stride) {
    for (size_t y = 0; y < rows; y++) {
        const uint8_t *in = src + y * src_stride;
        uint8_t *out = dst + y * dst_stride;
        for (size_t x = 0; x < out_width; x++) {
            const int32_t *w = weights + x * weight_stride;
            const uint8_t *first = in + (size_t)starts[x] * channels;
            int32_t count = counts[x];
            for (size_t c = 0; c < channels; c++) {
                uint32_t sum = 1u << (vis_pillow_bits - 1);
                for (int32_t k = 0; k < count; k++) sum += (uint32_t)first[(size_t)k * channels + c] * (uint32_t)w[k];
                out[x * channels + c] = vis_pillow_clip8(sum);
            }
        }
    }
}

enum { vis_pillow_block = 256 };

static void scalar_vertical(const uint8_t *src, size_t src_stride, size_t row_length, long row_offset,
                            const int32_t *starts, const int32_t *counts, const int32_t *weights,
                            size_t weight_stride, size_t out_rows, uint8_t *dst, size_t dst_stride) {
    uint32_t sums[vis_pillow_block];
    for (size_t y = 0; y < out_rows; y++) {
        const int32_t *w = weights + y * weight_stride;
        const uint8_t *first = src + (size_t)((long)starts[y] - row_offset) * src_stride;
        for (size_t begin = 0; begin < row_length; begin += vis_pillow_block) {
            size_t length = row_length - begin < vis_pillow_block ? row_length - begin : vis_pillow_block;
            for (size_t i = 0; i < length; i++) sums[i] = 1u << (vis_pillow_bits - 1);
            for (int32_t k = 0; k < counts[y]; k++) {
                const uint8_t *row = first + (size_t)k * src_stride + begin;
                uint32_t weight = (uint32_t)w[k];
                for (size_t i = 0; i < length; i++) sums[i] += (uint32_t)row[i] * weight;
            }
            uint8_t *out = dst + y * dst_stride + begin;
            for (size_t i = 0; i < length; i++) out[i] = vis_pillow_clip8(sums[i]);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Hue shift: Pillow's `rgb2hsv_row`, the hue byte plus `shift` modulo 256, Pillow's `hsv2rgb`, with the mix of
// single and double precision of VisTools' `_HueTables` (which documents it).

static inline uint8_t vis_truncated_byte(double value) {
    // C's conversion of the values here (all in [-1, 256)) truncates toward zero; then CLIP8.
    int whole = (int)value;
    return whole <= 0 ? 0 : whole >= 255 ? 255 : (uint8_t)whole;
}

static inline uint8_t vis_rounded_byte(double value) {
    // C's `round` (half away from zero) for values in [0, 255]: the part above the integer part is exact.
    int whole = (int)value;
    int result = value - (double)whole >= 0.5 ? whole + 1 : whole;
    return result <= 0 ? 0 : result >= 255 ? 255 : (uint8_t)result;
}

static inline void scalar_hue_pixel(uint8_t *pixel, uint8_t shift) {
    uint8_t r = pixel[0], g = pixel[1], b = pixel[2];
    uint8_t maxc = r > g ? r : g;
    maxc = maxc > b ? maxc : b;
    uint8_t minc = r < g ? r : g;
    minc = minc < b ? minc : b;
    uint8_t h = 0, s = 0, v = maxc;
    if (maxc != minc) {
        float cr = (float)(maxc - minc);
        float rc = (float)(maxc - r) / cr, gc = (float)(maxc - g) / cr, bc = (float)(maxc - b) / cr;
        float hue;
        if (r == maxc) hue = bc - gc;
        else if (g == maxc) hue = (float)(2.0 + (double)rc - (double)bc);
        else hue = (float)(4.0 + (double)gc - (double)rc);
        double turned = (double)hue / 6.0 + 1.0;
        hue = (float)(turned - (double)(int)turned);
        h = vis_truncated_byte((double)hue * 255.0);
        s = vis_truncated_byte((double)(cr / (float)maxc) * 255.0);
    }
    h = (uint8_t)(h + shift);
    if (s == 0) {
        pixel[0] = pixel[1] = pixel[2] = v;
        return;
    }
    double position = (double)(float)h * 6.0 / 255.0;
    int i = (int)position;
    float f = (float)(position - (double)(float)i);
    float fs = (float)((double)(float)s / 255.0);
    double value = (double)(float)v;
    uint8_t p = vis_rounded_byte(value * (1.0 - (double)fs));
    uint8_t q = vis_rounded_byte(value * (1.0 - (double)(fs * f)));
    uint8_t t = vis_rounded_byte(value * (1.0 - (double)(fs * (float)(1.0 - (double)f))));
    switch (i % 6) {
    case 0: pixel[0] = v, pixel[1] = t, pixel[2] = p; break;
    case 1: pixel[0] = q, pixel[1] = v, pixel[2] = p; break;
    case 2: pixel[0] = p, pixel[1] = v, pixel[2] = t; break;
    case 3: pixel[0] = p, pixel[1] = q, pixel[2] = v; break;
    case 4: pixel[0] = t, pixel[1] = p, pixel[2] = v; break;
    default: pixel[0] = v, pixel[1] = p, pixel[2] = q; break;
    }
}

static void scalar_hue(uint8_t *pixels, size_t count, size_t channels, uint8_t shift) {
    for (size_t i = 0; i < count; i++) scalar_hue_pixel(pixels + i * channels, shift);
}

// ---------------------------------------------------------------------------------------------------------------
// `Image.blend(degenerate, image, alpha)` for 8-bit samples: `degenerate + alpha·(sample − degenerate)` in single
// precision, truncated. Pillow clips to 0…255 only when alpha is outside [0, 1]; inside, the value already lies
// between the two samples (the rounded product keeps its sign and magnitude bound), so clipping always is the
// same.

static inline uint8_t vis_blend_sample(uint8_t low, uint8_t sample, float alpha) {
    float value = (float)low + alpha * (float)((int)sample - (int)low);
    return value <= 0 ? 0 : value >= 255 ? 255 : (uint8_t)value;
}

// Pillow's `L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16`.
static inline uint32_t vis_luma(uint32_t r, uint32_t g, uint32_t b) {
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

static uint64_t scalar_luma_sum(const uint8_t *pixels, size_t count, size_t channels) {
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = pixels + i * channels;
        total += vis_luma(p[0], p[1], p[2]);
    }
    return total;
}

static void scalar_blend_constant(uint8_t *samples, size_t count, uint8_t low, float alpha) {
    uint8_t table[256];
    for (int v = 0; v < 256; v++) table[v] = vis_blend_sample(low, (uint8_t)v, alpha);
    for (size_t i = 0; i < count; i++) samples[i] = table[samples[i]];
}

static void scalar_saturation(uint8_t *pixels, size_t count, size_t channels, float alpha) {
    for (size_t i = 0; i < count; i++) {
        uint8_t *p = pixels + i * channels;
        uint8_t luma = (uint8_t)vis_luma(p[0], p[1], p[2]);
        for (int c = 0; c < 3; c++) p[c] = vis_blend_sample(luma, p[c], alpha);
    }
}

// mmcv's `RandomGrayscale`: `w0·c[o0] + w1·c[1] + w2·c[o2]` in double, left to right, clipped to 0…255 and
// truncated, written to `out_channels` (1 or 3) samples per pixel.
static inline uint8_t vis_mmcv_gray(const uint8_t *p, double w0, double w1, double w2, size_t o0, size_t o2) {
    double sum = w0 * (double)p[o0] + w1 * (double)p[1] + w2 * (double)p[o2];
    sum = sum < 0 ? 0 : sum > 255 ? 255 : sum;
    return (uint8_t)sum;
}

static void scalar_mmcv_gray(const uint8_t *in, uint8_t *out, size_t count, double w0, double w1, double w2,
                             size_t o0, size_t o2, size_t out_channels) {
    for (size_t i = 0; i < count; i++) {
        uint8_t value = vis_mmcv_gray(in + i * 3, w0, w1, w2, o0, o2);
        for (size_t c = 0; c < out_channels; c++) out[i * out_channels + c] = value;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Box blur: one pass of Pillow's `ImagingLineBoxBlur` over `length` pixels of `channels` samples `stride` bytes
// apart, into `out` (same layout, a separate buffer).

// The stretches of one box pass over `length` samples (Pillow's edge handling): `step(x, sub, add, left, right)`
// moves the running sum to output `x` (adding sample `add`, dropping `sub`) and weighs in `left` and `right`, the
// samples just outside the box; indices past either end are clamped to the first or `last` sample.
#define VIS_BOX_STRETCHES(step)                                                                                      \
    do {                                                                                                             \
        if (edge_a <= edge_b) {                                                                                      \
            for (long x = 0; x < edge_a; x++) step(x, 0, x + radius, 0, x + radius + 1);                            \
            for (long x = edge_a; x < edge_b; x++) step(x, x - radius - 1, x + radius, x - radius - 1, x + radius + 1); \
            for (long x = edge_b; x <= last; x++) step(x, x - radius - 1, last, x - radius - 1, last);               \
        } else {                                                                                                     \
            for (long x = 0; x < edge_b; x++) step(x, 0, x + radius, 0, x + radius + 1);                            \
            for (long x = edge_b; x < edge_a; x++) step(x, 0, last, 0, last);                                        \
            for (long x = edge_a; x <= last; x++) step(x, x - radius - 1, last, x - radius - 1, last);               \
        }                                                                                                            \
    } while (0)

static void vis_box_line(const uint8_t *in, uint8_t *out, size_t length, size_t step, size_t channels,
                         int radius, uint32_t ww, uint32_t fw) {
    long last = (long)length - 1;
    long edge_a = radius + 1 < (long)length ? radius + 1 : (long)length;
    long edge_b = (long)length - radius - 1 > 0 ? (long)length - radius - 1 : 0;
#define AT(index, c) ((uint32_t)in[(size_t)(index) * step + (c)])
    for (size_t c = 0; c < channels; c++) {
        uint32_t acc = AT(0, c) * (uint32_t)(radius + 1);
        for (long x = 0; x < edge_a - 1; x++) acc += AT(x, c);
        acc += AT(last, c) * (uint32_t)(radius - edge_a + 1);
#define STEP(x, sub, add, left, right)                                                                               \
    do {                                                                                                             \
        acc = acc + AT(add, c) - AT(sub, c);                                                                         \
        uint32_t bulk = acc * ww + (AT(left, c) + AT(right, c)) * fw;                                                \
        out[(size_t)(x) * step + c] = (uint8_t)((bulk + (1u << 23)) >> 24);                                          \
    } while (0)
        VIS_BOX_STRETCHES(STEP);
#undef STEP
    }
#undef AT
}

#if defined(__x86_64__)
#include <immintrin.h>

#define VIS_AVX2 __attribute__((target("avx2")))
// The AVX2 path is taken only where `vis_kernels_available()`, which also requires FMA.
#define VIS_AVX2_FMA __attribute__((target("avx2,fma")))

// The vector horizontal passes' plans: the first tap of each of `slots` outputs (slots past `out_width` repeat the
// last output) for windows of `taps` taps (the taps padded with zero weights), moved left where a window would run
// past the `src_width` readable pixels. Returns the bytes any slot reads from the row start when its last step reads
// 16 bytes from tap `taps − step`.
static long vis_plan_starts(int32_t *plan_starts, size_t slots, const int32_t *starts, size_t out_width, size_t taps,
                            size_t src_width, long step) {
    long reach = 0;
    for (size_t slot = 0; slot < slots; slot++) {
        long start = starts[slot < out_width ? slot : out_width - 1];
        if (start + (long)taps > (long)src_width) start = (long)src_width - (long)taps;
        plan_starts[slot] = (int32_t)start;
        long end = (start + (long)taps - step) * 3 + 16;
        reach = end > reach ? end : reach;
    }
    return reach;
}

// `count` first taps and `bytes` zeroed coefficient bytes; 0 (nothing allocated) when out of memory.
static int vis_plan_allocate(int32_t **starts, size_t count, void **coefficients, size_t bytes) {
    *starts = malloc(count * sizeof(int32_t));
    *coefficients = calloc(bytes, 1);
    if (*starts && *coefficients) return 1;
    free(*starts);
    free(*coefficients);
    return 0;
}

// The vector horizontal pass for RGB, two output pixels at a time: the low half of a register works on pixel x,
// the high half on pixel x + 1. Each output's taps are padded with zero weights to an even count, its first tap
// moved left where the padding would run past the row, so that every output reads `taps` pixels. Each step loads
// 16 source bytes from each pixel's window, shuffles taps (k, k+1) into int16 pairs (R pair, G pair, B pair, zero
// pair) and multiply-adds them with the coefficients' halves laid out the same way; the halves of the register
// are the two pixels' sums, so finishing needs no reduction across them.
struct vis_horizontal_plan {
    size_t taps;            // even
    size_t pairs;           // output pixel pairs; an odd last pixel is paired with itself
    int32_t *starts;        // first tap per output pixel (two per pair), in pixels from the row start (may be < 0)
    int16_t *weights;       // per pair, per tap pair: 16 int16 of `hi` (low half pixel x, high half x + 1), 16 of `lo`
    size_t reach;           // bytes any output reads, from the row start
};

static int vis_horizontal_plan_make(struct vis_horizontal_plan *plan, const int32_t *starts, const int32_t *counts,
                                    const int32_t *weights, size_t weight_stride, size_t out_width, size_t src_width,
                                    size_t src_left) {
    size_t most = 0;
    for (size_t x = 0; x < out_width; x++) most = (size_t)counts[x] > most ? (size_t)counts[x] : most;
    size_t taps = (most + 1) & ~(size_t)1;
    if (taps == 0 || taps > src_width + src_left) return 0;
    size_t pairs = (out_width + 1) / 2;
    plan->taps = taps;
    plan->pairs = pairs;
    void *coefficients;
    if (!vis_plan_allocate(&plan->starts, 2 * pairs, &coefficients, pairs * (taps / 2) * 32 * sizeof(int16_t))) return 0;
    plan->weights = coefficients;
    plan->reach = (size_t)vis_plan_starts(plan->starts, 2 * pairs, starts, out_width, taps, src_width, 2);
    for (size_t slot = 0; slot < 2 * pairs; slot++) {
        size_t x = slot < out_width ? slot : out_width - 1;
        long shift = starts[x] - plan->starts[slot];
        int16_t *out = plan->weights + (slot / 2) * (taps / 2) * 32 + (slot % 2) * 8;
        for (long k = 0; k < counts[x]; k++) {
            int32_t w = weights[x * weight_stride + (size_t)k];
            long tap = k + shift;
            for (long c = 0; c < 3; c++) {
                long index = (tap / 2) * 32 + c * 2 + tap % 2;
                out[index] = (int16_t)(w >> vis_pillow_split);
                out[index + 16] = (int16_t)(w & ((1 << vis_pillow_split) - 1));
            }
        }
    }
    return 1;
}

VIS_AVX2 static void avx2_horizontal_rgb_rows4(const struct vis_horizontal_plan *, const uint8_t *, size_t, size_t,
                                               uint8_t *, size_t);
VIS_AVX2 static void avx2_horizontal_rgb_row(const struct vis_horizontal_plan *, const uint8_t *, size_t, uint8_t *);

// Stores two pixels' shifted sums (low and high half, lanes R, G, B), clipped, at pixel `x` of `out`.
VIS_AVX2 static inline void avx2_store_pair(__m256i sum, uint8_t *out, size_t x, size_t out_width) {
    sum = _mm256_packs_epi32(sum, sum);
    sum = _mm256_packus_epi16(sum, sum);
    uint32_t packed0 = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(sum));
    uint32_t packed1 = (uint32_t)_mm_cvtsi128_si32(_mm256_extracti128_si256(sum, 1));
    // A pixel's fourth byte is overwritten by the next pixel. (Constant sizes, so that the copies are moves.)
    if (x + 2 < out_width) {
        memcpy(out + x * 3, &packed0, 4);
        memcpy(out + x * 3 + 3, &packed1, 4);
    } else if (x + 1 < out_width) {
        memcpy(out + x * 3, &packed0, 4);
        memcpy(out + x * 3 + 3, &packed1, 3);
    } else {
        memcpy(out + x * 3, &packed0, 3);
    }
}

// `count` rows (1…4) `src_stride` bytes apart at once, so that each step's coefficients, which do not all stay in
// the first-level cache for a wide output, are loaded once for all of them.
VIS_AVX2 static inline __attribute__((always_inline)) void avx2_horizontal_rgb(
    const struct vis_horizontal_plan *plan, const uint8_t *row, size_t src_stride, int count, size_t out_width,
    uint8_t *out, size_t dst_stride) {
    const __m256i shuffle = _mm256_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1, 0, -1, 3, -1,
                                             1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1);
    size_t steps = plan->taps / 2;
    const int16_t *weights = plan->weights;
    for (size_t pair = 0; pair < plan->pairs; pair++) {
        long offset0 = (long)plan->starts[2 * pair] * 3, offset1 = (long)plan->starts[2 * pair + 1] * 3;
        __m256i hi[4], lo[4];
        for (int r = 0; r < 4; r++) hi[r] = lo[r] = _mm256_setzero_si256();
        for (size_t j = 0; j < steps; j++, weights += 32) {
            __m256i w_hi = _mm256_loadu_si256((const __m256i *)weights);
            __m256i w_lo = _mm256_loadu_si256((const __m256i *)(weights + 16));
            for (int r = 0; r < count; r++) {
                const uint8_t *line = row + (size_t)r * src_stride + j * 6;
                __m256i pixels = _mm256_loadu2_m128i((const __m128i *)(line + offset1), (const __m128i *)(line + offset0));
                pixels = _mm256_shuffle_epi8(pixels, shuffle);
                hi[r] = _mm256_add_epi32(hi[r], _mm256_madd_epi16(pixels, w_hi));
                lo[r] = _mm256_add_epi32(lo[r], _mm256_madd_epi16(pixels, w_lo));
            }
        }
        for (int r = 0; r < count; r++) {
            __m256i sum = _mm256_add_epi32(_mm256_add_epi32(_mm256_slli_epi32(hi[r], vis_pillow_split), lo[r]),
                                           _mm256_set1_epi32(1 << (vis_pillow_bits - 1)));
            avx2_store_pair(_mm256_srai_epi32(sum, vis_pillow_bits), out + (size_t)r * dst_stride, 2 * pair, out_width);
        }
    }
}

// The row counts compiled separately, so that each keeps its sums in registers.
VIS_AVX2 static void avx2_horizontal_rgb_rows4(const struct vis_horizontal_plan *plan, const uint8_t *row,
                                               size_t src_stride, size_t out_width, uint8_t *out, size_t dst_stride) {
    avx2_horizontal_rgb(plan, row, src_stride, 4, out_width, out, dst_stride);
}

VIS_AVX2 static void avx2_horizontal_rgb_row(const struct vis_horizontal_plan *plan, const uint8_t *row,
                                             size_t out_width, uint8_t *out) {
    avx2_horizontal_rgb(plan, row, 0, 1, out_width, out, 0);
}

// The horizontal pass for RGB with AVX-VNNI's `vpdpbusd` (four unsigned bytes times four signed bytes, summed into
// an int32 lane without intermediate rounding or saturation): each coefficient is split into three signed
// base-256 digits, `w = d2·2^16 + d1·2^8 + d0`, so that three dot products over four taps give `Σx·d2`, `Σx·d1`
// and `Σx·d0`, and `(Σx·d2 << 16) + (Σx·d1 << 8) + Σx·d0` is `Σx·w` modulo 2^32, Pillow's `int` sum. Output pixels
// go four at a time in two registers, x and x + 2 in one (low and high half), x + 1 and x + 3 in the other, each
// half's lanes the R, G, B sums and a zero lane, so that packing the two registers puts x, x + 1 in the low half
// and x + 2, x + 3 in the high half, in order. Taps are padded with zero weights to a multiple of four, a pixel's
// first tap moved left where the padding would run past the row; each step loads 16 source bytes per pixel (four
// taps) and shuffles each channel's four bytes into its lane.
#define VIS_VNNI __attribute__((target("avx2,avxvnni")))

// `w` as `d[0]·2^16 + d[1]·2^8 + d[2]`, each digit in −128…127 (for |w| < 2^23 − 2^15).
static inline void vis_digits(int32_t w, int8_t d[3]) {
    int32_t d0 = (int8_t)(w & 255), rest = (w - d0) / 256;
    int32_t d1 = (int8_t)(rest & 255);
    d[0] = (int8_t)((rest - d1) / 256);
    d[1] = (int8_t)d1;
    d[2] = (int8_t)d0;
}

struct vis_vnni_plan {
    size_t steps;           // four taps each
    size_t quads;           // groups of four output pixels; missing pixels of the last repeat the last pixel
    int32_t *starts;        // first tap per output pixel (four per quad, in pixel order), from the row start (may be < 0)
    int8_t *digits;         // per quad, per step, per register: 32 bytes each of d2, d1, d0
    size_t reach;           // bytes any output reads, from the row start
};

// 0 when the digits do not fit (a coefficient at or beyond ±2^23, which no Pillow filter makes), the taps are
// wider than the readable row, or out of memory.
static int vis_vnni_plan_make(struct vis_vnni_plan *plan, const int32_t *starts, const int32_t *counts,
                              const int32_t *weights, size_t weight_stride, size_t out_width, size_t src_width,
                              size_t src_left) {
    size_t most = 0;
    for (size_t x = 0; x < out_width; x++) {
        most = (size_t)counts[x] > most ? (size_t)counts[x] : most;
        for (int32_t k = 0; k < counts[x]; k++) {
            int32_t w = weights[x * weight_stride + (size_t)k];
            if (w >= (1 << 23) - (1 << 15) || w < -(1 << 23)) return 0;
        }
    }
    size_t taps = (most + 3) & ~(size_t)3;
    if (taps == 0 || taps > src_width + src_left) return 0;
    size_t quads = (out_width + 3) / 4, steps = taps / 4;
    plan->steps = steps;
    plan->quads = quads;
    void *coefficients;
    if (!vis_plan_allocate(&plan->starts, 4 * quads, &coefficients, quads * steps * 192)) return 0;
    plan->digits = coefficients;
    plan->reach = (size_t)vis_plan_starts(plan->starts, 4 * quads, starts, out_width, taps, src_width, 4);
    for (size_t slot = 0; slot < 4 * quads; slot++) {
        size_t x = slot < out_width ? slot : out_width - 1;
        long shift = starts[x] - plan->starts[slot];
        size_t place = slot % 4;
        int8_t *out = plan->digits + (slot / 4) * steps * 192 + (place & 1) * 96 + (place >> 1) * 16;
        for (long k = 0; k < counts[x]; k++) {
            int8_t d[3];
            vis_digits(weights[x * weight_stride + (size_t)k], d);
            long tap = k + shift;
            for (long c = 0; c < 3; c++) {
                long index = (tap / 4) * 192 + c * 4 + tap % 4;
                out[index] = d[0];
                out[index + 32] = d[1];
                out[index + 64] = d[2];
            }
        }
    }
    return 1;
}

VIS_VNNI static inline __m256i vnni_sum(__m256i s2, __m256i s1, __m256i s0) {
    __m256i sum = _mm256_add_epi32(_mm256_slli_epi32(_mm256_add_epi32(_mm256_slli_epi32(s2, 8), s1), 8), s0);
    return _mm256_srai_epi32(sum, vis_pillow_bits);
}

// One row. (Two rows sharing each step's digit loads need twelve sums, more registers than there are.) The rounding
// half unit starts the d0 sums.
VIS_VNNI static void vnni_horizontal_rgb_row(const struct vis_vnni_plan *plan, const uint8_t *line, size_t out_width,
                                             uint8_t *out) {
    const __m256i shuffle = _mm256_setr_epi8(0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, -1, -1, -1, -1,
                                             0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, -1, -1, -1, -1);
    // Bytes R, G, B of the two pixels in each half, then the rest.
    const __m256i compact = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                             0, 1, 2, 4, 5, 6, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const int8_t *digits = plan->digits;
    size_t row_bytes = out_width * 3;
    for (size_t quad = 0; quad < plan->quads; quad++) {
        const int32_t *start = plan->starts + 4 * quad;
        const uint8_t *p0 = line + (long)start[0] * 3, *p1 = line + (long)start[1] * 3, *p2 = line + (long)start[2] * 3,
                      *p3 = line + (long)start[3] * 3;
        __m256i a2 = _mm256_setzero_si256(), a1 = a2, b2 = a2, b1 = a2;
        __m256i a0 = _mm256_set1_epi32(1 << (vis_pillow_bits - 1)), b0 = a0;
        for (size_t j = 0; j < plan->steps; j++, digits += 192) {
            const __m256i *d = (const __m256i *)digits;
            __m256i a = _mm256_shuffle_epi8(
                _mm256_loadu2_m128i((const __m128i *)(p2 + 12 * j), (const __m128i *)(p0 + 12 * j)), shuffle);
            __m256i b = _mm256_shuffle_epi8(
                _mm256_loadu2_m128i((const __m128i *)(p3 + 12 * j), (const __m128i *)(p1 + 12 * j)), shuffle);
            a2 = _mm256_dpbusd_avx_epi32(a2, a, _mm256_loadu_si256(d));
            a1 = _mm256_dpbusd_avx_epi32(a1, a, _mm256_loadu_si256(d + 1));
            a0 = _mm256_dpbusd_avx_epi32(a0, a, _mm256_loadu_si256(d + 2));
            b2 = _mm256_dpbusd_avx_epi32(b2, b, _mm256_loadu_si256(d + 3));
            b1 = _mm256_dpbusd_avx_epi32(b1, b, _mm256_loadu_si256(d + 4));
            b0 = _mm256_dpbusd_avx_epi32(b0, b, _mm256_loadu_si256(d + 5));
        }
        __m256i words = _mm256_packs_epi32(vnni_sum(a2, a1, a0), vnni_sum(b2, b1, b0));
        __m256i bytes = _mm256_shuffle_epi8(_mm256_packus_epi16(words, words), compact);
        uint8_t *target = out + quad * 12;
        // Each half's 8-byte store writes 2 bytes past its pixels, which the next store overwrites; the last quads
        // of a row go through a buffer instead.
        if (quad * 12 + 14 <= row_bytes) {
            _mm_storel_epi64((__m128i *)target, _mm256_castsi256_si128(bytes));
            _mm_storel_epi64((__m128i *)(target + 6), _mm256_extracti128_si256(bytes, 1));
        } else {
            uint8_t buffer[16];
            _mm_storel_epi64((__m128i *)buffer, _mm256_castsi256_si128(bytes));
            _mm_storel_epi64((__m128i *)(buffer + 6), _mm256_extracti128_si256(bytes, 1));
            memcpy(target, buffer, row_bytes - quad * 12 < 12 ? row_bytes - quad * 12 : 12);
        }
    }
}

// The VNNI pass over all rows; 0 when it has no plan for these coefficients (the caller takes another path).
static int vnni_horizontal(const uint8_t *src, size_t src_stride, size_t src_left, size_t src_width,
                           const uint8_t *src_end, size_t rows, const int32_t *starts, const int32_t *counts,
                           const int32_t *weights, size_t weight_stride, size_t out_width, uint8_t *dst,
                           size_t dst_stride) {
    struct vis_vnni_plan plan;
    if (!vis_vnni_plan_make(&plan, starts, counts, weights, weight_stride, out_width, src_width, src_left)) return 0;
    for (size_t y = 0; y < rows; y++) {
        const uint8_t *row = src + y * src_stride;
        uint8_t *out = dst + y * dst_stride;
        // A row whose padded reads would pass the end of the source buffer goes through the scalar loop.
        if ((size_t)(src_end - row) < plan.reach) {
            scalar_horizontal(row, src_stride, 1, 3, starts, counts, weights, weight_stride, out_width, out, dst_stride);
        } else {
            vnni_horizontal_rgb_row(&plan, row, out_width, out);
        }
    }
    free(plan.starts);
    free(plan.digits);
    return 1;
}

VIS_AVX2 static inline __m128i avx2_finish16(__m256i hi0, __m256i lo0, __m256i hi1, __m256i lo1) {
    const __m256i half = _mm256_set1_epi32(1 << (vis_pillow_bits - 1));
    __m256i s0 = _mm256_srai_epi32(_mm256_add_epi32(_mm256_add_epi32(_mm256_slli_epi32(hi0, vis_pillow_split), lo0), half),
                                   vis_pillow_bits);
    __m256i s1 = _mm256_srai_epi32(_mm256_add_epi32(_mm256_add_epi32(_mm256_slli_epi32(hi1, vis_pillow_split), lo1), half),
                                   vis_pillow_bits);
    __m128i a = _mm_packs_epi32(_mm256_castsi256_si128(s0), _mm256_extracti128_si256(s0, 1));
    __m128i b = _mm_packs_epi32(_mm256_castsi256_si128(s1), _mm256_extracti128_si256(s1, 1));
    return _mm_packus_epi16(a, b);
}

// The vertical pass, 16 samples at a time: rows k and k+1 interleaved byte by byte and widened to int16 pairs, so
// that one multiply-add per coefficient half gives 8 sums. An odd last tap pairs with itself at weight 0.
VIS_AVX2 static void avx2_vertical(const uint8_t *src, size_t src_stride, size_t row_length, long row_offset,
                                   const int32_t *starts, const int32_t *counts, const int32_t *weights,
                                   size_t weight_stride, size_t out_rows, uint8_t *dst, size_t dst_stride) {
    size_t vector_length = row_length & ~(size_t)15;
    for (size_t y = 0; y < out_rows; y++) {
        const int32_t *w = weights + y * weight_stride;
        const uint8_t *first = src + (size_t)((long)starts[y] - row_offset) * src_stride;
        int32_t count = counts[y];
        uint8_t *out = dst + y * dst_stride;
        enum { most = 64 };
        __m256i pair_hi[most / 2], pair_lo[most / 2];
        if (count > most) {
            scalar_vertical(src, src_stride, row_length, row_offset, starts + y, counts + y, w, weight_stride, 1, out,
                            dst_stride);
            continue;
        }
        int pairs = (count + 1) / 2;
        for (int p = 0; p < pairs; p++) {
            int32_t w0 = w[2 * p], w1 = 2 * p + 1 < count ? w[2 * p + 1] : 0;
            uint32_t hi = (uint16_t)(int16_t)(w0 >> vis_pillow_split) | (uint32_t)(uint16_t)(int16_t)(w1 >> vis_pillow_split) << 16;
            uint32_t lo = (uint32_t)(w0 & 2047) | (uint32_t)(w1 & 2047) << 16;
            pair_hi[p] = _mm256_set1_epi32((int32_t)hi);
            pair_lo[p] = _mm256_set1_epi32((int32_t)lo);
        }
        for (size_t i = 0; i < vector_length; i += 16) {
            __m256i hi0 = _mm256_setzero_si256(), lo0 = hi0, hi1 = hi0, lo1 = hi0;
            for (int p = 0; p < pairs; p++) {
                const uint8_t *a = first + (size_t)(2 * p) * src_stride + i;
                const uint8_t *b = 2 * p + 1 < count ? a + src_stride : a;
                __m128i ra = _mm_loadu_si128((const __m128i *)a), rb = _mm_loadu_si128((const __m128i *)b);
                __m256i low = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(ra, rb));
                __m256i high = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(ra, rb));
                hi0 = _mm256_add_epi32(hi0, _mm256_madd_epi16(low, pair_hi[p]));
                lo0 = _mm256_add_epi32(lo0, _mm256_madd_epi16(low, pair_lo[p]));
                hi1 = _mm256_add_epi32(hi1, _mm256_madd_epi16(high, pair_hi[p]));
                lo1 = _mm256_add_epi32(lo1, _mm256_madd_epi16(high, pair_lo[p]));
            }
            _mm_storeu_si128((__m128i *)(out + i), avx2_finish16(hi0, lo0, hi1, lo1));
        }
        for (size_t i = vector_length; i < row_length; i++) {
            uint32_t sum = 1u << (vis_pillow_bits - 1);
            for (int32_t k = 0; k < count; k++) sum += (uint32_t)first[(size_t)k * src_stride + i] * (uint32_t)w[k];
            out[i] = vis_pillow_clip8(sum);
        }
    }
}


// The vertical pass with AVX-VNNI, 32 samples at a time: four source rows' bytes interleaved so that each int32 lane
// holds one sample's four taps, three `vpdpbusd` (the coefficients' base-256 digits, as in the horizontal pass) per
// four taps and eight samples. Rows whose coefficients do not split (never for Pillow's filters) or are more than
// 64 go through the AVX2 pass, as do the samples after the last whole group of 32.
VIS_VNNI static void vnni_vertical(const uint8_t *src, size_t src_stride, size_t row_length, long row_offset,
                                   const int32_t *starts, const int32_t *counts, const int32_t *weights,
                                   size_t weight_stride, size_t out_rows, uint8_t *dst, size_t dst_stride) {
    enum { most = 64 };
    size_t vector_length = row_length & ~(size_t)31;
    for (size_t y = 0; y < out_rows; y++) {
        const int32_t *w = weights + y * weight_stride;
        const uint8_t *first = src + (size_t)((long)starts[y] - row_offset) * src_stride;
        int32_t count = counts[y];
        uint8_t *out = dst + y * dst_stride;
        int fits = count > 0 && count <= most;
        for (int32_t k = 0; fits && k < count; k++) fits = w[k] < (1 << 23) - (1 << 15) && w[k] >= -(1 << 23);
        if (!fits) {
            avx2_vertical(src, src_stride, row_length, row_offset, starts + y, counts + y, w, weight_stride, 1, out,
                          dst_stride);
            continue;
        }
        int quads = (count + 3) / 4;
        // Per quad of taps: each digit's four bytes repeated over the register, and the four rows (a missing tap
        // reads the last row at weight 0).
        __m256i digits[most / 4][3];
        const uint8_t *rows[most / 4][4];
        for (int q = 0; q < quads; q++) {
            uint32_t d[3] = {0, 0, 0};
            for (int j = 0; j < 4; j++) {
                int k = 4 * q + j;
                int8_t digit[3];
                vis_digits(k < count ? w[k] : 0, digit);
                for (int n = 0; n < 3; n++) d[n] |= (uint32_t)(uint8_t)digit[n] << (8 * j);
                rows[q][j] = first + (size_t)(k < count ? k : count - 1) * src_stride;
            }
            for (int digit = 0; digit < 3; digit++) digits[q][digit] = _mm256_set1_epi32((int32_t)d[digit]);
        }
        for (size_t i = 0; i < vector_length; i += 32) {
            __m256i s2[4], s1[4], s0[4];
            for (int g = 0; g < 4; g++) {
                s2[g] = s1[g] = _mm256_setzero_si256();
                s0[g] = _mm256_set1_epi32(1 << (vis_pillow_bits - 1));
            }
            for (int q = 0; q < quads; q++) {
                __m256i r0 = _mm256_loadu_si256((const __m256i *)(rows[q][0] + i));
                __m256i r1 = _mm256_loadu_si256((const __m256i *)(rows[q][1] + i));
                __m256i r2 = _mm256_loadu_si256((const __m256i *)(rows[q][2] + i));
                __m256i r3 = _mm256_loadu_si256((const __m256i *)(rows[q][3] + i));
                __m256i t0 = _mm256_unpacklo_epi8(r0, r1), t1 = _mm256_unpackhi_epi8(r0, r1);
                __m256i u0 = _mm256_unpacklo_epi8(r2, r3), u1 = _mm256_unpackhi_epi8(r2, r3);
                // Samples 0–3 | 16–19, 4–7 | 20–23, 8–11 | 24–27, 12–15 | 28–31.
                __m256i g[4] = {_mm256_unpacklo_epi16(t0, u0), _mm256_unpackhi_epi16(t0, u0),
                                _mm256_unpacklo_epi16(t1, u1), _mm256_unpackhi_epi16(t1, u1)};
                for (int k = 0; k < 4; k++) {
                    s2[k] = _mm256_dpbusd_avx_epi32(s2[k], g[k], digits[q][0]);
                    s1[k] = _mm256_dpbusd_avx_epi32(s1[k], g[k], digits[q][1]);
                    s0[k] = _mm256_dpbusd_avx_epi32(s0[k], g[k], digits[q][2]);
                }
            }
            __m256i sums[4];
            for (int k = 0; k < 4; k++) sums[k] = vnni_sum(s2[k], s1[k], s0[k]);
            __m256i bytes = _mm256_packus_epi16(_mm256_packs_epi32(sums[0], sums[1]), _mm256_packs_epi32(sums[2], sums[3]));
            _mm256_storeu_si256((__m256i *)(out + i), bytes);
        }
    }
    if (vector_length < row_length)
        avx2_vertical(src + vector_length, src_stride, row_length - vector_length, row_offset, starts, counts, weights,
                      weight_stride, out_rows, dst + vector_length, dst_stride);
}

// One box pass down every column of `in` at once (`length` rows of `row_length` samples), 8 or 16 samples per
// vector: the scalar line pass's arithmetic with the samples of a row side by side. Samples after the last whole
// group of 8 go through the scalar line pass, one column each.
VIS_AVX2 static inline __m256i avx2_row8(const uint8_t *in, size_t row_length, long row, size_t offset) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(in + (size_t)row * row_length + offset)));
}

VIS_AVX2 static inline __m256i avx2_row16(const uint8_t *in, size_t row_length, long row, size_t offset) {
    return _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(in + (size_t)row * row_length + offset)));
}

// 16 samples per vector, for radii up to 63, where the running sum of 2r + 1 samples fits int16: the sum and the
// two outer samples' sum interleaved as int16 pairs, so that multiply-adds with the weights' 12-bit halves,
// `(ww mod 2^12, fw mod 2^12)` and `(ww >> 12, fw >> 12)`, give `acc·ww + sides·fw` as `low + (high << 12)` modulo
// 2^32, the scalar pass's `uint32` sum. Returns the number of samples done (whole groups of 16).
VIS_AVX2 static size_t avx2_box_columns16(const uint8_t *in, uint8_t *out, size_t length, size_t row_length,
                                          int radius, uint32_t ww, uint32_t fw) {
    if (radius > 63) return 0;
    long last = (long)length - 1;
    long edge_a = radius + 1 < (long)length ? radius + 1 : (long)length;
    long edge_b = (long)length - radius - 1 > 0 ? (long)length - radius - 1 : 0;
    const __m256i low = _mm256_set1_epi32((int32_t)((ww & 4095) | (fw & 4095) << 16));
    const __m256i high = _mm256_set1_epi32((int32_t)((ww >> 12) | (fw >> 12) << 16));
    const __m256i half = _mm256_set1_epi32(1 << 23);
    size_t groups = row_length / 16;
    for (size_t group = 0; group < groups; group++) {
        size_t offset = group * 16;
        __m256i acc = _mm256_mullo_epi16(avx2_row16(in, row_length, 0, offset), _mm256_set1_epi16((int16_t)(radius + 1)));
        for (long x = 0; x < edge_a - 1; x++) acc = _mm256_add_epi16(acc, avx2_row16(in, row_length, x, offset));
        acc = _mm256_add_epi16(acc, _mm256_mullo_epi16(avx2_row16(in, row_length, last, offset),
                                                       _mm256_set1_epi16((int16_t)(radius - edge_a + 1))));
#define VSTEP16(x, sub, add, left, right)                                                                            \
    do {                                                                                                             \
        acc = _mm256_sub_epi16(_mm256_add_epi16(acc, avx2_row16(in, row_length, add, offset)),                        \
                               avx2_row16(in, row_length, sub, offset));                                             \
        __m256i sides = _mm256_add_epi16(avx2_row16(in, row_length, left, offset),                                    \
                                         avx2_row16(in, row_length, right, offset));                                 \
        __m256i first = _mm256_unpacklo_epi16(acc, sides), second = _mm256_unpackhi_epi16(acc, sides);              \
        __m256i bulk0 = _mm256_add_epi32(_mm256_madd_epi16(first, low),                                             \
                                         _mm256_slli_epi32(_mm256_madd_epi16(first, high), 12));                     \
        __m256i bulk1 = _mm256_add_epi32(_mm256_madd_epi16(second, low),                                            \
                                         _mm256_slli_epi32(_mm256_madd_epi16(second, high), 12));                    \
        __m256i value0 = _mm256_srli_epi32(_mm256_add_epi32(bulk0, half), 24);                                       \
        __m256i value1 = _mm256_srli_epi32(_mm256_add_epi32(bulk1, half), 24);                                       \
        __m256i words = _mm256_packus_epi32(value0, value1);   /* per half: samples 0–7, then 8–15 */               \
        __m256i bytes = _mm256_packus_epi16(words, words);                                                           \
        bytes = _mm256_permute4x64_epi64(bytes, 0x08);                                                               \
        _mm_storeu_si128((__m128i *)(out + (size_t)(x) * row_length + offset), _mm256_castsi256_si128(bytes));      \
    } while (0)
        VIS_BOX_STRETCHES(VSTEP16);
#undef VSTEP16
    }
    return groups * 16;
}

VIS_AVX2 static void avx2_box_columns(const uint8_t *in, uint8_t *out, size_t length, size_t row_length, int radius,
                                      uint32_t ww, uint32_t fw) {
    long last = (long)length - 1;
    long edge_a = radius + 1 < (long)length ? radius + 1 : (long)length;
    long edge_b = (long)length - radius - 1 > 0 ? (long)length - radius - 1 : 0;
    const __m256i wwv = _mm256_set1_epi32((int32_t)ww), fwv = _mm256_set1_epi32((int32_t)fw),
                  half = _mm256_set1_epi32(1 << 23);
    size_t done = avx2_box_columns16(in, out, length, row_length, radius, ww, fw);
    size_t groups = row_length / 8;
    for (size_t group = done / 8; group < groups; group++) {
        size_t offset = group * 8;
        __m256i acc = _mm256_mullo_epi32(avx2_row8(in, row_length, 0, offset), _mm256_set1_epi32(radius + 1));
        for (long x = 0; x < edge_a - 1; x++) acc = _mm256_add_epi32(acc, avx2_row8(in, row_length, x, offset));
        acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(avx2_row8(in, row_length, last, offset),
                                                       _mm256_set1_epi32((int32_t)(uint32_t)(radius - edge_a + 1))));
#define VSTEP(x, sub, add, left, right)                                                                              \
    do {                                                                                                             \
        acc = _mm256_sub_epi32(_mm256_add_epi32(acc, avx2_row8(in, row_length, add, offset)),                         \
                               avx2_row8(in, row_length, sub, offset));                                              \
        __m256i sides = _mm256_add_epi32(avx2_row8(in, row_length, left, offset), avx2_row8(in, row_length, right, offset)); \
        __m256i bulk = _mm256_add_epi32(_mm256_mullo_epi32(acc, wwv), _mm256_mullo_epi32(sides, fwv));                 \
        __m256i value = _mm256_srli_epi32(_mm256_add_epi32(bulk, half), 24);                                          \
        __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(value), _mm256_extracti128_si256(value, 1));          \
        _mm_storel_epi64((__m128i *)(out + (size_t)(x) * row_length + offset), _mm_packus_epi16(words, words));       \
    } while (0)
        VIS_BOX_STRETCHES(VSTEP);
#undef VSTEP
    }
    for (size_t column = groups * 8; column < row_length; column++)
        vis_box_line(in + column, out + column, length, row_length, 1, radius, ww, fw);
}

// Pixel transposition (`width`×`height` pixels of `channels` bytes into `height`×`width`), so that the row passes
// run as column passes.
static inline void vis_transpose_n(const uint8_t *in, uint8_t *out, size_t width, size_t height, size_t channels) {
    enum { tile = 16 };
    for (size_t y0 = 0; y0 < height; y0 += tile) {
        for (size_t x0 = 0; x0 < width; x0 += tile) {
            size_t y1 = y0 + tile < height ? y0 + tile : height, x1 = x0 + tile < width ? x0 + tile : width;
            for (size_t y = y0; y < y1; y++)
                for (size_t x = x0; x < x1; x++)
                    memcpy(out + (x * height + y) * channels, in + (y * width + x) * channels, channels);
        }
    }
}

static void vis_transpose(const uint8_t *in, uint8_t *out, size_t width, size_t height, size_t channels) {
    // A constant pixel size makes each copy a move or two.
    switch (channels) {
    case 1: vis_transpose_n(in, out, width, height, 1); break;
    case 3: vis_transpose_n(in, out, width, height, 3); break;
    case 4: vis_transpose_n(in, out, width, height, 4); break;
    default: vis_transpose_n(in, out, width, height, channels); break;
    }
}

// RGB transposition 8×8 pixels at a time: each row's 8 pixels widened to int32 lanes, the 8×8 lane transpose of
// unpacks and half swaps, narrowed back. Pixels outside whole tiles, and tiles whose reads would pass the end of
// `in`, go through byte copies.
VIS_AVX2 static void avx2_transpose_rgb(const uint8_t *in, uint8_t *out, size_t width, size_t height) {
    const __m256i widen = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1,
                                           0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
    const __m256i narrow = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                            0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    size_t whole_x = width & ~(size_t)7, whole_y = height & ~(size_t)7;
    // Each row's read runs 4 bytes past the tile's 8 pixels: in the image's last row, only tiles with 10 pixels
    // from their start to the row's end are read that way.
    size_t last_tiles = width >= 10 ? ((width - 10) / 8 + 1) * 8 : 0;
    last_tiles = last_tiles < whole_x ? last_tiles : whole_x;
    for (size_t y0 = 0; y0 < whole_y; y0 += 8) {
        size_t end_x = y0 + 8 == height ? last_tiles : whole_x;
        for (size_t x0 = 0; x0 < end_x; x0 += 8) {
            __m256i r[8];
            for (int k = 0; k < 8; k++) {
                const uint8_t *row = in + ((y0 + (size_t)k) * width + x0) * 3;
                r[k] = _mm256_shuffle_epi8(_mm256_loadu2_m128i((const __m128i *)(row + 12), (const __m128i *)row), widen);
            }
            __m256i t[8], u[8];
            for (int k = 0; k < 8; k += 2) {
                t[k] = _mm256_unpacklo_epi32(r[k], r[k + 1]);
                t[k + 1] = _mm256_unpackhi_epi32(r[k], r[k + 1]);
            }
            for (int k = 0; k < 8; k += 4) {
                u[k] = _mm256_unpacklo_epi64(t[k], t[k + 2]);
                u[k + 1] = _mm256_unpackhi_epi64(t[k], t[k + 2]);
                u[k + 2] = _mm256_unpacklo_epi64(t[k + 1], t[k + 3]);
                u[k + 3] = _mm256_unpackhi_epi64(t[k + 1], t[k + 3]);
            }
            for (int k = 0; k < 4; k++) {
                // Output rows x0 + k and x0 + k + 4: pixels of input rows y0…y0+7.
                __m256i low = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u[k], u[k + 4], 0x20), narrow);
                __m256i high = _mm256_shuffle_epi8(_mm256_permute2x128_si256(u[k], u[k + 4], 0x31), narrow);
                for (int half = 0; half < 2; half++) {
                    __m256i value = half == 0 ? low : high;
                    uint8_t *target = out + ((x0 + (size_t)k + 4 * (size_t)half) * height + y0) * 3;
                    __m128i second = _mm256_extracti128_si256(value, 1);
                    // 16 bytes, then the second 12 over the first's last 4: exactly 24 bytes written.
                    _mm_storeu_si128((__m128i *)target, _mm256_castsi256_si128(value));
                    _mm_storel_epi64((__m128i *)(target + 12), second);
                    uint32_t tail = (uint32_t)_mm_extract_epi32(second, 2);
                    memcpy(target + 20, &tail, 4);
                }
            }
        }
    }
    for (size_t y = 0; y < height; y++) {
        size_t from = y >= whole_y ? 0 : whole_y == height && y + 8 >= height ? last_tiles : whole_x;
        for (size_t x = from; x < width; x++) memcpy(out + (x * height + y) * 3, in + (y * width + x) * 3, 3);
    }
}

VIS_AVX2 static void avx2_box_blur(uint8_t *pixels, size_t width, size_t height, size_t channels, int radius,
                                   uint32_t ww, uint32_t fw, uint8_t *scratch) {
    size_t size = width * height * channels;
    uint8_t *a = scratch, *b = scratch + size;
    // Rows: transposed, three column passes, transposed back.
    if (channels == 3) avx2_transpose_rgb(pixels, a, width, height);
    else vis_transpose(pixels, a, width, height, channels);
    avx2_box_columns(a, b, width, height * channels, radius, ww, fw);
    avx2_box_columns(b, a, width, height * channels, radius, ww, fw);
    avx2_box_columns(a, b, width, height * channels, radius, ww, fw);
    if (channels == 3) avx2_transpose_rgb(b, pixels, height, width);
    else vis_transpose(b, pixels, height, width, channels);
    avx2_box_columns(pixels, a, height, width * channels, radius, ww, fw);
    avx2_box_columns(a, b, height, width * channels, radius, ww, fw);
    avx2_box_columns(b, pixels, height, width * channels, radius, ww, fw);
}

// RGB pixels 8 at a time apart into int32 lanes and back: pixels 0–3 are bytes 0–11 of a register's low half,
// pixels 4–7 bytes 4–15 of its high half (loaded at byte 8).
static const int8_t vis_rgb_spread[3][32] = {
    {0, -1, -1, -1, 3, -1, -1, -1, 6, -1, -1, -1, 9, -1, -1, -1, 4, -1, -1, -1, 7, -1, -1, -1, 10, -1, -1, -1, 13, -1, -1, -1},
    {1, -1, -1, -1, 4, -1, -1, -1, 7, -1, -1, -1, 10, -1, -1, -1, 5, -1, -1, -1, 8, -1, -1, -1, 11, -1, -1, -1, 14, -1, -1, -1},
    {2, -1, -1, -1, 5, -1, -1, -1, 8, -1, -1, -1, 11, -1, -1, -1, 6, -1, -1, -1, 9, -1, -1, -1, 12, -1, -1, -1, 15, -1, -1, -1},
};

VIS_AVX2 static inline void avx2_load_rgb8(const uint8_t *pixel, __m256i *r, __m256i *g, __m256i *b) {
    __m256i rgb = _mm256_loadu2_m128i((const __m128i *)(pixel + 8), (const __m128i *)pixel);
    *r = _mm256_shuffle_epi8(rgb, _mm256_loadu_si256((const __m256i *)vis_rgb_spread[0]));
    *g = _mm256_shuffle_epi8(rgb, _mm256_loadu_si256((const __m256i *)vis_rgb_spread[1]));
    *b = _mm256_shuffle_epi8(rgb, _mm256_loadu_si256((const __m256i *)vis_rgb_spread[2]));
}

// 8 pixels whose int32 lanes hold R, G, B in their low three bytes (the fourth is dropped).
VIS_AVX2 static inline void avx2_store_rgb0(uint8_t *pixel, __m256i packed) {
    packed = _mm256_shuffle_epi8(packed, _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                                          0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1));
    __m128i high = _mm256_extracti128_si256(packed, 1);
    // The low half's 16-byte store runs 4 bytes into pixel 4, which the high half's stores then write.
    _mm_storeu_si128((__m128i *)pixel, _mm256_castsi256_si128(packed));
    _mm_storel_epi64((__m128i *)(pixel + 12), high);
    uint32_t tail = (uint32_t)_mm_extract_epi32(high, 2);
    memcpy(pixel + 20, &tail, 4);
}

VIS_AVX2 static inline void avx2_store_rgb8(uint8_t *pixel, __m256i r, __m256i g, __m256i b) {
    avx2_store_rgb0(pixel, _mm256_or_si256(r, _mm256_or_si256(_mm256_slli_epi32(g, 8), _mm256_slli_epi32(b, 16))));
}

VIS_AVX2 static inline __m256i avx2_luma8(__m256i r, __m256i g, __m256i b) {
    __m256i sum = _mm256_add_epi32(_mm256_mullo_epi32(r, _mm256_set1_epi32(19595)),
                                   _mm256_mullo_epi32(g, _mm256_set1_epi32(38470)));
    sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(b, _mm256_set1_epi32(7471)));
    return _mm256_srli_epi32(_mm256_add_epi32(sum, _mm256_set1_epi32(0x8000)), 16);
}

VIS_AVX2 static inline __m256i avx2_blend8(__m256 low, __m256i sample, __m256 alpha) {
    __m256 value = _mm256_add_ps(low, _mm256_mul_ps(alpha, _mm256_sub_ps(_mm256_cvtepi32_ps(sample), low)));
    value = _mm256_min_ps(_mm256_max_ps(value, _mm256_setzero_ps()), _mm256_set1_ps(255.0f));
    return _mm256_cvttps_epi32(value);
}

VIS_AVX2 static uint64_t avx2_luma_sum(const uint8_t *pixels, size_t count) {
    uint64_t total = 0;
    size_t i = 0;
    while (i + 8 <= count) {
        // Each lane adds at most 255 per step: flushed to 64 bits well before it could overflow.
        __m256i lanes = _mm256_setzero_si256();
        size_t end = count - i > (1u << 20) ? i + (1u << 20) : count;
        for (; i + 8 <= end; i += 8) {
            __m256i r, g, b;
            avx2_load_rgb8(pixels + i * 3, &r, &g, &b);
            lanes = _mm256_add_epi32(lanes, avx2_luma8(r, g, b));
        }
        uint32_t parts[8];
        _mm256_storeu_si256((__m256i *)parts, lanes);
        for (int k = 0; k < 8; k++) total += parts[k];
    }
    return total + scalar_luma_sum(pixels + i * 3, count - i, 3);
}

VIS_AVX2 static void avx2_saturation(uint8_t *pixels, size_t count, float alpha) {
    __m256 a = _mm256_set1_ps(alpha);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i r, g, b;
        avx2_load_rgb8(pixels + i * 3, &r, &g, &b);
        __m256 low = _mm256_cvtepi32_ps(avx2_luma8(r, g, b));
        avx2_store_rgb8(pixels + i * 3, avx2_blend8(low, r, a), avx2_blend8(low, g, a), avx2_blend8(low, b, a));
    }
    scalar_saturation(pixels + i * 3, count - i, 3, alpha);
}

VIS_AVX2 static void avx2_blend_constant(uint8_t *samples, size_t count, uint8_t low, float alpha) {
    __m256 a = _mm256_set1_ps(alpha), l = _mm256_set1_ps((float)low);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(samples + i));
        __m256i first = avx2_blend8(l, _mm256_cvtepu8_epi32(bytes), a);
        __m256i second = avx2_blend8(l, _mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8)), a);
        __m256i words = _mm256_packus_epi32(first, second);          // per half: first 4, second 4
        words = _mm256_permute4x64_epi64(words, 0xD8);                 // first 8, second 8
        __m128i packed = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
        _mm_storeu_si128((__m128i *)(samples + i), packed);
    }
    scalar_blend_constant(samples + i, count - i, low, alpha);
}

VIS_AVX2 static void avx2_mmcv_gray(const uint8_t *in, uint8_t *out, size_t count, double w0, double w1, double w2,
                                    size_t o0, size_t o2, size_t out_channels) {
    const __m256d a = _mm256_set1_pd(w0), b = _mm256_set1_pd(w1), c = _mm256_set1_pd(w2);
    const __m256d low = _mm256_setzero_pd(), high = _mm256_set1_pd(255.0);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i channel[3];
        avx2_load_rgb8(in + i * 3, &channel[0], &channel[1], &channel[2]);
        __m128i halves[2];
        for (int half = 0; half < 2; half++) {
            __m128i first = half == 0 ? _mm256_castsi256_si128(channel[o0]) : _mm256_extracti128_si256(channel[o0], 1);
            __m128i middle = half == 0 ? _mm256_castsi256_si128(channel[1]) : _mm256_extracti128_si256(channel[1], 1);
            __m128i last = half == 0 ? _mm256_castsi256_si128(channel[o2]) : _mm256_extracti128_si256(channel[o2], 1);
            __m256d sum = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a, _mm256_cvtepi32_pd(first)),
                                                      _mm256_mul_pd(b, _mm256_cvtepi32_pd(middle))),
                                        _mm256_mul_pd(c, _mm256_cvtepi32_pd(last)));
            halves[half] = _mm256_cvttpd_epi32(_mm256_min_pd(_mm256_max_pd(sum, low), high));
        }
        __m256i gray = _mm256_set_m128i(halves[1], halves[0]);
        if (out_channels == 3) {
            avx2_store_rgb8(out + i * 3, gray, gray, gray);
        } else {
            __m128i words = _mm_packus_epi32(halves[0], halves[1]);
            _mm_storel_epi64((__m128i *)(out + i), _mm_packus_epi16(words, words));
        }
    }
    scalar_mmcv_gray(in + i * 3, out + i * out_channels, count - i, w0, w1, w2, o0, o2, out_channels);
}

// The hue shift on 8 pixels at a time, with the scalar path's results but cheaper operations, all in single
// precision, each replacement checked to give the same bytes over its whole domain (every colour, or every
// (h, s, v)):
// - The hue sum: of the two quotients the scalar path subtracts, the smallest channel's is exactly 1 (or 0 when it
//   is also the largest), so the sum is `K ± q` for one quotient q = (max − middle) / (max − min) and a constant K
//   per case; one float operation rounds that exact value once, as the scalar path's double sum rounded to float
//   does.
// - The hue byte: `hue / 6` in float, plus 1 when the hue is negative (for `fmod(hue / 6.0 + 1.0, 1.0)` in double
//   rounded to float: same byte for all 2^24 colours), then `trunc(h · 255)` of the exact product, which a float
//   product and its fused-multiply-add error give (the product rounded up to an integer is one too many).
// - The saturation byte `(cr / max) · 255` truncated; sector `6h / 255` and fraction `(6h − 255·sector) / 255`;
//   `fs = s / 255`; p, q, t as `v · (1 − …)` in float, rounded to nearest: over every (h, s, v) none of these
//   products is a whole number and a half (where C's `round` and rounding to even differ) or outside [0, 255.5),
//   so the bytes are the scalar path's without clipping.
// - R, G, B picked from v, p, q, t by one byte shuffle whose indices the sector selects.
// No case is needed for a gray pixel or for the hue and saturation bytes' ranges: a gray pixel's saturation byte is
// 0, so p = q = t = v whatever its hue byte, and both bytes lie in 0…255 by construction.
VIS_AVX2 static inline __m256i avx2_nearest8(__m256 value) {
    return _mm256_cvttps_epi32(_mm256_round_ps(value, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

VIS_AVX2_FMA static inline __m256i avx2_hue_byte(__m256 hue) {
    __m256 sixth = _mm256_div_ps(hue, _mm256_set1_ps(6.0f));
    __m256 turned = _mm256_blendv_ps(sixth, _mm256_add_ps(_mm256_set1_ps(1.0f), sixth),
                                     _mm256_cmp_ps(hue, _mm256_setzero_ps(), _CMP_LT_OQ));
    __m256 product = _mm256_mul_ps(turned, _mm256_set1_ps(255.0f));
    __m256 error = _mm256_fmsub_ps(turned, _mm256_set1_ps(255.0f), product);
    __m256i whole = _mm256_cvttps_epi32(product);
    __m256 over = _mm256_and_ps(_mm256_cmp_ps(_mm256_cvtepi32_ps(whole), product, _CMP_EQ_OQ),
                                _mm256_cmp_ps(error, _mm256_setzero_ps(), _CMP_LT_OQ));
    return _mm256_add_epi32(whole, _mm256_castps_si256(over));   // −1 where over
}

VIS_AVX2_FMA static void avx2_hue(uint8_t *pixels, size_t count, size_t channels, uint8_t shift) {
    size_t i = 0;
    const __m256i one = _mm256_set1_epi32(1);
    // Per sector 0…6 (6 is 0 again), the bytes of v, p, q, t (0, 1, 2, 3) that become R, G, B: (v,t,p) (q,v,p)
    // (p,v,t) (p,q,v) (t,p,v) (v,p,q); the fourth byte is zeroed.
    const __m256i sector_picks = _mm256_setr_epi32((int32_t)0x80010300, (int32_t)0x80010002, (int32_t)0x80030001,
                                                   (int32_t)0x80000201, (int32_t)0x80000103, (int32_t)0x80020100,
                                                   (int32_t)0x80010300, (int32_t)0x80010300);
    // Each lane's first byte within its 128-bit half.
    const __m256i lane_bytes = _mm256_setr_epi32(0, 0x04040404, 0x08080808, 0x0C0C0C0C, 0, 0x04040404, 0x08080808,
                                                 0x0C0C0C0C);
    for (; i + 8 <= count; i += 8) {
        uint8_t *pixel = pixels + i * channels;
        __m256i r, g, b;
        if (channels == 3) {
            avx2_load_rgb8(pixel, &r, &g, &b);
        } else {
            int32_t rs[8], gs[8], bs[8];
            for (int k = 0; k < 8; k++) {
                rs[k] = pixel[k * channels];
                gs[k] = pixel[k * channels + 1];
                bs[k] = pixel[k * channels + 2];
            }
            r = _mm256_loadu_si256((const __m256i *)rs);
            g = _mm256_loadu_si256((const __m256i *)gs);
            b = _mm256_loadu_si256((const __m256i *)bs);
        }
        __m256i maxc = _mm256_max_epi32(r, _mm256_max_epi32(g, b));
        __m256i minc = _mm256_min_epi32(r, _mm256_min_epi32(g, b));
        __m256i cr = _mm256_sub_epi32(maxc, minc);
        __m256i middle = _mm256_sub_epi32(_mm256_add_epi32(r, _mm256_add_epi32(g, b)), _mm256_add_epi32(maxc, minc));
        __m256 crf = _mm256_cvtepi32_ps(_mm256_max_epi32(cr, one));
        __m256 quotient = _mm256_div_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(maxc, middle)), crf);
        // Red largest: green smallest −1 + q, else 1 − q; green largest: red smallest 3 − q, else 1 + q; blue
        // largest: red smallest 3 + q, else 5 − q.
        __m256i is_r = _mm256_cmpeq_epi32(r, maxc);
        __m256i is_g = _mm256_andnot_si256(is_r, _mm256_cmpeq_epi32(g, maxc));
        __m256i is_b = _mm256_andnot_si256(_mm256_or_si256(is_r, is_g), _mm256_set1_epi32(-1));
        __m256i r_min = _mm256_cmpeq_epi32(r, minc), g_min = _mm256_cmpeq_epi32(g, minc);
        __m256i plus = _mm256_or_si256(_mm256_and_si256(is_r, g_min),
                                       _mm256_or_si256(_mm256_andnot_si256(r_min, is_g), _mm256_and_si256(is_b, r_min)));
        __m256 constant = _mm256_blendv_ps(_mm256_set1_ps(1.0f), _mm256_set1_ps(-1.0f),
                                           _mm256_castsi256_ps(_mm256_and_si256(is_r, g_min)));
        constant = _mm256_blendv_ps(constant, _mm256_set1_ps(3.0f),
                                    _mm256_castsi256_ps(_mm256_and_si256(_mm256_or_si256(is_g, is_b), r_min)));
        constant = _mm256_blendv_ps(constant, _mm256_set1_ps(5.0f),
                                    _mm256_castsi256_ps(_mm256_andnot_si256(r_min, is_b)));
        __m256 hue = _mm256_blendv_ps(_mm256_sub_ps(constant, quotient), _mm256_add_ps(constant, quotient),
                                      _mm256_castsi256_ps(plus));
        __m256i h = avx2_hue_byte(hue);
        __m256 ratio = _mm256_div_ps(_mm256_cvtepi32_ps(cr), _mm256_cvtepi32_ps(_mm256_max_epi32(maxc, one)));
        __m256i s = _mm256_cvttps_epi32(_mm256_mul_ps(ratio, _mm256_set1_ps(255.0f)));
        h = _mm256_and_si256(_mm256_add_epi32(h, _mm256_set1_epi32(shift)), _mm256_set1_epi32(255));

        const __m256 level = _mm256_set1_ps(255.0f), unit = _mm256_set1_ps(1.0f);
        __m256i six_h = _mm256_add_epi32(_mm256_slli_epi32(h, 2), _mm256_slli_epi32(h, 1));
        __m256i sector = _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(six_h), level));
        __m256i remainder = _mm256_sub_epi32(six_h, _mm256_sub_epi32(_mm256_slli_epi32(sector, 8), sector));
        __m256 f = _mm256_div_ps(_mm256_cvtepi32_ps(remainder), level);
        __m256 fs = _mm256_div_ps(_mm256_cvtepi32_ps(s), level);
        __m256 value = _mm256_cvtepi32_ps(maxc);
        __m256i p = avx2_nearest8(_mm256_mul_ps(value, _mm256_sub_ps(unit, fs)));
        __m256i q = avx2_nearest8(_mm256_mul_ps(value, _mm256_sub_ps(unit, _mm256_mul_ps(fs, f))));
        __m256i t = avx2_nearest8(_mm256_mul_ps(value, _mm256_sub_ps(unit, _mm256_mul_ps(fs, _mm256_sub_ps(unit, f)))));
        // v, p, q, t as the bytes of each lane, picked into R, G, B by the sector's byte indices.
        __m256i vpqt = _mm256_or_si256(_mm256_or_si256(maxc, _mm256_slli_epi32(p, 8)),
                                       _mm256_or_si256(_mm256_slli_epi32(q, 16), _mm256_slli_epi32(t, 24)));
        __m256i control = _mm256_add_epi8(_mm256_permutevar8x32_epi32(sector_picks, sector), lane_bytes);
        __m256i rgb = _mm256_shuffle_epi8(vpqt, control);
        if (channels == 3) {
            avx2_store_rgb0(pixel, rgb);
        } else {
            uint32_t packed[8];
            _mm256_storeu_si256((__m256i *)packed, rgb);
            for (int k = 0; k < 8; k++) memcpy(pixel + k * channels, &packed[k], 3);
        }
    }
    for (; i < count; i++) scalar_hue_pixel(pixels + i * channels, shift);
}

#endif

static int vis_pillow_path(int path) {
    // The Pillow kernels have no AVX-512 path: AVX2 serves where the CPU has both.
    int linear = vis_resize_linear_best_path();
    int best = linear == VIS_RESIZE_AVX2 || linear == VIS_RESIZE_AVX512 ? VIS_RESIZE_AVX2 : VIS_RESIZE_SCALAR;
    if (best == VIS_RESIZE_AVX2 && (vis_cpu_features() & VIS_CPU_AVX_VNNI)) best = VIS_RESIZE_AVX_VNNI;
    if (path == VIS_RESIZE_AVX512) path = VIS_RESIZE_AVX2;
    if (path == VIS_RESIZE_BEST || path > best) path = best;
    return path == VIS_RESIZE_AVX_VNNI || path == VIS_RESIZE_AVX2 ? path : VIS_RESIZE_SCALAR;
}

#if defined(__x86_64__)
// Whether the AVX2 kernels run on `path` (VNNI changes only the resampling passes).
static int vis_pillow_vector(int path) { return vis_pillow_path(path) != VIS_RESIZE_SCALAR; }
#endif

int vis_pillow_resample_path(int path) { return vis_pillow_path(path); }

int vis_pillow_horizontal_u8(const uint8_t *src, size_t src_stride, size_t src_left, size_t src_width,
                             const uint8_t *src_end, size_t rows, size_t channels, const int32_t *starts,
                             const int32_t *counts, const int32_t *weights, size_t weight_stride, size_t out_width,
                             uint8_t *dst, size_t dst_stride, int path) {
    path = vis_pillow_path(path);
#if defined(__x86_64__)
    if (path == VIS_RESIZE_AVX_VNNI && channels == 3 && out_width > 0 &&
        vnni_horizontal(src, src_stride, src_left, src_width, src_end, rows, starts, counts, weights, weight_stride,
                        out_width, dst, dst_stride))
        return 1;
    if (path != VIS_RESIZE_SCALAR && channels == 3 && out_width > 0) {
        struct vis_horizontal_plan plan;
        if (!vis_horizontal_plan_make(&plan, starts, counts, weights, weight_stride, out_width, src_width, src_left))
            goto scalar;
        size_t y = 0;
        // Four rows at a time while the last one's padded reads stay inside the source buffer.
        for (; y + 4 <= rows && (size_t)(src_end - (src + (y + 3) * src_stride)) >= plan.reach; y += 4) {
            avx2_horizontal_rgb_rows4(&plan, src + y * src_stride, src_stride, out_width, dst + y * dst_stride, dst_stride);
        }
        for (; y < rows; y++) {
            const uint8_t *row = src + y * src_stride;
            uint8_t *out = dst + y * dst_stride;
            // A row whose padded reads would pass the end of the source buffer goes through the scalar loop.
            if ((size_t)(src_end - row) < plan.reach) {
                scalar_horizontal(row, src_stride, 1, channels, starts, counts, weights, weight_stride, out_width, out,
                                  dst_stride);
            } else {
                avx2_horizontal_rgb_row(&plan, row, out_width, out);
            }
        }
        free(plan.starts);
        free(plan.weights);
        return 1;
    }
scalar:
#else
    (void)src_left;
    (void)src_width;
    (void)src_end;
#endif
    scalar_horizontal(src, src_stride, rows, channels, starts, counts, weights, weight_stride, out_width, dst,
                      dst_stride);
    return 1;
}

void vis_pillow_vertical_u8(const uint8_t *src, size_t src_stride, size_t row_length, long row_offset,
                            const int32_t *starts, const int32_t *counts, const int32_t *weights, size_t weight_stride,
                            size_t out_rows, uint8_t *dst, size_t dst_stride, int path) {
#if defined(__x86_64__)
    if (vis_pillow_path(path) == VIS_RESIZE_AVX_VNNI) {
        vnni_vertical(src, src_stride, row_length, row_offset, starts, counts, weights, weight_stride, out_rows, dst,
                      dst_stride);
        return;
    }
    if (vis_pillow_vector(path)) {
        avx2_vertical(src, src_stride, row_length, row_offset, starts, counts, weights, weight_stride, out_rows, dst,
                      dst_stride);
        return;
    }
#else
    (void)path;
#endif
    scalar_vertical(src, src_stride, row_length, row_offset, starts, counts, weights, weight_stride, out_rows, dst,
                    dst_stride);
}

void vis_pillow_hue_u8(uint8_t *pixels, size_t count, size_t channels, uint8_t shift, int path) {
#if defined(__x86_64__)
    if (vis_pillow_vector(path)) {
        avx2_hue(pixels, count, channels, shift);
        return;
    }
#else
    (void)path;
#endif
    scalar_hue(pixels, count, channels, shift);
}

void vis_pillow_box_blur_u8(uint8_t *pixels, size_t width, size_t height, size_t channels, int radius, uint32_t ww,
                            uint32_t fw, uint8_t *scratch, int path) {
#if defined(__x86_64__)
    if (vis_pillow_vector(path)) {
        avx2_box_blur(pixels, width, height, channels, radius, ww, fw, scratch);
        return;
    }
#else
    (void)path;
#endif
    // Per row then per column, three passes each between two lines of scratch.
    size_t longest = width > height ? width : height;
    uint8_t *a = scratch, *b = scratch + longest * channels;
    for (size_t y = 0; y < height; y++) {
        uint8_t *row = pixels + y * width * channels;
        vis_box_line(row, a, width, channels, channels, radius, ww, fw);
        vis_box_line(a, b, width, channels, channels, radius, ww, fw);
        vis_box_line(b, row, width, channels, channels, radius, ww, fw);
    }
    for (size_t x = 0; x < width; x++) {
        uint8_t *column = pixels + x * channels;
        for (size_t y = 0; y < height; y++)
            for (size_t c = 0; c < channels; c++) a[y * channels + c] = column[y * width * channels + c];
        vis_box_line(a, b, height, channels, channels, radius, ww, fw);
        vis_box_line(b, a, height, channels, channels, radius, ww, fw);
        vis_box_line(a, b, height, channels, channels, radius, ww, fw);
        for (size_t y = 0; y < height; y++)
            for (size_t c = 0; c < channels; c++) column[y * width * channels + c] = b[y * channels + c];
    }
}

uint64_t vis_pillow_luma_sum_u8(const uint8_t *pixels, size_t count, size_t channels, int path) {
#if defined(__x86_64__)
    if (channels == 3 && vis_pillow_vector(path)) return avx2_luma_sum(pixels, count);
#else
    (void)path;
#endif
    return scalar_luma_sum(pixels, count, channels);
}

void vis_pillow_blend_constant_u8(uint8_t *samples, size_t count, uint8_t low, float alpha, int path) {
#if defined(__x86_64__)
    if (vis_pillow_vector(path)) {
        avx2_blend_constant(samples, count, low, alpha);
        return;
    }
#else
    (void)path;
#endif
    scalar_blend_constant(samples, count, low, alpha);
}

void vis_pillow_saturation_u8(uint8_t *pixels, size_t count, size_t channels, float alpha, int path) {
#if defined(__x86_64__)
    if (channels == 3 && vis_pillow_vector(path)) {
        avx2_saturation(pixels, count, alpha);
        return;
    }
#else
    (void)path;
#endif
    scalar_saturation(pixels, count, channels, alpha);
}

void vis_mmcv_grayscale_u8(const uint8_t *rgb, uint8_t *out, size_t count, double w0, double w1, double w2, int bgr,
                           size_t out_channels, int path) {
    size_t o0 = bgr ? 2 : 0, o2 = bgr ? 0 : 2;
#if defined(__x86_64__)
    if (vis_pillow_vector(path)) {
        avx2_mmcv_gray(rgb, out, count, w0, w1, w2, o0, o2, out_channels);
        return;
    }
#else
    (void)path;
#endif
    scalar_mmcv_gray(rgb, out, count, w0, w1, w2, o0, o2, out_channels);
}
