#include "CVisKernels.h"
#include "vis_cpu.h"

// Every multiply-add that is fused is written as one; no other may be contracted.
#pragma STDC FP_CONTRACT OFF

// ---- Portable definitions: the reference semantics, and the code on CPUs without the vector path. ----

static inline uint8_t vis_level(float scaled) {
    if (!(scaled > 0.0f)) return 0;
    if (scaled >= 255.0f) return 255;
    return (uint8_t)(int)scaled;
}

// A running range; `poison` becomes NaN once a value is NaN or infinite (x − x is 0 only for finite x).
struct vis_range {
    float low, high, poison;
};

static inline void vis_fold(struct vis_range *range, float value) {
    range->low = value < range->low ? value : range->low;
    range->high = value > range->high ? value : range->high;
    range->poison += value - value;
}

static inline int vis_unfold(struct vis_range range, float *minimum, float *maximum) {
    *minimum = range.low;
    *maximum = range.high;
    return range.poison == 0.0f;
}

#define VIS_DEFINE_PORTABLE(prefix, attributes)                                                                      \
    attributes static void prefix##_fma_row(const float *a, float b, const float *c, float d, float *out,            \
                                            size_t count) {                                                          \
        for (size_t i = 0; i < count; i++) out[i] = __builtin_fmaf(a[i], b, c[i] * d);                               \
    }                                                                                                                \
    attributes static int prefix##_fma_row_range(const float *a, float b, const float *c, float d, size_t count,     \
                                                 float *minimum, float *maximum) {                                   \
        struct vis_range range = {*minimum, *maximum, 0.0f};                                                         \
        for (size_t i = 0; i < count; i++) vis_fold(&range, __builtin_fmaf(a[i], b, c[i] * d));                      \
        return vis_unfold(range, minimum, maximum);                                                                  \
    }                                                                                                                \
    attributes static int prefix##_range(const float *values, size_t count, float *minimum, float *maximum) {        \
        struct vis_range range = {*minimum, *maximum, 0.0f};                                                         \
        for (size_t i = 0; i < count; i++) vis_fold(&range, values[i]);                                              \
        return vis_unfold(range, minimum, maximum);                                                                  \
    }                                                                                                                \
    attributes static void prefix##_levels(const float *values, float scale, float shift, uint8_t *out,              \
                                           size_t count) {                                                           \
        for (size_t i = 0; i < count; i++) out[i] = vis_level(__builtin_fmaf(values[i], scale, shift));              \
    }                                                                                                                \
    attributes static void prefix##_fma_row_levels(const float *a, float b, const float *c, float d, float scale,    \
                                                   float shift, uint8_t *out, size_t count) {                        \
        for (size_t i = 0; i < count; i++)                                                                           \
            out[i] = vis_level(__builtin_fmaf(__builtin_fmaf(a[i], b, c[i] * d), scale, shift));                     \
    }                                                                                                                \
    attributes static void prefix##_bilinear_channels(const float *planes, size_t plane, size_t channels,            \
                                                      size_t top, size_t bottom, size_t left, size_t right,          \
                                                      float w0, float w1, float h0, float h1, float *out) {          \
        for (size_t k = 0; k < channels; k++) {                                                                      \
            const float *x = planes + k * plane;                                                                     \
            float upper = __builtin_fmaf(x[top + left], w0, x[top + right] * w1);                                    \
            float lower = __builtin_fmaf(x[bottom + left], w0, x[bottom + right] * w1);                              \
            out[k] = __builtin_fmaf(upper, h0, lower * h1);                                                          \
        }                                                                                                            \
    }

