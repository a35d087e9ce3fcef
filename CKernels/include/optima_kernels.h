/*
 * Optima's hot loops. Swift calls one entry point per operation; which ISA
 * variant runs behind it (AVX-512, AVX2+FMA or the plain C reference) is chosen
 * once, from CPUID, or forced with optima_set_path (the Swift layer does so
 * for OPTIMA_KERNELS=avx512|avx2|scalar).
 *
 * Layout conventions (all matrices row-major, float32):
 *   X   [rows x in]   layer input, one example per row
 *   Wt  [in x out]    weights stored input-major: row k holds the weights from
 *                     input k to every output node, so the node dimension is
 *                     contiguous (the wide dimension of our small networks).
 *   b   [out]         bias
 *   A   [rows x out]  activations act(X*Wt + b)
 *
 * No kernel allocates. Narrow layers (1 < out <= 32) need a workspace of
 * optima_dense_workspace(in, out) floats, sized once per network shape. Wide
 * layers (in and out >= 128) get one too: with it, batches of 64 rows or
 * more go through packed, cache-blocked products where optima_packs says so;
 * without it (NULL), through the direct kernels.
 */
#ifndef OPTIMA_KERNELS_H
#define OPTIMA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    OPTIMA_ACT_IDENTITY = 0,
    OPTIMA_ACT_RELU = 1,
    OPTIMA_ACT_SIGMOID = 2
};

enum {
    OPTIMA_PATH_SCALAR = 0,
    OPTIMA_PATH_AVX2 = 1,
    OPTIMA_PATH_AVX512 = 2
};

/* ---- dispatch ---------------------------------------------------------- */

/* Best path this CPU supports. */
int optima_best_path(void);
/* Path in use: the one optima_set_path chose last, else the best path. */
int optima_active_path(void);
/* Force a path. Returns 0, or -1 if this CPU cannot run it (path unchanged). */
int optima_set_path(int path);
/* "scalar", "avx2", "avx512". */
const char *optima_path_name(int path);

/* The operations of a path's kernel table. */
enum {
    OPTIMA_OP_DENSE_FORWARD = 0,
    OPTIMA_OP_DENSE_BACKWARD = 1,
    OPTIMA_OP_RELU_BACKWARD_FROM_ONE_OUTPUT = 2,
    OPTIMA_OP_ADAM_STEP = 3,
    OPTIMA_OP_SGD_STEP = 4,
    OPTIMA_OP_COL_SUMSQ = 5,
    OPTIMA_OP_ROW_SUMSQ = 6,
    OPTIMA_OP_SCALE_COLS = 7,
    OPTIMA_OP_SCALE_ROWS = 8,
    OPTIMA_OP_COUNT = 9
};

/* Every path's table starts as a copy of the scalar reference and replaces
 * only the kernels it speeds up. 1 if path still runs the reference kernel for
 * op, 0 if it has its own, -1 for an unknown op or a path this build lacks
 * (a CPU that cannot run the path still has its table). */
int optima_table_entry_is_reference(int path, int op);

/* ---- dense layer ------------------------------------------------------- */

size_t optima_dense_workspace(int in, int out);

/* Whether a rows x in -> out layer's products pack when given a workspace. */
int optima_packs(int rows, int in, int out);

/* A = act(X*Wt + b). */
void optima_dense_forward(const float *X, int rows, int in, int out,
                          const float *Wt, const float *b, int act,
                          float *A, float *ws);

/* Backward through A = act(X*Wt + b).
 * dA [rows x out] holds dLoss/dA on entry and dLoss/dZ on return
 *   (ReLU: dA*(A>0); sigmoid: dA*A*(1-A); identity: unchanged).
 * dWt [in x out] = X^T * dZ   (overwritten)
 * db  [out]      = sum over rows of dZ (overwritten)
 * dX  [rows x in] = dZ * Wt^T (overwritten; skipped when dX is NULL). */
void optima_dense_backward(const float *X, int rows, int in, int out,
                           const float *Wt, const float *A, int act,
                           float *dA, float *dWt, float *db, float *dX,
                           float *ws);

