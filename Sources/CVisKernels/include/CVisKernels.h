#ifndef CVIS_KERNELS_H
#define CVIS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "vis_fft.h"
#include "vis_barnes_hut.h"

// Row kernels of the feature-map heatmap (PyTorch's bilinear resize and OpenCV's min-max normalisation), with
// hardware fused multiply-adds and 8-lane vectors. Each computes exactly what its portable Swift twin in VisCore
// computes (checked by randomized differential tests); Swift calls them only when `vis_kernels_available()`.
// Every `fma` below is one rounding, as in PyTorch's and OpenCV's x86-64 builds.

/// 1 when the kernels run natively on this CPU: x86-64 with AVX2 and FMA enabled by the OS, or AArch64; else 0
/// (then they still compute the right values, through libm's `fmaf`, but slowly).
int vis_kernels_available(void);

/// `out[i] = fma(a[i], b, c[i]·d)`: the vertical step of PyTorch's separable bilinear kernel.
void vis_fma_row_f32(const float *a, float b, const float *c, float d, float *out, size_t count);

/// The smallest and largest of `fma(a[i], b, c[i]·d)`, folded into `*minimum` and `*maximum`; returns 0 when
/// one of those values is NaN or infinite (the extremes are then meaningless), else 1.
int vis_fma_row_range_f32(const float *a, float b, const float *c, float d, size_t count, float *minimum,
                          float *maximum);

/// The smallest and largest of `values`, folded into `*minimum` and `*maximum`; returns 0 when one is NaN or
/// infinite, else 1.
int vis_range_f32(const float *values, size_t count, float *minimum, float *maximum);

/// `out[i]` = the level of `fma(values[i], scale, shift)`: 0 when not above 0 (or NaN), 255 from 255 up, else
/// truncated toward zero (OpenCV's `NORM_MINMAX` kernel, then NumPy's `astype(uint8)`).
void vis_levels_f32(const float *values, float scale, float shift, uint8_t *out, size_t count);

/// `vis_levels_f32` of `fma(a[i], b, c[i]·d)`: a resized row's levels without storing the row.
void vis_fma_row_levels_f32(const float *a, float b, const float *c, float d, float scale, float shift, uint8_t *out,
                            size_t count);

/// One output position of PyTorch's generic bilinear kernel in every channel: for channel `k` (plane
/// `planes + k·plane`), `out[k] = fma(fma(x[top+left], w0, x[top+right]·w1), h0, fma(x[bottom+left], w0,
/// x[bottom+right]·w1)·h1)`, where `top`, `bottom` are offsets of source rows in the plane and `left`, `right`
/// columns.
void vis_bilinear_channels_f32(const float *planes, size_t plane, size_t channels, size_t top, size_t bottom,
                               size_t left, size_t right, float w0, float w1, float h0, float h1, float *out);

// The bounded feature-map mean (Visualization's `_FeatmapReduction.boundedMean`): an approximation of a
// resized channel mean in `double`, from two interpolated source rows `s0`, `s1` of the mean and two `m0`, `m1`
// of the magnitudes, weighted `h0`, `h1`: `value = s0[i]·h0 + s1[i]·h1`, `bound = m0[i]·h0 + m1[i]·h1`, each
// product and sum rounded (no fused operations here: the error analysis counts every rounding).

/// Folds the values' range into `*minimum`, `*maximum` and their largest error bound
/// `factor·bound + twoUnit·|value|` into `*largest_error`; returns 0 when a value or bound is NaN or infinite.
int vis_mean_range_f64(const double *s0, const double *s1, const double *m0, const double *m1, double h0, double h1,
                       size_t count, double factor, double two_unit, double *minimum, double *maximum,
                       double *largest_error);

/// `out[i] = a[i]·wa + b[i]·wb`.
void vis_lerp_f64(const double *a, double wa, const double *b, double wb, double *out, size_t count);

