/*
 * The tiny-lanes training on vectors, one network per lane, written once for
 * both ISAs: tiny_lanes_avx2.c and tiny_lanes_avx512.c define the vector layer
 * below and include this file.
 *
 * The includer defines:
 *   KERNEL, KERNEL_INLINE           qualifiers carrying the target attribute
 *   KERNEL_ENTRY                    the same, for the two external functions
 *   vec, vmask, VLEN
 *   CHUNK_FN, EXP_FN                this ISA's names of those two functions
 *   vloadm(p, m) vstorem(p, m, x)   lanes outside m neither read nor written
 *   vtail(n)                        the first n lanes (1 <= n <= VLEN)
 *   vset1 vzero vfma(a,b,c)=a*b+c vadd vsub vmul vdiv vsqrt vmin vmax
 *   vfnmadd(a,b,c)=c-a*b
 *   vmul_where_positive(a, x, y)    x*y where a > 0, else 0
 *   vround(x)                       x rounded to the nearest integer (as float)
 *   vldexp(y, n)                    y * 2^n for integral n in [-150, 128],
 *                                   overflow to inf, underflow to 0 as a
 *                                   product rounds
 *
 * A lane group's parameters, moments and activations are local arrays; every
 * loop bound is a compile-time constant in the specialised instances below,
 * so the loops unroll and the arrays become registers (spilling to L1 where
 * Adam's moments do not fit). Each lane computes exactly what the scalar
 * reference computes for its network, in the same order, except that
 * a*b + c is one FMA here.
 */
#include <math.h>
#include <stddef.h>

#include "tiny_lanes_internal.h"

#if defined(__clang__)
#define UNROLL _Pragma("clang loop unroll(full)")
#else
#define UNROLL _Pragma("GCC unroll 16")
#endif

/* ---- exp ------------------------------------------------------------------
 * Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, with ln2 split in a part
 * exact in float times any n and a correction, then Cephes' degree-6
 * polynomial for e^r (relative error under 1 ulp on the interval) and a scale
 * by 2^n. Tested against libm over the whole float range it is used on. NaN
 * stays NaN: the clamps below pass a NaN through (min/max return their second
 * operand when either is NaN). */
KERNEL_INLINE vec vexp(vec x)
{
    x = vmax(vset1(-104.0f), vmin(vset1(89.0f), x));   /* beyond: 0 and inf */
    vec n = vround(vmul(x, vset1(1.44269504088896341f)));
    vec r = vfma(n, vset1(-0.693359375f), x);           /* ln2 high part: 9 bits */
    r = vfma(n, vset1(2.12194440e-4f), r);              /* ln2 - high part */
    vec p = vset1(1.9875691500e-4f);
    p = vfma(p, r, vset1(1.3981999507e-3f));
    p = vfma(p, r, vset1(8.3334519073e-3f));
    p = vfma(p, r, vset1(4.1665795894e-2f));
    p = vfma(p, r, vset1(1.6666665459e-1f));
    p = vfma(p, r, vset1(5.0000001201e-1f));
    vec e = vadd(vfma(vmul(p, r), r, r), vset1(1.0f));  /* 1 + r + r^2 p(r) */
    return vldexp(e, n);
}

/* 1/(1 + e^-z), as the reference writes it. */
KERNEL_INLINE vec vsigmoid(vec z)
{
    return vdiv(vset1(1.0f), vadd(vset1(1.0f), vexp(vsub(vzero(), z))));
}

KERNEL_ENTRY void EXP_FN(const float *x, float *out, size_t n)
{
    for (size_t i = 0; i < n; i += VLEN) {
        vmask m = vtail(n - i < VLEN ? (int)(n - i) : VLEN);
        vstorem(out + i, m, vexp(vloadm(x + i, m)));
    }
}

