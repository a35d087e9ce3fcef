/*
 * AVX-512 kernels: 16 floats per vector, 32 zmm registers, tails through mask
 * registers (masked-off lanes are neither read nor written). Every function
 * carries the target attribute below; the file is built without -m flags and
 * only runs after dispatch.c has checked the CPU (and the OS's zmm state).
 */
#include "kernels_internal.h"

#if OPTIMA_X86
#include <immintrin.h>

#define ISA "avx512f,avx512vl,avx512bw,avx512dq,fma"
#define KERNEL static __attribute__((target(ISA)))
#define KERNEL_INLINE static inline __attribute__((always_inline, target(ISA)))

typedef __m512 vec;
typedef __mmask16 vmask;
#define VLEN 16

/* Register blocks: 4 rows x 4 vectors = 16 accumulators (enough independent
 * chains for two FMA pipes of latency 4) + 4 loads + 1 broadcast; 4 x 4 dot
 * products likewise. */
#define GEMM_ROWS 4
#define GEMM_VECS 4
#define DOT_ROWS 4
#define DOT_COLS 4

#define TABLE_INIT optima_kernels_init_avx512
#define TABLE_NAME "avx512"

#include "vector_ops_avx512.h"
KERNEL_INLINE float vhsum(vec x) { return _mm512_reduce_add_ps(x); }

/* See kernels_simd_body.h: 128-bit units moved across the register for w 8
 * and 4, floats inside each unit for 2 and 1. */
KERNEL_INLINE vec vfold(vec a, vec b, const int w)
{
    vec lo, hi;
    if (w == 8) {
        lo = _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0));
        hi = _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2));
    } else if (w == 4) {
        lo = _mm512_permutex2var_ps(a, _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27), b);
        hi = _mm512_permutex2var_ps(a, _mm512_setr_epi32(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31), b);
    } else if (w == 2) {
        lo = _mm512_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0));
        hi = _mm512_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2));
    } else {
        vec l = _mm512_unpacklo_ps(a, b), h = _mm512_unpackhi_ps(a, b);
        lo = _mm512_shuffle_ps(l, h, _MM_SHUFFLE(1, 0, 1, 0));
        hi = _mm512_shuffle_ps(l, h, _MM_SHUFFLE(3, 2, 3, 2));
    }
    return _mm512_add_ps(lo, hi);
}

/* r[0..15] <- its transpose: pairs of floats, then pairs of pairs, interleaved
 * inside each 128-bit unit, then the units moved across registers (48 shuffles). */
KERNEL_INLINE void vtranspose(vec *r)
{
    vec t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
        __m512d c = _mm512_castps_pd(t[i + 2]), d = _mm512_castps_pd(t[i + 3]);
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    /* r[4i + j], unit L: column 4L + j of rows 4i ... 4i + 3. */
    for (int j = 0; j < 4; j++) {
        vec a = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88), b = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        vec c = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88), d = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
        t[j] = _mm512_shuffle_f32x4(a, c, 0x88);
        t[8 + j] = _mm512_shuffle_f32x4(a, c, 0xDD);
        t[4 + j] = _mm512_shuffle_f32x4(b, d, 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(b, d, 0xDD);
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

/* First n lanes (1 <= n <= 16) set. */

/* d where a > 0, else 0 (the ReLU derivative, written through A's sign). */
KERNEL_INLINE vec vkeep_where_positive(vec d, vec a)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_GT_OQ), d);
}

#include "kernels_simd_body.h"

#endif