// The bounded mean's kernels: no multiply-add is fused (see the header), with or without FMA hardware.
#define VIS_DEFINE_PORTABLE_MEAN(prefix, attributes)                                                                 \
    attributes static int prefix##_mean_range(const double *s0, const double *s1, const double *m0,                  \
                                              const double *m1, double h0, double h1, size_t count, double factor,   \
                                              double two_unit, double *minimum, double *maximum,                     \
                                              double *largest_error) {                                               \
        double low = *minimum, high = *maximum, largest = *largest_error, poison = 0.0;                              \
        for (size_t i = 0; i < count; i++) {                                                                         \
            double value = s0[i] * h0 + s1[i] * h1;                                                                  \
            double bound = m0[i] * h0 + m1[i] * h1;                                                                  \
            double error = factor * bound + two_unit * __builtin_fabs(value);                                        \
            largest = error > largest ? error : largest;                                                             \
            low = value < low ? value : low;                                                                         \
            high = value > high ? value : high;                                                                      \
            poison += (value - value) + (error - error);                                                             \
        }                                                                                                            \
        *minimum = low;                                                                                              \
        *maximum = high;                                                                                             \
        *largest_error = largest;                                                                                    \
        return poison == 0.0;                                                                                        \
    }                                                                                                                \
    attributes static void prefix##_lerp(const double *a, double wa, const double *b, double wb, double *out,        \
                                         size_t count) {                                                             \
        for (size_t i = 0; i < count; i++) out[i] = a[i] * wa + b[i] * wb;                                           \
    }                                                                                                                \
    attributes static void prefix##_mean_levels(const double *s0, const double *s1, const double *m0,                \
                                                const double *m1, double h0, double h1, size_t count, double origin, \
                                                double scale, double two_scale, double factor, double four_unit,     \
                                                double evaluation, float low, float high, float *mean,               \
                                                uint8_t *uncertain) {                                                \
        for (size_t i = 0; i < count; i++) {                                                                         \
            double value = s0[i] * h0 + s1[i] * h1;                                                                  \
            double bound = m0[i] * h0 + m1[i] * h1;                                                                  \
            float rounded = (float)value;                                                                            \
            rounded = low >= rounded ? low : rounded;                                                                \
            mean[i] = high < rounded ? high : rounded;                                                               \
            double level = (value - origin) * scale;                                                                 \
            double nearest = (level + 0x1.8p52) - 0x1.8p52;                                                          \
            double margin = two_scale * (factor * bound + four_unit * __builtin_fabs(value)) + evaluation;           \
            uncertain[i] = __builtin_fabs(level - nearest) < margin || !(__builtin_fabs(level) < 0x1p51);            \
        }                                                                                                            \
    }

#define VIS_DEFINE_PORTABLE_PAINT(prefix, attributes)                                                                \
    attributes static void prefix##_color_row(const uint8_t *levels, const uint32_t *colors, uint8_t *out,           \
                                              size_t count) {                                                        \
        for (size_t i = 0; i < count; i++) {                                                                         \
            uint32_t color = colors[levels[i]];                                                                      \
            out[3 * i] = (uint8_t)color;                                                                             \
            out[3 * i + 1] = (uint8_t)(color >> 8);                                                                  \
            out[3 * i + 2] = (uint8_t)(color >> 16);                                                                 \
        }                                                                                                            \
    }                                                                                                                \
    attributes static void prefix##_blend_row(const uint8_t *levels, const uint32_t *colors, const uint8_t *image,   \
                                              float image_weight, float heat_weight, uint8_t *out, size_t count) {   \
        for (size_t i = 0; i < count; i++) {                                                                         \
            uint32_t color = colors[levels[i]];                                                                      \
            for (int c = 0; c < 3; c++) {                                                                            \
                float heat = (float)((color >> (8 * c)) & 0xFF);                                                     \
                float value = __builtin_fmaf((float)image[3 * i + c], image_weight, heat * heat_weight);            \
                value = value > 0.0f ? value : 0.0f;                                                                 \
                value = value < 255.0f ? value : 255.0f;                                                             \
                out[3 * i + c] = (uint8_t)__builtin_rintf(value);                                                    \
            }                                                                                                        \
        }                                                                                                            \
    }

VIS_DEFINE_PORTABLE(portable, )
VIS_DEFINE_PORTABLE_MEAN(portable, )
VIS_DEFINE_PORTABLE_PAINT(portable, )

#if defined(__x86_64__)
#include <immintrin.h>

#define VIS_AVX2 __attribute__((target("avx2,fma")))

// The scalar tails of the vector kernels, compiled with FMA so that `__builtin_fmaf` is one instruction.
VIS_DEFINE_PORTABLE(tail, VIS_AVX2)

static int vis_vector_path(void) { return (vis_cpu_features() & VIS_CPU_AVX2_FMA) != 0; }

int vis_kernels_available(void) { return vis_vector_path(); }

VIS_AVX2 static inline __m256 vis_fma8(const float *a, __m256 b, const float *c, __m256 d) {
    return _mm256_fmadd_ps(_mm256_loadu_ps(a), b, _mm256_mul_ps(_mm256_loadu_ps(c), d));
}

