/*
 * The fast kernels, written once against a thin vector layer (ggml's
 * simd-mappings idea). kernels_avx2.c and kernels_avx512.c each define the
 * layer and then include this file, so both ISAs share every loop and differ
 * only in vector width, register blocking and how tails are masked.
 *
 * The includer defines:
 *   KERNEL, KERNEL_INLINE   function qualifiers carrying the target attribute
 *   vec, vmask, VLEN        vector type, tail-mask type, lanes per vector
 *   vload vstore vloadm vstorem vset1 vzero vfma(a,b,c)=a*b+c vadd vsub vmul
 *   vmax vdiv vsqrt vhsum vtail(n)=first n lanes vkeep_where_positive(d,a)
 *   vtranspose(r) r[0..VLEN-1] replaced by its transpose (r[i][j] <- r[j][i])
 *   vfold(a,b,w)  w a power of two below VLEN: in every block of 2w lanes, the
 *                 first w lanes get a's block folded in half (a[i] + a[i+w]), the
 *                 last w get b's
 *   GEMM_ROWS x GEMM_VECS   accumulator block of the broadcast kernel
 *   DOT_ROWS x DOT_COLS     accumulator block of the dot-product kernel
 *   TABLE_INIT, TABLE_NAME  the init that builds this ISA's table, its name
 *
 * The papers' shapes are small (batch 16-64, features <= ~1000, nodes <=
 * 4096): their kernels work directly on the unpacked matrices. Wider layers
 * over larger batches go through the packed GEMM of kernels_packed_body.h.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels_internal.h"

#if defined(__clang__)
#define UNROLL _Pragma("clang loop unroll(full)")
#else
#define UNROLL _Pragma("GCC unroll 16")
#endif

/* What a product does with its result: store it, add a bias (then ReLU), or
 * add it to what C already holds (a product split along K; then ReLU, after
 * the last part of a split forward). */
enum { EPI_STORE, EPI_BIAS, EPI_BIAS_RELU, EPI_ACCUM, EPI_ACCUM_RELU };

/* A one-row product (the gradient of a one-node layer) spends the whole
 * accumulator budget on one long row instead. */
#define ONE_ROW_VECS (GEMM_ROWS * GEMM_VECS)
/* Longest panel of B (in rows) that gemm copies to the stack. */
#define GEMM_PACK_K 64

/* ---- broadcast kernel: C[r,:] = epi(sum_kk a(r,kk) * B[kk,:]) ------------
 * Vectorised over the contiguous columns of B and C; a(r,kk) = A[r*ars +
 * kk*aks] is broadcast, so the same kernel serves X*Wt (a = X) and X^T*dZ
 * (a = X read down its columns). NR, NV, MASKED are compile-time constants at
 * every call site: the accumulators live in registers. */
KERNEL_INLINE void gemm_block(const float *A, ptrdiff_t ars, ptrdiff_t aks,
                              const float *B, ptrdiff_t ldb, int K,
                              float *C, ptrdiff_t ldc, const float *bias,
                              int epi, const int NR, const int NV,
                              const int MASKED, vmask tail)
{
    /* Small blocks (row or column tails, one-row products) have too few
     * accumulators to hide FMA latency: they split K into KS interleaved
     * partial sums instead, added together at the end. */
    const int KS = GEMM_ROWS * GEMM_VECS >= 4 * NR * NV ? 4
                 : GEMM_ROWS * GEMM_VECS >= 2 * NR * NV ? 2 : 1;
    vec acc[4][GEMM_ROWS][ONE_ROW_VECS];
    UNROLL for (int s = 0; s < KS; s++)
        UNROLL for (int r = 0; r < NR; r++)
            UNROLL for (int v = 0; v < NV; v++) acc[s][r][v] = vzero();
    if (epi == EPI_BIAS || epi == EPI_BIAS_RELU) {
        UNROLL for (int v = 0; v < NV; v++) {
            vec bv = (MASKED && v == NV - 1) ? vloadm(bias + v * VLEN, tail)
                                             : vload(bias + v * VLEN);
            UNROLL for (int r = 0; r < NR; r++) acc[0][r][v] = bv;
        }
    } else if (epi == EPI_ACCUM || epi == EPI_ACCUM_RELU) {
        UNROLL for (int r = 0; r < NR; r++)
            UNROLL for (int v = 0; v < NV; v++) {
                const float *c = C + r * ldc + v * VLEN;
                acc[0][r][v] = (MASKED && v == NV - 1) ? vloadm(c, tail) : vload(c);
            }
    }
    int kk = 0;
#define GEMM_LOAD_B(v) ((MASKED && (v) == NV - 1) ? vloadm(brow + (v) * VLEN, tail) \
                                                 : vload(brow + (v) * VLEN))
#define GEMM_STEP(s, kk)                                                        \
    do {                                                                        \
        const float *brow = B + (kk) * ldb;                                     \
        const float *acol = A + (kk) * aks;                                     \
        if (NR == 1) { /* no reuse: each load goes straight into its FMA */     \
            vec a = vset1(acol[0]);                                             \
            UNROLL for (int v = 0; v < NV; v++)                                 \
                acc[s][0][v] = vfma(a, GEMM_LOAD_B(v), acc[s][0][v]);           \
        } else {                                                                \
            vec bv[GEMM_VECS];                                                  \
            UNROLL for (int v = 0; v < NV; v++) bv[v] = GEMM_LOAD_B(v);         \
            UNROLL for (int r = 0; r < NR; r++) {                               \
                vec a = vset1(acol[r * ars]);                                   \
                UNROLL for (int v = 0; v < NV; v++)                             \
                    acc[s][r][v] = vfma(a, bv[v], acc[s][r][v]);                \
            }                                                                   \
        }                                                                       \
    } while (0)
    for (; kk + KS <= K; kk += KS)
        UNROLL for (int s = 0; s < KS; s++) GEMM_STEP(s, kk + s);
    for (; kk < K; kk++) GEMM_STEP(0, kk);
#undef GEMM_STEP
#undef GEMM_LOAD_B
    UNROLL for (int r = 0; r < NR; r++) {
        UNROLL for (int v = 0; v < NV; v++) {
            vec z = acc[0][r][v];
            UNROLL for (int s = 1; s < KS; s++) z = vadd(z, acc[s][r][v]);
            if (epi == EPI_BIAS_RELU || epi == EPI_ACCUM_RELU) z = vmax(z, vzero());
            if (MASKED && v == NV - 1) vstorem(C + r * ldc + v * VLEN, tail, z);
            else vstore(C + r * ldc + v * VLEN, z);
        }
    }
}

#include "kernels_packed_body.h"

/* All M rows of one column panel: full row blocks, then 4/2/1-row pieces. */
KERNEL_INLINE void gemm_panel(const float *A, ptrdiff_t ars, ptrdiff_t aks,
                              int M, const float *B, ptrdiff_t ldb, int K,
                              float *C, ptrdiff_t ldc, const float *bias,
                              int epi, const int NV, const int MASKED,
                              vmask tail)
{
    int i = 0;
    for (; i + GEMM_ROWS <= M; i += GEMM_ROWS)
        gemm_block(A + i * ars, ars, aks, B, ldb, K, C + i * ldc, ldc, bias,
                   epi, GEMM_ROWS, NV, MASKED, tail);
    int rest = M - i;
    if (GEMM_ROWS > 3 && rest == 3) { /* 15 features: one block, not 2 + 1 */
        gemm_block(A + i * ars, ars, aks, B, ldb, K, C + i * ldc, ldc, bias,
                   epi, 3, NV, MASKED, tail);
        return;
    }
    if (GEMM_ROWS > 4 && (rest & 4)) {
        gemm_block(A + i * ars, ars, aks, B, ldb, K, C + i * ldc, ldc, bias,
                   epi, 4, NV, MASKED, tail);
        i += 4;
    }
    if (GEMM_ROWS > 2 && (rest & 2)) {
        gemm_block(A + i * ars, ars, aks, B, ldb, K, C + i * ldc, ldc, bias,
                   epi, 2, NV, MASKED, tail);
        i += 2;
    }
    if (rest & 1)
        gemm_block(A + i * ars, ars, aks, B, ldb, K, C + i * ldc, ldc, bias,
                   epi, 1, NV, MASKED, tail);
}

