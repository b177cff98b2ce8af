#include "CVisKernels.h"
#include "vis_cpu.h"

#include <stdlib.h>
#include <string.h>

// OpenCV's INTER_LINEAR for uint8 in two passes per output row:
//  - horizontal: every source row the output needs becomes `(l·a0 + r·a1) >> 4` per sample, as int16 (the 32-bit
//    sum is at most 255·2049, so the shifted value fits), which is the operand OpenCV's vertical SIMD kernel uses;
//  - vertical: `((t·b0) >> 16) + ((b·b1) >> 16)`, then `(v + 2) >> 2`, saturated to 0…255.
// The vector horizontal pass works on groups of 4 output samples: each group's 8 source bytes (left and right
// neighbour of each sample) lie in one 16-byte window of the source row, so one byte shuffle turns the window into
// 4 (left, right) int16 pairs and one multiply-add of pairs gives the 4 sums. Groups whose neighbours spread over
// more than 16 bytes (shrinking by more than about 3× for RGB) fall back to the scalar sample loop. Where the CPU
// has AVX-512 VBMI, a byte permute picks 16 samples' pairs out of a 64-byte window at once (half the shuffle work
// per sample of the 16-byte windows, which made the horizontal pass nine tenths of the resize).

enum { vis_group_samples = 4 };

// Per group of 4 output samples: its window's offset in the source row (`base`, -1 for a scalar group), the 16-byte
// shuffle that spreads the window into (left, right) byte pairs zero-extended to int16, and the pairs' 8 weights.
// Each kind is in an array of its own, so that two neighbouring groups' shuffles (or weights) are one 32-byte load.
struct vis_resize_plan {
    size_t samples, groups;
    int32_t *left, *right;      // per sample: source byte offsets of the two neighbours
    int16_t *alpha;             // per sample: the two weights
    int32_t *base;
    uint8_t *shuffle;
    int16_t *weights;
    // The same per group of 16 samples and its 64-byte window, for the AVX-512 path only (NULL otherwise).
    size_t wide_groups;
    int32_t *wide_base;
    uint8_t *wide_index;
    int16_t *wide_weights;
    int16_t *rows[2];           // horizontally resized source rows
};

static void vis_plan_free(struct vis_resize_plan *plan) {
    free(plan->left);
    free(plan->right);
    free(plan->alpha);
    free(plan->base);
    free(plan->shuffle);
    free(plan->weights);
    free(plan->wide_base);
    free(plan->wide_index);
    free(plan->wide_weights);
    for (int k = 0; k < 2; k++) free(plan->rows[k]);
}

enum { vis_wide_samples = 16, vis_wide_window = 64 };

// The window of samples first..<first + count in a row of `row_bytes`: its offset, or -1 when the samples' two
// neighbours do not all lie in one window of `window` bytes inside the row. Near the row's end it starts earlier.
static int32_t vis_window_base(const struct vis_resize_plan *plan, size_t first, size_t count, size_t row_bytes,
                               int32_t window) {
    int32_t low = plan->left[first], high = plan->left[first];
    for (size_t k = 0; k < count; k++) {
        int32_t l = plan->left[first + k], r = plan->right[first + k];
        low = l < low ? l : low;
        low = r < low ? r : low;
        high = l > high ? l : high;
        high = r > high ? r : high;
    }
    if (row_bytes < (size_t)window) return -1;
    int32_t base = low > (int32_t)row_bytes - window ? (int32_t)row_bytes - window : low;
    return high - base >= window ? -1 : base;
}

// The AVX-512 tables: per 16-sample group, 64 permute indexes (left, -, right, - per sample; the masked-off odd
// bytes become the zero high bytes) and the 32 weights.
static int vis_plan_make_wide(struct vis_resize_plan *plan, size_t row_bytes) {
    size_t groups = plan->samples / vis_wide_samples;
    plan->wide_groups = groups;
    plan->wide_base = malloc((groups + 1) * sizeof(int32_t));
    plan->wide_index = malloc((groups + 1) * vis_wide_window);
    plan->wide_weights = malloc((groups + 1) * 2 * vis_wide_samples * sizeof(int16_t));
    if (!plan->wide_base || !plan->wide_index || !plan->wide_weights) return 0;
    for (size_t g = 0; g < groups; g++) {
        size_t first = g * vis_wide_samples;
        int32_t base = vis_window_base(plan, first, vis_wide_samples, row_bytes, vis_wide_window);
        plan->wide_base[g] = base;
        uint8_t *index = plan->wide_index + vis_wide_window * g;
        int16_t *weights = plan->wide_weights + 2 * vis_wide_samples * g;
        for (size_t k = 0; k < vis_wide_samples; k++) {
            index[4 * k] = base < 0 ? 0 : (uint8_t)(plan->left[first + k] - base);
            index[4 * k + 1] = 0;
            index[4 * k + 2] = base < 0 ? 0 : (uint8_t)(plan->right[first + k] - base);
            index[4 * k + 3] = 0;
            weights[2 * k] = plan->alpha[2 * (first + k)];
            weights[2 * k + 1] = plan->alpha[2 * (first + k) + 1];
        }
    }
    return 1;
}