// Eight levels: `max(x, 0)` takes the 0 for NaN (MAXPS returns its second operand then), the conversion truncates.
VIS_AVX2 static inline void vis_store_levels8(__m256 scaled, uint8_t *out) {
    __m256 clamped = _mm256_min_ps(_mm256_max_ps(scaled, _mm256_setzero_ps()), _mm256_set1_ps(255.0f));
    __m256i integers = _mm256_cvttps_epi32(clamped);
    __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(integers), _mm256_extracti128_si256(integers, 1));
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(words, words));
}

VIS_AVX2 static float vis_horizontal_min(__m256 v) {
    __m128 x = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_min_ps(x, _mm_movehl_ps(x, x));
    x = _mm_min_ss(x, _mm_shuffle_ps(x, x, 1));
    return _mm_cvtss_f32(x);
}

VIS_AVX2 static float vis_horizontal_max(__m256 v) {
    __m128 x = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_shuffle_ps(x, x, 1));
    return _mm_cvtss_f32(x);
}

// 0 when any lane of `poison` is not 0 (NaN compares unequal).
VIS_AVX2 static int vis_unpoisoned(__m256 poison) {
    return _mm256_movemask_ps(_mm256_cmp_ps(poison, _mm256_setzero_ps(), _CMP_EQ_OQ)) == 0xFF;
}

VIS_AVX2 static void avx2_fma_row(const float *a, float b, const float *c, float d, float *out, size_t count) {
    const __m256 vb = _mm256_set1_ps(b), vd = _mm256_set1_ps(d);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(out + i, vis_fma8(a + i, vb, c + i, vd));
    tail_fma_row(a + i, b, c + i, d, out + i, count - i);
}

// A running range of eight lanes, the vector form of `struct vis_range`.
struct vis_range8 {
    __m256 low, high, poison;
};

VIS_AVX2 static inline struct vis_range8 vis_range8_start(const float *minimum, const float *maximum) {
    struct vis_range8 range = {_mm256_set1_ps(*minimum), _mm256_set1_ps(*maximum), _mm256_setzero_ps()};
    return range;
}

VIS_AVX2 static inline void vis_fold8(struct vis_range8 *range, __m256 value) {
    range->low = _mm256_min_ps(range->low, value);
    range->high = _mm256_max_ps(range->high, value);
    range->poison = _mm256_add_ps(range->poison, _mm256_sub_ps(value, value));
}

// Writes the lanes' extremes; 0 when a lane was poisoned.
VIS_AVX2 static int vis_unfold8(struct vis_range8 range, float *minimum, float *maximum) {
    *minimum = vis_horizontal_min(range.low);
    *maximum = vis_horizontal_max(range.high);
    return vis_unpoisoned(range.poison);
}

VIS_AVX2 static int avx2_fma_row_range(const float *a, float b, const float *c, float d, size_t count,
                                       float *minimum, float *maximum) {
    const __m256 vb = _mm256_set1_ps(b), vd = _mm256_set1_ps(d);
    struct vis_range8 range = vis_range8_start(minimum, maximum);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) vis_fold8(&range, vis_fma8(a + i, vb, c + i, vd));
    int finite = vis_unfold8(range, minimum, maximum);
    return tail_fma_row_range(a + i, b, c + i, d, count - i, minimum, maximum) && finite;
}

VIS_AVX2 static int avx2_range(const float *values, size_t count, float *minimum, float *maximum) {
    struct vis_range8 range = vis_range8_start(minimum, maximum);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) vis_fold8(&range, _mm256_loadu_ps(values + i));
    int finite = vis_unfold8(range, minimum, maximum);
    return tail_range(values + i, count - i, minimum, maximum) && finite;
}

VIS_AVX2 static void avx2_levels(const float *values, float scale, float shift, uint8_t *out, size_t count) {
    const __m256 vscale = _mm256_set1_ps(scale), vshift = _mm256_set1_ps(shift);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        vis_store_levels8(_mm256_fmadd_ps(_mm256_loadu_ps(values + i), vscale, vshift), out + i);
    }
    tail_levels(values + i, scale, shift, out + i, count - i);
}

VIS_AVX2 static void avx2_fma_row_levels(const float *a, float b, const float *c, float d, float scale, float shift,
                                         uint8_t *out, size_t count) {
    const __m256 vb = _mm256_set1_ps(b), vd = _mm256_set1_ps(d);
    const __m256 vscale = _mm256_set1_ps(scale), vshift = _mm256_set1_ps(shift);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        vis_store_levels8(_mm256_fmadd_ps(vis_fma8(a + i, vb, c + i, vd), vscale, vshift), out + i);
    }
    tail_fma_row_levels(a + i, b, c + i, d, scale, shift, out + i, count - i);
}

