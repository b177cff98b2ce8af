#ifndef CVIS_BARNES_HUT_H
#define CVIS_BARNES_HUT_H

#include <stddef.h>
#include <stdint.h>

/// A cell of the two-dimensional Barnes-Hut tree: the centre of mass of its points `order[start..<end]`, its
/// squared width and the index of the first of its four children (−1 for a leaf).
typedef struct {
    double cx, cy, width2;
    int32_t count, first_child, start, end;
} vis_bh_node2;

/// Builds the quad-tree of `n` points `y` (x, y interleaved): the root is the bounding square, each cell of two
/// or more points splits into quadrants (child q holds x ≥ centre when q & 1, y ≥ centre when q & 2) down to
/// `max_depth`. Fills `order` (n tree positions → point index) and `sorted_xy` (the points in tree order), and sets
/// `*nodes_out` to a malloc'd node array the caller frees. Returns the node count, or 0 when n is 0 or memory ran
/// out (`*nodes_out` is then NULL).
size_t vis_bh_build_2d(const double *y, size_t n, int max_depth, int32_t *order, double *sorted_xy,
                       vis_bh_node2 **nodes_out);

/// The Barnes-Hut repulsion of the points at tree positions `first..<last`: for point i = order[t],
/// repulsion[2i + c] = Σ w² (y_i − y_j)_c and z_parts[i] = Σ w over the other points, with w = 1 / (1 + d²), where a
/// cell whose squared width is below theta2 times the squared distance to its centre of mass counts as its points
/// at that centre. Each walk's sums run in one fixed order, so the result does not depend on how the positions are
/// split between threads.
void vis_bh_repulsion_2d(const vis_bh_node2 *nodes, const int32_t *order, const double *sorted_xy, int max_depth,
                         double theta2, size_t first, size_t last, double *repulsion, double *z_parts);

#endif
