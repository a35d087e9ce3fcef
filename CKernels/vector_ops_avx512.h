/*
 * The AVX512 vector layer both kernel families share (kernels_avx512.c and
 * tiny_lanes_avx512.c): loads, stores, tails and the arithmetic one-liners. The
 * includer first defines KERNEL_INLINE (with its target attribute), vec and vmask.
 */
#ifndef OPTIMA_VECTOR_OPS_AVX512_H
#define OPTIMA_VECTOR_OPS_AVX512_H

KERNEL_INLINE vec vload(const float *p) { return _mm512_loadu_ps(p); }
KERNEL_INLINE void vstore(float *p, vec x) { _mm512_storeu_ps(p, x); }
KERNEL_INLINE vec vloadm(const float *p, vmask m) { return _mm512_maskz_loadu_ps(m, p); }
KERNEL_INLINE void vstorem(float *p, vmask m, vec x) { _mm512_mask_storeu_ps(p, m, x); }
KERNEL_INLINE vec vset1(float x) { return _mm512_set1_ps(x); }
KERNEL_INLINE vec vzero(void) { return _mm512_setzero_ps(); }
KERNEL_INLINE vec vfma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
KERNEL_INLINE vec vadd(vec a, vec b) { return _mm512_add_ps(a, b); }
KERNEL_INLINE vec vsub(vec a, vec b) { return _mm512_sub_ps(a, b); }
KERNEL_INLINE vec vmul(vec a, vec b) { return _mm512_mul_ps(a, b); }
KERNEL_INLINE vec vdiv(vec a, vec b) { return _mm512_div_ps(a, b); }
KERNEL_INLINE vec vsqrt(vec a) { return _mm512_sqrt_ps(a); }
KERNEL_INLINE vec vmax(vec a, vec b) { return _mm512_max_ps(a, b); }
KERNEL_INLINE vmask vtail(int n) { return (vmask)((1u << n) - 1u); }

#endif