VIS_DEFINE_PORTABLE_MEAN(tail, VIS_AVX2)

VIS_AVX2 static inline __m256d vis_lerp4(const double *a, __m256d wa, const double *b, __m256d wb) {
    return _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(a), wa), _mm256_mul_pd(_mm256_loadu_pd(b), wb));
}

VIS_AVX2 static inline __m256d vis_abs4(__m256d x) {
    return _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
}

VIS_AVX2 static double vis_lanes_min(__m256d v) {
    __m128d x = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_min_sd(x, _mm_unpackhi_pd(x, x)));
}

VIS_AVX2 static double vis_lanes_max(__m256d v) {
    __m128d x = _mm_max_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_max_sd(x, _mm_unpackhi_pd(x, x)));
}

VIS_AVX2 static int avx2_mean_range(const double *s0, const double *s1, const double *m0, const double *m1, double h0,
                                    double h1, size_t count, double factor, double two_unit, double *minimum,
                                    double *maximum, double *largest_error) {
    const __m256d vh0 = _mm256_set1_pd(h0), vh1 = _mm256_set1_pd(h1);
    const __m256d vfactor = _mm256_set1_pd(factor), vtwo_unit = _mm256_set1_pd(two_unit);
    __m256d low = _mm256_set1_pd(*minimum), high = _mm256_set1_pd(*maximum);
    __m256d largest = _mm256_set1_pd(*largest_error), poison = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256d value = vis_lerp4(s0 + i, vh0, s1 + i, vh1);
        __m256d bound = vis_lerp4(m0 + i, vh0, m1 + i, vh1);
        __m256d error = _mm256_add_pd(_mm256_mul_pd(vfactor, bound), _mm256_mul_pd(vtwo_unit, vis_abs4(value)));
        largest = _mm256_max_pd(largest, error);
        low = _mm256_min_pd(low, value);
        high = _mm256_max_pd(high, value);
        poison = _mm256_add_pd(poison, _mm256_add_pd(_mm256_sub_pd(value, value), _mm256_sub_pd(error, error)));
    }
    *minimum = vis_lanes_min(low);
    *maximum = vis_lanes_max(high);
    *largest_error = vis_lanes_max(largest);
    int finite = _mm256_movemask_pd(_mm256_cmp_pd(poison, _mm256_setzero_pd(), _CMP_EQ_OQ)) == 0xF;
    return tail_mean_range(s0 + i, s1 + i, m0 + i, m1 + i, h0, h1, count - i, factor, two_unit, minimum, maximum,
                           largest_error) && finite;
}

VIS_AVX2 static void avx2_lerp(const double *a, double wa, const double *b, double wb, double *out, size_t count) {
    const __m256d vwa = _mm256_set1_pd(wa), vwb = _mm256_set1_pd(wb);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) _mm256_storeu_pd(out + i, vis_lerp4(a + i, vwa, b + i, vwb));
    tail_lerp(a + i, wa, b + i, wb, out + i, count - i);
}

