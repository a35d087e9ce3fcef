/*
 * The plain C reference of the tiny-lanes training: one network at a time, the
 * step written as the Trainer composes it from the reference kernels
 * (kernels_scalar.c) and Loss.gradient — forward through the hidden and the
 * output layer, the mean loss's gradient at the output, the backward pass
 * (the fused ReLU form, or the output layer's then the sigmoid layer's), one
 * optimiser update. The SIMD variants are tested against this.
 */
#include <math.h>

#include "tiny_lanes_internal.h"

static void train_one(const struct tiny_chunk *c, size_t n)
{
    const struct optima_tiny_task *t = c->t;
    const int P = t->inputs, H = t->hidden, R = t->rows;
    const int ob1 = P * H, ow2 = ob1 + H, ob2 = ow2 + H, np = ob2 + 1;
    const int adam = t->optimizer == OPTIMA_TINY_ADAM;
    float p[TINY_MAX_PARAMS], m[TINY_MAX_PARAMS], v[TINY_MAX_PARAMS], g[TINY_MAX_PARAMS];
    float a[OPTIMA_TINY_MAX_ROWS][OPTIMA_TINY_MAX_HIDDEN], dz[OPTIMA_TINY_MAX_ROWS];
    for (int k = 0; k < np; k++) {
        p[k] = c->params[(size_t)k * c->ld + n];
        if (adam) { m[k] = c->m[(size_t)k * c->ld + n]; v[k] = c->v[(size_t)k * c->ld + n]; }
    }
    /* Loss.gradient's factor: the mean over rows (squared error: of (z - y)^2). */
    const float scale = t->loss == OPTIMA_TINY_LOSS_SQUARED ? 2.0f / (float)R : 1.0f / (float)R;
    for (int s = 0; s < c->steps; s++) {
        for (int i = 0; i < R; i++) {
            const float *x = t->X + (size_t)i * P;
            for (int j = 0; j < H; j++) {
                float z = p[ob1 + j];
                for (int k = 0; k < P; k++) z += x[k] * p[k * H + j];
                a[i][j] = t->activation == OPTIMA_ACT_RELU ? (z > 0.0f ? z : 0.0f)
                                                           : 1.0f / (1.0f + expf(-z));
            }
            float o = p[ob2];
            for (int j = 0; j < H; j++) o += a[i][j] * p[ow2 + j];
            dz[i] = t->loss == OPTIMA_TINY_LOSS_SQUARED ? (o - t->y[i]) * scale
                                                         : (1.0f / (1.0f + expf(-o)) - t->y[i]) * scale;
        }
        float sum = 0.0f;
        for (int i = 0; i < R; i++) sum += dz[i];
        g[ob2] = sum;
        for (int j = 0; j < H; j++) {
            float db = 0.0f, dw2 = 0.0f, dW[OPTIMA_TINY_MAX_INPUTS] = {0};
            for (int i = 0; i < R; i++) {
                /* dLoss/dz of hidden node j on row i. */
                float d = dz[i] * p[ow2 + j];
                d = t->activation == OPTIMA_ACT_RELU ? (a[i][j] > 0.0f ? d : 0.0f)
                                                     : d * a[i][j] * (1.0f - a[i][j]);
                db += d;
                dw2 += dz[i] * a[i][j];
                for (int k = 0; k < P; k++) dW[k] += t->X[(size_t)i * P + k] * d;
            }
            g[ob1 + j] = db;
            g[ow2 + j] = dw2;
            for (int k = 0; k < P; k++) g[k * H + j] = dW[k];
        }
        if (adam) {
            const float b1 = t->beta1, b2 = t->beta2, ss = c->step_size[s], ib = c->inv_sqrt_bc2[s];
            for (int k = 0; k < np; k++) {
                float grad = g[k] + t->wd * p[k];
                m[k] = b1 * m[k] + (1.0f - b1) * grad;
                v[k] = b2 * v[k] + (1.0f - b2) * grad * grad;
                p[k] = p[k] - ss * m[k] / (sqrtf(v[k]) * ib + t->eps);
            }
        } else {
            for (int k = 0; k < np; k++) p[k] = p[k] - t->lr * (g[k] + t->wd * p[k]);
        }
    }
    for (int k = 0; k < np; k++) {
        c->params[(size_t)k * c->ld + n] = p[k];
        if (adam) { c->m[(size_t)k * c->ld + n] = m[k]; c->v[(size_t)k * c->ld + n] = v[k]; }
    }
}

void optima_tiny_chunk_scalar(const struct tiny_chunk *c)
{
    for (size_t n = 0; n < c->count; n++) train_one(c, n);
}
