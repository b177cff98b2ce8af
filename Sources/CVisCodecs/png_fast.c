/*
 * A fast PNG encoder for 8-bit gray, RGB and RGBA images.
 *
 * zlib spends most of a PNG encode searching for matches that photographs rarely have. This encoder instead
 * filters every row with one fixed filter (Sub for the first row, Paeth for the rest: the best single filter
 * for photographs and flat drawings alike, and branch-free so the compiler vectorises it), then entropy-codes
 * the filtered bytes with one dynamic Huffman block per band of rows. The only matches it emits are runs of
 * zero bytes (distance 1), which is what flat areas become after filtering. Codes are built from the band's
 * own histogram, so the cost is two linear passes over the data.
 *
 * Large images are split into two horizontal bands, the second encoded on a thread of its own when no other
 * codec call is running (see cvis_codec_begin). Each band's deflate output ends with an empty stored
 * block, which realigns the bit stream to a byte boundary, so the bands' bytes simply concatenate into one
 * valid zlib stream; an empty final block closes it.
 */
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#define LITLEN_SYMBOLS 286
#define CODELEN_SYMBOLS 19
#define MAX_CODE_BITS 15
#define MAX_CODELEN_BITS 7
#define END_OF_BLOCK 256
#define MAX_RUN 258
/* Below this many raw bytes a second thread costs more than it saves. */
#define BAND_MIN_BYTES (256u << 10)
/* Two bands at most: the bytes depend on the image only (not on the machine), and a call never takes more than
 * two cores. */
#define MAX_BANDS 2

/* ---- Huffman code construction --------------------------------------------------------------------------- */

typedef struct cvis_symbol_weight {
    uint32_t weight;
    uint16_t symbol;
} cvis_symbol_weight;

static int cvis_compare_weights(const void *lhs, const void *rhs) {
    const cvis_symbol_weight *a = lhs, *b = rhs;
    if (a->weight != b->weight) return a->weight < b->weight ? -1 : 1;
    return (int)a->symbol - (int)b->symbol;
}

/*
 * Optimal code lengths for `frequencies` limited to `limit` bits. When the optimal tree is too deep the
 * frequencies are halved (never to zero) and the tree rebuilt, which flattens it within a few rounds.
 * At least two symbols must have a nonzero frequency (callers guarantee it).
 */
static void cvis_huffman_lengths(const uint32_t *frequencies, int count, int limit, uint8_t *lengths) {
    cvis_symbol_weight leaves[LITLEN_SYMBOLS];
    uint32_t weights[2 * LITLEN_SYMBOLS];
    uint16_t parents[2 * LITLEN_SYMBOLS];
    uint8_t depths[2 * LITLEN_SYMBOLS];
    int used = 0;
    for (int symbol = 0; symbol < count; symbol++) {
        lengths[symbol] = 0;
        if (frequencies[symbol] != 0) leaves[used++] = (cvis_symbol_weight){frequencies[symbol], (uint16_t)symbol};
    }
    if (used < 2) {
        if (used == 1) lengths[leaves[0].symbol] = 1;
        return;
    }
    for (;;) {
        qsort(leaves, (size_t)used, sizeof leaves[0], cvis_compare_weights);
        for (int i = 0; i < used; i++) weights[i] = leaves[i].weight;
        /* Two queues: sorted leaves, and internal nodes, which are created in nondecreasing weight order. */
        int next_leaf = 0, next_node = used, created = used;
        for (int merge = 0; merge < used - 1; merge++) {
            int picked[2];
            for (int k = 0; k < 2; k++) {
                if (next_leaf < used && (next_node >= created || weights[next_leaf] <= weights[next_node])) {
                    picked[k] = next_leaf++;
                } else {
                    picked[k] = next_node++;
                }
            }
            weights[created] = weights[picked[0]] + weights[picked[1]];
            parents[picked[0]] = parents[picked[1]] = (uint16_t)created;
            created++;
        }
        int root = created - 1, deepest = 0;
        depths[root] = 0;
        for (int node = root - 1; node >= 0; node--) {
            depths[node] = (uint8_t)(depths[parents[node]] + 1);
            if (node < used && depths[node] > deepest) deepest = depths[node];
        }
        if (deepest <= limit) {
            for (int i = 0; i < used; i++) lengths[leaves[i].symbol] = depths[i];
            return;
        }
        for (int i = 0; i < used; i++) leaves[i].weight = (leaves[i].weight >> 1) | 1;
    }
}