VIS_AVX2 static void avx2_mean_levels(const double *s0, const double *s1, const double *m0, const double *m1,
                                      double h0, double h1, size_t count, double origin, double scale,
                                      double two_scale, double factor, double four_unit, double evaluation, float low,
                                      float high, float *mean, uint8_t *uncertain) {
    const __m256d vh0 = _mm256_set1_pd(h0), vh1 = _mm256_set1_pd(h1), vorigin = _mm256_set1_pd(origin);
    const __m256d vscale = _mm256_set1_pd(scale), vtwo_scale = _mm256_set1_pd(two_scale);
    const __m256d vfactor = _mm256_set1_pd(factor), vfour_unit = _mm256_set1_pd(four_unit);
    const __m256d vevaluation = _mm256_set1_pd(evaluation), magic = _mm256_set1_pd(0x1.8p52);
    const __m256d limit = _mm256_set1_pd(0x1p51);
    const __m128 vlow = _mm_set1_ps(low), vhigh = _mm_set1_ps(high);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256d value = vis_lerp4(s0 + i, vh0, s1 + i, vh1);
        __m256d bound = vis_lerp4(m0 + i, vh0, m1 + i, vh1);
        // `low >= x ? low : x` is MAXPS(x, low) only up to NaN, and a NaN never gets here (the range pass refuses it).
        __m128 rounded = _mm256_cvtpd_ps(value);
        rounded = _mm_blendv_ps(rounded, vlow, _mm_cmp_ps(vlow, rounded, _CMP_GE_OQ));
        rounded = _mm_blendv_ps(rounded, vhigh, _mm_cmp_ps(vhigh, rounded, _CMP_LT_OQ));
        _mm_storeu_ps(mean + i, rounded);
        __m256d level = _mm256_mul_pd(_mm256_sub_pd(value, vorigin), vscale);
        __m256d nearest = _mm256_sub_pd(_mm256_add_pd(level, magic), magic);
        __m256d margin = _mm256_add_pd(
            _mm256_mul_pd(vtwo_scale, _mm256_add_pd(_mm256_mul_pd(vfactor, bound),
                                                    _mm256_mul_pd(vfour_unit, vis_abs4(value)))),
            vevaluation);
        __m256d close = _mm256_cmp_pd(vis_abs4(_mm256_sub_pd(level, nearest)), margin, _CMP_LT_OQ);
        __m256d far = _mm256_cmp_pd(vis_abs4(level), limit, _CMP_NLT_UQ);
        int mask = _mm256_movemask_pd(_mm256_or_pd(close, far));
        for (int k = 0; k < 4; k++) uncertain[i + k] = (uint8_t)((mask >> k) & 1);
    }
    tail_mean_levels(s0 + i, s1 + i, m0 + i, m1 + i, h0, h1, count - i, origin, scale, two_scale, factor, four_unit,
                     evaluation, low, high, mean + i, uncertain + i);
}

// The colours of `count` pixels as RGB bytes: a 4-byte store per pixel, each overwriting the spare byte of the
// one before; the last pixel is stored byte by byte so that nothing after `out + 3·count` is touched.
VIS_AVX2 static inline void vis_spread_colors(const uint8_t *levels, const uint32_t *colors, uint8_t *out,
                                              size_t count) {
    if (count == 0) return;
    for (size_t i = 0; i + 1 < count; i++) __builtin_memcpy(out + 3 * i, &colors[levels[i]], 4);
    uint32_t last = colors[levels[count - 1]];
    out[3 * count - 3] = (uint8_t)last;
    out[3 * count - 2] = (uint8_t)(last >> 8);
    out[3 * count - 1] = (uint8_t)(last >> 16);
}

VIS_AVX2 static void avx2_color_row(const uint8_t *levels, const uint32_t *colors, uint8_t *out, size_t count) {
    vis_spread_colors(levels, colors, out, count);
}

// Eight samples: the blend of `heat[0..<8]` and `image[0..<8]`, as 32-bit integers.
VIS_AVX2 static inline __m256i vis_blend8(const uint8_t *heat, const uint8_t *image, __m256 image_weight,
                                          __m256 heat_weight) {
    __m256 h = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)heat)));
    __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)image)));
    __m256 value = _mm256_fmadd_ps(x, image_weight, _mm256_mul_ps(h, heat_weight));
    value = _mm256_min_ps(_mm256_max_ps(value, _mm256_setzero_ps()), _mm256_set1_ps(255.0f));
    return _mm256_cvtps_epi32(value);  // Rounds half to even (the default MXCSR mode).
}

// The heat colours are spread into RGB bytes first, so that the blend runs sample by sample, with no shuffles,
// through a buffer that stays in L1, a chunk of pixels at a time.
VIS_AVX2 static void avx2_blend_row(const uint8_t *levels, const uint32_t *colors, const uint8_t *image,
                                    float image_weight, float heat_weight, uint8_t *out, size_t count) {
    enum { chunk = 512 };
    uint8_t heat[3 * chunk];
    const __m256 vimage = _mm256_set1_ps(image_weight), vheat = _mm256_set1_ps(heat_weight);
    // packus works within 128-bit lanes: the 32-bit groups come out as 0 2 4 6 | 1 3 5 7.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (size_t start = 0; start < count; start += chunk) {
        size_t pixels = count - start < chunk ? count - start : chunk;
        vis_spread_colors(levels + start, colors, heat, pixels);
        const uint8_t *samples = image + 3 * start;
        uint8_t *target = out + 3 * start;
        size_t n = 3 * pixels, k = 0;
        for (; k + 32 <= n; k += 32) {
            __m256i a = vis_blend8(heat + k, samples + k, vimage, vheat);
            __m256i b = vis_blend8(heat + k + 8, samples + k + 8, vimage, vheat);
            __m256i c = vis_blend8(heat + k + 16, samples + k + 16, vimage, vheat);
            __m256i d = vis_blend8(heat + k + 24, samples + k + 24, vimage, vheat);
            __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(a, b), _mm256_packus_epi32(c, d));
            _mm256_storeu_si256((__m256i *)(target + k), _mm256_permutevar8x32_epi32(bytes, order));
        }
        for (; k < n; k++) {
            float value = __builtin_fmaf((float)samples[k], image_weight, (float)heat[k] * heat_weight);
            value = value > 0.0f ? value : 0.0f;
            value = value < 255.0f ? value : 255.0f;
            target[k] = (uint8_t)__builtin_rintf(value);
        }
    }
}

