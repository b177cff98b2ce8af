// Stockham passes of the t-SNE interpolation FFT, and the attractive sums of its gradient. The lanes of a pass are contiguous, so the compiler vectorises
// the inner loops; the AVX2 build of the same source doubles the width of SSE2's. Neither contracts a multiply and
// an add into an FMA, so both give the same bits (the embedding must not depend on the CPU it ran on).
#pragma clang fp contract(off)

#include "CVisKernels.h"

// out = x · w for complex x and w, real and imaginary parts apart.
#define VIS_TWIDDLE(OUT_R, OUT_I, XR, XI, WR, WI)                                                                    \
    do {                                                                                                             \
        (OUT_R) = (XR) * (WR) - (XI) * (WI);                                                                         \
        (OUT_I) = (XR) * (WI) + (XI) * (WR);                                                                         \
    } while (0)

#define VIS_DEFINE_FFT_PASS(NAME, ATTRIBUTES)                                                                         \
    ATTRIBUTES static void NAME(int radix, size_t m, size_t s, size_t width, const double *restrict x_re,             \
                                const double *restrict x_im, double *restrict y_re, double *restrict y_im,           \
                                const double *tw_re, const double *tw_im, double sign) {                           \
        const size_t block = s * width;                                                                              \
        if (radix == 2) {                                                                                            \
            for (size_t p = 0; p < m; p++) {                                                                         \
                const double wr = tw_re[p], wi = sign * tw_im[p];                                                    \
                const double *ar = x_re + p * block, *ai = x_im + p * block;                                         \
                const double *br = x_re + (p + m) * block, *bi = x_im + (p + m) * block;                             \
                double *o0r = y_re + 2 * p * block, *o0i = y_im + 2 * p * block;                                     \
                double *o1r = o0r + block, *o1i = o0i + block;                                                       \
                for (size_t e = 0; e < block; e++) {                                                                 \
                    const double dr = ar[e] - br[e], di = ai[e] - bi[e];                                             \
                    o0r[e] = ar[e] + br[e];                                                                          \
                    o0i[e] = ai[e] + bi[e];                                                                          \
                    VIS_TWIDDLE(o1r[e], o1i[e], dr, di, wr, wi);                                                     \
                }                                                                                                    \
            }                                                                                                        \
        } else if (radix == 3) {                                                                                     \
            /* ω = e^{∓2πi/3} = −1/2 ∓ i√3/2. */                                                                     \
            const double h = sign * 0.8660254037844386;                                                             \
            for (size_t p = 0; p < m; p++) {                                                                         \
                const double w1r = tw_re[p], w1i = sign * tw_im[p];                                                  \
                const double w2r = tw_re[m + p], w2i = sign * tw_im[m + p];                                          \
                const double *ar = x_re + p * block, *ai = x_im + p * block;                                         \
                const double *br = x_re + (p + m) * block, *bi = x_im + (p + m) * block;                             \
                const double *cr = x_re + (p + 2 * m) * block, *ci = x_im + (p + 2 * m) * block;                     \
                double *o0r = y_re + 3 * p * block, *o0i = y_im + 3 * p * block;                                     \
                double *o1r = o0r + block, *o1i = o0i + block, *o2r = o1r + block, *o2i = o1i + block;               \
                for (size_t e = 0; e < block; e++) {                                                                 \
                    const double sr = br[e] + cr[e], si = bi[e] + ci[e];                                             \
                    const double tr = ar[e] - 0.5 * sr, ti = ai[e] - 0.5 * si;                                       \
                    const double ur = h * (bi[e] - ci[e]), ui = -h * (br[e] - cr[e]);                                \
                    o0r[e] = ar[e] + sr;                                                                             \
                    o0i[e] = ai[e] + si;                                                                             \
                    const double x1r = tr + ur, x1i = ti + ui, x2r = tr - ur, x2i = ti - ui;                         \
                    VIS_TWIDDLE(o1r[e], o1i[e], x1r, x1i, w1r, w1i);                                                 \
                    VIS_TWIDDLE(o2r[e], o2i[e], x2r, x2i, w2r, w2i);                                                 \
                }                                                                                                    \
            }                                                                                                        \
        } else if (radix == 5) {                                                                                     \
            /* cos and sin of 2π/5 and 4π/5. */                                                                      \
            const double c1 = 0.30901699437494745, c2 = -0.8090169943749475;                                         \
            const double s1 = 0.9510565162951535, s2 = 0.5877852522924731;                                           \
            for (size_t p = 0; p < m; p++) {                                                                         \
                double wr[4], wi[4];                                                                                 \
                for (int u = 0; u < 4; u++) {                                                                        \
                    wr[u] = tw_re[u * m + p];                                                                        \
                    wi[u] = sign * tw_im[u * m + p];                                                                 \
                }                                                                                                    \
                const double *ar = x_re + p * block, *ai = x_im + p * block;                                         \
                const double *br = x_re + (p + m) * block, *bi = x_im + (p + m) * block;                             \
                const double *cr = x_re + (p + 2 * m) * block, *ci = x_im + (p + 2 * m) * block;                     \
                const double *dr = x_re + (p + 3 * m) * block, *di = x_im + (p + 3 * m) * block;                     \
                const double *er = x_re + (p + 4 * m) * block, *ei = x_im + (p + 4 * m) * block;                     \
                double *o0r = y_re + 5 * p * block, *o0i = y_im + 5 * p * block;                                     \
                double *o1r = o0r + block, *o1i = o0i + block, *o2r = o1r + block, *o2i = o1i + block;               \
                double *o3r = o2r + block, *o3i = o2i + block, *o4r = o3r + block, *o4i = o3i + block;               \
                for (size_t e = 0; e < block; e++) {                                                                 \
                    const double t1r = br[e] + er[e], t1i = bi[e] + ei[e];                                           \
                    const double t2r = cr[e] + dr[e], t2i = ci[e] + di[e];                                           \
                    const double t3r = br[e] - er[e], t3i = bi[e] - ei[e];                                           \
                    const double t4r = cr[e] - dr[e], t4i = ci[e] - di[e];                                           \
                    o0r[e] = ar[e] + t1r + t2r;                                                                      \
                    o0i[e] = ai[e] + t1i + t2i;                                                                      \
                    const double u1r = ar[e] + c1 * t1r + c2 * t2r, u1i = ai[e] + c1 * t1i + c2 * t2i;               \
                    const double u2r = ar[e] + c2 * t1r + c1 * t2r, u2i = ai[e] + c2 * t1i + c1 * t2i;               \
                    /* ∓i (s1 t3 + s2 t4) and ∓i (s2 t3 − s1 t4). */                                                 \
                    const double z1r = s1 * t3r + s2 * t4r, z1i = s1 * t3i + s2 * t4i;                               \
                    const double z2r = s2 * t3r - s1 * t4r, z2i = s2 * t3i - s1 * t4i;                               \
                    const double v1r = sign * z1i, v1i = -sign * z1r, v2r = sign * z2i, v2i = -sign * z2r;           \
                    const double x1r = u1r + v1r, x1i = u1i + v1i, x4r = u1r - v1r, x4i = u1i - v1i;                 \
                    const double x2r = u2r + v2r, x2i = u2i + v2i, x3r = u2r - v2r, x3i = u2i - v2i;                 \
                    VIS_TWIDDLE(o1r[e], o1i[e], x1r, x1i, wr[0], wi[0]);                                             \
                    VIS_TWIDDLE(o2r[e], o2i[e], x2r, x2i, wr[1], wi[1]);                                             \
                    VIS_TWIDDLE(o3r[e], o3i[e], x3r, x3i, wr[2], wi[2]);                                             \
                    VIS_TWIDDLE(o4r[e], o4i[e], x4r, x4i, wr[3], wi[3]);                                             \
                }                                                                                                    \
            }                                                                                                        \
        } else {                                                                                                     \
            for (size_t p = 0; p < m; p++) {                                                                         \
                const double w1r = tw_re[p], w1i = sign * tw_im[p];                                                  \
                const double w2r = tw_re[m + p], w2i = sign * tw_im[m + p];                                          \
                const double w3r = tw_re[2 * m + p], w3i = sign * tw_im[2 * m + p];                                  \
                const double *ar = x_re + p * block, *ai = x_im + p * block;                                         \
                const double *br = x_re + (p + m) * block, *bi = x_im + (p + m) * block;                             \
                const double *cr = x_re + (p + 2 * m) * block, *ci = x_im + (p + 2 * m) * block;                     \
                const double *dr = x_re + (p + 3 * m) * block, *di = x_im + (p + 3 * m) * block;                     \
                double *o0r = y_re + 4 * p * block, *o0i = y_im + 4 * p * block;                                     \
                double *o1r = o0r + block, *o1i = o0i + block, *o2r = o1r + block, *o2i = o1i + block;               \
                double *o3r = o2r + block, *o3i = o2i + block;                                                       \
                for (size_t e = 0; e < block; e++) {                                                                 \
                    const double s0r = ar[e] + cr[e], s0i = ai[e] + ci[e];                                           \
                    const double d0r = ar[e] - cr[e], d0i = ai[e] - ci[e];                                           \
                    const double s1r = br[e] + dr[e], s1i = bi[e] + di[e];                                           \
                    /* ∓i (b − d): the forward transform multiplies by −i. */                                       \
                    const double d1r = sign * (bi[e] - di[e]), d1i = -sign * (br[e] - dr[e]);                        \
                    o0r[e] = s0r + s1r;                                                                              \
                    o0i[e] = s0i + s1i;                                                                              \
                    const double x1r = d0r + d1r, x1i = d0i + d1i;                                                   \
                    const double x2r = s0r - s1r, x2i = s0i - s1i;                                                   \
                    const double x3r = d0r - d1r, x3i = d0i - d1i;                                                   \
                    VIS_TWIDDLE(o1r[e], o1i[e], x1r, x1i, w1r, w1i);                                                 \
                    VIS_TWIDDLE(o2r[e], o2i[e], x2r, x2i, w2r, w2i);                                                 \
                    VIS_TWIDDLE(o3r[e], o3i[e], x3r, x3i, w3r, w3i);                                                 \
                }                                                                                                    \
            }                                                                                                        \
        }                                                                                                            \
    }