/* The generic instance (tiny_generic, below) keeps its loops: the UNROLL requests
 * cannot be met with run-time bounds, and clang would say so once per loop, at the
 * loop's line here, so the silence covers tiny_group's lines as well. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpass-failed"
#endif

/* ---- one lane group through a chunk of steps --------------------------------
 * P, R, H, ACT, ADAM are constants at the specialised call sites and the
 * task's values in the generic one. Layout of p, g, m, v: the parameter
 * layout of one network (W input-major, b1, w2, b2), a vector per entry. */
KERNEL_INLINE void tiny_group(const struct tiny_chunk *c, size_t n0, vmask lanes,
                              const int P, const int R, const int H, const int ACT,
                              const int ADAM)
{
    const struct optima_tiny_task *t = c->t;
    const int ob1 = P * H, ow2 = ob1 + H, ob2 = ow2 + H, np = ob2 + 1;
    const float *X = t->X, *y = t->y;
    const size_t ld = c->ld;
    vec p[TINY_MAX_PARAMS], g[TINY_MAX_PARAMS], m[TINY_MAX_PARAMS], v[TINY_MAX_PARAMS];
    vec a[OPTIMA_TINY_MAX_ROWS][OPTIMA_TINY_MAX_HIDDEN], dz[OPTIMA_TINY_MAX_ROWS];
    UNROLL for (int k = 0; k < np; k++) {
        p[k] = vloadm(c->params + (size_t)k * ld + n0, lanes);
        if (ADAM) {
            m[k] = vloadm(c->m + (size_t)k * ld + n0, lanes);
            v[k] = vloadm(c->v + (size_t)k * ld + n0, lanes);
        }
    }
    const int squared = t->loss == OPTIMA_TINY_LOSS_SQUARED, decay = t->wd != 0.0f;
    const vec scale = vset1(squared ? 2.0f / (float)R : 1.0f / (float)R);
    const vec lr = vset1(t->lr), wd = vset1(t->wd), one = vset1(1.0f);
    const vec b1 = vset1(t->beta1), b2 = vset1(t->beta2), eps = vset1(t->eps);
    const vec c1 = vset1(1.0f - t->beta1), c2 = vset1(1.0f - t->beta2);
    for (int s = 0; s < c->steps; s++) {
        /* Forward, and dLoss/dz of the output on every row. */
        UNROLL for (int i = 0; i < R; i++) {
            vec o = p[ob2];
            UNROLL for (int j = 0; j < H; j++) {
                vec z = p[ob1 + j];
                UNROLL for (int k = 0; k < P; k++) z = vfma(vset1(X[i * P + k]), p[k * H + j], z);
                a[i][j] = ACT == OPTIMA_ACT_RELU ? vmax(z, vzero()) : vsigmoid(z);
            }
            UNROLL for (int j = 0; j < H; j++) o = vfma(a[i][j], p[ow2 + j], o);
            vec target = vset1(y[i]);
            dz[i] = vmul(squared ? vsub(o, target) : vsub(vsigmoid(o), target), scale);
        }
        /* Backward: every gradient, summed over the rows in order. */
        vec sum = dz[0];
        UNROLL for (int i = 1; i < R; i++) sum = vadd(sum, dz[i]);
        g[ob2] = sum;
        UNROLL for (int j = 0; j < H; j++) {
            vec db = vzero(), dw2 = vzero(), dW[OPTIMA_TINY_MAX_INPUTS];
            UNROLL for (int k = 0; k < P; k++) dW[k] = vzero();
            UNROLL for (int i = 0; i < R; i++) {
                vec d = ACT == OPTIMA_ACT_RELU
                            ? vmul_where_positive(a[i][j], dz[i], p[ow2 + j])
                            : vmul(vmul(vmul(dz[i], p[ow2 + j]), a[i][j]), vsub(one, a[i][j]));
                db = vadd(db, d);
                dw2 = vfma(dz[i], a[i][j], dw2);
                UNROLL for (int k = 0; k < P; k++) dW[k] = vfma(vset1(X[i * P + k]), d, dW[k]);
            }
            g[ob1 + j] = db;
            g[ow2 + j] = dw2;
            UNROLL for (int k = 0; k < P; k++) g[k * H + j] = dW[k];
        }
        /* The update. */
        if (ADAM) {
            const vec ss = vset1(c->step_size[s]), ib = vset1(c->inv_sqrt_bc2[s]);
            UNROLL for (int k = 0; k < np; k++) {
                vec grad = vfma(wd, p[k], g[k]);
                m[k] = vfma(b1, m[k], vmul(c1, grad));
                v[k] = vfma(b2, v[k], vmul(vmul(c2, grad), grad));
                p[k] = vsub(p[k], vdiv(vmul(ss, m[k]), vfma(vsqrt(v[k]), ib, eps)));
            }
        } else {
            /* p - lr*g in one FMA (one rounding where the reference has two);
             * the decay term only where there is one. */
            UNROLL for (int k = 0; k < np; k++)
                p[k] = vfnmadd(lr, decay ? vfma(wd, p[k], g[k]) : g[k], p[k]);
        }
    }
    UNROLL for (int k = 0; k < np; k++) {
        vstorem(c->params + (size_t)k * ld + n0, lanes, p[k]);
        if (ADAM) {
            vstorem(c->m + (size_t)k * ld + n0, lanes, m[k]);
            vstorem(c->v + (size_t)k * ld + n0, lanes, v[k]);
        }
    }
}