/* Column panels outer, so one panel of B stays in cache while every row block
 * passes over it. may_pack: 0 where B is already a contiguous copy. */
KERNEL_INLINE void gemm_columns(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N,
                 int K, const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc,
                 const float *bias, int epi, const int may_pack)
{
    const int panel = GEMM_VECS * VLEN;
    int j = 0;
    if (M == 1)
        for (; j + ONE_ROW_VECS * VLEN <= N; j += ONE_ROW_VECS * VLEN)
            gemm_block(A, ars, aks, B + j, ldb, K, C + j, ldc, bias ? bias + j : NULL,
                       epi, 1, ONE_ROW_VECS, 0, vtail(VLEN));
    /* Rows of B 4 KiB apart (1024 nodes) all fall into the same few L1 sets,
     * so a panel read in place is fetched from L2 again for every row block.
     * A short panel is copied to a contiguous stack buffer first and then
     * stays in L1 for all of them. */
    float packed[GEMM_PACK_K * GEMM_VECS * VLEN] __attribute__((aligned(64)));
    int pack = may_pack && K <= GEMM_PACK_K && M > GEMM_ROWS;
    for (; j + panel <= N; j += panel) {
        const float *Bj = B + j;
        ptrdiff_t ldbj = ldb;
        if (pack) {
            for (int kk = 0; kk < K; kk++)
                UNROLL for (int v = 0; v < GEMM_VECS; v++)
                    vstore(packed + kk * panel + v * VLEN, vload(B + kk * ldb + j + v * VLEN));
            Bj = packed;
            ldbj = panel;
        }
        gemm_panel(A, ars, aks, M, Bj, ldbj, K, C + j, ldc, bias ? bias + j : NULL,
                   epi, GEMM_VECS, 0, vtail(VLEN));
    }
    int rest = N - j;
    if (rest == 0) return;
    int nv = (rest + VLEN - 1) / VLEN;
    const float *Bj = B + j, *bj = bias ? bias + j : NULL;
    float *Cj = C + j;
    if (rest % VLEN) {
        vmask tail = vtail(rest % VLEN);
        switch (nv) {
        case 1: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 1, 1, tail); break;
        case 2: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 2, 1, tail); break;
#if GEMM_VECS > 2
        case 3: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 3, 1, tail); break;
#endif
#if GEMM_VECS > 3
        case 4: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 4, 1, tail); break;
#endif
        }
    } else {
        vmask full = vtail(VLEN);
        switch (nv) {
        case 1: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 1, 0, full); break;
#if GEMM_VECS > 2
        case 2: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 2, 0, full); break;
#endif
#if GEMM_VECS > 3
        case 3: gemm_panel(A, ars, aks, M, Bj, ldb, K, Cj, ldc, bj, epi, 3, 0, full); break;
#endif
        }
    }
}

/* A short K (a first layer's few features) leaves each accumulator only K
 * FMAs between its bias load and its store, so the cost is in moving B and
 * C. Copy a block of B (all K rows, as many columns as fit GEMM_PACK_FLOATS)
 * to the stack, then pass every row block over it: the copy reads each row
 * of B sequentially, the block stays in L1, and C is written a few rows at a
 * time along its rows rather than in strips down them. */
#define GEMM_PACK_FLOATS 4096
#define GEMM_SHORT_K 32
/* The K x w strip of B at column j into dst (row stride cw), each row copied
 * sequentially. */
KERNEL_INLINE void copy_strip(const float *B, ptrdiff_t ldb, int K, int w, float *dst, int cw)
{
    for (int kk = 0; kk < K; kk++) {
        const float *src = B + kk * ldb;
        float *d = dst + kk * cw;
        int c = 0;
        for (; c + VLEN <= w; c += VLEN) vstore(d + c, vload(src + c));
        if (c < w) vstore(d + c, vloadm(src + c, vtail(w - c)));
    }
}

/* Columns per strip of a K-row B in GEMM_PACK_FLOATS: whole panels. */
KERNEL_INLINE int strip_width(int K)
{
    return GEMM_PACK_FLOATS / K / (GEMM_VECS * VLEN) * (GEMM_VECS * VLEN);
}

/* Out of line: its 16 KiB stack block stays out of gemm's own frame, which
 * small products call thousands of times a second. */
__attribute__((noinline)) KERNEL void gemm_short_k(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N,
                                                   int K, const float *B, ptrdiff_t ldb,
                                                   float *C, ptrdiff_t ldc,
                                                   const float *bias, int epi)
{
    float packed[GEMM_PACK_FLOATS] __attribute__((aligned(64)));
    const int cw = strip_width(K);
    for (int j = 0; j < N; j += cw) {
        int w = N - j < cw ? N - j : cw;
        copy_strip(B + j, ldb, K, w, packed, cw);
        for (int i = 0; i < M; i += GEMM_ROWS)
            gemm_columns(A + i * ars, ars, aks, M - i < GEMM_ROWS ? M - i : GEMM_ROWS, w, K,
                         packed, cw, C + i * ldc + j, ldc, bias ? bias + j : NULL, epi, 0);
    }
}
_Static_assert(GEMM_PACK_FLOATS / GEMM_SHORT_K >= 2 * GEMM_VECS * VLEN,
               "a short-K block holds at least two panels");

/* Strips of B wider than a panel, for a B whose rows lie a page apart (X of a
 * layer with 1024 inputs: rows 4 KiB apart) read by more rows of A than one
 * register block. Copied a panel at a time, as gemm_columns does, every
 * 16-float panel touches K pages for one cache line in each, and the rows all
 * fall into the same L1 sets; a strip of four panels reads four lines per
 * page, in order. The AVX2 weight gradient of a narrow layer (64 x 1024 -> 10,
 * dWt^T = dZ^T X) needs it: on a shared Zen 5 its backward went from 28.2 to
 * 25.3 us (75 to 83 % of peak), 64 x 4096 -> 10 from 77 to 79 %. The blocks
 * are gemm_columns' own, so the sums are too. Out of line for its stack
 * block, as gemm_short_k. */
#define GEMM_STRIPS_MAX_K (GEMM_PACK_FLOATS / (4 * GEMM_VECS * VLEN))
/* Rows at least a page apart; closer (617 inputs), the panel copy is the
 * faster one (64 x 617 -> 10: 15.2 against 16.3 us). */
#define GEMM_STRIPS_MIN_LD 1024
__attribute__((noinline)) KERNEL void gemm_strips(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N,
                                                  int K, const float *B, ptrdiff_t ldb,
                                                  float *C, ptrdiff_t ldc)
{
    float packed[GEMM_PACK_FLOATS] __attribute__((aligned(64)));
    const int cw = strip_width(K);
    for (int j = 0; j < N; j += cw) {
        int w = N - j < cw ? N - j : cw;
        copy_strip(B + j, ldb, K, w, packed, cw);
        gemm_columns(A, ars, aks, M, w, K, packed, cw, C + j, ldc, NULL, EPI_STORE, 0);
    }
}

/* ---- tall kernel: up to TALL_ROWS rows of C in one register block ---------
 * The weight gradient of a layer with few inputs (a first layer's, or a narrow
 * hidden layer's that does not pack), dWt = X^T dZ (M = in
 * rows of C, K = the batch's rows, N = the nodes): gemm_columns copies each
 * panel of dZ (rows 4 KiB apart at 1024 nodes) to the stack, because its row
 * blocks of GEMM_ROWS pass over the panel several times. With up to 14 rows of
 * C in registers, two vectors wide, each panel of dZ is read once or twice, in
 * place, and the copy is saved. Each element is one chain of FMAs from zero in
 * the order of the sum, as in gemm_block's full blocks (its row tails split
 * the sum, so a few elements' last bits differ from gemm's).
 * 512-bit paths only: with 256-bit vectors a two-vector panel is one cache
 * line per row of dZ, and 14 rows do not fit 16 registers; there gemm stays. */
