/*
 * Tiny lanes on AVX-512: 16 networks per vector. The last group's missing
 * networks are masked off (neither read nor written). Built without -m flags;
 * runs only after the entry point has checked the CPU.
 */
#include "kernels_internal.h"

#if OPTIMA_X86
#include <immintrin.h>

#define ISA "avx512f,avx512vl,avx512bw,avx512dq,fma"
#define KERNEL static __attribute__((target(ISA)))
#define KERNEL_ENTRY __attribute__((target(ISA)))
#define KERNEL_INLINE static inline __attribute__((always_inline, target(ISA)))

typedef __m512 vec;
typedef __mmask16 vmask;
#define VLEN 16
#define CHUNK_FN optima_tiny_chunk_avx512
#define EXP_FN optima_tiny_exp_avx512

#include "vector_ops_avx512.h"
KERNEL_INLINE vec vmin(vec a, vec b) { return _mm512_min_ps(a, b); }
KERNEL_INLINE vec vfnmadd(vec a, vec b, vec c) { return _mm512_fnmadd_ps(a, b, c); }
/* The ReLU derivative rides on the product as a zeroing mask. */
KERNEL_INLINE vec vmul_where_positive(vec a, vec x, vec y)
{
    return _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_GT_OQ), x, y);
}
KERNEL_INLINE vec vround(vec x)
{
    return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
/* vscalefps is y * 2^floor(n) with IEEE overflow and gradual underflow, in one
 * instruction. */
KERNEL_INLINE vec vldexp(vec y, vec n) { return _mm512_scalef_ps(y, n); }

#include "tiny_lanes_body.h"

#endif
