/*
 * Tiny lanes on AVX2 + FMA: 8 networks per vector. The last group's missing
 * networks are masked off with vmaskmovps (neither read nor written). Built
 * without -m flags; runs only after the entry point has checked the CPU.
 */
#include "kernels_internal.h"

#if OPTIMA_X86
#include <immintrin.h>

#define ISA "avx2,fma"
#define KERNEL static __attribute__((target(ISA)))
#define KERNEL_ENTRY __attribute__((target(ISA)))
#define KERNEL_INLINE static inline __attribute__((always_inline, target(ISA)))

typedef __m256 vec;
typedef __m256i vmask;
#define VLEN 8
#define CHUNK_FN optima_tiny_chunk_avx2
#define EXP_FN optima_tiny_exp_avx2

#include "vector_ops_avx2.h"
KERNEL_INLINE vec vmin(vec a, vec b) { return _mm256_min_ps(a, b); }
KERNEL_INLINE vec vfnmadd(vec a, vec b, vec c) { return _mm256_fnmadd_ps(a, b, c); }
KERNEL_INLINE vec vmul_where_positive(vec a, vec x, vec y)
{
    return _mm256_and_ps(_mm256_mul_ps(x, y), _mm256_cmp_ps(a, _mm256_setzero_ps(), _CMP_GT_OQ));
}
KERNEL_INLINE vec vround(vec x)
{
    return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
/* y * 2^n as two exact power-of-two factors 2^(n/2) and 2^(n - n/2), each a
 * normal float for n in [-150, 128]: the first product is exact, the second
 * rounds once, so overflow and gradual underflow come out as IEEE rounds them. */
KERNEL_INLINE vec vldexp(vec y, vec n)
{
    __m256i k = _mm256_cvtps_epi32(n);
    __m256i half = _mm256_srai_epi32(k, 1), rest = _mm256_sub_epi32(k, half);
    __m256i bias = _mm256_set1_epi32(127);
    vec s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    vec s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(rest, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(y, s1), s2);
}

#include "tiny_lanes_body.h"

#endif
