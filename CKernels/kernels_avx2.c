/*
 * AVX2 + FMA kernels: 8 floats per vector, 16 ymm registers. Tails use
 * vmaskmovps (masked-off lanes are neither read nor written, so a tail never
 * touches memory past the end of a row). Every function carries
 * target("avx2,fma"); the file is built without -m flags and only runs after
 * dispatch.c has checked the CPU.
 */
#include "kernels_internal.h"

#if OPTIMA_X86
#include <immintrin.h>

#define ISA "avx2,fma"
#define KERNEL static __attribute__((target(ISA)))
#define KERNEL_INLINE static inline __attribute__((always_inline, target(ISA)))

typedef __m256 vec;
typedef __m256i vmask;
#define VLEN 8

/* Register blocks: 6 rows x 2 vectors = 12 accumulators + 2 loads + 1
 * broadcast leave a spare register (4 x 3 fills all 16 and the compiler then
 * spills an accumulator inside the loop, halving the speed); 3 x 3 dot
 * products leave room for their 3 + 1 operand loads. */
#define GEMM_ROWS 6
#define GEMM_VECS 2
#define DOT_ROWS 3
#define DOT_COLS 3

#define TABLE_INIT optima_kernels_init_avx2
#define TABLE_NAME "avx2"

#include "vector_ops_avx2.h"

KERNEL_INLINE float vhsum(vec x)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* See kernels_simd_body.h: 128-bit halves moved for w 4, floats inside each
 * half for 2 and 1. */
KERNEL_INLINE vec vfold(vec a, vec b, const int w)
{
    vec lo, hi;
    if (w == 4) {
        lo = _mm256_permute2f128_ps(a, b, 0x20);
        hi = _mm256_permute2f128_ps(a, b, 0x31);
    } else if (w == 2) {
        lo = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0));
        hi = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2));
    } else {
        vec l = _mm256_unpacklo_ps(a, b), h = _mm256_unpackhi_ps(a, b);
        lo = _mm256_shuffle_ps(l, h, _MM_SHUFFLE(1, 0, 1, 0));
        hi = _mm256_shuffle_ps(l, h, _MM_SHUFFLE(3, 2, 3, 2));
    }
    return _mm256_add_ps(lo, hi);
}

/* r[0..7] <- its transpose: floats, then pairs interleaved inside each 128-bit
 * half, then the halves swapped across registers (24 shuffles). */
KERNEL_INLINE void vtranspose(vec *r)
{
    vec t[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        __m256d a = _mm256_castps_pd(t[i]), b = _mm256_castps_pd(t[i + 1]);
        __m256d c = _mm256_castps_pd(t[i + 2]), d = _mm256_castps_pd(t[i + 3]);
        r[i] = _mm256_castpd_ps(_mm256_unpacklo_pd(a, c));
        r[i + 1] = _mm256_castpd_ps(_mm256_unpackhi_pd(a, c));
        r[i + 2] = _mm256_castpd_ps(_mm256_unpacklo_pd(b, d));
        r[i + 3] = _mm256_castpd_ps(_mm256_unpackhi_pd(b, d));
    }
    /* r[4i + j], half L: column 4L + j of rows 4i ... 4i + 3. */
    for (int j = 0; j < 4; j++) {
        t[j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x20);
        t[4 + j] = _mm256_permute2f128_ps(r[j], r[4 + j], 0x31);
    }
    for (int i = 0; i < 8; i++) r[i] = t[i];
}


/* d where a > 0, else 0 (the ReLU derivative, written through A's sign). */
KERNEL_INLINE vec vkeep_where_positive(vec d, vec a)
{
    return _mm256_and_ps(d, _mm256_cmp_ps(a, _mm256_setzero_ps(), _CMP_GT_OQ));
}

#include "kernels_simd_body.h"

#endif