#if VLEN >= 16
#define TALL_VECS 2
#define TALL_ROWS 14
KERNEL_INLINE void gemm_tall_block(const float *A, ptrdiff_t ars, ptrdiff_t aks, const float *B,
                                   ptrdiff_t ldb, int K, float *C, ptrdiff_t ldc, const int NR,
                                   const int NV, const int MASKED, vmask tail)
{
    vec acc[TALL_ROWS][TALL_VECS];
    UNROLL for (int r = 0; r < NR; r++)
        UNROLL for (int v = 0; v < NV; v++) acc[r][v] = vzero();
    for (int kk = 0; kk < K; kk++) {
        const float *brow = B + kk * ldb, *acol = A + kk * aks;
        vec bv[TALL_VECS];
        UNROLL for (int v = 0; v < NV; v++)
            bv[v] = MASKED && v == NV - 1 ? vloadm(brow + v * VLEN, tail) : vload(brow + v * VLEN);
        UNROLL for (int r = 0; r < NR; r++) {
            vec a = vset1(acol[r * ars]);
            UNROLL for (int v = 0; v < NV; v++) acc[r][v] = vfma(a, bv[v], acc[r][v]);
        }
    }
    UNROLL for (int r = 0; r < NR; r++)
        UNROLL for (int v = 0; v < NV; v++) {
            if (MASKED && v == NV - 1) vstorem(C + r * ldc + v * VLEN, tail, acc[r][v]);
            else vstore(C + r * ldc + v * VLEN, acc[r][v]);
        }
}

KERNEL_INLINE void gemm_tall_rows(const float *A, ptrdiff_t ars, ptrdiff_t aks, int N, int K,
                                  const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc,
                                  const int NR)
{
    const int panel = TALL_VECS * VLEN;
    int j = 0;
    for (; j + panel <= N; j += panel)
        gemm_tall_block(A, ars, aks, B + j, ldb, K, C + j, ldc, NR, TALL_VECS, 0, vtail(VLEN));
    for (; j < N; j += VLEN) {
        int w = N - j < VLEN ? N - j : VLEN;
        gemm_tall_block(A, ars, aks, B + j, ldb, K, C + j, ldc, NR, 1, 1, vtail(w));
    }
}

/* C [M x N] = a * B (stored), B [K x N] with row stride ldb, a(r,kk) = A[r*ars +
 * kk*aks]; B is read once per block of at most TALL_ROWS rows of C, the blocks
 * as nearly equal as may be (the rows as a compile-time count in each). */
__attribute__((noinline)) KERNEL void gemm_tall(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M,
                                                int N, int K, const float *B, ptrdiff_t ldb,
                                                float *C, ptrdiff_t ldc)
{
    int blocks = (M + TALL_ROWS - 1) / TALL_ROWS;
    for (int b = 0, i = 0; b < blocks; b++) {
        int m = (M - i) / (blocks - b);
        const float *Ai = A + i * ars;
        float *Ci = C + i * ldc;
        switch (m) {
        case 1: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 1); break;
        case 2: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 2); break;
        case 3: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 3); break;
        case 4: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 4); break;
        case 5: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 5); break;
        case 6: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 6); break;
        case 7: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 7); break;
        case 8: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 8); break;
        case 9: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 9); break;
        case 10: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 10); break;
        case 11: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 11); break;
        case 12: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 12); break;
        case 13: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 13); break;
        case 14: gemm_tall_rows(Ai, ars, aks, N, K, B, ldb, Ci, ldc, 14); break;
        }
        i += m;
    }
}
_Static_assert(TALL_ROWS == 14, "gemm_tall's cases run to TALL_ROWS");

/* Where the weight gradient of a layer that neither packs nor is narrow takes
 * gemm_tall: 512-bit vectors, more inputs than
 * one of gemm's row blocks, and at most TALL_MAX_IN of them. On a Zen 5
 * (avx512), the backward of 64 x in -> 1024 without dX against gemm's, us:
 * 7 inputs 6.3 against 8.3, 12: 8.3 / 10.4, 15: 10.3 / 12.0, 28: 15.7 / 18.0,
 * 64: 33.6 / 35.8; 64 x 15 -> 128: 1.29 / 1.64; 64 x 15 -> 4096 level. */
#define TALL_MAX_IN 64
KERNEL_INLINE int use_tall(int in)
{
    return in > GEMM_ROWS && in <= TALL_MAX_IN;
}
#else
/* 256-bit paths keep gemm for every weight gradient (see above). */
KERNEL_INLINE int use_tall(int in) { (void)in; return 0; }
KERNEL_INLINE void gemm_tall(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N, int K,
                             const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc)
{
    (void)A, (void)ars, (void)aks, (void)M, (void)N, (void)K, (void)B, (void)ldb, (void)C, (void)ldc;
}
#endif

/* C [M x N] = epi(a * B), a(r,kk) = A[r*ars + kk*aks], B [K x N] (row stride
 * ldb), bias [N] when epi != EPI_STORE. */
KERNEL void gemm(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N,
                 int K, const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc,
                 const float *bias, int epi)
{
    /* When all of B fits in L1 anyway, finish a block of rows at a time: C is
     * then written row by row instead of in narrow strips down long rows
     * (rows 4 KiB apart share L1 sets). */
    if ((size_t)K * (size_t)N <= 4096 && M > GEMM_ROWS) {
        for (int i = 0; i < M; i += GEMM_ROWS)
            gemm_columns(A + i * ars, ars, aks, M - i < GEMM_ROWS ? M - i : GEMM_ROWS, N, K,
                         B, ldb, C + i * ldc, ldc, bias, epi, 1);
        return;
    }
    if (K > 0 && K <= GEMM_SHORT_K && M > GEMM_ROWS) {
        gemm_short_k(A, ars, aks, M, N, K, B, ldb, C, ldc, bias, epi);
        return;
    }
    gemm_columns(A, ars, aks, M, N, K, B, ldb, C, ldc, bias, epi, 1);
}

/* ---- dot-product kernel: C[r,c] = epi(sum_l P[r,l] * Q[c,l]) -------------
 * Both operands are contiguous along l: a block of NR x NC dot products shares
 * its loads, and each accumulator is reduced across lanes once at the end. */
#define DOT_ROWS_MAX (2 * DOT_ROWS)
/* A block's sums, and VLEN more for the last vector store of reduce_lanes. */
#define DOT_SUMS (DOT_ROWS_MAX * DOT_COLS + VLEN)
_Static_assert(GEMM_VECS >= 2 && GEMM_VECS <= 4, "gemm's tail switch covers 2 to 4 vectors");
_Static_assert(GEMM_ROWS <= 8 && DOT_ROWS_MAX <= 8, "row tails are split into 4/2/1 pieces");

/* sums[r*NC + c] = the lane sum of acc[r*lda + c] (NR x NC accumulators, both
 * compile-time constants). A short dot product (a 64-wide hidden layer is four
 * vectors) would spend more on reducing each accumulator alone (log2(VLEN)
 * shuffles and adds) than on its FMAs, so VLEN of them are reduced together in a
 * tree of vfold steps, VLEN - 1 folds in all. The tree leaves accumulator
 * bitrev(j) in lane j, so it is fed in bit-reversed order and its lanes come out
 * in order, one vector store per VLEN sums (sums holds VLEN floats past n). A
 * remainder of fewer than VLEN / 2 goes through vhsum one by one. */
