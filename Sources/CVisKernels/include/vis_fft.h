#ifndef CVIS_FFT_H
#define CVIS_FFT_H

#include <stddef.h>
#include <stdint.h>

/// One Stockham pass of a batched complex FFT (radix 2, 3, 4 or 5) over `width` lanes stored side by side, split
/// real and imaginary parts: x[(q + s(p + j m)) * width + e] for j < radix → y[(q + s(radix p + u)) * width + e],
/// each output multiplied by the twiddle w^{u p} (tw_re/tw_im[(u − 1) m + p]; `sign` −1 conjugates them for the
/// inverse transform). The inner loop runs over the s · width contiguous values of a block, with 4-lane vectors
/// where the CPU has AVX2 (no fused multiply-adds, so every path rounds alike and gives the same bits).
void vis_fft_pass_f64(int radix, size_t m, size_t s, size_t width, const double *x_re, const double *x_im,
                      double *y_re, double *y_im, const double *tw_re, const double *tw_im, double sign);

/// The attractive sums of t-SNE's gradient in two dimensions for rows `first..<last` of the sparse P (CSR:
/// `row_start`, `columns`, `values` in float32): attraction[2i + c] = Σ_j p_ij w_ij (y_i − y_j)_c with
/// w_ij = 1 / (1 + ‖y_i − y_j‖²). Each row's entries are summed in four interleaved partial sums (entry e into sum
/// e mod 4, then (s0 + s1) + (s2 + s3)), on 4-lane vectors where the CPU has AVX2 and one by one elsewhere — the
/// same operations in the same order, so the same bits.
void vis_tsne_attraction_2d(const int64_t *row_start, const int32_t *columns, const float *values, const double *y,
                            size_t first, size_t last, double *attraction);

/// The portable paths of the two kernels above, whatever the CPU: the differential tests compare them with the
/// dispatched ones bit for bit.
void vis_fft_pass_f64_portable(int radix, size_t m, size_t s, size_t width, const double *x_re, const double *x_im,
                               double *y_re, double *y_im, const double *tw_re, const double *tw_im, double sign);
void vis_tsne_attraction_2d_portable(const int64_t *row_start, const int32_t *columns, const float *values,
                                     const double *y, size_t first, size_t last, double *attraction);

#endif