VIS_DEFINE_FFT_PASS(vis_fft_pass_portable_path, )

void vis_fft_pass_f64_portable(int radix, size_t m, size_t s, size_t width, const double *x_re, const double *x_im,
                               double *y_re, double *y_im, const double *tw_re, const double *tw_im, double sign) {
    vis_fft_pass_portable_path(radix, m, s, width, x_re, x_im, y_re, y_im, tw_re, tw_im, sign);
}

void vis_tsne_attraction_2d_portable(const int64_t *row_start, const int32_t *columns, const float *values,
                                     const double *y, size_t first, size_t last, double *attraction) {
    for (size_t i = first; i < last; i++) {
        const double yx = y[2 * i], yy = y[2 * i + 1];
        double ax[4] = {0, 0, 0, 0}, ay[4] = {0, 0, 0, 0};
        const int64_t end = row_start[i + 1];
        for (int64_t e = row_start[i]; e < end; e += 4) {
            for (int lane = 0; lane < 4; lane++) {
                // Past the row's end a lane adds exact zeros, as the vector path's padding does.
                double dx = 0, dy = 0, p = 0;
                if (e + lane < end) {
                    const int32_t j = columns[e + lane];
                    dx = yx - y[2 * (size_t)j];
                    dy = yy - y[2 * (size_t)j + 1];
                    p = (double)values[e + lane];
                }
                const double pw = p * (1.0 / (1.0 + (dx * dx + dy * dy)));
                ax[lane] += pw * dx;
                ay[lane] += pw * dy;
            }
        }
        attraction[2 * i] = (ax[0] + ax[1]) + (ax[2] + ax[3]);
        attraction[2 * i + 1] = (ay[0] + ay[1]) + (ay[2] + ay[3]);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static void vis_tsne_attraction_2d_avx2(
    const int64_t *row_start, const int32_t *columns, const float *values, const double *y, size_t first,
    size_t last, double *attraction) {
    const __m256d one = _mm256_set1_pd(1.0);
    for (size_t i = first; i < last; i++) {
        const __m256d yx = _mm256_set1_pd(y[2 * i]), yy = _mm256_set1_pd(y[2 * i + 1]);
        __m256d ax = _mm256_setzero_pd(), ay = _mm256_setzero_pd();
        const int64_t end = row_start[i + 1];
        int64_t e = row_start[i];
        for (; e + 4 <= end; e += 4) {
            const __m128i j2 = _mm_slli_epi32(_mm_loadu_si128((const __m128i *)(columns + e)), 1);
            const __m256d dx = _mm256_sub_pd(yx, _mm256_i32gather_pd(y, j2, 8));
            const __m256d dy = _mm256_sub_pd(yy, _mm256_i32gather_pd(y + 1, j2, 8));
            const __m256d d2 = _mm256_add_pd(_mm256_mul_pd(dx, dx), _mm256_mul_pd(dy, dy));
            const __m256d pw = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(values + e)), _mm256_div_pd(one, _mm256_add_pd(one, d2)));
            ax = _mm256_add_pd(ax, _mm256_mul_pd(pw, dx));
            ay = _mm256_add_pd(ay, _mm256_mul_pd(pw, dy));
        }
        double sx[4], sy[4];
        _mm256_storeu_pd(sx, ax);
        _mm256_storeu_pd(sy, ay);
        for (int lane = 0; e + lane < end; lane++) {
            const int32_t j = columns[e + lane];
            const double dx = y[2 * i] - y[2 * (size_t)j], dy = y[2 * i + 1] - y[2 * (size_t)j + 1];
            const double pw = (double)values[e + lane] * (1.0 / (1.0 + (dx * dx + dy * dy)));
            sx[lane] += pw * dx;
            sy[lane] += pw * dy;
        }
        attraction[2 * i] = (sx[0] + sx[1]) + (sx[2] + sx[3]);
        attraction[2 * i + 1] = (sy[0] + sy[1]) + (sy[2] + sy[3]);
    }
}

