/*
 * Fills every path's kernel table and picks one, once (BLIS-style: CPUID
 * decides, the kernels never ask again), and exposes the public entry points,
 * each a single indirect call.
 *
 * The C side starts on the best path the CPU runs. The Swift layer is the one
 * reader of OPTIMA_KERNELS (avx512|avx2|scalar|swift) and sets the path it
 * names through optima_set_path before any kernel runs; "swift" means it runs
 * its own kernels and leaves C on its best path for anything still asked.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_internal.h"

/* One table per path, all filled once, before the first kernel runs; the
 * active one is the one every entry point calls through. */
static struct optima_kernel_table tables[OPTIMA_PATH_AVX512 + 1];
static const struct optima_kernel_table *active_table;
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

static int path_supported(int path)
{
    switch (path) {
    case OPTIMA_PATH_SCALAR: return 1;
#if OPTIMA_X86
    case OPTIMA_PATH_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case OPTIMA_PATH_AVX512:
        /* The runtime's checks include the OS saving zmm state (XCR0). */
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
#endif
    default: return 0;
    }
}

/* Paths whose table this build has (whether or not this CPU can run them). */
static int path_built(int path)
{
    return path == OPTIMA_PATH_SCALAR || (OPTIMA_X86 && (path == OPTIMA_PATH_AVX2 ||
                                                         path == OPTIMA_PATH_AVX512));
}

static void fill_tables(void)
{
    tables[OPTIMA_PATH_SCALAR] = optima_kernels_scalar;
#if OPTIMA_X86
    optima_kernels_init_avx2(&tables[OPTIMA_PATH_AVX2]);
    optima_kernels_init_avx512(&tables[OPTIMA_PATH_AVX512]);
#endif
}

int optima_best_path(void)
{
    if (path_supported(OPTIMA_PATH_AVX512)) return OPTIMA_PATH_AVX512;
    if (path_supported(OPTIMA_PATH_AVX2)) return OPTIMA_PATH_AVX2;
    return OPTIMA_PATH_SCALAR;
}

static void choose_table(void)
{
    fill_tables();
    /* The best path until the Swift side, the one reader of OPTIMA_KERNELS, sets another. */
    __atomic_store_n(&active_table, &tables[optima_best_path()], __ATOMIC_RELEASE);
}

static inline const struct optima_kernel_table *kernels(void)
{
    const struct optima_kernel_table *t = __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
    if (__builtin_expect(t != NULL, 1)) return t;
    pthread_once(&choose_once, choose_table);
    return __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
}

int optima_active_path(void) { return (int)(kernels() - tables); }

int optima_set_path(int path)
{
    if (!path_supported(path)) return -1;
    pthread_once(&choose_once, choose_table);
    __atomic_store_n(&active_table, &tables[path], __ATOMIC_RELEASE);
    return 0;
}

const char *optima_path_name(int path)
{
    switch (path) {
    case OPTIMA_PATH_AVX2: return "avx2";
    case OPTIMA_PATH_AVX512: return "avx512";
    case OPTIMA_PATH_SCALAR: return "scalar";
    default: return "unknown";
    }
}

int optima_table_entry_is_reference(int path, int op)
{
    if (!path_built(path)) return -1;
    pthread_once(&choose_once, choose_table);
    const struct optima_kernel_table *t = &tables[path], *r = &optima_kernels_scalar;
#define SAME(entry) (t->entry == r->entry)
    switch (op) {
    case OPTIMA_OP_DENSE_FORWARD: return SAME(dense_forward);
    case OPTIMA_OP_DENSE_BACKWARD: return SAME(dense_backward);
    case OPTIMA_OP_RELU_BACKWARD_FROM_ONE_OUTPUT: return SAME(relu_backward_from_one_output);
    case OPTIMA_OP_ADAM_STEP: return SAME(adam_step);
    case OPTIMA_OP_SGD_STEP: return SAME(sgd_step);
    case OPTIMA_OP_COL_SUMSQ: return SAME(col_sumsq);
    case OPTIMA_OP_ROW_SUMSQ: return SAME(row_sumsq);
    case OPTIMA_OP_SCALE_COLS: return SAME(scale_cols);
    case OPTIMA_OP_SCALE_ROWS: return SAME(scale_rows);
    default: return -1;
    }
#undef SAME
}