/// Per pixel: `mean[i]` = the value rounded to `float` and clamped to `low...high`, and `uncertain[i]` = 1 when
/// its level `(value − origin)·scale` may be on either side of an integer: its distance to the nearest integer
/// is below `two_scale·(factor·bound + four_unit·|value|) + evaluation`, or `|level| ≥ 2^51`; else 0.
void vis_mean_levels_f64(const double *s0, const double *s1, const double *m0, const double *m1, double h0, double h1,
                         size_t count, double origin, double scale, double two_scale, double factor, double four_unit,
                         double evaluation, float low, float high, float *mean, uint8_t *uncertain);

// Heatmap painting: `colors` holds 256 colours packed as `R | G << 8 | B << 16`; `out` is RGB.

/// `out[3i...3i+2]` = the colour of `levels[i]`.
void vis_color_row(const uint8_t *levels, const uint32_t *colors, uint8_t *out, size_t count);

/// Per sample, OpenCV's `addWeighted(image, image_weight, heat, heat_weight, 0)` for `uint8`:
/// `fma(image, image_weight, heat·heat_weight)` clamped to 0…255 and rounded half to even, where `heat` is
/// the sample of `levels[i]`'s colour. The weights must keep every result finite.
void vis_blend_row(const uint8_t *levels, const uint32_t *colors, const uint8_t *image, float image_weight,
                   float heat_weight, uint8_t *out, size_t count);

// OpenCV's INTER_LINEAR resize of uint8 images (`cv2.resize`, to the bit): 11-bit fixed-point weights, a horizontal
// pass into `sum >> 4` as int16 and the vertical arithmetic of OpenCV's SIMD kernel. Its Swift twin is
// `Image._resizeLinearPortable` in VisCore (checked against it by randomized differential tests).

/// Instruction paths of `vis_resize_linear_u8`; a path the CPU lacks falls back to the best one it has.
enum {
    VIS_RESIZE_BEST = 0,
    VIS_RESIZE_SCALAR = 1,
    VIS_RESIZE_SSE41 = 2,
    VIS_RESIZE_AVX2 = 3,
    VIS_RESIZE_NEON = 4,
    /// AVX-512 F, BW and VBMI (byte permutes): the bilinear resize only (the Pillow kernels take AVX2 for it).
    VIS_RESIZE_AVX512 = 5,
    /// AVX2 with AVX-VNNI's byte dot products: Pillow's resampling passes only (the other kernels take their AVX2
    /// path, the bilinear resize its best).
    VIS_RESIZE_AVX_VNNI = 6,
};

/// The path `VIS_RESIZE_BEST` takes on this CPU.
int vis_resize_linear_best_path(void);

/// Output rows `row_begin..<row_end` of a bilinear resize of `src` (`src_width` pixels of `channels` samples per
/// row, rows `src_stride` bytes apart) into `dst` (rows `dst_stride` bytes apart; `dst` is the whole output).
/// Output pixel `x` blends source pixels `xleft[x]`, `xright[x]` with weights `xalpha[2x]`, `xalpha[2x+1]` (summing
/// to 2^11); output row `y` blends the horizontally resized source rows `ylower[y]`, `yupper[y]` with weights
/// `ybeta[2y]`, `ybeta[2y+1]`. Weights are 0…2048. Returns 1, or 0 when out of memory (nothing usable written).
int vis_resize_linear_u8(const uint8_t *src, size_t src_stride, size_t src_width, size_t channels,
                         const int32_t *xleft, const int32_t *xright, const int16_t *xalpha, size_t dst_width,
                         const int32_t *ylower, const int32_t *yupper, const int16_t *ybeta, size_t row_begin,
                         size_t row_end, uint8_t *dst, size_t dst_stride, int path);

// Pillow's arithmetic for VisTools' self-supervised pipelines (`pillowResized`, `PillowEnhance`), to the byte. Each
// kernel has a portable path and an AVX2 one (taken when `vis_resize_linear_best_path()` is `VIS_RESIZE_AVX2`), and
// the two resampling passes an AVX-VNNI one where the CPU also has that; `path` is a `VIS_RESIZE_*` constant,
// and a path the CPU lacks falls back to the best one below it. VisTools' Swift implementations are the reference
// all are checked against (randomized differential tests).

/// The path the Pillow kernels take for `path` on this CPU: `VIS_RESIZE_AVX_VNNI`, `VIS_RESIZE_AVX2` or
/// `VIS_RESIZE_SCALAR`.
int vis_pillow_resample_path(int path);