static int vis_plan_make(struct vis_resize_plan *plan, size_t src_width, size_t channels, const int32_t *xleft,
                         const int32_t *xright, const int16_t *xalpha, size_t dst_width) {
    memset(plan, 0, sizeof *plan);
    size_t samples = dst_width * channels, groups = samples / vis_group_samples;
    size_t row_bytes = src_width * channels;
    plan->samples = samples;
    plan->groups = groups;
    plan->left = malloc(samples * sizeof(int32_t));
    plan->right = malloc(samples * sizeof(int32_t));
    plan->alpha = malloc(2 * samples * sizeof(int16_t));
    plan->base = malloc((groups + 1) * sizeof(int32_t));
    plan->shuffle = malloc((groups + 1) * 16);
    plan->weights = malloc((groups + 1) * 8 * sizeof(int16_t));
    for (int k = 0; k < 2; k++) plan->rows[k] = malloc((samples + 16) * sizeof(int16_t));
    if (!plan->left || !plan->right || !plan->alpha || !plan->base || !plan->shuffle || !plan->weights ||
        !plan->rows[0] || !plan->rows[1]) {
        vis_plan_free(plan);
        return 0;
    }
    for (size_t x = 0, s = 0; x < dst_width; x++) {
        for (size_t c = 0; c < channels; c++, s++) {
            plan->left[s] = (int32_t)((size_t)xleft[x] * channels + c);
            plan->right[s] = (int32_t)((size_t)xright[x] * channels + c);
            plan->alpha[2 * s] = xalpha[2 * x];
            plan->alpha[2 * s + 1] = xalpha[2 * x + 1];
        }
    }
    for (size_t g = 0; g < groups; g++) {
        size_t first = g * vis_group_samples;
        int32_t base = vis_window_base(plan, first, vis_group_samples, row_bytes, 16);
        plan->base[g] = base;
        uint8_t *shuffle = plan->shuffle + 16 * g;
        int16_t *weights = plan->weights + 8 * g;
        for (size_t k = 0; k < vis_group_samples; k++) {
            shuffle[4 * k] = (uint8_t)(plan->left[first + k] - base);
            shuffle[4 * k + 1] = 0x80;  // a zero high byte
            shuffle[4 * k + 2] = (uint8_t)(plan->right[first + k] - base);
            shuffle[4 * k + 3] = 0x80;
            weights[2 * k] = plan->alpha[2 * (first + k)];
            weights[2 * k + 1] = plan->alpha[2 * (first + k) + 1];
        }
    }
    return 1;
}

static inline int16_t vis_horizontal_sample(const struct vis_resize_plan *plan, const uint8_t *src, size_t s) {
    int32_t sum = (int32_t)src[plan->left[s]] * plan->alpha[2 * s] + (int32_t)src[plan->right[s]] * plan->alpha[2 * s + 1];
    return (int16_t)(sum >> 4);
}