#define LOG2_VLEN (VLEN == 16 ? 4 : VLEN == 8 ? 3 : 2)
KERNEL_INLINE int bit_reverse(int j)
{
    int r = 0;
    for (int b = 0; b < LOG2_VLEN; b++) r |= ((j >> b) & 1) << (LOG2_VLEN - 1 - b);
    return r;
}

/* How many of n sums reduce_lanes forms in trees (the rest one by one). */
KERNEL_INLINE int tree_sums(int n)
{
    return n % VLEN >= VLEN / 2 ? n : n / VLEN * VLEN;
}

KERNEL_INLINE void reduce_lanes(const vec *acc, const int lda, const int NR, const int NC,
                                float *sums)
{
    const int n = NR * NC;
    int g = 0;
    for (; g < tree_sums(n); g += VLEN) {
        vec t[VLEN];
        UNROLL for (int j = 0; j < VLEN; j++) {
            int e = g + bit_reverse(j);
            t[j] = e < n ? acc[e / NC * lda + e % NC] : vzero();
        }
        UNROLL for (int w = VLEN / 2, m = VLEN; w >= 1; w /= 2, m /= 2)
            UNROLL for (int e = 0; e < m / 2; e++) t[e] = vfold(t[2 * e], t[2 * e + 1], w);
        vstore(sums + g, t[0]);
    }
    UNROLL for (int e = g; e < n; e++) sums[e] = vhsum(acc[e / NC * lda + e % NC]);
}

/* RELU_ROWS: P holds ReLU outputs and stands for the rows ps[r] * w * [P > 0]
 * (the gradient from a one-output layer, see relu_backward_from_one_output):
 * the mask and w are applied as P is loaded, ps[r] to each finished dot. */
KERNEL_INLINE void dots_block(const float *P, ptrdiff_t ldp, const float *Q,
                              ptrdiff_t ldq, int L, float *C, ptrdiff_t ldc,
                              const float *bias, int epi, const int NR,
                              const int NC, const int RELU_ROWS, const float *w,
                              const float *ps, const float *bias_lanes)
{
    vec acc[DOT_ROWS_MAX][DOT_COLS];
    UNROLL for (int r = 0; r < NR; r++)
        UNROLL for (int c = 0; c < NC; c++) acc[r][c] = vzero();
    int l = 0;
    for (; l + VLEN <= L; l += VLEN) {
        vec q[DOT_COLS];
        UNROLL for (int c = 0; c < NC; c++) q[c] = vload(Q + c * ldq + l);
        vec wl = RELU_ROWS ? vload(w + l) : vzero();
        UNROLL for (int r = 0; r < NR; r++) {
            vec p = vload(P + r * ldp + l);
            if (RELU_ROWS) p = vkeep_where_positive(wl, p);
            UNROLL for (int c = 0; c < NC; c++) acc[r][c] = vfma(p, q[c], acc[r][c]);
        }
    }
    if (l < L) {
        vmask tail = vtail(L - l);
        vec q[DOT_COLS];
        UNROLL for (int c = 0; c < NC; c++) q[c] = vloadm(Q + c * ldq + l, tail);
        vec wl = RELU_ROWS ? vloadm(w + l, tail) : vzero();
        UNROLL for (int r = 0; r < NR; r++) {
            vec p = vloadm(P + r * ldp + l, tail);
            if (RELU_ROWS) p = vkeep_where_positive(wl, p);
            UNROLL for (int c = 0; c < NC; c++) acc[r][c] = vfma(p, q[c], acc[r][c]);
        }
    }
    float sums[DOT_SUMS];
    reduce_lanes(&acc[0][0], DOT_COLS, NR, NC, sums);
    /* Bias and ReLU a vector of sums at a time where the trees left them. */
    int vectorised = RELU_ROWS ? 0 : tree_sums(NR * NC);
    UNROLL for (int g = 0; g < vectorised; g += VLEN) {
        vec z = vload(sums + g);
        if (epi != EPI_STORE) z = vadd(z, vload(bias_lanes + g));
        if (epi == EPI_BIAS_RELU) z = vmax(z, vzero());
        vstore(sums + g, z);
    }
    UNROLL for (int r = 0; r < NR; r++) {
        UNROLL for (int c = 0; c < NC; c++) {
            float z = sums[r * NC + c];
            if (r * NC + c >= vectorised) {
                if (RELU_ROWS) z *= ps[r];
                if (epi != EPI_STORE) z += bias[c];
                if (epi == EPI_BIAS_RELU && !(z > 0.0f)) z = 0.0f;
            }
            C[r * ldc + c] = z;
        }
    }
}

/* All M rows for NC columns. With one column there are few accumulators, so
 * twice as many rows go into a block to keep the FMA pipes busy. */
KERNEL_INLINE void dots_cols(const float *P, ptrdiff_t ldp, int M,
                             const float *Q, ptrdiff_t ldq, int L, float *C,
                             ptrdiff_t ldc, const float *bias, int epi,
                             const int NC, const int RELU_ROWS, const float *w,
                             const float *ps)
{
    const int RB = NC == 1 ? DOT_ROWS_MAX : DOT_ROWS;
    /* bias_lanes[r*NC + c] = bias[c]: the bias laid out as a block's sums are. */
    float bias_lanes[DOT_SUMS];
    if (bias)
        for (int e = 0; e < DOT_SUMS; e++) bias_lanes[e] = bias[e % NC];
    int i = 0;
    for (; i + RB <= M; i += RB)
        dots_block(P + i * ldp, ldp, Q, ldq, L, C + i * ldc, ldc, bias, epi, RB, NC,
                   RELU_ROWS, w, ps + i, bias_lanes);
    int rest = M - i;
    if (RB > 4 && (rest & 4)) {
        dots_block(P + i * ldp, ldp, Q, ldq, L, C + i * ldc, ldc, bias, epi, 4, NC,
                   RELU_ROWS, w, ps + i, bias_lanes);
        i += 4;
    }
    if (RB > 2 && (rest & 2)) {
        dots_block(P + i * ldp, ldp, Q, ldq, L, C + i * ldc, ldc, bias, epi, 2, NC,
                   RELU_ROWS, w, ps + i, bias_lanes);
        i += 2;
    }
    if (rest & 1)
        dots_block(P + i * ldp, ldp, Q, ldq, L, C + i * ldc, ldc, bias, epi, 1, NC,
                   RELU_ROWS, w, ps + i, bias_lanes);
}

KERNEL_INLINE void dots_all(const float *P, ptrdiff_t ldp, int M, const float *Q,
                            ptrdiff_t ldq, int N, int L, float *C, ptrdiff_t ldc,
                            const float *bias, int epi, const int RELU_ROWS,
                            const float *w, const float *ps)
{
    int j = 0;
    for (; j + DOT_COLS <= N; j += DOT_COLS)
        dots_cols(P, ldp, M, Q + j * ldq, ldq, L, C + j, ldc, bias ? bias + j : NULL, epi,
                  DOT_COLS, RELU_ROWS, w, ps);
    int rest = N - j;
    if (DOT_COLS > 2 && (rest & 2)) {
        dots_cols(P, ldp, M, Q + j * ldq, ldq, L, C + j, ldc, bias ? bias + j : NULL, epi, 2,
                  RELU_ROWS, w, ps);
        j += 2;
    }
    if (rest & 1)
        dots_cols(P, ldp, M, Q + j * ldq, ldq, L, C + j, ldc, bias ? bias + j : NULL, epi, 1,
                  RELU_ROWS, w, ps);
}

/* C [M x N] (row stride ldc) = epi(P [M x L] * Q^T), Q [N x L]. */
KERNEL void dots(const float *P, ptrdiff_t ldp, int M, const float *Q,
                 ptrdiff_t ldq, int N, int L, float *C, ptrdiff_t ldc,
                 const float *bias, int epi)
{
    dots_all(P, ldp, M, Q, ldq, N, L, C, ldc, bias, epi, 0, NULL, NULL);
}

