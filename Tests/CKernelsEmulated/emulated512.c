/* The shared kernel body in the AVX-512 configuration, on clang's portable vector
 * types: 16 lanes, 4 x 4 register blocks, tails as 16-bit lane masks. Only the
 * one-line intrinsic wrappers of kernels_avx512.c differ from what runs on AVX-512
 * hardware. Masked loads read only the lanes they need, as AVX-512's do, so
 * AddressSanitizer would catch a tail that reaches past an array. */
#include "kernels_internal.h"
#include "emulated_selftest.h"
/* Every vector function here is static, so passing 64-byte vectors without AVX-512
 * enabled changes no ABI anyone else sees. */
#pragma clang diagnostic ignored "-Wpsabi"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL static
#define KERNEL_INLINE static inline __attribute__((always_inline))
typedef float vec __attribute__((ext_vector_type(16)));
typedef unsigned short vmask;
#define VLEN 16
#define GEMM_ROWS 4
#define GEMM_VECS 4
#define DOT_ROWS 4
#define DOT_COLS 4
#define TABLE_INIT optima_kernels_init_emulated512
#define TABLE_NAME "emulated512"

KERNEL_INLINE vec vload(const float *p) { vec v; memcpy(&v, p, sizeof v); return v; }
KERNEL_INLINE void vstore(float *p, vec x) { memcpy(p, &x, sizeof x); }
KERNEL_INLINE vec vloadm(const float *p, vmask m)
{
    vec v = 0;
    for (int i = 0; i < VLEN; i++) if (m >> i & 1) v[i] = p[i];
    return v;
}
KERNEL_INLINE void vstorem(float *p, vmask m, vec x)
{
    for (int i = 0; i < VLEN; i++) if (m >> i & 1) p[i] = x[i];
}
KERNEL_INLINE vec vset1(float x) { return (vec)x; }
KERNEL_INLINE vec vzero(void) { return (vec)0.0f; }
KERNEL_INLINE vec vfma(vec a, vec b, vec c) { return a * b + c; }
KERNEL_INLINE vec vadd(vec a, vec b) { return a + b; }
KERNEL_INLINE vec vsub(vec a, vec b) { return a - b; }
KERNEL_INLINE vec vmul(vec a, vec b) { return a * b; }
KERNEL_INLINE vec vdiv(vec a, vec b) { return a / b; }
KERNEL_INLINE vec vmax(vec a, vec b)
{
    vec r;
    for (int i = 0; i < VLEN; i++) r[i] = a[i] > b[i] ? a[i] : b[i];
    return r;
}
KERNEL_INLINE vec vsqrt(vec a)
{
    vec r;
    for (int i = 0; i < VLEN; i++) r[i] = sqrtf(a[i]);
    return r;
}
KERNEL_INLINE float vhsum(vec x)
{
    float s = 0;
    for (int i = 0; i < VLEN; i++) s += x[i];
    return s;
}
KERNEL_INLINE vec vfold(vec a, vec b, int w)
{
    vec r;
    for (int base = 0; base < VLEN; base += 2 * w)
        for (int i = 0; i < w; i++) {
            r[base + i] = a[base + i] + a[base + w + i];
            r[base + w + i] = b[base + i] + b[base + w + i];
        }
    return r;
}
KERNEL_INLINE void vtranspose(vec *r)
{
    vec t[VLEN];
    for (int i = 0; i < VLEN; i++)
        for (int j = 0; j < VLEN; j++) t[j][i] = r[i][j];
    for (int i = 0; i < VLEN; i++) r[i] = t[i];
}
KERNEL_INLINE vmask vtail(int n) { return (vmask)((1u << n) - 1u); }
KERNEL_INLINE vec vkeep_where_positive(vec d, vec a)
{
    vec r;
    for (int i = 0; i < VLEN; i++) r[i] = a[i] > 0 ? d[i] : 0;
    return r;
}

#include "kernels_simd_body.h"

/* ---- the self-test --------------------------------------------------------- */

static unsigned long long rng_state;
static float rnd(void)
{
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return (float)((rng_state >> 40) * (1.0 / 16777216.0)) * 2 - 1;
}

static float *randoms(size_t n)
{
    float *p = malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) p[i] = rnd();
    return p;
}

static char *report_out;
static int report_len;

/* |got - ref| <= (1e-5 + 1e-4 |ref|) * scale, as the Swift kernel tests check. */
static int differs(const char *what, const float *got, const float *ref, size_t n, double scale,
                   int rows, int in, int out, int act)
{
    for (size_t i = 0; i < n; i++) {
        double tol = (1e-5 + 1e-4 * fabs(ref[i])) * scale;
        if (!(fabs(got[i] - ref[i]) <= tol)) {
            if (report_out && report_out[0] == 0)
                snprintf(report_out, report_len, "%s[%zu]: %g, reference %g (rows %d, in %d, out %d, act %d)",
                         what, i, got[i], ref[i], rows, in, out, act);
            return 1;
        }
    }
    return 0;
}

