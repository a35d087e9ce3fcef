/*
 * The packed, cache-blocked GEMM of large layers: BLIS's loops around a
 * micro-kernel (Goto & van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication"). kernels_simd_body.h includes it after gemm_block, whose
 * full GEMM_ROWS x GEMM_VECS block is the micro-kernel.
 *
 *   for jc (NC columns of B and C)          B block in L3
 *     for pc (KC of the sum)                pack B: KC x NC, NR-wide panels
 *       for ic (MC rows of A and C)         pack A: MC x KC, MR-row panels, in L2
 *         for jr (one NR panel of B)        KC x NR panel in L1
 *           for ir (one MR panel of A)      MR x NR block of C in registers
 *
 * Block sizes come from the caches (cache_blocking.c). The pack buffers are
 * the layer's workspace, sized once per network shape by
 * optima_dense_workspace, so no product allocates; a caller that passes none
 * gets the direct kernels.
 *
 * Every element of C is its starting value (0, the bias, or what an earlier K
 * block left in C, stored and reloaded exactly) followed by one FMA per term,
 * in order of the sum: the same chain wherever the element lies, in a full
 * block or an edge, whatever the block sizes.
 */

#define PACK_MR GEMM_ROWS
#define PACK_NR (GEMM_VECS * VLEN)

KERNEL_INLINE int min_int(int a, int b) { return a < b ? a : b; }