/* C [M x N] = R * Q^T with R[r,l] = ps[r] * w[l] * [P[r,l] > 0]. */
KERNEL void dots_relu_rows(const float *P, ptrdiff_t ldp, int M, const float *Q,
                           ptrdiff_t ldq, int N, int L, float *C, ptrdiff_t ldc,
                           const float *w, const float *ps)
{
    dots_all(P, ldp, M, Q, ldq, N, L, C, ldc, NULL, EPI_STORE, 1, w, ps);
}

/* ---- small helpers -------------------------------------------------------- */

KERNEL void apply_sigmoid(float *A, size_t n)
{
    /* Sigmoid layers are output layers (a handful of nodes): libm is fine. */
    for (size_t e = 0; e < n; e++) A[e] = 1.0f / (1.0f + expf(-A[e]));
}

/* T [cols x ldt] = M^T for M [rows x cols], cols <= 32 (a narrow layer's
 * weights). VLEN rows of M at a time, VLEN columns at a time, transposed in
 * registers, so each row of T is written a vector at a time: written one float
 * per row of M, rows of T 4 KiB apart all land in the same L1 sets (measured 8x
 * slower at 1024 rows, and most of the forward of a 1024 -> 10 layer). */
KERNEL void transpose_to(const float *M, int rows, int cols, float *T, ptrdiff_t ldt)
{
    int r = 0;
    for (; r + VLEN <= rows; r += VLEN)
        for (int c0 = 0; c0 < cols; c0 += VLEN) {
            int n = cols - c0 < VLEN ? cols - c0 : VLEN;
            vmask m = vtail(n);
            vec v[VLEN];
            UNROLL for (int i = 0; i < VLEN; i++) v[i] = vloadm(M + (size_t)(r + i) * cols + c0, m);
            vtranspose(v);
            UNROLL for (int c = 0; c < VLEN; c++)
                if (c < n) vstore(T + (c0 + c) * ldt + r, v[c]);
        }
    for (; r < rows; r++)
        for (int c = 0; c < cols; c++) T[c * ldt + r] = M[(size_t)r * cols + c];
}

/* M [rows x cols] = T^T for T [cols x ldt], the same blocks the other way. */
KERNEL void transpose_from(const float *T, ptrdiff_t ldt, int rows, int cols, float *M)
{
    int r = 0;
    for (; r + VLEN <= rows; r += VLEN)
        for (int c0 = 0; c0 < cols; c0 += VLEN) {
            int n = cols - c0 < VLEN ? cols - c0 : VLEN;
            vmask m = vtail(n);
            vec v[VLEN];
            UNROLL for (int c = 0; c < VLEN; c++) v[c] = c < n ? vload(T + (c0 + c) * ldt + r) : vzero();
            vtranspose(v);
            UNROLL for (int i = 0; i < VLEN; i++) {
                float *dst = M + (size_t)(r + i) * cols + c0;
                if (n == VLEN) vstore(dst, v[i]);
                else vstorem(dst, m, v[i]);
            }
        }
    for (; r < rows; r++)
        for (int c = 0; c < cols; c++) M[(size_t)r * cols + c] = T[c * ldt + r];
}

KERNEL_INLINE vec act_derivative(vec d, vec a, int act)
{
    if (act == OPTIMA_ACT_RELU) return vkeep_where_positive(d, a);
    if (act == OPTIMA_ACT_SIGMOID) return vmul(d, vmul(a, vsub(vset1(1.0f), a)));
    return d;
}

/* dA -> dZ in place: one sequential pass over the flat array. */
KERNEL void act_backward(float *dA, const float *A, size_t n, int act)
{
    if (act == OPTIMA_ACT_IDENTITY) return;
    size_t e = 0;
    for (; e + VLEN <= n; e += VLEN)
        vstore(dA + e, act_derivative(vload(dA + e), vload(A + e), act));
    if (e < n) {
        vmask tail = vtail((int)(n - e));
        vstorem(dA + e, tail, act_derivative(vloadm(dA + e, tail), vloadm(A + e, tail), act));
    }
}

/* db = column sums of dZ: a panel of columns at a time, rows inner, so the
 * sums stay in registers. */
#define COLSUM_VECS 8
KERNEL_INLINE void col_sums_panel(const float *dZ, int rows, int out, float *db,
                                  const int NV, const int MASKED, vmask tail)
{
    vec sum[COLSUM_VECS];
    UNROLL for (int v = 0; v < NV; v++) sum[v] = vzero();
    for (int i = 0; i < rows; i++) {
        const float *d = dZ + (size_t)i * out;
        UNROLL for (int v = 0; v < NV; v++)
            sum[v] = vadd(sum[v], (MASKED && v == NV - 1) ? vloadm(d + v * VLEN, tail)
                                                          : vload(d + v * VLEN));
    }
    UNROLL for (int v = 0; v < NV; v++) {
        if (MASKED && v == NV - 1) vstorem(db + v * VLEN, tail, sum[v]);
        else vstore(db + v * VLEN, sum[v]);
    }
}

KERNEL void col_sums(const float *dZ, int rows, int out, float *db)
{
    int j = 0;
    for (; j + COLSUM_VECS * VLEN <= out; j += COLSUM_VECS * VLEN)
        col_sums_panel(dZ + j, rows, out, db + j, COLSUM_VECS, 0, vtail(VLEN));
    for (; j + VLEN <= out; j += VLEN)
        col_sums_panel(dZ + j, rows, out, db + j, 1, 0, vtail(VLEN));
    if (j < out)
        col_sums_panel(dZ + j, rows, out, db + j, 1, 1, vtail(out - j));
}

/* dA -> dZ in place and db = column sums of dZ, in one pass down the rows,
 * each row read sequentially (a column-panel pass would jump 4 KiB, a page,
 * from row to row and defeat the prefetchers). NR rows at a time share one
 * load and store of the partial sums in db; each column is still summed down
 * the rows in order, as col_sums does. */
KERNEL_INLINE vec act_sum_rows(float *d, const float *a, int out, vec sum, int act,
                               const int NR, const int MASKED, vmask tail)
{
    UNROLL for (int r = 0; r < NR; r++) {
        float *dr = d + (size_t)r * out;
        const float *ar = a + (size_t)r * out;
        vec z = act_derivative(MASKED ? vloadm(dr, tail) : vload(dr),
                               MASKED ? vloadm(ar, tail) : vload(ar), act);
        if (MASKED) vstorem(dr, tail, z);
        else vstore(dr, z);
        sum = vadd(sum, z);
    }
    return sum;
}

KERNEL_INLINE void act_col_sums_rows(float *dA, const float *A, int out, int act, float *db,
                                     const int NR, const int FIRST)
{
    int j = 0;
    for (; j + VLEN <= out; j += VLEN) {
        vec s = act_sum_rows(dA + j, A + j, out, FIRST ? vzero() : vload(db + j), act, NR, 0,
                             vtail(VLEN));
        vstore(db + j, s);
    }
    if (j < out) {
        vmask tail = vtail(out - j);
        vec s = act_sum_rows(dA + j, A + j, out, FIRST ? vzero() : vloadm(db + j, tail), act,
                             NR, 1, tail);
        vstorem(db + j, tail, s);
    }
}

KERNEL_INLINE void act_col_sums(float *dA, const float *A, int rows, int out, int act,
                                float *db)
{
    /* Rows of 1024 nodes are 4 KiB apart: four of dA and four of A in flight
     * at once then compete for the same L1 sets, so wide layers go one row
     * at a time (measured: four rows 15 % slower at 1024 nodes, 15 % faster
     * at 64). */
    const int four = out <= 256;
    int i;
    if (four && rows >= 4) {
        act_col_sums_rows(dA, A, out, act, db, 4, 1);
        i = 4;
    } else {
        act_col_sums_rows(dA, A, out, act, db, 1, 1);
        i = 1;
    }
    for (; four && i + 4 <= rows; i += 4)
        act_col_sums_rows(dA + (size_t)i * out, A + (size_t)i * out, out, act, db, 4, 0);
    for (; i < rows; i++)
        act_col_sums_rows(dA + (size_t)i * out, A + (size_t)i * out, out, act, db, 1, 0);
}

