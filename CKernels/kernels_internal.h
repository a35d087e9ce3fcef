/*
 * The dispatch table: one function pointer per operation. The scalar file
 * defines the reference table, each ISA file an init that builds its table from
 * it; dispatch.c fills them and picks one once, from CPUID, and every public
 * entry point calls through it. Nothing outside CKernels sees this header.
 */
#ifndef OPTIMA_KERNELS_INTERNAL_H
#define OPTIMA_KERNELS_INTERNAL_H

#include "optima_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define OPTIMA_X86 1
#else
#define OPTIMA_X86 0
#endif

/* Layers narrower than this keep their weights transposed in the workspace,
 * so that the narrow layer's loops run over the (long) input dimension. */
#define OPTIMA_NARROW_OUT 16
/* Output layers up to this wide (multi-class: 10, 26 classes) form dX = dZ W
 * through weights transposed into the workspace, a broadcast product over the
 * input dimension, instead of one short dot product per element of dX. */
#define OPTIMA_TRANSPOSED_DX_OUT 32

/* Row stride of a transposed [out x in] matrix in the workspace: whole vectors,
 * plus one cache line, so that rows of 1024 floats do not start 4 KiB apart and
 * fall into the same L1 sets when a kernel reads several of them at once. */
static inline int optima_transposed_ld(int in) { return ((in + 15) & ~15) + 16; }

/* Products of wide layers (in and out at least OPTIMA_PACKED_MIN_WIDTH) whose
 * weights overflow L2, over batches of 64 rows (the papers' largest) or more,
 * go through the packed, cache-blocked GEMM (kernels_packed_body.h) when the
 * caller passes a workspace. Everything smaller keeps the direct kernels:
 * measured on a 1 MiB L2, they are up to 8 % faster while the weights fit
 * (200 x 784 -> 256, 200 x 256 -> 256), and their sums keep their order. At
 * 64 rows the packed forward of 64 x 617 -> 1024 (ISOLET's first layer) ran at
 * 85 % of the avx512 peak, where the direct kernel had run at 67 %
 * (docs/benchmarks.md). */
#define OPTIMA_PACKED_MIN_ROWS 64
#define OPTIMA_PACKED_MIN_WIDTH 128

/* Whether a rows x in -> out layer's products pack (rows INT_MAX: for some
 * batch). While optima_set_blocking forces the block sizes, every shape
 * does, so that the tests run the packed products on any awkward shape
 * (cache_blocking.c). */
int optima_packs(int rows, int in, int out);

/* Data cache sizes in bytes; l3 is this core's share. */
struct optima_cache_sizes { size_t l1, l2, l3; };
struct optima_cache_sizes optima_cache_sizes(void);

/* Block sizes of the packed GEMM for an MR x NR micro-kernel (cache_blocking.c). */
struct optima_blocking { int kc, mc, nc; };
/* The longest K block: K is cut into equal blocks of about kc, at most this. */
static inline int optima_kc_max(struct optima_blocking b) { return b.kc + b.kc / 2; }
struct optima_blocking optima_blocking_for(int mr, int nr);
/* Floats of workspace the packed products of an in -> out layer need. */
size_t optima_packed_floats(struct optima_blocking b, int nr, int in, int out);

struct optima_kernel_table {
    const char *name;
    /* The packed GEMM's register block (0 where the path has none). */
    int gemm_mr, gemm_nr;
    void (*dense_forward)(const float *X, int rows, int in, int out,
                          const float *Wt, const float *b, int act,
                          float *A, float *ws);
    void (*dense_backward)(const float *X, int rows, int in, int out,
                           const float *Wt, const float *A, int act,
                           float *dA, float *dWt, float *db, float *dX,
                           float *ws);
    void (*relu_backward_from_one_output)(const float *X, int rows, int in, int out,
                                          const float *Wt, const float *A,
                                          const float *w2, const float *dz,
                                          float *dWt, float *db, float *dw2,
                                          float *dX, float *dZ);
    void (*adam_step)(float *p, const float *g, float *m, float *v,
                      const float *mask, size_t n, float lr, float beta1,
                      float beta2, float eps, float wd, int64_t t);
    void (*sgd_step)(float *p, const float *g, const float *mask, size_t n,
                     float lr, float wd);
    void (*col_sumsq)(const float *M, int rows, int cols, float *out);
    void (*row_sumsq)(const float *M, int rows, int cols, float *out);
    void (*scale_cols)(float *M, int rows, int cols, const float *s);
    void (*scale_rows)(float *M, int rows, int cols, const float *s);
};

/* mask == NULL in adam_step / sgd_step means "no mask".
 *
 * The scalar table is the reference, complete by itself. A SIMD table starts as
 * a copy of it and replaces only the kernels its ISA speeds up (as BLIS's
 * bli_cntx_init_haswell first runs the _ref init), so a new operation works on
 * every path the day it gets a reference kernel. The init functions only store
 * pointers and are safe on any CPU; dispatch.c runs a table only where the CPU
 * can. */
extern const struct optima_kernel_table optima_kernels_scalar;
#if OPTIMA_X86
void optima_kernels_init_avx2(struct optima_kernel_table *t);
void optima_kernels_init_avx512(struct optima_kernel_table *t);
#endif

/* Node normalisation is a once-per-epoch bookkeeping step, not a hot loop:
 * one plain implementation serves every path (its norms come from the
 * active table's col_sumsq). */
void optima_normalize_nodes_with(const struct optima_kernel_table *k,
                                 float *Wt, int in, int out, float *b,
                                 float *Wt_next, int next_out, float *norms);

#endif