static int check_dense(const struct optima_kernel_table *T, int rows, int in, int out, int act, int with_dx)
{
    const struct optima_kernel_table *R = &optima_kernels_scalar;
    size_t nx = (size_t)rows * in, nw = (size_t)in * out, na = (size_t)rows * out;
    float *X = randoms(nx), *W = randoms(nw), *b = randoms(out), *dA1 = randoms(na);
    float *A1 = randoms(na), *A2 = randoms(na), *dA2 = malloc(sizeof(float) * na);
    float *dW1 = randoms(nw), *dW2 = randoms(nw), *db1 = randoms(out), *db2 = randoms(out);
    float *dX1 = randoms(nx), *dX2 = randoms(nx);
    size_t wsn = optima_dense_workspace(in, out);
    float *ws = wsn ? malloc(sizeof(float) * wsn) : NULL;
    memcpy(dA2, dA1, sizeof(float) * na);
    R->dense_forward(X, rows, in, out, W, b, act, A1, NULL);
    T->dense_forward(X, rows, in, out, W, b, act, A2, ws);
    int bad = differs("forward", A2, A1, na, sqrt(in), rows, in, out, act);
    R->dense_backward(X, rows, in, out, W, A1, act, dA1, dW1, db1, with_dx ? dX1 : NULL, NULL);
    T->dense_backward(X, rows, in, out, W, A1, act, dA2, dW2, db2, with_dx ? dX2 : NULL, ws);
    bad |= differs("dZ", dA2, dA1, na, 1, rows, in, out, act);
    bad |= differs("db", db2, db1, out, sqrt(rows), rows, in, out, act);
    bad |= differs("dW", dW2, dW1, nw, sqrt(rows), rows, in, out, act);
    if (with_dx) bad |= differs("dX", dX2, dX1, nx, sqrt(out), rows, in, out, act);
    free(X); free(W); free(b); free(A1); free(A2); free(dA1); free(dA2);
    free(dW1); free(dW2); free(db1); free(db2); free(dX1); free(dX2); free(ws);
    return bad;
}

/* mode 0: no dX; 1: dX; 2: dX formed from dZ, which is stored and compared too. */
static int check_fused(const struct optima_kernel_table *T, int rows, int in, int out, int mode)
{
    const struct optima_kernel_table *R = &optima_kernels_scalar;
    size_t nx = (size_t)rows * in, nw = (size_t)in * out, na = (size_t)rows * out;
    float *X = randoms(nx), *W = randoms(nw), *A = randoms(na), *w2 = randoms(out), *dz = randoms(rows);
    for (size_t i = 0; i < na; i++) if (A[i] < 0) A[i] = 0;   /* ReLU outputs */
    float *dW1 = randoms(nw), *dW2 = randoms(nw), *db1 = randoms(out), *db2 = randoms(out);
    float *g1 = randoms(out), *g2 = randoms(out), *dX1 = randoms(nx), *dX2 = randoms(nx);
    float *dZ1 = randoms(na), *dZ2 = randoms(na);
    R->relu_backward_from_one_output(X, rows, in, out, W, A, w2, dz, dW1, db1, g1, mode ? dX1 : NULL,
                                     mode == 2 ? dZ1 : NULL);
    T->relu_backward_from_one_output(X, rows, in, out, W, A, w2, dz, dW2, db2, g2, mode ? dX2 : NULL,
                                     mode == 2 ? dZ2 : NULL);
    int bad = differs("fused dW", dW2, dW1, nw, sqrt(rows), rows, in, out, -1);
    bad |= differs("fused db", db2, db1, out, sqrt(rows), rows, in, out, -1);
    bad |= differs("fused dw2", g2, g1, out, sqrt(rows), rows, in, out, -1);
    if (mode) bad |= differs("fused dX", dX2, dX1, nx, sqrt(out), rows, in, out, -1);
    if (mode == 2) bad |= differs("fused dZ", dZ2, dZ1, na, 1, rows, in, out, -1);
    free(X); free(W); free(A); free(w2); free(dz); free(dW1); free(dW2); free(db1); free(db2);
    free(g1); free(g2); free(dX1); free(dX2); free(dZ1); free(dZ2);
    return bad;
}