/* Canonical codes for `lengths`, bit-reversed because deflate sends Huffman codes most significant bit first. */
static void cvis_huffman_codes(const uint8_t *lengths, int count, uint16_t *codes) {
    uint16_t per_length[MAX_CODE_BITS + 1] = {0}, next[MAX_CODE_BITS + 1] = {0};
    for (int symbol = 0; symbol < count; symbol++) per_length[lengths[symbol]]++;
    per_length[0] = 0;
    uint16_t code = 0;
    for (int bits = 1; bits <= MAX_CODE_BITS; bits++) {
        code = (uint16_t)((code + per_length[bits - 1]) << 1);
        next[bits] = code;
    }
    for (int symbol = 0; symbol < count; symbol++) {
        int bits = lengths[symbol];
        if (bits == 0) {
            codes[symbol] = 0;
            continue;
        }
        uint16_t value = next[bits]++, reversed = 0;
        for (int i = 0; i < bits; i++) reversed |= (uint16_t)(((value >> i) & 1u) << (bits - 1 - i));
        codes[symbol] = reversed;
    }
}

/* ---- Bit output ------------------------------------------------------------------------------------------ */

typedef struct cvis_bit_writer {
    uint8_t *out;
    uint64_t bits;
    unsigned count;
} cvis_bit_writer;

/*
 * Appends the low `count` (at most 56 minus the pending bits, which are fewer than 8 after every call) bits of
 * `value`, then stores all 8 buffered bytes and advances by the complete ones: no branch, and the output
 * needs 8 bytes of slack past its end.
 */
static inline void cvis_put_bits(cvis_bit_writer *writer, uint64_t value, unsigned count) {
    writer->bits |= value << writer->count;
    writer->count += count;
    uint64_t bits = writer->bits;
    uint8_t bytes[8] = {(uint8_t)bits, (uint8_t)(bits >> 8), (uint8_t)(bits >> 16), (uint8_t)(bits >> 24),
                        (uint8_t)(bits >> 32), (uint8_t)(bits >> 40), (uint8_t)(bits >> 48), (uint8_t)(bits >> 56)};
    memcpy(writer->out, bytes, 8);
    writer->out += writer->count >> 3;
    writer->bits >>= writer->count & ~7u;
    writer->count &= 7u;
}

/* Pads to a byte boundary with zero bits and writes out what is pending. */
static void cvis_flush_bits(cvis_bit_writer *writer) {
    if (writer->count > 0) *writer->out++ = (uint8_t)writer->bits;
    writer->bits = 0;
    writer->count = 0;
}

/* ---- Filtering ------------------------------------------------------------------------------------------- */

static void cvis_filter_sub(const uint8_t *row, uint8_t *out, size_t bytes, unsigned channels) {
    for (size_t i = 0; i < channels && i < bytes; i++) out[i] = row[i];
    for (size_t i = channels; i < bytes; i++) out[i] = (uint8_t)(row[i] - row[i - channels]);
}

/* Written without branches so that it vectorises: every byte's predictor is independent when encoding. */
static void cvis_filter_paeth(const uint8_t *row, const uint8_t *above, uint8_t *out, size_t bytes,
                              unsigned channels) {
    /* Left of the first pixel both neighbours are zero, so Paeth predicts the byte above. */
    for (size_t i = 0; i < channels && i < bytes; i++) out[i] = (uint8_t)(row[i] - above[i]);
    for (size_t i = channels; i < bytes; i++) {
        int16_t a = row[i - channels], b = above[i], c = above[i - channels];
        int16_t p = (int16_t)(b - c), q = (int16_t)(a - c);
        int16_t pa = p < 0 ? (int16_t)-p : p, pb = q < 0 ? (int16_t)-q : q;
        int16_t r = (int16_t)(p + q), pc = r < 0 ? (int16_t)-r : r;
        int16_t prediction = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
        out[i] = (uint8_t)(row[i] - (uint8_t)prediction);
    }
}

/* ---- One band: filter, count, code ----------------------------------------------------------------------- */

typedef struct cvis_band {
    /* Input. */
    const uint8_t *pixels;
    size_t row_stride;
    size_t row_bytes;
    unsigned channels;
    uint32_t first_row;
    uint32_t rows;
    /* The band's filtered rows (filter type byte + row), and its deflate output. */
    uint8_t *filtered;
    uint8_t *output;
    size_t output_size;
} cvis_band;