static inline uint8_t vis_vertical_sample(int16_t top, int16_t bottom, int32_t beta0, int32_t beta1) {
    int32_t value = (((int32_t)top * beta0) >> 16) + (((int32_t)bottom * beta1) >> 16);
    value = (value + 2) >> 2;
    return (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
}

// A horizontal pass over `count` (1 or 2) source rows at once: the tables are read once for both.
typedef void (*vis_horizontal_pass)(const struct vis_resize_plan *plan, const uint8_t *const *src, int16_t *const *row,
                                    int count);

static void scalar_horizontal(const struct vis_resize_plan *plan, const uint8_t *const *src, int16_t *const *row,
                              int count) {
    for (int r = 0; r < count; r++) {
        for (size_t s = 0; s < plan->samples; s++) row[r][s] = vis_horizontal_sample(plan, src[r], s);
    }
}

static void scalar_vertical(const int16_t *top, const int16_t *bottom, int16_t beta0, int16_t beta1, uint8_t *out,
                            size_t count) {
    for (size_t s = 0; s < count; s++) out[s] = vis_vertical_sample(top[s], bottom[s], beta0, beta1);
}

// The samples of group `g` one by one (a scalar group, or the samples after the last whole group).
static inline void vis_scalar_group(const struct vis_resize_plan *plan, const uint8_t *src, int16_t *row, size_t g) {
    size_t end = (g + 1) * vis_group_samples;
    end = end < plan->samples ? end : plan->samples;
    for (size_t s = g * vis_group_samples; s < end; s++) row[s] = vis_horizontal_sample(plan, src, s);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define VIS_SSE41 __attribute__((target("ssse3,sse4.1")))
#define VIS_AVX2_ONLY __attribute__((target("avx2")))

VIS_SSE41 static inline __m128i sse41_group(const uint8_t *window, __m128i shuffle, __m128i weights) {
    __m128i pairs = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)window), shuffle);
    return _mm_srai_epi32(_mm_madd_epi16(pairs, weights), 4);
}

VIS_SSE41 static void sse41_horizontal(const struct vis_resize_plan *plan, const uint8_t *const *src,
                                       int16_t *const *row, int count) {
    size_t g = 0;
    for (; g + 2 <= plan->groups; g += 2) {
        int32_t a = plan->base[g], b = plan->base[g + 1];
        if (a >= 0 && b >= 0) {
            __m128i shuffle_a = _mm_loadu_si128((const __m128i *)(plan->shuffle + 16 * g));
            __m128i shuffle_b = _mm_loadu_si128((const __m128i *)(plan->shuffle + 16 * g + 16));
            __m128i weights_a = _mm_loadu_si128((const __m128i *)(plan->weights + 8 * g));
            __m128i weights_b = _mm_loadu_si128((const __m128i *)(plan->weights + 8 * g + 8));
            for (int r = 0; r < count; r++) {
                __m128i sums = _mm_packs_epi32(sse41_group(src[r] + a, shuffle_a, weights_a),
                                               sse41_group(src[r] + b, shuffle_b, weights_b));
                _mm_storeu_si128((__m128i *)(row[r] + g * vis_group_samples), sums);
            }
        } else {
            for (int r = 0; r < count; r++) {
                vis_scalar_group(plan, src[r], row[r], g);
                vis_scalar_group(plan, src[r], row[r], g + 1);
            }
        }
    }
    for (; g * vis_group_samples < plan->samples; g++) {
        for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], g);
    }
}

VIS_SSE41 static void sse41_vertical(const int16_t *top, const int16_t *bottom, int16_t beta0, int16_t beta1,
                                     uint8_t *out, size_t count) {
    const __m128i b0 = _mm_set1_epi16(beta0), b1 = _mm_set1_epi16(beta1), two = _mm_set1_epi16(2);
    size_t s = 0;
    for (; s + 16 <= count; s += 16) {
        __m128i v0 = _mm_add_epi16(_mm_mulhi_epi16(_mm_loadu_si128((const __m128i *)(top + s)), b0),
                                   _mm_mulhi_epi16(_mm_loadu_si128((const __m128i *)(bottom + s)), b1));
        __m128i v1 = _mm_add_epi16(_mm_mulhi_epi16(_mm_loadu_si128((const __m128i *)(top + s + 8)), b0),
                                   _mm_mulhi_epi16(_mm_loadu_si128((const __m128i *)(bottom + s + 8)), b1));
        v0 = _mm_srai_epi16(_mm_add_epi16(v0, two), 2);
        v1 = _mm_srai_epi16(_mm_add_epi16(v1, two), 2);
        _mm_storeu_si128((__m128i *)(out + s), _mm_packus_epi16(v0, v1));
    }
    scalar_vertical(top + s, bottom + s, beta0, beta1, out + s, count - s);
}

// Two groups per 256-bit register: each 128-bit lane shuffles its own window.
VIS_AVX2_ONLY static inline __m256i avx2_groups(const uint8_t *a, const uint8_t *b, __m256i shuffle, __m256i weights) {
    __m256i window = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)a)),
                                             _mm_loadu_si128((const __m128i *)b), 1);
    return _mm256_srai_epi32(_mm256_madd_epi16(_mm256_shuffle_epi8(window, shuffle), weights), 4);
}

