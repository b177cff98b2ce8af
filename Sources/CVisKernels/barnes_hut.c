// Barnes-Hut repulsion of a two-dimensional t-SNE embedding: the quad-tree and its walk. The Swift walk spent its
// time on array bookkeeping (a growable stack, 4-lane vectors for 2 coordinates, 64-byte nodes); this one keeps a
// fixed stack, 40-byte nodes and the points in tree order, and walks the points in tree order so that neighbouring
// walks touch the same cells. Nothing is contracted into a fused multiply-add, so every CPU gives the same bits.
#pragma clang fp contract(off)

#include <stdlib.h>
#include <string.h>

#include "CVisKernels.h"

// A cell still to split: its node, geometric centre, half width and depth.
typedef struct {
    size_t node;
    double cx, cy, half;
    int depth;
} vis_bh_pending;

// The node of `count` points order[start..<end]: its centre of mass summed in that order, as the Swift tree did.
static vis_bh_node2 vis_bh_make_node(const double *y, const int32_t *order, size_t start, size_t end, double half) {
    double sx = 0, sy = 0;
    for (size_t e = start; e < end; e++) {
        const size_t j = (size_t)order[e];
        sx += y[2 * j];
        sy += y[2 * j + 1];
    }
    const size_t count = end - start;
    vis_bh_node2 node;
    node.cx = count > 0 ? sx / (double)count : 0;
    node.cy = count > 0 ? sy / (double)count : 0;
    node.width2 = 4 * half * half;
    node.count = (int32_t)count;
    node.first_child = -1;
    node.start = (int32_t)start;
    node.end = (int32_t)end;
    return node;
}