KERNEL_INLINE float *align_floats(float *p)
{
    return (float *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

/* A kc x nc block of b(kk, c) = B[kk*bks + c*bns] into NR-wide panels: panel
 * p holds rows 0..kc-1 of columns p*NR ... p*NR + NR - 1, one row after the
 * other; columns past nc are zero. Either B's rows are contiguous (bns == 1:
 * the weights of the forward, dZ of the weight gradient), or its columns are
 * (bks == 1: the transposed weights of the input gradient), which are then
 * transposed VLEN x VLEN in registers. */
KERNEL void pack_b(const float *B, ptrdiff_t bks, ptrdiff_t bns, int kc, int nc, float *dst)
{
    const int panels = (nc + PACK_NR - 1) / PACK_NR;
    if (bns == 1) {
        for (int kk = 0; kk < kc; kk++) {
            const float *src = B + kk * bks;
            for (int p = 0; p < panels; p++) {
                float *d = dst + (size_t)p * kc * PACK_NR + (size_t)kk * PACK_NR;
                UNROLL for (int v = 0; v < GEMM_VECS; v++) {
                    int c = p * PACK_NR + v * VLEN, left = nc - c;
                    vec x = left >= VLEN ? vload(src + c)
                          : left > 0     ? vloadm(src + c, vtail(left)) : vzero();
                    vstore(d + v * VLEN, x);
                }
            }
        }
        return;
    }
    for (int c = 0; c < panels * PACK_NR; c += VLEN) {
        float *d = dst + (size_t)(c / PACK_NR) * kc * PACK_NR + c % PACK_NR;
        int n = nc - c;
        if (n <= 0) {
            for (int kk = 0; kk < kc; kk++) vstore(d + (size_t)kk * PACK_NR, vzero());
            continue;
        }
        for (int k0 = 0; k0 < kc; k0 += VLEN) {
            int m = min_int(VLEN, kc - k0);
            vmask mk = vtail(m);
            vec v[VLEN];
            UNROLL for (int i = 0; i < VLEN; i++) {
                const float *src = B + (c + i) * bns + k0;
                v[i] = i >= n ? vzero() : m == VLEN ? vload(src) : vloadm(src, mk);
            }
            vtranspose(v);
            UNROLL for (int t = 0; t < VLEN; t++)
                if (t < m) vstore(d + (size_t)(k0 + t) * PACK_NR, v[t]);
        }
    }
}

/* An mc x kc block of a(r, kk) = A[r*ars + kk*aks] into MR-row panels: panel
 * p holds, for kk = 0 ... kc-1, the MR values a(p*MR + r, kk) side by side, so
 * the micro-kernel broadcasts from one contiguous stream; rows past mc are
 * zero. ars == 1 (X read down its columns, the weight gradient) copies MR
 * contiguous floats per kk; aks == 1 gathers MR rows. */
KERNEL void pack_a(const float *A, ptrdiff_t ars, ptrdiff_t aks, int mc, int kc, float *dst)
{
    for (int i = 0; i < mc; i += PACK_MR) {
        int m = min_int(PACK_MR, mc - i);
        const float *a = A + i * ars;
        float *d = dst + (size_t)i * kc;
        if (m == PACK_MR) {
            for (int kk = 0; kk < kc; kk++)
                UNROLL for (int r = 0; r < PACK_MR; r++) d[kk * PACK_MR + r] = a[r * ars + kk * aks];
        } else {
            for (int kk = 0; kk < kc; kk++)
                for (int r = 0; r < PACK_MR; r++)
                    d[kk * PACK_MR + r] = r < m ? a[r * ars + kk * aks] : 0.0f;
        }
    }
}

/* The epilogue of one K block: the bias (and an overwrite) only in the first,
 * the ReLU only in the last, an accumulation in every later one. */
KERNEL_INLINE int block_epi(int epi, int first, int last)
{
    int relu = epi == EPI_BIAS_RELU;
    if (first && last) return epi;
    if (first) return relu ? EPI_BIAS : epi;
    return last && relu ? EPI_ACCUM_RELU : EPI_ACCUM;
}

/* One MR x NR block of C from a panel of packed A and one of packed B. An
 * edge block (m < MR rows or n < NR columns of C) is formed in a full block
 * on the stack and its valid part copied out: the packed panels are padded
 * with zeros, so the micro-kernel always runs whole. */
KERNEL_INLINE void packed_block(const float *Ap, const float *Bp, int kc, float *C, ptrdiff_t ldc,
                                const float *bias, int epi, int m, int n)
{
    if (m == PACK_MR && n == PACK_NR) {
        gemm_block(Ap, 1, PACK_MR, Bp, PACK_NR, kc, C, ldc, bias, epi, PACK_MR, GEMM_VECS, 0,
                   vtail(VLEN));
        return;
    }
    float tile[PACK_MR * PACK_NR] __attribute__((aligned(64)));
    int from_bias = epi == EPI_BIAS || epi == EPI_BIAS_RELU;
    for (int r = 0; r < PACK_MR; r++)
        for (int c = 0; c < PACK_NR; c++)
            tile[r * PACK_NR + c] = r >= m || c >= n || epi == EPI_STORE ? 0.0f
                                  : from_bias ? bias[c] : C[r * ldc + c];
    gemm_block(Ap, 1, PACK_MR, Bp, PACK_NR, kc, tile, PACK_NR, NULL, EPI_ACCUM, PACK_MR,
               GEMM_VECS, 0, vtail(VLEN));
    int relu = epi == EPI_BIAS_RELU || epi == EPI_ACCUM_RELU;
    for (int r = 0; r < m; r++)
        for (int c = 0; c < n; c++) {
            float z = tile[r * PACK_NR + c];
            C[r * ldc + c] = relu && !(z > 0.0f) ? 0.0f : z;
        }
}

/* C [M x N] (row stride ldc) = epi(a * b), a(r, kk) = A[r*ars + kk*aks] with
 * ars or aks 1, b(kk, c) = B[kk*bks + c*bns] with bks or bns 1, bias [N] when
 * epi adds one. ws: optima_dense_workspace floats of a layer whose in or out
 * is at least N. */
KERNEL void gemm_packed(const float *A, ptrdiff_t ars, ptrdiff_t aks, int M, int N, int K,
                        const float *B, ptrdiff_t bks, ptrdiff_t bns, float *C, ptrdiff_t ldc,
                        const float *bias, int epi, float *ws)
{
    const struct optima_blocking bl = optima_blocking_for(PACK_MR, PACK_NR);
    int widest = min_int(bl.nc, (N + PACK_NR - 1) / PACK_NR * PACK_NR);
    /* K in equal blocks of about KC (at most 1.5 KC), not KC blocks and a
     * short rest: each block is a pass over C, and a weight gradient over 100
     * rows would otherwise spend a whole pass on the last 4 (KC 96). */
    int kblocks = (K + bl.kc / 2) / bl.kc;
    if (kblocks < 1) kblocks = 1;
    const int kstep = (K + kblocks - 1) / kblocks;
    float *Bp = align_floats(ws);
    float *Ap = align_floats(Bp + (size_t)optima_kc_max(bl) * widest);
    for (int jc = 0; jc < N; jc += bl.nc) {
        int nc = min_int(bl.nc, N - jc);
        for (int pc = 0; pc < K; pc += kstep) {
            int kc = min_int(kstep, K - pc);
            int e = block_epi(epi, pc == 0, pc + kc == K);
            pack_b(B + pc * bks + jc * bns, bks, bns, kc, nc, Bp);
            for (int ic = 0; ic < M; ic += bl.mc) {
                int mc = min_int(bl.mc, M - ic);
                pack_a(A + ic * ars + pc * aks, ars, aks, mc, kc, Ap);
                for (int jr = 0; jr < nc; jr += PACK_NR)
                    for (int ir = 0; ir < mc; ir += PACK_MR)
                        packed_block(Ap + (size_t)ir * kc, Bp + (size_t)jr * kc, kc,
                                     C + (ic + ir) * ldc + jc + jr, ldc,
                                     bias ? bias + jc + jr : NULL, e,
                                     min_int(PACK_MR, mc - ir), min_int(PACK_NR, nc - jr));
            }
        }
    }
}