/* One output node (out == 1): dWt = dz^T X and dX = dz W^T are both a pass
 * down the rows of X / dX, so one pass does both, NR rows at a time, with
 * dWt (one row of `in` floats) kept in L1 between row groups. */
KERNEL_INLINE void one_output_rows(const float *X, int in, const float *W, const float *dz,
                                   float *dWt, float *dX, const int NR, const int FIRST)
{
    vec s[4];
    UNROLL for (int r = 0; r < NR; r++) s[r] = vset1(dz[r]);
    int j = 0;
    for (; j < in; j += VLEN) {
        int full = j + VLEN <= in;
        vmask tail = vtail(full ? VLEN : in - j);
        vec acc = FIRST ? vzero() : full ? vload(dWt + j) : vloadm(dWt + j, tail);
        UNROLL for (int r = 0; r < NR; r++) {
            const float *x = X + (size_t)r * in + j;
            acc = vfma(s[r], full ? vload(x) : vloadm(x, tail), acc);
        }
        if (full) vstore(dWt + j, acc);
        else vstorem(dWt + j, tail, acc);
        if (dX) {
            vec w = full ? vload(W + j) : vloadm(W + j, tail);
            UNROLL for (int r = 0; r < NR; r++) {
                float *d = dX + (size_t)r * in + j;
                if (full) vstore(d, vmul(s[r], w));
                else vstorem(d, tail, vmul(s[r], w));
            }
        }
    }
}

KERNEL_INLINE void backward_one_output(const float *X, int rows, int in, const float *W,
                                       const float *dz, float *dWt, float *dX)
{
    int i = 0;
    if (rows >= 4) {
        one_output_rows(X, in, W, dz, dWt, dX, 4, 1);
        i = 4;
    } else {
        one_output_rows(X, in, W, dz, dWt, dX, 1, 1);
        i = 1;
    }
    for (; i + 4 <= rows; i += 4)
        one_output_rows(X + (size_t)i * in, in, W, dz + i, dWt, dX ? dX + (size_t)i * in : NULL, 4, 0);
    for (; i < rows; i++)
        one_output_rows(X + (size_t)i * in, in, W, dz + i, dWt, dX ? dX + (size_t)i * in : NULL, 1, 0);
}

/* ---- dense layer ---------------------------------------------------------- */

/* Narrow layers (1 <= out < 16) work on the transposed weights [out x ld], so
 * every loop runs over the input dimension; out == 1 needs no transpose. */
static int use_narrow(int out, const float *ws)
{
    return out == 1 || (out < OPTIMA_NARROW_OUT && ws != NULL);
}

/* The input gradient of a packed layer over a batch of at most 128 rows with at
 * most 1024 outputs goes through the dot-product kernel instead: packing the
 * transposed weights, once per call, is then spread over too few rows. On a
 * quiet Zen 5 (avx512), the backward with dX, packed dX against direct, us:
 * 64 x 784 -> 1024 900 / 831, 64 x 1024 -> 1024 1115 / 1047, 100 x 784 -> 1024
 * 1297 / 1218, 100 x 784 -> 512 655 / 609, 128 x 784 -> 1024 1718 / 1642;
 * level at 256 outputs; with 2048 outputs the packed one is level or faster
 * (128 x 2048 -> 2048 9002 / 10399), and so it is at 160 rows and more. On
 * avx2 the two were level at 100 rows (input gradient 84-89 % of peak either
 * way, optima-bench kernels --layers large --rows 100), so the rule is shared. */
KERNEL_INLINE int direct_input_gradient(int rows, int out)
{
    return rows <= 128 && out <= 1024;
}

/* Wide layers over large batches, when the caller gave the pack buffers. */
static int use_packed(int rows, int in, int out, const float *ws)
{
    return ws != NULL && optima_packs(rows, in, out);
}

KERNEL void dense_forward(const float *X, int rows, int in, int out,
                          const float *Wt, const float *b, int act, float *A,
                          float *ws)
{
    int epi = act == OPTIMA_ACT_RELU ? EPI_BIAS_RELU : EPI_BIAS;
    if (out == 1) {
        dots(X, in, rows, Wt, in, 1, in, A, out, b, epi);
    } else if (use_packed(rows, in, out, ws)) {
        gemm_packed(X, in, 1, rows, out, in, Wt, out, 1, A, out, b, epi, ws);
    } else if (use_narrow(out, ws)) {
        ptrdiff_t ld = optima_transposed_ld(in);
        transpose_to(Wt, in, out, ws, ld);
        dots(X, in, rows, ws, ld, out, in, A, out, b, epi);
    } else {
        gemm(X, in, 1, rows, out, in, Wt, out, A, out, b, epi);
    }
    if (act == OPTIMA_ACT_SIGMOID) apply_sigmoid(A, (size_t)rows * out);
}

/* dX = dZ Wt^T of a layer that is not packed. */
KERNEL_INLINE void input_gradient(const float *dZ, int rows, int in, int out,
                                  const float *Wt, float *dX, float *ws)
{
    if (out == 1) {
        gemm(dZ, 1, 1, rows, in, 1, Wt, in, dX, in, NULL, EPI_STORE);
    } else if (out <= OPTIMA_TRANSPOSED_DX_OUT && ws) {
        /* dX = dZ W with W [out x ld]: dZ[i,c] broadcast against rows of W. */
        ptrdiff_t ld = optima_transposed_ld(in);
        transpose_to(Wt, in, out, ws, ld);
        gemm(dZ, out, 1, rows, in, out, ws, ld, dX, in, NULL, EPI_STORE);
    } else {
        dots(dZ, out, rows, Wt, out, in, out, dX, in, NULL, EPI_STORE);
    }
}

KERNEL void dense_backward(const float *X, int rows, int in, int out,
                           const float *Wt, const float *A, int act, float *dA,
                           float *dWt, float *db, float *dX, float *ws)
{
    const float *dZ = dA;
    ptrdiff_t ld = optima_transposed_ld(in);
    /* Wide ReLU layers (the hidden layers): derivative and bias gradient in
     * one pass; other layers are narrow output layers, where it matters less. */
    if (rows > 0 && act == OPTIMA_ACT_RELU && !use_narrow(out, ws))
        act_col_sums(dA, A, rows, out, OPTIMA_ACT_RELU, db);
    else {
        act_backward(dA, A, (size_t)rows * out, act);
        col_sums(dZ, rows, out, db);
    }
    if (out == 1 && rows > 0) {
        backward_one_output(X, rows, in, Wt, dZ, dWt, dX);
        return;
    }
    if (use_packed(rows, in, out, ws)) {
        /* dWt = X^T dZ (X read down its columns), dX = dZ Wt^T (Wt read down
         * its rows, transposed as it is packed). */
        gemm_packed(X, 1, in, in, out, rows, dZ, out, 1, dWt, out, NULL, EPI_STORE, ws);
        /* The dot products themselves, not input_gradient: this layer's workspace
         * holds pack buffers, not the transposed weights its narrow route writes. */
        if (dX && direct_input_gradient(rows, out))
            dots(dZ, out, rows, Wt, out, in, out, dX, in, NULL, EPI_STORE);
        else if (dX)
            gemm_packed(dZ, out, 1, rows, in, out, Wt, 1, out, dX, in, NULL, EPI_STORE, ws);
        return;
    }
    if (out == 1 || use_narrow(out, ws)) {
        /* dWt^T [out x in] = dZ^T X, full vectors along the input dimension
         * (out > 1 here, or an empty batch). */
        float *dWtT = out > 1 ? ws + (size_t)out * ld : dWt;
        /* Where gemm would copy X a panel at a time (rows a page apart, more
         * outputs than a register block), a strip of panels at a time
         * instead: the same blocks, so the same sums. */
        if (out > GEMM_ROWS && rows > GEMM_SHORT_K && rows <= GEMM_STRIPS_MAX_K &&
            in >= GEMM_STRIPS_MIN_LD)
            gemm_strips(dZ, 1, out, out, in, rows, X, in, dWtT, ld);
        else
            gemm(dZ, 1, out, out, in, rows, X, in, dWtT, out > 1 ? ld : in, NULL, EPI_STORE);
        if (out > 1) transpose_from(dWtT, ld, in, out, dWt);
    } else if (use_tall(in)) {
        gemm_tall(X, 1, in, in, out, rows, dZ, out, dWt, out);
    } else {
        gemm(X, 1, in, in, out, rows, dZ, out, dWt, out, NULL, EPI_STORE);
    }
    if (dX) input_gradient(dZ, rows, in, out, Wt, dX, ws);
}