size_t vis_bh_build_2d(const double *y, size_t n, int max_depth, int32_t *order, double *sorted_xy,
                       vis_bh_node2 **nodes_out) {
    *nodes_out = NULL;
    if (n == 0) return 0;
    double low_x = y[0], low_y = y[1], high_x = y[0], high_y = y[1];
    for (size_t i = 0; i < n; i++) {
        const double x = y[2 * i], v = y[2 * i + 1];
        low_x = x < low_x ? x : low_x;
        low_y = v < low_y ? v : low_y;
        high_x = x > high_x ? x : high_x;
        high_y = v > high_y ? v : high_y;
        order[i] = (int32_t)i;
    }
    double extent = 0;
    extent = high_x - low_x > extent ? high_x - low_x : extent;
    extent = high_y - low_y > extent ? high_y - low_y : extent;
    // A little margin so the maximum falls inside the last cell.
    const double root_half = (extent > 1e-12 ? extent : 1e-12) * 0.5 * (1 + 1e-9);

    size_t capacity = 2 * n + 8, count = 0;
    vis_bh_node2 *nodes = malloc(capacity * sizeof *nodes);
    // Every split pushes at most 4 cells and pops 1, so the pending stack stays below 3 · depth + 1 entries.
    vis_bh_pending *pending = malloc((size_t)(3 * (max_depth + 2)) * sizeof *pending);
    int32_t *scratch = malloc(n * sizeof *scratch);
    uint8_t *quadrant = malloc(n);
    if (!nodes || !pending || !scratch || !quadrant) goto fail;

    nodes[count++] = vis_bh_make_node(y, order, 0, n, root_half);
    size_t pending_count = 0;
    pending[pending_count++] = (vis_bh_pending){0, (low_x + high_x) * 0.5, (low_y + high_y) * 0.5, root_half, 0};
    while (pending_count > 0) {
        const vis_bh_pending cell = pending[--pending_count];
        const size_t start = (size_t)nodes[cell.node].start, end = (size_t)nodes[cell.node].end;
        if (end - start <= 1 || cell.depth >= max_depth) continue;
        size_t counts[4] = {0, 0, 0, 0};
        for (size_t e = start; e < end; e++) {
            const size_t j = (size_t)order[e];
            const int q = (y[2 * j] >= cell.cx ? 1 : 0) | (y[2 * j + 1] >= cell.cy ? 2 : 0);
            quadrant[e] = (uint8_t)q;
            counts[q]++;
        }
        size_t offsets[5] = {0, counts[0], counts[0] + counts[1], counts[0] + counts[1] + counts[2], end - start};
        size_t fill[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
        for (size_t e = start; e < end; e++) scratch[start + fill[quadrant[e]]++] = order[e];
        memcpy(order + start, scratch + start, (end - start) * sizeof *order);
        if (count + 4 > capacity) {
            capacity *= 2;
            vis_bh_node2 *grown = realloc(nodes, capacity * sizeof *nodes);
            if (!grown) goto fail;
            nodes = grown;
        }
        const size_t first = count;
        nodes[cell.node].first_child = (int32_t)first;
        const double child_half = cell.half * 0.5;
        for (int q = 0; q < 4; q++) {
            const double ccx = cell.cx + ((q & 1) ? child_half : -child_half);
            const double ccy = cell.cy + ((q & 2) ? child_half : -child_half);
            nodes[count++] = vis_bh_make_node(y, order, start + offsets[q], start + offsets[q + 1], child_half);
            if (counts[q] > 1) pending[pending_count++] = (vis_bh_pending){first + (size_t)q, ccx, ccy, child_half, cell.depth + 1};
        }
    }
    for (size_t e = 0; e < n; e++) {
        sorted_xy[2 * e] = y[2 * (size_t)order[e]];
        sorted_xy[2 * e + 1] = y[2 * (size_t)order[e] + 1];
    }
    free(pending);
    free(scratch);
    free(quadrant);
    *nodes_out = nodes;
    return count;
fail:
    free(nodes);
    free(pending);
    free(scratch);
    free(quadrant);
    return 0;
}

void vis_bh_repulsion_2d(const vis_bh_node2 *nodes, const int32_t *order, const double *sorted_xy, int max_depth,
                         double theta2, size_t first, size_t last, double *repulsion, double *z_parts) {
    // A walk pushes at most 4 children per level and pops their parent first.
    int32_t stack_storage[4 * 64 + 8];
    int32_t *stack = stack_storage;
    int32_t *heap_stack = NULL;
    if (max_depth > 64) {
        heap_stack = malloc((size_t)(4 * (max_depth + 2)) * sizeof *heap_stack);
        if (!heap_stack) return;
        stack = heap_stack;
    }
    for (size_t t = first; t < last; t++) {
        const double xi = sorted_xy[2 * t], yi = sorted_xy[2 * t + 1];
        double fx = 0, fy = 0, z = 0;
        size_t top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const vis_bh_node2 *node = &nodes[stack[--top]];
            if (node->first_child < 0) {
                for (int32_t e = node->start; e < node->end; e++) {
                    if ((size_t)e == t) continue;
                    const double dx = xi - sorted_xy[2 * e], dy = yi - sorted_xy[2 * e + 1];
                    const double w = 1 / (1 + (dx * dx + dy * dy));
                    z += w;
                    fx += (w * w) * dx;
                    fy += (w * w) * dy;
                }
                continue;
            }
            const double dx = xi - node->cx, dy = yi - node->cy;
            const double d2 = dx * dx + dy * dy;
            if (node->width2 < theta2 * d2) {
                const double w = 1 / (1 + d2);
                const double m = (double)node->count;
                z += m * w;
                fx += (m * w * w) * dx;
                fy += (m * w * w) * dy;
            } else {
                // Popped last to first, as the Swift walk did; empty cells add nothing and are not pushed.
                for (int32_t c = 0; c < 4; c++) {
                    if (nodes[node->first_child + c].count > 0) stack[top++] = node->first_child + c;
                }
            }
        }
        const size_t i = (size_t)order[t];
        repulsion[2 * i] = fx;
        repulsion[2 * i + 1] = fy;
        z_parts[i] = z;
    }
    free(heap_stack);
}
