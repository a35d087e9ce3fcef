/*
 * The AVX2 vector layer both kernel families share (kernels_avx2.c and
 * tiny_lanes_avx2.c): loads, stores, tails and the arithmetic one-liners. The
 * includer first defines KERNEL_INLINE (with its target attribute), vec and vmask.
 */
#ifndef OPTIMA_VECTOR_OPS_AVX2_H
#define OPTIMA_VECTOR_OPS_AVX2_H

KERNEL_INLINE vec vload(const float *p) { return _mm256_loadu_ps(p); }
KERNEL_INLINE void vstore(float *p, vec x) { _mm256_storeu_ps(p, x); }
KERNEL_INLINE vec vloadm(const float *p, vmask m) { return _mm256_maskload_ps(p, m); }
KERNEL_INLINE void vstorem(float *p, vmask m, vec x) { _mm256_maskstore_ps(p, m, x); }
KERNEL_INLINE vec vset1(float x) { return _mm256_set1_ps(x); }
KERNEL_INLINE vec vzero(void) { return _mm256_setzero_ps(); }
KERNEL_INLINE vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
KERNEL_INLINE vec vadd(vec a, vec b) { return _mm256_add_ps(a, b); }
KERNEL_INLINE vec vsub(vec a, vec b) { return _mm256_sub_ps(a, b); }
KERNEL_INLINE vec vmul(vec a, vec b) { return _mm256_mul_ps(a, b); }
KERNEL_INLINE vec vdiv(vec a, vec b) { return _mm256_div_ps(a, b); }
KERNEL_INLINE vec vsqrt(vec a) { return _mm256_sqrt_ps(a); }
KERNEL_INLINE vec vmax(vec a, vec b) { return _mm256_max_ps(a, b); }
/* First n lanes (1 <= n <= 8) set: a window into a row of -1s then 0s. */
KERNEL_INLINE vmask vtail(int n)
{
    static const int32_t window[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(window + 8 - n));
}

#endif