VIS_AVX2_ONLY static void avx2_horizontal(const struct vis_resize_plan *plan, const uint8_t *const *src,
                                          int16_t *const *row, int count) {
    size_t g = 0;
    for (; g + 4 <= plan->groups; g += 4) {
        const int32_t *base = plan->base + g;
        if (base[0] >= 0 && base[1] >= 0 && base[2] >= 0 && base[3] >= 0) {
            __m256i shuffle01 = _mm256_loadu_si256((const __m256i *)(plan->shuffle + 16 * g));
            __m256i shuffle23 = _mm256_loadu_si256((const __m256i *)(plan->shuffle + 16 * g + 32));
            __m256i weights01 = _mm256_loadu_si256((const __m256i *)(plan->weights + 8 * g));
            __m256i weights23 = _mm256_loadu_si256((const __m256i *)(plan->weights + 8 * g + 16));
            for (int r = 0; r < count; r++) {
                const uint8_t *source = src[r];
                __m256i sums01 = avx2_groups(source + base[0], source + base[1], shuffle01, weights01);
                __m256i sums23 = avx2_groups(source + base[2], source + base[3], shuffle23, weights23);
                // packs interleaves the lanes (groups 0 2 | 1 3); the 64-bit permute puts them back in order.
                __m256i sums = _mm256_permute4x64_epi64(_mm256_packs_epi32(sums01, sums23), 0xD8);
                _mm256_storeu_si256((__m256i *)(row[r] + g * vis_group_samples), sums);
            }
        } else {
            for (int r = 0; r < count; r++) {
                for (size_t k = 0; k < 4; k++) vis_scalar_group(plan, src[r], row[r], g + k);
            }
        }
    }
    for (; g * vis_group_samples < plan->samples; g++) {
        for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], g);
    }
}

VIS_AVX2_ONLY static void avx2_vertical(const int16_t *top, const int16_t *bottom, int16_t beta0, int16_t beta1,
                                        uint8_t *out, size_t count) {
    const __m256i b0 = _mm256_set1_epi16(beta0), b1 = _mm256_set1_epi16(beta1), two = _mm256_set1_epi16(2);
    size_t s = 0;
    for (; s + 32 <= count; s += 32) {
        __m256i v0 = _mm256_add_epi16(_mm256_mulhi_epi16(_mm256_loadu_si256((const __m256i *)(top + s)), b0),
                                      _mm256_mulhi_epi16(_mm256_loadu_si256((const __m256i *)(bottom + s)), b1));
        __m256i v1 = _mm256_add_epi16(_mm256_mulhi_epi16(_mm256_loadu_si256((const __m256i *)(top + s + 16)), b0),
                                      _mm256_mulhi_epi16(_mm256_loadu_si256((const __m256i *)(bottom + s + 16)), b1));
        v0 = _mm256_srai_epi16(_mm256_add_epi16(v0, two), 2);
        v1 = _mm256_srai_epi16(_mm256_add_epi16(v1, two), 2);
        __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(v0, v1), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + s), bytes);
    }
    scalar_vertical(top + s, bottom + s, beta0, beta1, out + s, count - s);
}

#define VIS_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vbmi")))

// Bytes 4k and 4k + 2 of a group's permute come from the window; the others are zeroed.
#define VIS_PAIR_MASK 0x5555555555555555ULL

VIS_AVX512 static inline __m512i avx512_group(const uint8_t *window, __m512i index, __m512i weights) {
    __m512i pairs = _mm512_maskz_permutexvar_epi8(VIS_PAIR_MASK, index, _mm512_loadu_si512((const void *)window));
    return _mm512_srai_epi32(_mm512_madd_epi16(pairs, weights), 4);
}

// packs interleaves the 128-bit lanes of its operands (a0 b0 a1 b1 …, 64 bits each); this puts a before b.
VIS_AVX512 static inline __m512i avx512_unzip_lanes(__m512i packed) {
    return _mm512_permutexvar_epi64(_mm512_set_epi64(7, 5, 3, 1, 6, 4, 2, 0), packed);
}