static int check_updates_and_norms(const struct optima_kernel_table *T)
{
    const struct optima_kernel_table *R = &optima_kernels_scalar;
    enum { N = 37, ROWS = 17, COLS = 23 };
    float p1[N], p2[N], g[N], m1[N], m2[N], v1[N], v2[N], mask[N];
    for (int i = 0; i < N; i++) {
        p1[i] = p2[i] = rnd(); g[i] = rnd(); m1[i] = m2[i] = rnd() * 0.1f;
        v1[i] = v2[i] = fabsf(rnd()) * 0.01f; mask[i] = i % 3 ? 1 : 0;
    }
    int bad = 0;
    R->adam_step(p1, g, m1, v1, mask, N, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, 5);
    T->adam_step(p2, g, m2, v2, mask, N, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, 5);
    bad |= differs("adam p", p2, p1, N, 1, 0, 0, N, 0) | differs("adam m", m2, m1, N, 1, 0, 0, N, 0)
         | differs("adam v", v2, v1, N, 1, 0, 0, N, 0);
    R->sgd_step(p1, g, mask, N, 0.1f, 0.01f);
    T->sgd_step(p2, g, mask, N, 0.1f, 0.01f);
    bad |= differs("sgd", p2, p1, N, 1, 0, 0, N, 0);
    float M1[ROWS * COLS], o1[COLS], o2[COLS];
    for (int i = 0; i < ROWS * COLS; i++) M1[i] = rnd();
    R->col_sumsq(M1, ROWS, COLS, o1); T->col_sumsq(M1, ROWS, COLS, o2);
    bad |= differs("col_sumsq", o2, o1, COLS, 4, ROWS, 0, COLS, 0);
    R->row_sumsq(M1, ROWS, COLS, o1); T->row_sumsq(M1, ROWS, COLS, o2);
    bad |= differs("row_sumsq", o2, o1, ROWS, 4, ROWS, 0, COLS, 0);
    /* The body leaves the scaling kernels to the reference (the compiler vectorises its
     * loops); comparing them with themselves would check nothing, so check that they are
     * still the reference's: an override added later must come with a comparison here. */
    if (T->scale_cols != R->scale_cols || T->scale_rows != R->scale_rows) {
        if (report_out && report_out[0] == 0)
            snprintf(report_out, report_len, "scale_cols/scale_rows overridden without a check against the reference");
        bad = 1;
    }
    return bad;
}

int optima_emulated512_selftest(char *report, int report_size)
{
    struct optima_kernel_table table;
    optima_kernels_init_emulated512(&table);
    const struct optima_kernel_table *T = &table;
    static const int rows[] = {1, 3, 17, 64, 65, 130}, ins[] = {1, 3, 15, 17, 29, 64, 1023};
    /* 10 and 26: the multi-class output layers; 32 and 33 either side of the
     * widest layer whose dX goes through transposed weights. */
    static const int outs[] = {1, 3, 7, 10, 15, 16, 17, 26, 32, 33, 1023};
    rng_state = 88172645463325252ULL;
    report_out = report; report_len = report_size;
    if (report && report_size > 0) report[0] = 0;
    int bad = 0, cases = 0;
    for (int r = 0; r < (int)(sizeof rows / sizeof rows[0]); r++)
        for (int i = 0; i < (int)(sizeof ins / sizeof ins[0]); i++)
            for (int o = 0; o < (int)(sizeof outs / sizeof outs[0]); o++)
                for (int dx = 0; dx < 3; dx++) {
                    for (int act = 0; dx < 2 && act < 3; act++, cases++)
                        bad += check_dense(T, rows[r], ins[i], outs[o], act, dx);
                    /* dX from the stored dZ (mode 2) on the wider inputs too: the
                     * hidden layers of deeper networks. */
                    if (ins[i] <= 17 || (dx == 2 && ins[i] <= 64)) {
                        bad += check_fused(T, rows[r], ins[i], outs[o], dx);
                        cases++;
                    }
                }
    /* The packed products of wide layers, block sizes forced below the shapes so
     * that every block and register-block edge is crossed (then the caches' own). */
    static const int blocks[][3] = {{1, 1, 1}, {7, 13, 40}, {24, 8, 128}, {4096, 4096, 65536}};
    static const int wide[][3] = {{65, 128, 128}, {67, 131, 129}, {100, 200, 301}, {130, 257, 130}};
    for (int k = 0; k < 4; k++) {
        optima_set_blocking(blocks[k][0], blocks[k][1], blocks[k][2]);
        for (int s = 0; s < 4; s++, cases++)
            bad += check_dense(T, wide[s][0], wide[s][1], wide[s][2], OPTIMA_ACT_RELU, 1);
    }
    /* While the blocks are forced every layer packs: the awkward shapes above. */
    optima_set_blocking(5, 7, 20);
    for (int r = 0; r < (int)(sizeof rows / sizeof rows[0]); r++)
        for (int i = 0; i < (int)(sizeof ins / sizeof ins[0]); i++)
            for (int o = 0; o < (int)(sizeof outs / sizeof outs[0]); o++, cases++)
                bad += check_dense(T, rows[r], ins[i], outs[o], OPTIMA_ACT_RELU, 1);
    optima_set_blocking(0, 0, 0);
    bad += check_dense(T, 70, 1031, 520, OPTIMA_ACT_RELU, 1); cases++;
    bad += check_updates_and_norms(T); cases++;
    if (report && report_size > 0 && report[0] == 0)
        snprintf(report, report_size, "%d cases, all match the reference", cases);
    return bad;
}