/* Backward through a ReLU layer A = relu(X*Wt + b) whose outputs feed a
 * one-output identity layer with weights w2 [out] (that layer's Wt, [out x 1]),
 * given dz [rows], dLoss/dz of that one output. The gradient reaching this
 * layer, dZ[i,j] = dz[i]*w2[j] where A[i,j] > 0 (else 0), is built a panel at
 * a time, and stored only where dZ is given:
 * dWt [in x out] = X^T * dZ,  db [out] = sum over rows of dZ   (overwritten)
 * dw2 [out]      = A^T * dz, the next layer's weight gradient (skipped when NULL)
 * dX  [rows x in] = dZ * Wt^T (skipped when NULL)
 * dZ  [rows x out] receives dZ itself (skipped when NULL); dX is then formed
 *   from it, which is faster than applying the mask inside the products
 *   (any spare buffer of that size will do, e.g. the layer's unused dLoss/dA).
 * No workspace. */
void optima_relu_backward_from_one_output(const float *X, int rows, int in, int out,
                                          const float *Wt, const float *A,
                                          const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2,
                                          float *dX, float *dZ);

/* ---- optimiser updates ------------------------------------------------- */

/* One Adam step, PyTorch semantics (weight decay as coupled L2: g += wd*p):
 *   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2
 *   p -= (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 * t is the 1-based step count. */
void optima_adam_step(float *p, const float *g, float *m, float *v, size_t n,
                      float lr, float beta1, float beta2, float eps, float wd,
                      int64_t t);

/* Adam over pruned weights: mask[i] is 0 or 1. Where it is 0 the weight and
 * both moments are written as exactly 0, whatever the gradient. A NULL mask
 * is optima_adam_step. */
void optima_adam_step_masked(float *p, const float *g, float *m, float *v,
                             const float *mask, size_t n, float lr,
                             float beta1, float beta2, float eps, float wd,
                             int64_t t);

/* p -= lr*(g + wd*p); the masked form zeroes masked weights (a NULL mask is
 * the plain form). */
void optima_sgd_step(float *p, const float *g, size_t n, float lr, float wd);
void optima_sgd_step_masked(float *p, const float *g, const float *mask,
                            size_t n, float lr, float wd);

/* ---- norms ------------------------------------------------------------- */

/* out[j] = sum_i M[i][j]^2  (node norms^2 of an input-major Wt). */
void optima_col_sumsq(const float *M, int rows, int cols, float *out);
/* out[i] = sum_j M[i][j]^2  (feature group norms r_i^2 of the first layer). */
void optima_row_sumsq(const float *M, int rows, int cols, float *out);
/* M[i][j] *= s[j] */
void optima_scale_cols(float *M, int rows, int cols, const float *s);
/* M[i][j] *= s[i] */
void optima_scale_rows(float *M, int rows, int cols, const float *s);

/* Node normalisation (Guo & Barbu, Eq. 3) of the out nodes of one layer:
 *   w_j <- w_j/|w_j|,  b_j <- b_j/|w_j|,  outgoing weights of j *= |w_j|.
 * Wt [in x out], b [out], Wt_next [out x next_out] (row j = node j's outgoing
 * weights). norms[out] receives |w_j|. A node with |w_j| == 0 is left as it is.
 * For ReLU nodes the network's function is unchanged. */
void optima_normalize_nodes(float *Wt, int in, int out, float *b,
                            float *Wt_next, int next_out, float *norms);

/* ---- packed GEMM blocking ------------------------------------------------- */

/* The block sizes (in floats) the packed products of a path use: kc (the
 * K block, for L1), mc (rows of A per block, for L2), nc (columns of B per
 * block, for L3). Returns 0, or -1 for a path without packed products. */
int optima_blocking_of(int path, int *kc, int *mc, int *nc);
/* Forces the block sizes (tests: blocks smaller than the shapes, so that
 * every edge is crossed), and while forced, every layer given a workspace
 * packs, whatever its shape; 0 for all three goes back to the caches' sizes
 * and the usual shapes. Workspaces must be sized (optima_dense_workspace)
 * after the call. */
void optima_set_blocking(int kc, int mc, int nc);

/* ---- measured peak --------------------------------------------------------- */

/* Single-core fp32 peak of a path in GFLOP/s (an FMA counts as 2 flops),
 * measured for about `seconds` by a register-only loop with many independent
 * accumulator chains. 0 if this CPU cannot run the path. */
double optima_peak_fma_gflops(int path, double seconds);

#ifdef __cplusplus
}
#endif

#endif