VIS_AVX512 static void avx512_horizontal(const struct vis_resize_plan *plan, const uint8_t *const *src,
                                         int16_t *const *row, int count) {
    size_t g = 0;
    for (; g + 2 <= plan->wide_groups; g += 2) {
        int32_t a = plan->wide_base[g], b = plan->wide_base[g + 1];
        if (a >= 0 && b >= 0) {
            __m512i index_a = _mm512_loadu_si512((const void *)(plan->wide_index + vis_wide_window * g));
            __m512i index_b = _mm512_loadu_si512((const void *)(plan->wide_index + vis_wide_window * (g + 1)));
            __m512i weights_a = _mm512_loadu_si512((const void *)(plan->wide_weights + 2 * vis_wide_samples * g));
            __m512i weights_b = _mm512_loadu_si512((const void *)(plan->wide_weights + 2 * vis_wide_samples * (g + 1)));
            for (int r = 0; r < count; r++) {
                __m512i sums = _mm512_packs_epi32(avx512_group(src[r] + a, index_a, weights_a),
                                                  avx512_group(src[r] + b, index_b, weights_b));
                _mm512_storeu_si512((void *)(row[r] + g * vis_wide_samples), avx512_unzip_lanes(sums));
            }
        } else {
            // A shrink too strong for one 64-byte window: these samples one by one.
            for (size_t k = g * vis_wide_samples / vis_group_samples; k < (g + 2) * vis_wide_samples / vis_group_samples; k++) {
                for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], k);
            }
        }
    }
    for (size_t k = g * vis_wide_samples / vis_group_samples; k * vis_group_samples < plan->samples; k++) {
        for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], k);
    }
}

VIS_AVX512 static void avx512_vertical(const int16_t *top, const int16_t *bottom, int16_t beta0, int16_t beta1,
                                       uint8_t *out, size_t count) {
    const __m512i b0 = _mm512_set1_epi16(beta0), b1 = _mm512_set1_epi16(beta1), two = _mm512_set1_epi16(2);
    size_t s = 0;
    for (; s + 64 <= count; s += 64) {
        __m512i v0 = _mm512_add_epi16(_mm512_mulhi_epi16(_mm512_loadu_si512((const void *)(top + s)), b0),
                                      _mm512_mulhi_epi16(_mm512_loadu_si512((const void *)(bottom + s)), b1));
        __m512i v1 = _mm512_add_epi16(_mm512_mulhi_epi16(_mm512_loadu_si512((const void *)(top + s + 32)), b0),
                                      _mm512_mulhi_epi16(_mm512_loadu_si512((const void *)(bottom + s + 32)), b1));
        v0 = _mm512_srai_epi16(_mm512_add_epi16(v0, two), 2);
        v1 = _mm512_srai_epi16(_mm512_add_epi16(v1, two), 2);
        _mm512_storeu_si512((void *)(out + s), avx512_unzip_lanes(_mm512_packus_epi16(v0, v1)));
    }
    avx2_vertical(top + s, bottom + s, beta0, beta1, out + s, count - s);
}

static int vis_best_resize_path(void) {
    int features = vis_cpu_features();
    return features & VIS_CPU_AVX512_VBMI ? VIS_RESIZE_AVX512
           : features & VIS_CPU_AVX2_FMA  ? VIS_RESIZE_AVX2
           : features & VIS_CPU_SSE41     ? VIS_RESIZE_SSE41
                                          : VIS_RESIZE_SCALAR;
}

#elif defined(__aarch64__)
#include <arm_neon.h>

static void neon_horizontal(const struct vis_resize_plan *plan, const uint8_t *const *src, int16_t *const *row,
                            int count) {
    size_t g = 0;
    for (; g < plan->groups; g++) {
        int32_t base = plan->base[g];
        if (base < 0) {
            for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], g);
            continue;
        }
        uint8x16_t shuffle = vld1q_u8(plan->shuffle + 16 * g);
        int16x8_t weights = vld1q_s16(plan->weights + 8 * g);
        for (int r = 0; r < count; r++) {
            // Table indexes of 0x80 give zero bytes, as with the x86 shuffle.
            int16x8_t pairs = vreinterpretq_s16_u8(vqtbl1q_u8(vld1q_u8(src[r] + base), shuffle));
            int32x4_t low = vmull_s16(vget_low_s16(pairs), vget_low_s16(weights));
            int32x4_t high = vmull_high_s16(pairs, weights);
            vst1_s16(row[r] + g * vis_group_samples, vshrn_n_s32(vpaddq_s32(low, high), 4));
        }
    }
    for (; g * vis_group_samples < plan->samples; g++) {
        for (int r = 0; r < count; r++) vis_scalar_group(plan, src[r], row[r], g);
    }
}