/* ---- ReLU layer under a one-output layer ---------------------------------- */

/* One column panel (NV vectors) of relu_backward_from_one_output: up to
 * GEMM_PACK_K rows of dZ = (dz w2^T) * [A > 0] at a time are built straight
 * into the stack panel that gemm would otherwise copy dZ into, summed into db
 * (and A^T dz into dw2) on the way, and multiplied by X^T in place.
 * NR > 0: a layer of NR <= 3 inputs, whose X^T dZ gemm_panel forms in one
 * block of NR rows. There the panel is not stored at all: each row of dZ goes
 * into that block's accumulators as it is built, with the block's own chains
 * (KS interleaved partial sums, the rest of a chunk on the first, added in
 * order at the end), so the sums are gemm_panel's. With three inputs the
 * stores and reloads of the panel cost more than the three FMAs per element. */
KERNEL_INLINE void relu_one_output_panel(const float *X, int rows, int in, int out,
                                         const float *A, const float *w2, const float *dz,
                                         float *dWt, float *db, float *dw2, float *dZ,
                                         float *packed, const int NV, const int MASKED,
                                         vmask tail, const int NR)
{
    const int panel = GEMM_VECS * VLEN;
    const int KS = GEMM_ROWS * GEMM_VECS >= 4 * NR * NV ? 4
                 : GEMM_ROWS * GEMM_VECS >= 2 * NR * NV ? 2 : 1;
    vec w[GEMM_VECS], sb[GEMM_VECS], sw[GEMM_VECS];
    UNROLL for (int v = 0; v < NV; v++) {
        w[v] = MASKED && v == NV - 1 ? vloadm(w2 + v * VLEN, tail) : vload(w2 + v * VLEN);
        sb[v] = vzero();
        sw[v] = vzero();
    }
    int i0 = 0;
    do {
        int k = rows - i0 < GEMM_PACK_K ? rows - i0 : GEMM_PACK_K;
        vec acc[4][3][GEMM_VECS];
        if (NR > 0) {
            UNROLL for (int c = 0; c < KS; c++)
                UNROLL for (int r = 0; r < NR; r++)
                    UNROLL for (int v = 0; v < NV; v++) {
                        const float *cv = dWt + r * out + v * VLEN;
                        acc[c][r][v] = c > 0 || i0 == 0 ? vzero()
                                     : MASKED && v == NV - 1 ? vloadm(cv, tail) : vload(cv);
                    }
        }
        const int whole = k / KS * KS;
        for (int kk = 0; kk < k; kk++) {
            const float *arow = A + (size_t)(i0 + kk) * out;
            const float *xrow = X + (size_t)(i0 + kk) * in;
            vec s = vset1(dz[i0 + kk]);
            const int c = NR > 0 && kk < whole ? kk % KS : 0;
            UNROLL for (int v = 0; v < NV; v++) {
                vec a = MASKED && v == NV - 1 ? vloadm(arow + v * VLEN, tail) : vload(arow + v * VLEN);
                vec d = vkeep_where_positive(vmul(s, w[v]), a);
                if (NR == 0) vstore(packed + kk * panel + v * VLEN, d);
                if (dZ) {
                    float *dzv = dZ + (size_t)(i0 + kk) * out + v * VLEN;
                    if (MASKED && v == NV - 1) vstorem(dzv, tail, d);
                    else vstore(dzv, d);
                }
                sb[v] = vadd(sb[v], d);
                if (dw2) sw[v] = vfma(s, a, sw[v]);
                UNROLL for (int r = 0; r < NR; r++) {
                    /* The chain c as a compile-time index: KS is at most 4. */
                    vec x = vset1(xrow[r]);
                    if (c == 0) acc[0][r][v] = vfma(x, d, acc[0][r][v]);
                    else if (c == 1) acc[1][r][v] = vfma(x, d, acc[1][r][v]);
                    else if (c == 2) acc[2][r][v] = vfma(x, d, acc[2][r][v]);
                    else acc[3][r][v] = vfma(x, d, acc[3][r][v]);
                }
            }
        }
        if (NR == 0) {
            gemm_panel(X + (size_t)i0 * in, 1, in, in, packed, panel, k, dWt, out, NULL,
                       i0 == 0 ? EPI_STORE : EPI_ACCUM, NV, MASKED, tail);
        } else {
            UNROLL for (int r = 0; r < NR; r++)
                UNROLL for (int v = 0; v < NV; v++) {
                    vec z = acc[0][r][v];
                    UNROLL for (int c = 1; c < KS; c++) z = vadd(z, acc[c][r][v]);
                    float *cv = dWt + r * out + v * VLEN;
                    if (MASKED && v == NV - 1) vstorem(cv, tail, z);
                    else vstore(cv, z);
                }
        }
        i0 += k;
    } while (i0 < rows);
    UNROLL for (int v = 0; v < NV; v++) {
        if (MASKED && v == NV - 1) vstorem(db + v * VLEN, tail, sb[v]);
        else vstore(db + v * VLEN, sb[v]);
        if (dw2 && MASKED && v == NV - 1) vstorem(dw2 + v * VLEN, tail, sw[v]);
        else if (dw2) vstore(dw2 + v * VLEN, sw[v]);
    }
}

/* Every column panel of relu_backward_from_one_output, NR as in
 * relu_one_output_panel. */
KERNEL_INLINE void relu_one_output_panels(const float *X, int rows, int in, int out,
                                          const float *A, const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2, float *dZ,
                                          float *packed, const int NR)
{
    const int panel = GEMM_VECS * VLEN;
    int j = 0;
    for (; j + panel <= out; j += panel)
        relu_one_output_panel(X, rows, in, out, A + j, w2 + j, dz, dWt + j, db + j,
                              dw2 ? dw2 + j : NULL, dZ ? dZ + j : NULL, packed, GEMM_VECS, 0,
                              vtail(VLEN), NR);
    int rest = out - j;
    if (rest > 0) {
        /* The last vector is masked (a full mask when rest is a multiple of VLEN). */
        vmask tail = vtail(rest - (rest - 1) / VLEN * VLEN);
        float *dw2j = dw2 ? dw2 + j : NULL, *dZj = dZ ? dZ + j : NULL;
        switch ((rest + VLEN - 1) / VLEN) {
        case 1:
            relu_one_output_panel(X, rows, in, out, A + j, w2 + j, dz, dWt + j, db + j, dw2j,
                                  dZj, packed, 1, 1, tail, NR);
            break;
        case 2:
            relu_one_output_panel(X, rows, in, out, A + j, w2 + j, dz, dWt + j, db + j, dw2j,
                                  dZj, packed, 2, 1, tail, NR);
            break;
#if GEMM_VECS > 2
        case 3:
            relu_one_output_panel(X, rows, in, out, A + j, w2 + j, dz, dWt + j, db + j, dw2j,
                                  dZj, packed, 3, 1, tail, NR);
            break;
#endif
#if GEMM_VECS > 3
        case 4:
            relu_one_output_panel(X, rows, in, out, A + j, w2 + j, dz, dWt + j, db + j, dw2j,
                                  dZj, packed, 4, 1, tail, NR);
            break;
#endif
        }
    }
}