/* ---- entry points ---------------------------------------------------------- */

size_t optima_dense_workspace(int in, int out)
{
    /* Wide layers: the pack buffers of the largest blocks any path uses, so
     * that a workspace stays large enough when the path changes. */
    if (optima_packs(INT_MAX, in, out)) {
        pthread_once(&choose_once, choose_table);
        size_t most = 0;
        for (int p = 0; p <= OPTIMA_PATH_AVX512; p++) {
            const struct optima_kernel_table *t = &tables[p];
            if (!path_built(p) || t->gemm_mr == 0) continue;
            size_t n = optima_packed_floats(optima_blocking_for(t->gemm_mr, t->gemm_nr),
                                            t->gemm_nr, in, out);
            if (n > most) most = n;
        }
        return most;
    }
    /* Narrow layers: transposed weights [out x in] plus a transposed weight
     * gradient, rows padded (optima_transposed_ld). */
    if (out <= 1 || out > OPTIMA_TRANSPOSED_DX_OUT) return 0;
    return 2 * (size_t)optima_transposed_ld(in) * (size_t)out;
}

int optima_blocking_of(int path, int *kc, int *mc, int *nc)
{
    if (!path_built(path)) return -1;
    pthread_once(&choose_once, choose_table);
    const struct optima_kernel_table *t = &tables[path];
    if (t->gemm_mr == 0) return -1;
    struct optima_blocking b = optima_blocking_for(t->gemm_mr, t->gemm_nr);
    *kc = b.kc;
    *mc = b.mc;
    *nc = b.nc;
    return 0;
}

void optima_dense_forward(const float *X, int rows, int in, int out,
                          const float *Wt, const float *b, int act, float *A,
                          float *ws)
{
    kernels()->dense_forward(X, rows, in, out, Wt, b, act, A, ws);
}

void optima_dense_backward(const float *X, int rows, int in, int out,
                           const float *Wt, const float *A, int act, float *dA,
                           float *dWt, float *db, float *dX, float *ws)
{
    kernels()->dense_backward(X, rows, in, out, Wt, A, act, dA, dWt, db, dX, ws);
}

void optima_relu_backward_from_one_output(const float *X, int rows, int in, int out,
                                          const float *Wt, const float *A,
                                          const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2,
                                          float *dX, float *dZ)
{
    kernels()->relu_backward_from_one_output(X, rows, in, out, Wt, A, w2, dz, dWt, db, dw2,
                                             dX, dZ);
}

void optima_adam_step(float *p, const float *g, float *m, float *v, size_t n,
                      float lr, float beta1, float beta2, float eps, float wd,
                      int64_t t)
{
    kernels()->adam_step(p, g, m, v, NULL, n, lr, beta1, beta2, eps, wd, t);
}

void optima_adam_step_masked(float *p, const float *g, float *m, float *v,
                             const float *mask, size_t n, float lr,
                             float beta1, float beta2, float eps, float wd,
                             int64_t t)
{
    kernels()->adam_step(p, g, m, v, mask, n, lr, beta1, beta2, eps, wd, t);
}

void optima_sgd_step(float *p, const float *g, size_t n, float lr, float wd)
{
    kernels()->sgd_step(p, g, NULL, n, lr, wd);
}

void optima_sgd_step_masked(float *p, const float *g, const float *mask,
                            size_t n, float lr, float wd)
{
    kernels()->sgd_step(p, g, mask, n, lr, wd);
}

void optima_col_sumsq(const float *M, int rows, int cols, float *out)
{
    kernels()->col_sumsq(M, rows, cols, out);
}

void optima_row_sumsq(const float *M, int rows, int cols, float *out)
{
    kernels()->row_sumsq(M, rows, cols, out);
}

void optima_scale_cols(float *M, int rows, int cols, const float *s)
{
    kernels()->scale_cols(M, rows, cols, s);
}

void optima_scale_rows(float *M, int rows, int cols, const float *s)
{
    kernels()->scale_rows(M, rows, cols, s);
}

void optima_normalize_nodes(float *Wt, int in, int out, float *b,
                            float *Wt_next, int next_out, float *norms)
{
    optima_normalize_nodes_with(kernels(), Wt, in, out, b, Wt_next, next_out, norms);
}
