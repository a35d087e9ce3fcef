/*
 * The plain C reference of every kernel: the ground truth the fast paths are
 * tested against, and the path for CPUs without AVX2. Keep it obviously right;
 * speed lives in kernels_avx2.c / kernels_avx512.c.
 */
#include <math.h>

#include "kernels_internal.h"

static float activate(float z, int act)
{
    switch (act) {
    case OPTIMA_ACT_RELU: return z > 0.0f ? z : 0.0f;
    case OPTIMA_ACT_SIGMOID: return 1.0f / (1.0f + expf(-z));
    default: return z;
    }
}

/* dLoss/dZ from dLoss/dA, written in terms of the activation's output a. */
static float activation_derivative(float da, float a, int act)
{
    switch (act) {
    case OPTIMA_ACT_RELU: return a > 0.0f ? da : 0.0f;
    case OPTIMA_ACT_SIGMOID: return da * a * (1.0f - a);
    default: return da;
    }
}

static void dense_forward(const float *X, int rows, int in, int out,
                          const float *Wt, const float *b, int act,
                          float *A, float *ws)
{
    (void)ws;
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < out; j++) {
            float z = b[j];
            for (int k = 0; k < in; k++)
                z += X[(size_t)i * in + k] * Wt[(size_t)k * out + j];
            A[(size_t)i * out + j] = activate(z, act);
        }
    }
}

static void dense_backward(const float *X, int rows, int in, int out,
                           const float *Wt, const float *A, int act,
                           float *dA, float *dWt, float *db, float *dX,
                           float *ws)
{
    (void)ws;
    size_t n = (size_t)rows * out;
    for (size_t e = 0; e < n; e++)
        dA[e] = activation_derivative(dA[e], A[e], act);
    const float *dZ = dA;

    for (int j = 0; j < out; j++) {
        float s = 0.0f;
        for (int i = 0; i < rows; i++) s += dZ[(size_t)i * out + j];
        db[j] = s;
    }
    for (int k = 0; k < in; k++) {
        for (int j = 0; j < out; j++) {
            float s = 0.0f;
            for (int i = 0; i < rows; i++)
                s += X[(size_t)i * in + k] * dZ[(size_t)i * out + j];
            dWt[(size_t)k * out + j] = s;
        }
    }
    if (!dX) return;
    for (int i = 0; i < rows; i++) {
        for (int k = 0; k < in; k++) {
            float s = 0.0f;
            for (int j = 0; j < out; j++)
                s += dZ[(size_t)i * out + j] * Wt[(size_t)k * out + j];
            dX[(size_t)i * in + k] = s;
        }
    }
}

static void relu_backward_from_one_output(const float *X, int rows, int in, int out,
                                          const float *Wt, const float *A,
                                          const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2,
                                          float *dX, float *dZ)
{
#define DZ(i, j) (A[(size_t)(i) * out + (j)] > 0.0f ? dz[i] * w2[j] : 0.0f)
    if (dZ)
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < out; j++) dZ[(size_t)i * out + j] = DZ(i, j);
    for (int j = 0; j < out; j++) {
        float s = 0.0f, t = 0.0f;
        for (int i = 0; i < rows; i++) {
            s += DZ(i, j);
            t += dz[i] * A[(size_t)i * out + j];
        }
        db[j] = s;
        if (dw2) dw2[j] = t;
    }
    for (int k = 0; k < in; k++) {
        for (int j = 0; j < out; j++) {
            float s = 0.0f;
            for (int i = 0; i < rows; i++) s += X[(size_t)i * in + k] * DZ(i, j);
            dWt[(size_t)k * out + j] = s;
        }
    }
    if (!dX) return;
    for (int i = 0; i < rows; i++) {
        for (int k = 0; k < in; k++) {
            float s = 0.0f;
            for (int j = 0; j < out; j++) s += DZ(i, j) * Wt[(size_t)k * out + j];
            dX[(size_t)i * in + k] = s;
        }
    }
#undef DZ
}

static void adam_step(float *p, const float *g, float *m, float *v,
                      const float *mask, size_t n, float lr, float beta1,
                      float beta2, float eps, float wd, int64_t t)
{
    /* Bias corrections in double: beta^t for large t loses everything in float. */
    float step_size = (float)(lr / (1.0 - pow(beta1, (double)t)));
    float inv_sqrt_bc2 = (float)(1.0 / sqrt(1.0 - pow(beta2, (double)t)));
    for (size_t e = 0; e < n; e++) {
        float grad = g[e] + wd * p[e];
        float mm = beta1 * m[e] + (1.0f - beta1) * grad;
        float vv = beta2 * v[e] + (1.0f - beta2) * grad * grad;
        float pp = p[e] - step_size * mm / (sqrtf(vv) * inv_sqrt_bc2 + eps);
        if (mask) { pp *= mask[e]; mm *= mask[e]; vv *= mask[e]; }
        p[e] = pp; m[e] = mm; v[e] = vv;
    }
}

static void sgd_step(float *p, const float *g, const float *mask, size_t n,
                     float lr, float wd)
{
    for (size_t e = 0; e < n; e++) {
        float pp = p[e] - lr * (g[e] + wd * p[e]);
        p[e] = mask ? pp * mask[e] : pp;
    }
}

static void col_sumsq(const float *M, int rows, int cols, float *out)
{
    for (int j = 0; j < cols; j++) {
        float s = 0.0f;
        for (int i = 0; i < rows; i++) {
            float x = M[(size_t)i * cols + j];
            s += x * x;
        }
        out[j] = s;
    }
}

static void row_sumsq(const float *M, int rows, int cols, float *out)
{
    for (int i = 0; i < rows; i++) {
        float s = 0.0f;
        for (int j = 0; j < cols; j++) {
            float x = M[(size_t)i * cols + j];
            s += x * x;
        }
        out[i] = s;
    }
}

static void scale_cols(float *M, int rows, int cols, const float *s)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) M[(size_t)i * cols + j] *= s[j];
}

static void scale_rows(float *M, int rows, int cols, const float *s)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) M[(size_t)i * cols + j] *= s[i];
}

const struct optima_kernel_table optima_kernels_scalar = {
    .name = "scalar",
    .dense_forward = dense_forward,
    .dense_backward = dense_backward,
    .relu_backward_from_one_output = relu_backward_from_one_output,
    .adam_step = adam_step,
    .sgd_step = sgd_step,
    .col_sumsq = col_sumsq,
    .row_sumsq = row_sumsq,
    .scale_cols = scale_cols,
    .scale_rows = scale_rows,
};

void optima_normalize_nodes_with(const struct optima_kernel_table *k,
                                 float *Wt, int in, int out, float *b,
                                 float *Wt_next, int next_out, float *norms)
{
    k->col_sumsq(Wt, in, out, norms);
    for (int j = 0; j < out; j++) norms[j] = sqrtf(norms[j]);
    /* Divide rather than multiply by a reciprocal: the node comes out as
     * close to unit norm as float allows. Zero-norm nodes are left alone. */
    for (int r = 0; r < in; r++)
        for (int j = 0; j < out; j++)
            if (norms[j] > 0.0f) Wt[(size_t)r * out + j] /= norms[j];
    for (int j = 0; j < out; j++) {
        if (norms[j] <= 0.0f) continue;
        b[j] /= norms[j];
        if (Wt_next)
            for (int c = 0; c < next_out; c++)
                Wt_next[(size_t)j * next_out + c] *= norms[j];
    }
}