static void neon_vertical(const int16_t *top, const int16_t *bottom, int16_t beta0, int16_t beta1, uint8_t *out,
                          size_t count) {
    const int16x4_t b0 = vdup_n_s16(beta0), b1 = vdup_n_s16(beta1);
    size_t s = 0;
    for (; s + 8 <= count; s += 8) {
        int16x8_t t = vld1q_s16(top + s), b = vld1q_s16(bottom + s);
        int16x8_t upper = vcombine_s16(vshrn_n_s32(vmull_s16(vget_low_s16(t), b0), 16),
                                       vshrn_n_s32(vmull_s16(vget_high_s16(t), b0), 16));
        int16x8_t lower = vcombine_s16(vshrn_n_s32(vmull_s16(vget_low_s16(b), b1), 16),
                                       vshrn_n_s32(vmull_s16(vget_high_s16(b), b1), 16));
        // A rounding shift adds 2 before shifting by 2; the narrowing saturates to 0…255.
        vst1_u8(out + s, vqmovun_s16(vrshrq_n_s16(vaddq_s16(upper, lower), 2)));
    }
    scalar_vertical(top + s, bottom + s, beta0, beta1, out + s, count - s);
}

static int vis_best_resize_path(void) { return VIS_RESIZE_NEON; }

#else

static int vis_best_resize_path(void) { return VIS_RESIZE_SCALAR; }

#endif

int vis_resize_linear_best_path(void) { return vis_best_resize_path(); }

int vis_resize_linear_u8(const uint8_t *src, size_t src_stride, size_t src_width, size_t channels,
                         const int32_t *xleft, const int32_t *xright, const int16_t *xalpha, size_t dst_width,
                         const int32_t *ylower, const int32_t *yupper, const int16_t *ybeta, size_t row_begin,
                         size_t row_end, uint8_t *dst, size_t dst_stride, int path) {
    int best = vis_best_resize_path();
    if (path == VIS_RESIZE_BEST || path > best) path = best;
#if defined(__aarch64__)
    if (path != VIS_RESIZE_NEON) path = VIS_RESIZE_SCALAR;
#endif
    struct vis_resize_plan plan;
    if (!vis_plan_make(&plan, src_width, channels, xleft, xright, xalpha, dst_width)) return 0;
    vis_horizontal_pass horizontal = scalar_horizontal;
    void (*vertical)(const int16_t *, const int16_t *, int16_t, int16_t, uint8_t *, size_t) = scalar_vertical;
#if defined(__x86_64__)
    if (path == VIS_RESIZE_NEON) path = best;
    if (path == VIS_RESIZE_AVX512) {
        if (!vis_plan_make_wide(&plan, src_width * channels)) {
            vis_plan_free(&plan);
            return 0;
        }
        horizontal = avx512_horizontal;
        vertical = avx512_vertical;
    } else if (path == VIS_RESIZE_AVX2) {
        horizontal = avx2_horizontal;
        vertical = avx2_vertical;
    } else if (path == VIS_RESIZE_SSE41) {
        horizontal = sse41_horizontal;
        vertical = sse41_vertical;
    }
#elif defined(__aarch64__)
    if (path == VIS_RESIZE_NEON) {
        horizontal = neon_horizontal;
        vertical = neon_vertical;
    }
#endif
    // Two buffers hold horizontally resized source rows (`held`: which). Output rows read nondecreasing source
    // rows, so a held row that the current output row does not need is never needed again.
    int16_t *buffer[2] = {plan.rows[0], plan.rows[1]};
    long held[2] = {-1, -1};
    for (size_t y = row_begin; y < row_end; y++) {
        long needed0 = ylower[y], needed1 = yupper[y];
        const uint8_t *sources[2];
        int16_t *targets[2];
        int count = 0;
        for (int k = 0; k < 2; k++) {
            long needed = k == 0 ? needed0 : needed1;
            if ((k == 1 && needed1 == needed0) || held[0] == needed || held[1] == needed) continue;
            int slot = held[0] == needed0 || held[0] == needed1 ? 1 : 0;
            held[slot] = needed;
            sources[count] = src + (size_t)needed * src_stride;
            targets[count] = buffer[slot];
            count++;
        }
        if (count > 0) horizontal(&plan, sources, targets, count);
        const int16_t *top = held[0] == needed0 ? buffer[0] : buffer[1];
        const int16_t *lower = held[0] == needed1 ? buffer[0] : buffer[1];
        vertical(top, lower, ybeta[2 * y], ybeta[2 * y + 1], dst + y * dst_stride, plan.samples);
    }
    vis_plan_free(&plan);
    return 1;
}