/* Instances for the counterexamples' shape (2 inputs, 4 points) and h = 1..8,
 * per activation and optimiser; any other task takes the generic one. */
#define TINY_INSTANCE(H, ACT, ADAM)                                                   \
    KERNEL void tiny_p2_r4_h##H##_##ACT##_##ADAM(const struct tiny_chunk *c, size_t n0, \
                                                 vmask lanes)                         \
    {                                                                                 \
        tiny_group(c, n0, lanes, 2, 4, H, ACT, ADAM);                                 \
    }
#define TINY_INSTANCES(H)                                                              \
    TINY_INSTANCE(H, 1, 0) TINY_INSTANCE(H, 1, 1) TINY_INSTANCE(H, 2, 0) TINY_INSTANCE(H, 2, 1)
TINY_INSTANCES(1) TINY_INSTANCES(2) TINY_INSTANCES(3) TINY_INSTANCES(4)
TINY_INSTANCES(5) TINY_INSTANCES(6) TINY_INSTANCES(7) TINY_INSTANCES(8)

typedef void (*tiny_group_fn)(const struct tiny_chunk *, size_t, vmask);
#define TINY_ROW(H) \
    {tiny_p2_r4_h##H##_1_0, tiny_p2_r4_h##H##_1_1, tiny_p2_r4_h##H##_2_0, tiny_p2_r4_h##H##_2_1}
static const tiny_group_fn tiny_p2_r4[8][4] = {TINY_ROW(1), TINY_ROW(2), TINY_ROW(3), TINY_ROW(4),
                                               TINY_ROW(5), TINY_ROW(6), TINY_ROW(7), TINY_ROW(8)};
#undef TINY_ROW

KERNEL void tiny_generic(const struct tiny_chunk *c, size_t n0, vmask lanes)
{
    const struct optima_tiny_task *t = c->t;
    tiny_group(c, n0, lanes, t->inputs, t->rows, t->hidden, t->activation,
               t->optimizer == OPTIMA_TINY_ADAM);
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

KERNEL_ENTRY void CHUNK_FN(const struct tiny_chunk *c)
{
    const struct optima_tiny_task *t = c->t;
    tiny_group_fn group = tiny_generic;
    if (t->inputs == 2 && t->rows == 4 && t->hidden <= 8)
        group = tiny_p2_r4[t->hidden - 1][(t->activation == OPTIMA_ACT_SIGMOID) * 2 +
                                          (t->optimizer == OPTIMA_TINY_ADAM)];
    for (size_t n0 = 0; n0 < c->count; n0 += VLEN)
        group(c, n0, vtail(c->count - n0 < VLEN ? (int)(c->count - n0) : VLEN));
}
