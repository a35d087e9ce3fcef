/*
 * The tiny-lanes entry points: check the task, pick the variant of the path in
 * use (the same choice as every other kernel: optima_set_path, which the
 * Swift layer calls for OPTIMA_KERNELS), and run the steps chunk by chunk.
 */
#include <math.h>

#include "tiny_lanes_internal.h"

int optima_tiny_parameter_count(int inputs, int hidden)
{
    return inputs * hidden + 2 * hidden + 1;
}

/* Paths are ordered scalar < avx2 < avx512 and the best one implies the others. */
static int path_runs_here(int path)
{
    return path >= OPTIMA_PATH_SCALAR && path <= optima_best_path();
}

static int task_ok(const struct optima_tiny_task *t)
{
    return t && t->X && t->y && t->inputs >= 1 && t->inputs <= OPTIMA_TINY_MAX_INPUTS &&
           t->hidden >= 1 && t->hidden <= OPTIMA_TINY_MAX_HIDDEN && t->rows >= 1 &&
           t->rows <= OPTIMA_TINY_MAX_ROWS &&
           (t->activation == OPTIMA_ACT_RELU || t->activation == OPTIMA_ACT_SIGMOID) &&
           (t->loss == OPTIMA_TINY_LOSS_LOGISTIC || t->loss == OPTIMA_TINY_LOSS_SQUARED) &&
           (t->optimizer == OPTIMA_TINY_GD || t->optimizer == OPTIMA_TINY_ADAM);
}

int optima_tiny_train_on(int path, const struct optima_tiny_task *t, float *params,
                         float *m, float *v, size_t count, size_t ld,
                         int64_t first_step, int64_t steps)
{
    if (!path_runs_here(path) || !task_ok(t) || !params || ld < count || steps < 0 ||
        first_step < 0 || (t->optimizer == OPTIMA_TINY_ADAM && (!m || !v)))
        return -1;
    void (*chunk)(const struct tiny_chunk *) = optima_tiny_chunk_scalar;
#if OPTIMA_X86
    if (path == OPTIMA_PATH_AVX2) chunk = optima_tiny_chunk_avx2;
    if (path == OPTIMA_PATH_AVX512) chunk = optima_tiny_chunk_avx512;
#endif
    float step_size[TINY_CHUNK], inv_sqrt_bc2[TINY_CHUNK];
    struct tiny_chunk c = {t, params, m, v, count, ld, 0, step_size, inv_sqrt_bc2};
    for (int64_t done = 0; done < steps; done += c.steps) {
        c.steps = (int)(steps - done < TINY_CHUNK ? steps - done : TINY_CHUNK);
        if (t->optimizer == OPTIMA_TINY_ADAM) {
            /* optima_adam_step's bias corrections, bit for bit: double, then float. */
            for (int s = 0; s < c.steps; s++) {
                double step = (double)(first_step + done + s + 1);
                step_size[s] = (float)(t->lr / (1.0 - pow(t->beta1, step)));
                inv_sqrt_bc2[s] = (float)(1.0 / sqrt(1.0 - pow(t->beta2, step)));
            }
        }
        chunk(&c);
    }
    return 0;
}

int optima_tiny_train(const struct optima_tiny_task *t, float *params, float *m,
                      float *v, size_t count, size_t ld, int64_t first_step,
                      int64_t steps)
{
    return optima_tiny_train_on(optima_active_path(), t, params, m, v, count, ld,
                                first_step, steps);
}

int optima_tiny_exp(int path, const float *x, float *out, size_t n)
{
    if (!path_runs_here(path)) return -1;
#if OPTIMA_X86
    if (path == OPTIMA_PATH_AVX2) { optima_tiny_exp_avx2(x, out, n); return 0; }
    if (path == OPTIMA_PATH_AVX512) { optima_tiny_exp_avx512(x, out, n); return 0; }
#endif
    for (size_t i = 0; i < n; i++) out[i] = expf(x[i]);
    return 0;
}