// Strided loads: the channels gain nothing from vectors; the FMA instructions are the point.
VIS_AVX2 static void avx2_bilinear_channels(const float *planes, size_t plane, size_t channels, size_t top,
                                            size_t bottom, size_t left, size_t right, float w0, float w1, float h0,
                                            float h1, float *out) {
    tail_bilinear_channels(planes, plane, channels, top, bottom, left, right, w0, w1, h0, h1, out);
}

#define VIS_DISPATCH(name, ...) \
    (vis_vector_path() ? avx2_##name(__VA_ARGS__) : portable_##name(__VA_ARGS__))

#else

int vis_kernels_available(void) {
#if defined(__aarch64__)
    return 1;  // FMA is part of the base architecture; the loops above vectorise with NEON.
#else
    return 0;
#endif
}

#define VIS_DISPATCH(name, ...) portable_##name(__VA_ARGS__)

#endif

void vis_fma_row_f32(const float *a, float b, const float *c, float d, float *out, size_t count) {
    VIS_DISPATCH(fma_row, a, b, c, d, out, count);
}

int vis_fma_row_range_f32(const float *a, float b, const float *c, float d, size_t count, float *minimum,
                          float *maximum) {
    return VIS_DISPATCH(fma_row_range, a, b, c, d, count, minimum, maximum);
}

int vis_range_f32(const float *values, size_t count, float *minimum, float *maximum) {
    return VIS_DISPATCH(range, values, count, minimum, maximum);
}

void vis_levels_f32(const float *values, float scale, float shift, uint8_t *out, size_t count) {
    VIS_DISPATCH(levels, values, scale, shift, out, count);
}

void vis_fma_row_levels_f32(const float *a, float b, const float *c, float d, float scale, float shift, uint8_t *out,
                            size_t count) {
    VIS_DISPATCH(fma_row_levels, a, b, c, d, scale, shift, out, count);
}

void vis_bilinear_channels_f32(const float *planes, size_t plane, size_t channels, size_t top, size_t bottom,
                               size_t left, size_t right, float w0, float w1, float h0, float h1, float *out) {
    VIS_DISPATCH(bilinear_channels, planes, plane, channels, top, bottom, left, right, w0, w1, h0, h1, out);
}

int vis_mean_range_f64(const double *s0, const double *s1, const double *m0, const double *m1, double h0, double h1,
                       size_t count, double factor, double two_unit, double *minimum, double *maximum,
                       double *largest_error) {
    return VIS_DISPATCH(mean_range, s0, s1, m0, m1, h0, h1, count, factor, two_unit, minimum, maximum, largest_error);
}

void vis_lerp_f64(const double *a, double wa, const double *b, double wb, double *out, size_t count) {
    VIS_DISPATCH(lerp, a, wa, b, wb, out, count);
}

void vis_mean_levels_f64(const double *s0, const double *s1, const double *m0, const double *m1, double h0, double h1,
                         size_t count, double origin, double scale, double two_scale, double factor, double four_unit,
                         double evaluation, float low, float high, float *mean, uint8_t *uncertain) {
    VIS_DISPATCH(mean_levels, s0, s1, m0, m1, h0, h1, count, origin, scale, two_scale, factor, four_unit, evaluation,
                 low, high, mean, uncertain);
}

void vis_color_row(const uint8_t *levels, const uint32_t *colors, uint8_t *out, size_t count) {
    VIS_DISPATCH(color_row, levels, colors, out, count);
}

void vis_blend_row(const uint8_t *levels, const uint32_t *colors, const uint8_t *image, float image_weight,
                   float heat_weight, uint8_t *out, size_t count) {
    VIS_DISPATCH(blend_row, levels, colors, image, image_weight, heat_weight, out, count);
}