/* Length symbol (257...285), extra bit count and extra value for each match length 3...258. */
typedef struct cvis_length_code {
    uint16_t symbol;
    uint8_t extra_bits;
    uint8_t extra_value;
} cvis_length_code;

static void cvis_length_codes(cvis_length_code *table) {
    static const uint16_t bases[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const uint8_t extras[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    for (int code = 0; code < 29; code++) {
        int span = code == 28 ? 1 : 1 << extras[code];
        for (int k = 0; k < span && bases[code] + k <= MAX_RUN; k++) {
            /* 258 has its own symbol (285); 227 + 31 would otherwise also reach it through symbol 284. */
            if (code == 27 && bases[code] + k == MAX_RUN) break;
            table[bases[code] + k] = (cvis_length_code){(uint16_t)(257 + code), extras[code], (uint8_t)k};
        }
    }
}

/* How many zero bytes start at `data` (at most `limit`). */
static inline size_t cvis_zero_run(const uint8_t *data, size_t limit) {
    size_t run = 0;
    while (run + 8 <= limit) {
        uint64_t word;
        memcpy(&word, data + run, 8);
        if (word != 0) return run + ((size_t)__builtin_ctzll(word) >> 3);
        run += 8;
    }
    while (run < limit && data[run] == 0) run++;
    return run;
}

/*
 * The one tokeniser of both passes: counts symbols into `frequencies` when `emit` is 0, writes their codes
 * (`table`: code | length << 16) when it is 1; inlined into each with `emit` constant. Every byte is a literal
 * except that a zero byte followed by three or more zeros starts a run: the following zeros become matches at
 * distance 1 (length code, its extra bits, then the one-bit distance code 0). Checking four bytes at once keeps
 * the branch predictable on photographs, whose filtered bytes are often zero but rarely in runs.
 */
static inline __attribute__((always_inline)) void cvis_tokenise(
    const uint8_t *data, size_t size, const cvis_length_code *length_codes, int emit, uint32_t *frequencies,
    const uint32_t *table, cvis_bit_writer *writer) {
    size_t i = 0;
    const size_t run_limit = size >= 4 ? size - 4 : 0;
    while (i < size) {
        /* Fast path: four literals at once while no run can start among them (no four zeros from any of them).
           The zero-byte test may flag a 0x01 byte after a zero; that only sends the group to the exact path. */
        while (i + 8 <= size) {
            uint64_t v;
            memcpy(&v, data + i, 8);
            uint64_t zero = (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
            if (__builtin_expect((zero & (zero >> 8) & (zero >> 16) & (zero >> 24) & 0x80808080ull) != 0, 0)) {
                break;
            }
            uint8_t b0 = (uint8_t)v, b1 = (uint8_t)(v >> 8), b2 = (uint8_t)(v >> 16), b3 = (uint8_t)(v >> 24);
            if (emit) {
                uint32_t e0 = table[b0], e1 = table[b1], e2 = table[b2], e3 = table[b3];
                unsigned first = (e0 >> 16) + (e1 >> 16), second = (e2 >> 16) + (e3 >> 16);
                uint64_t low = (e0 & 0xFFFFu) | (uint64_t)(e1 & 0xFFFFu) << (e0 >> 16);
                uint64_t high = (e2 & 0xFFFFu) | (uint64_t)(e3 & 0xFFFFu) << (e2 >> 16);
                /* One write for the four codes when they fit (photographs' codes are short), else two. */
                if (__builtin_expect(first + second <= 56, 1)) {
                    cvis_put_bits(writer, low | high << first, first + second);
                } else {
                    cvis_put_bits(writer, low, first);
                    cvis_put_bits(writer, high, second);
                }
            } else {
                frequencies[b0]++;
                frequencies[b1]++;
                frequencies[b2]++;
                frequencies[b3]++;
            }
            i += 4;
        }
        if (i < run_limit) {
            uint32_t word;
            memcpy(&word, data + i, 4);
            if (__builtin_expect(word == 0, 0)) {
                /* The zero literal, then the run after it. */
                if (emit) {
                    cvis_put_bits(writer, table[0] & 0xFFFFu, table[0] >> 16);
                } else {
                    frequencies[0]++;
                }
                i++;
                size_t run = cvis_zero_run(data + i, size - i);
                while (run >= 3) {
                    size_t take = run > MAX_RUN ? MAX_RUN : run;
                    if (run - take > 0 && run - take < 3) take = run - 3;  /* leave a codable tail */
                    cvis_length_code length = length_codes[take];
                    if (emit) {
                        uint32_t entry = table[length.symbol];
                        unsigned bits = entry >> 16;
                        uint64_t value = (entry & 0xFFFFu) | ((uint64_t)length.extra_value << bits);
                        cvis_put_bits(writer, value, bits + length.extra_bits + 1u);
                    } else {
                        frequencies[length.symbol]++;
                    }
                    i += take;
                    run -= take;
                }
                continue;
            }
        }
        uint8_t byte = data[i++];
        if (emit) {
            cvis_put_bits(writer, table[byte] & 0xFFFFu, table[byte] >> 16);
        } else {
            frequencies[byte]++;
        }
    }
}

static inline __attribute__((always_inline)) void *cvis_encode_band_body(void *argument) {
    cvis_band *band = argument;
    const size_t row_bytes = band->row_bytes, line = row_bytes + 1;
    const size_t size = (size_t)band->rows * line;
    uint8_t *filtered = band->filtered;
    for (uint32_t r = 0; r < band->rows; r++) {
        uint32_t y = band->first_row + r;
        const uint8_t *row = band->pixels + (size_t)y * band->row_stride;
        uint8_t *out = filtered + (size_t)r * line;
        if (y == 0) {
            out[0] = 1;
            cvis_filter_sub(row, out + 1, row_bytes, band->channels);
        } else {
            out[0] = 4;
            cvis_filter_paeth(row, row - band->row_stride, out + 1, row_bytes, band->channels);
        }
    }

    cvis_length_code length_codes[MAX_RUN + 1];
    cvis_length_codes(length_codes);

    /* Pass 1: the histogram of literals and run lengths. */
    uint32_t frequencies[LITLEN_SYMBOLS] = {0};
    cvis_tokenise(filtered, size, length_codes, 0, frequencies, NULL, NULL);
    frequencies[END_OF_BLOCK] = 1;
    /* Two symbols at least, so the code is a proper tree. */
    if (frequencies[0] == 0) frequencies[0] = 1;

    uint8_t lengths[LITLEN_SYMBOLS];
    uint16_t codes[LITLEN_SYMBOLS];
    cvis_huffman_lengths(frequencies, LITLEN_SYMBOLS, MAX_CODE_BITS, lengths);
    cvis_huffman_codes(lengths, LITLEN_SYMBOLS, codes);

    int literal_count = LITLEN_SYMBOLS;
    while (literal_count > 257 && lengths[literal_count - 1] == 0) literal_count--;
    /* Two distance codes of one bit each (a complete code); only distance 1 (code 0) is used. */
    const int distance_count = 2;
    uint8_t all_lengths[LITLEN_SYMBOLS + 2];
    memcpy(all_lengths, lengths, (size_t)literal_count);
    all_lengths[literal_count] = 1;
    all_lengths[literal_count + 1] = 1;
    const int all_count = literal_count + distance_count;

    /* The code-length code: each length sent as its own symbol (0-15), no repeat codes. */
    uint32_t codelen_frequencies[CODELEN_SYMBOLS] = {0};
    for (int i = 0; i < all_count; i++) codelen_frequencies[all_lengths[i]]++;
    int distinct = 0;
    for (int i = 0; i < CODELEN_SYMBOLS; i++) distinct += codelen_frequencies[i] != 0;
    if (distinct < 2) codelen_frequencies[codelen_frequencies[0] ? 1 : 0]++;
    uint8_t codelen_lengths[CODELEN_SYMBOLS];
    uint16_t codelen_codes[CODELEN_SYMBOLS];
    cvis_huffman_lengths(codelen_frequencies, CODELEN_SYMBOLS, MAX_CODELEN_BITS, codelen_lengths);
    cvis_huffman_codes(codelen_lengths, CODELEN_SYMBOLS, codelen_codes);
    static const uint8_t codelen_order[CODELEN_SYMBOLS] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
                                                           14, 1, 15};
    int codelen_count = CODELEN_SYMBOLS;
    while (codelen_count > 4 && codelen_lengths[codelen_order[codelen_count - 1]] == 0) codelen_count--;

    cvis_bit_writer writer = {band->output, 0, 0};
    /* BFINAL = 0, BTYPE = 2 (dynamic Huffman). */
    cvis_put_bits(&writer, 0u | (2u << 1), 3);
    cvis_put_bits(&writer, (uint64_t)(literal_count - 257), 5);
    cvis_put_bits(&writer, (uint64_t)(distance_count - 1), 5);
    cvis_put_bits(&writer, (uint64_t)(codelen_count - 4), 4);
    for (int i = 0; i < codelen_count; i++) cvis_put_bits(&writer, codelen_lengths[codelen_order[i]], 3);
    for (int i = 0; i < all_count; i++) {
        cvis_put_bits(&writer, codelen_codes[all_lengths[i]], codelen_lengths[all_lengths[i]]);
    }

    /* Pass 2: the same tokens, coded. */
    uint32_t table[LITLEN_SYMBOLS];
    for (int symbol = 0; symbol < LITLEN_SYMBOLS; symbol++) table[symbol] = codes[symbol] | (uint32_t)lengths[symbol] << 16;
    cvis_tokenise(filtered, size, length_codes, 1, NULL, table, &writer);
    cvis_put_bits(&writer, codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
    /* An empty stored block (BFINAL 0, BTYPE 0, LEN 0, NLEN 0xFFFF) ends the band on a byte boundary. */
    cvis_put_bits(&writer, 0, 3);
    cvis_flush_bits(&writer);
    static const uint8_t empty_stored[4] = {0x00, 0x00, 0xFF, 0xFF};
    memcpy(writer.out, empty_stored, 4);
    writer.out += 4;
    band->output_size = (size_t)(writer.out - band->output);
    return NULL;
}

/* The band's loops are integer-exact, so a build for AVX2 gives the same bytes faster. It is chosen at run time, not
 * through an ifunc (`target_clones`): an ifunc resolver runs while the program is being relocated, before a
 * sanitizer's runtime is ready, and crashes Thread and Address Sanitizer builds. */
static void *cvis_encode_band_portable(void *argument) { return cvis_encode_band_body(argument); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) static void *cvis_encode_band_avx2(void *argument) {
    return cvis_encode_band_body(argument);
}

static void *cvis_encode_band(void *argument) {
    if (__builtin_cpu_supports("avx2")) return cvis_encode_band_avx2(argument);
    return cvis_encode_band_portable(argument);
}
#else
static void *cvis_encode_band(void *argument) { return cvis_encode_band_portable(argument); }
#endif

/* ---- PNG container --------------------------------------------------------------------------------------- */

static uint8_t *cvis_put_be32(uint8_t *out, uint32_t value) {
    out[0] = (uint8_t)(value >> 24);
    out[1] = (uint8_t)(value >> 16);
    out[2] = (uint8_t)(value >> 8);
    out[3] = (uint8_t)value;
    return out + 4;
}

/* Writes a chunk's length, type, data and CRC; returns the end. `data` may already sit at out + 8. */
static uint8_t *cvis_put_chunk(uint8_t *out, const char type[4], const uint8_t *data, uint32_t length) {
    cvis_put_be32(out, length);
    memcpy(out + 4, type, 4);
    if (length > 0 && data != out + 8) memmove(out + 8, data, length);
    uint32_t crc = libdeflate_crc32(0, out + 4, (size_t)length + 4);
    return cvis_put_be32(out + 8 + length, crc);
}

static unsigned cvis_band_count(size_t raw_bytes, uint32_t height) {
    return raw_bytes < BAND_MIN_BYTES || height < 2 ? 1 : MAX_BANDS;
}

cvis_status cvis_png_encode_fast(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                                 size_t row_stride, cvis_buffer *output, char *message, size_t message_capacity) {
    cvis_set_message(message, message_capacity, "%s", "");
    *output = (cvis_buffer){NULL, 0, 0};
    if (pixels == NULL || width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu ||
        (channels != 1 && channels != 3 && channels != 4) || row_stride < (size_t)width * channels) {
        cvis_set_message(message, message_capacity, "PNG: invalid encoder arguments");
        return CVIS_INVALID_ARGUMENT;
    }
    const size_t row_bytes = (size_t)width * channels, line = row_bytes + 1;
    if (line != 0 && (size_t)height > SIZE_MAX / 3 / line) {
        cvis_set_message(message, message_capacity, "PNG: %ux%u image is too large to encode", width, height);
        return CVIS_OUT_OF_MEMORY;
    }
    const size_t raw_size = (size_t)height * line;
    unsigned band_count = cvis_band_count(raw_size, height);

    cvis_band bands[MAX_BANDS];
    uint8_t *filtered = malloc(raw_size);
    /* Worst case per band: 15 bits per byte, plus the block header (under 300 bytes) and the stored block. */
    size_t output_capacity = 0;
    for (unsigned b = 0; b < band_count; b++) {
        uint32_t first = (uint32_t)((uint64_t)height * b / band_count);
        uint32_t last = (uint32_t)((uint64_t)height * (b + 1) / band_count);
        bands[b] = (cvis_band){pixels, row_stride, row_bytes, channels, first, last - first,
                               filtered ? filtered + (size_t)first * line : NULL, NULL, 0};
        output_capacity += (size_t)(last - first) * line * 2 + 512;
    }
    /* One allocation holds the PNG: signature, IHDR, IDAT headers and the bands' bytes in place. */
    const size_t idat_piece = (size_t)1 << 30;
    size_t stream_capacity = 2 + output_capacity + 2 + 4;
    size_t pieces = stream_capacity / idat_piece + 1;
    size_t png_capacity = 8 + 25 + pieces * 12 + stream_capacity + 12;
    uint8_t *png = filtered ? malloc(png_capacity) : NULL;
    if (png == NULL) {
        free(filtered);
        cvis_set_message(message, message_capacity, "PNG: out of memory for a %ux%u image", width, height);
        return CVIS_OUT_OF_MEMORY;
    }
    /* Bands write their deflate output at the end of the buffer; it is then moved into IDAT chunks. */
    uint8_t *scratch = png + png_capacity - output_capacity;
    for (unsigned b = 0; b < band_count; b++) {
        bands[b].output = scratch;
        scratch += (size_t)bands[b].rows * line * 2 + 512;
    }

    pthread_t threads[MAX_BANDS];
    int started[MAX_BANDS] = {0};
    int second_thread = cvis_codec_begin();
    if (second_thread) {
        for (unsigned b = 1; b < band_count; b++) {
            started[b] = pthread_create(&threads[b], NULL, cvis_encode_band, &bands[b]) == 0;
        }
    }
    cvis_encode_band(&bands[0]);
    for (unsigned b = 1; b < band_count; b++) {
        if (started[b]) {
            pthread_join(threads[b], NULL);
        } else {
            cvis_encode_band(&bands[b]);
        }
    }
    cvis_codec_end();
    uint32_t adler = libdeflate_adler32(1, filtered, raw_size);
    free(filtered);

    /* The zlib stream, assembled just after where the first IDAT's header goes. */
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t *out = png;
    memcpy(out, signature, 8);
    out += 8;
    uint8_t header[13];
    cvis_put_be32(header, width);
    cvis_put_be32(header + 4, height);
    header[8] = 8;
    header[9] = channels == 1 ? 0 : channels == 3 ? 2 : 6;
    header[10] = header[11] = header[12] = 0;
    out = cvis_put_chunk(out, "IHDR", header, 13);

    uint8_t *stream = out + 8, *cursor = stream;
    /* zlib header: deflate, 32 KiB window, "fastest" level hint; 0x7801 is a multiple of 31. */
    *cursor++ = 0x78;
    *cursor++ = 0x01;
    for (unsigned b = 0; b < band_count; b++) {
        memmove(cursor, bands[b].output, bands[b].output_size);
        cursor += bands[b].output_size;
    }
    /* An empty final block with fixed codes: BFINAL 1, BTYPE 1, end-of-block (seven 0 bits). */
    *cursor++ = 0x03;
    *cursor++ = 0x00;
    cursor = cvis_put_be32(cursor, adler);
    size_t stream_size = (size_t)(cursor - stream);

    if (stream_size <= 0x7fffffffu) {
        out = cvis_put_chunk(out, "IDAT", stream, (uint32_t)stream_size);
    } else {
        /* Huge streams: split into pieces; before each piece's CRC is written the rest moves 12 bytes on. */
        size_t remaining = stream_size;
        while (remaining > 0) {
            size_t piece = remaining < idat_piece ? remaining : idat_piece;
            uint8_t *data = out + 8;
            if (remaining > piece) memmove(data + piece + 12, data + piece, remaining - piece);
            out = cvis_put_chunk(out, "IDAT", data, (uint32_t)piece);
            remaining -= piece;
        }
    }
    out = cvis_put_chunk(out, "IEND", NULL, 0);
    output->data = png;
    output->size = (size_t)(out - png);
    output->capacity = png_capacity;
    return CVIS_OK;
}