VIS_DEFINE_FFT_PASS(vis_fft_pass_avx2, __attribute__((target("avx2"))))

// The AVX2 paths run where the other kernels' vector paths do (`vis_kernels_available`: AVX2 and FMA enabled by
// the OS); these do not use FMA, so the portable paths give the same bits elsewhere.
void vis_fft_pass_f64(int radix, size_t m, size_t s, size_t width, const double *x_re, const double *x_im,
                      double *y_re, double *y_im, const double *tw_re, const double *tw_im, double sign) {
    if (vis_kernels_available()) {
        vis_fft_pass_avx2(radix, m, s, width, x_re, x_im, y_re, y_im, tw_re, tw_im, sign);
    } else {
        vis_fft_pass_portable_path(radix, m, s, width, x_re, x_im, y_re, y_im, tw_re, tw_im, sign);
    }
}

void vis_tsne_attraction_2d(const int64_t *row_start, const int32_t *columns, const float *values, const double *y,
                            size_t first, size_t last, double *attraction) {
    if (vis_kernels_available()) {
        vis_tsne_attraction_2d_avx2(row_start, columns, values, y, first, last, attraction);
    } else {
        vis_tsne_attraction_2d_portable(row_start, columns, values, y, first, last, attraction);
    }
}
#else
void vis_tsne_attraction_2d(const int64_t *row_start, const int32_t *columns, const float *values, const double *y,
                            size_t first, size_t last, double *attraction) {
    vis_tsne_attraction_2d_portable(row_start, columns, values, y, first, last, attraction);
}

void vis_fft_pass_f64(int radix, size_t m, size_t s, size_t width, const double *x_re, const double *x_im,
                      double *y_re, double *y_im, const double *tw_re, const double *tw_im, double sign) {
    vis_fft_pass_portable_path(radix, m, s, width, x_re, x_im, y_re, y_im, tw_re, tw_im, sign);
}
#endif
