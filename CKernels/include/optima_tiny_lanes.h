/*
 * Many tiny networks trained in lockstep, one network per SIMD lane (16 per
 * AVX-512 vector, 8 per AVX2 vector), the whole full-batch training step —
 * forward over every point, loss gradient, backward, the GD or Adam update —
 * fused and run for many steps inside one call. A network of a few dozen
 * parameters on a handful of points is all per-step overhead when it is
 * trained alone; in a lane it costs a few vector instructions per step.
 *
 * The networks are p-h-1: a ReLU or sigmoid hidden layer of h nodes and one
 * identity output, trained full batch on rows points (X [rows x p], y
 * [rows]) with the mean log loss on the output logit (binary cross-entropy)
 * or the mean squared error. The step is the one a single network takes in
 * the Trainer (Propagation, Loss.gradient, the optimiser kernels): same
 * formulas, same order of sums over the rows (0, 1, ..., rows-1).
 *
 * Parameter layout, structure of arrays: parameter k of network n is
 * params[k*ld + n], k running over one network's buffer in the Network
 * layout — W [p x h] input-major (k*h + j), b1 [h], w2 [h], b2 — so
 * P = p*h + 2*h + 1 rows of ld >= count floats. Adam's moments m and v have
 * the same layout (NULL for GD). No allocation; the path is the one the other
 * kernels use (OPTIMA_KERNELS / optima_set_path).
 */
#ifndef OPTIMA_TINY_LANES_H
#define OPTIMA_TINY_LANES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { OPTIMA_TINY_LOSS_LOGISTIC = 0, OPTIMA_TINY_LOSS_SQUARED = 1 };
enum { OPTIMA_TINY_GD = 0, OPTIMA_TINY_ADAM = 1 };

/* Limits: beyond them a network is not tiny (train it alone). */
#define OPTIMA_TINY_MAX_INPUTS 4
#define OPTIMA_TINY_MAX_HIDDEN 16
#define OPTIMA_TINY_MAX_ROWS 16

struct optima_tiny_task {
    int inputs, hidden, rows;
    int activation;        /* OPTIMA_ACT_RELU or OPTIMA_ACT_SIGMOID */
    int loss;              /* OPTIMA_TINY_LOSS_* */
    const float *X;        /* [rows x inputs], row-major */
    const float *y;        /* [rows] */
    int optimizer;         /* OPTIMA_TINY_GD or OPTIMA_TINY_ADAM */
    /* GD: p -= lr*(g + wd*p). Adam: PyTorch semantics, as optima_adam_step. */
    float lr, beta1, beta2, eps, wd;
};

/* Floats per network: p*h + 2*h + 1. */
int optima_tiny_parameter_count(int inputs, int hidden);

/* Trains networks 0..count-1 for `steps` full-batch steps; the first is step
 * first_step + 1 (Adam's bias correction). Returns 0, or -1 if the task is
 * outside the limits or malformed (nothing is changed). */
int optima_tiny_train(const struct optima_tiny_task *t, float *params, float *m,
                      float *v, size_t count, size_t ld, int64_t first_step,
                      int64_t steps);

/* The same on a given path (tests, benchmarks): -1 also when this CPU cannot
 * run the path. */
int optima_tiny_train_on(int path, const struct optima_tiny_task *t, float *params,
                         float *m, float *v, size_t count, size_t ld,
                         int64_t first_step, int64_t steps);

/* out[i] = e^x[i] by the path's exp (libm's expf on the scalar path), for
 * tests of the vector exp. -1 if this CPU cannot run the path. */
int optima_tiny_exp(int path, const float *x, float *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