/// Pillow's horizontal resampling pass (`ImagingResampleHorizontal_8bpc`) over `rows` rows of `src` (rows
/// `src_stride` bytes apart, `channels` samples per pixel) into `dst`: output pixel `x` is the sum over
/// `k < counts[x]` of source pixel `starts[x] + k` times `weights[x·weight_stride + k]` (22-bit fixed point), plus
/// half a unit, shifted down and clipped to 0…255. `src` may point into a larger image: `src_left` pixels before
/// and `src_width` pixels from `src` are readable in each row, and no byte at or after `src_end` is. Returns 0 when
/// out of memory (nothing written), else 1.
int vis_pillow_horizontal_u8(const uint8_t *src, size_t src_stride, size_t src_left, size_t src_width,
                             const uint8_t *src_end, size_t rows, size_t channels, const int32_t *starts,
                             const int32_t *counts, const int32_t *weights, size_t weight_stride, size_t out_width,
                             uint8_t *dst, size_t dst_stride, int path);

/// Pillow's vertical resampling pass (`ImagingResampleVertical_8bpc`): output row `y` (`row_length` samples) is
/// the sum over `k < counts[y]` of source row `starts[y] + k − row_offset` of `src` times
/// `weights[y·weight_stride + k]`, rounded and clipped as in the horizontal pass.
void vis_pillow_vertical_u8(const uint8_t *src, size_t src_stride, size_t row_length, long row_offset,
                            const int32_t *starts, const int32_t *counts, const int32_t *weights, size_t weight_stride,
                            size_t out_rows, uint8_t *dst, size_t dst_stride, int path);

/// torchvision's hue shift on a PIL image, in place on `count` pixels of `channels` (3 or 4; a fourth is left as
/// it is) samples: Pillow's RGB → HSV, the hue byte plus `shift` modulo 256, HSV → RGB.
void vis_pillow_hue_u8(uint8_t *pixels, size_t count, size_t channels, uint8_t shift, int path);

/// Pillow's box blur (`ImagingBoxBlur` with 3 passes), in place: per row then per column, three passes of a
/// running sum over `2·radius + 1` pixels weighted `ww` plus the two next pixels weighted `fw` (24-bit fixed
/// point), edges replicated. `scratch` holds `2·width·height·channels` bytes.
void vis_pillow_box_blur_u8(uint8_t *pixels, size_t width, size_t height, size_t channels, int radius, uint32_t ww,
                            uint32_t fw, uint8_t *scratch, int path);

/// The sum of Pillow's luma `(R·19595 + G·38470 + B·7471 + 0x8000) >> 16` over `count` pixels of `channels` (3 or 4).
uint64_t vis_pillow_luma_sum_u8(const uint8_t *pixels, size_t count, size_t channels, int path);

/// `Image.blend` of `count` samples with the constant `low`, in place: `low + alpha·(sample − low)` in single
/// precision, clipped to 0…255 and truncated (ImageEnhance's brightness and contrast).
void vis_pillow_blend_constant_u8(uint8_t *samples, size_t count, uint8_t low, float alpha, int path);

/// ImageEnhance's colour (saturation) in place: each pixel's first three samples blended with its luma as in
/// `vis_pillow_blend_constant_u8`; a fourth is left as it is.
void vis_pillow_saturation_u8(uint8_t *pixels, size_t count, size_t channels, float alpha, int path);

/// `src` (`height` rows of `width` pixels of `channels` bytes, packed) mirrored left–right into `dst` (same layout,
/// not overlapping `src`).
void vis_mirror_rows_u8(const uint8_t *src, uint8_t *dst, size_t width, size_t height, size_t channels);

/// mmcv's `RandomGrayscale` on `count` RGB pixels: `w0·c0 + w1·G + w2·c2` in double (left to right), where c0, c2
/// are blue and red when `bgr` is nonzero, else red and blue; clipped to 0…255, truncated, and written to
/// `out_channels` (1 or 3) samples per pixel of `out`.
void vis_mmcv_grayscale_u8(const uint8_t *rgb, uint8_t *out, size_t count, double w0, double w1, double w2, int bgr,
                           size_t out_channels, int path);

#endif