KERNEL void relu_backward_from_one_output(const float *X, int rows, int in, int out,
                                          const float *Wt, const float *A,
                                          const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2, float *dX,
                                          float *dZ)
{
    float packed[GEMM_PACK_K * GEMM_VECS * VLEN] __attribute__((aligned(64)));
    /* Up to 3 inputs, on 512-bit vectors, the panel is never stored (see
     * relu_one_output_panel). On a quiet Zen 5, avx512, us with / without:
     * 64 x 3 -> 1024 2.64 / 4.37, 64 x 3 -> 4096 16.9 / 36.7, 100 x 3 -> 1000
     * 3.98 / 6.37, 64 x 1 -> 1024 2.87 / 3.42. On avx2 the accumulators and the
     * interleaved chains of 3 rows (KS = 2) overflow 16 registers and it was
     * slower (64 x 3 -> 1024 11.9 against 10.8), so the panel stays there. */
    if (VLEN < 16 || in > 3)
        relu_one_output_panels(X, rows, in, out, A, w2, dz, dWt, db, dw2, dZ, packed, 0);
    else if (in == 3)
        relu_one_output_panels(X, rows, in, out, A, w2, dz, dWt, db, dw2, dZ, packed, 3);
    else if (in == 2)
        relu_one_output_panels(X, rows, in, out, A, w2, dz, dWt, db, dw2, dZ, packed, 2);
    else
        relu_one_output_panels(X, rows, in, out, A, w2, dz, dWt, db, dw2, dZ, packed, 1);
    /* From a stored dZ, dX is plain dot products. Without it, the mask and w2
     * are applied to every vector of A inside them (dots_relu_rows), a compare
     * and a blend per load beside the FMAs. Quiet Zen 5, the whole call with dX,
     * us with dZ / without: avx512 64 x 128 -> 128 16.7 / 20.8, 64 x 64 -> 64
     * 4.8 / 6.8, 64 x 256 -> 256 66.1 / 74.8; avx2 64 x 128 -> 128 32.2 / 36.1. */
    if (dX && rows > 0 && dZ) dots(dZ, out, rows, Wt, out, in, out, dX, in, NULL, EPI_STORE);
    else if (dX && rows > 0) dots_relu_rows(A, out, rows, Wt, out, in, out, dX, in, w2, dz);
}

/* ---- optimisers ------------------------------------------------------------ */

KERNEL_INLINE void adam_vec(float *p, const float *g, float *m, float *v,
                            const float *mask, vec b1, vec one_b1, vec b2,
                            vec one_b2, vec step, vec inv_bc2, vec eps, vec wd,
                            const int MASKED, vmask tail)
{
#define LD(ptr) (MASKED ? vloadm(ptr, tail) : vload(ptr))
#define ST(ptr, x) do { if (MASKED) vstorem(ptr, tail, x); else vstore(ptr, x); } while (0)
    vec pp = LD(p);
    vec grad = vfma(wd, pp, LD(g));
    vec mm = vfma(b1, LD(m), vmul(one_b1, grad));
    vec vv = vfma(b2, LD(v), vmul(vmul(one_b2, grad), grad));
    vec denom = vfma(vsqrt(vv), inv_bc2, eps);
    pp = vsub(pp, vdiv(vmul(step, mm), denom));
    if (mask) {
        vec k = LD(mask);
        pp = vmul(pp, k); mm = vmul(mm, k); vv = vmul(vv, k);
    }
    ST(p, pp); ST(m, mm); ST(v, vv);
#undef LD
#undef ST
}

KERNEL void adam_step(float *p, const float *g, float *m, float *v,
                      const float *mask, size_t n, float lr, float beta1,
                      float beta2, float eps, float wd, int64_t t)
{
    vec step = vset1((float)(lr / (1.0 - pow(beta1, (double)t))));
    vec inv_bc2 = vset1((float)(1.0 / sqrt(1.0 - pow(beta2, (double)t))));
    vec b1 = vset1(beta1), one_b1 = vset1(1.0f - beta1);
    vec b2 = vset1(beta2), one_b2 = vset1(1.0f - beta2);
    vec ve = vset1(eps), vwd = vset1(wd);
    size_t e = 0;
    for (; e + VLEN <= n; e += VLEN)
        adam_vec(p + e, g + e, m + e, v + e, mask ? mask + e : NULL, b1, one_b1,
                 b2, one_b2, step, inv_bc2, ve, vwd, 0, vtail(VLEN));
    if (e < n)
        adam_vec(p + e, g + e, m + e, v + e, mask ? mask + e : NULL, b1, one_b1,
                 b2, one_b2, step, inv_bc2, ve, vwd, 1, vtail((int)(n - e)));
}

KERNEL void sgd_step(float *p, const float *g, const float *mask, size_t n,
                     float lr, float wd)
{
    vec vlr = vset1(lr), vwd = vset1(wd);
    size_t e = 0;
    for (; e < n; e += VLEN) {
        int left = n - e < VLEN ? (int)(n - e) : VLEN;
        vmask tail = vtail(left);
        vec pp = left < VLEN ? vloadm(p + e, tail) : vload(p + e);
        vec gg = left < VLEN ? vloadm(g + e, tail) : vload(g + e);
        pp = vsub(pp, vmul(vlr, vfma(vwd, pp, gg)));
        if (mask) pp = vmul(pp, left < VLEN ? vloadm(mask + e, tail) : vload(mask + e));
        if (left < VLEN) vstorem(p + e, tail, pp);
        else vstore(p + e, pp);
    }
}

/* ---- norms ----------------------------------------------------------------- */

KERNEL void col_sumsq(const float *M, int rows, int cols, float *out)
{
    for (int j = 0; j < cols; j += VLEN) {
        int left = cols - j < VLEN ? cols - j : VLEN;
        vmask tail = vtail(left);
        vec s = vzero();
        for (int i = 0; i < rows; i++) {
            vec x = vloadm(M + (size_t)i * cols + j, tail);
            s = vfma(x, x, s);
        }
        vstorem(out + j, tail, s);
    }
}

KERNEL void row_sumsq(const float *M, int rows, int cols, float *out)
{
    for (int i = 0; i < rows; i++) {
        const float *row = M + (size_t)i * cols;
        vec s0 = vzero(), s1 = vzero();
        int j = 0;
        for (; j + 2 * VLEN <= cols; j += 2 * VLEN) {
            vec x0 = vload(row + j), x1 = vload(row + j + VLEN);
            s0 = vfma(x0, x0, s0);
            s1 = vfma(x1, x1, s1);
        }
        for (; j < cols; j += VLEN) {
            vec x = vloadm(row + j, vtail(cols - j < VLEN ? cols - j : VLEN));
            s0 = vfma(x, x, s0);
        }
        out[i] = vhsum(vadd(s0, s1));
    }
}

/* ---- the table -------------------------------------------------------------- */

/* The reference first, then this ISA's own kernels. scale_cols and scale_rows
 * stay the reference's: one multiply per element is the same bits at any width,
 * the compiler vectorises the plain loops, and no training step calls them. */
void TABLE_INIT(struct optima_kernel_table *t)
{
    *t = optima_kernels_scalar;
    t->name = TABLE_NAME;
    t->gemm_mr = PACK_MR;
    t->gemm_nr = PACK_NR;
    t->dense_forward = dense_forward;
    t->dense_backward = dense_backward;
    t->relu_backward_from_one_output = relu_backward_from_one_output;
    t->adam_step = adam_step;
    t->sgd_step = sgd_step;
    t->col_sumsq = col_sumsq;
    t->row_sumsq = row_sumsq;
}
