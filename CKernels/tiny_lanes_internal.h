/*
 * Between the tiny-lanes entry point (tiny_lanes.c) and its ISA variants.
 * The entry point checks the task, cuts the steps into chunks and computes
 * each chunk's Adam step sizes (in double, once for all networks); a variant
 * trains every network through one chunk, a lane group at a time.
 */
#ifndef OPTIMA_TINY_LANES_INTERNAL_H
#define OPTIMA_TINY_LANES_INTERNAL_H

#include "kernels_internal.h"
#include "optima_tiny_lanes.h"

/* Steps per chunk: the step-size table lives on the stack (2 KiB), and a
 * group's state goes through memory once per chunk, not once per step. */
#define TINY_CHUNK 256
#define TINY_MAX_PARAMS \
    (OPTIMA_TINY_MAX_INPUTS * OPTIMA_TINY_MAX_HIDDEN + 2 * OPTIMA_TINY_MAX_HIDDEN + 1)

struct tiny_chunk {
    const struct optima_tiny_task *t;
    float *params, *m, *v;
    size_t count, ld;
    int steps;
    /* Adam, per step of the chunk: lr/(1 - b1^t) and 1/sqrt(1 - b2^t),
     * rounded to float as optima_adam_step rounds them. */
    const float *step_size, *inv_sqrt_bc2;
};

void optima_tiny_chunk_scalar(const struct tiny_chunk *c);
#if OPTIMA_X86
void optima_tiny_chunk_avx2(const struct tiny_chunk *c);
void optima_tiny_chunk_avx512(const struct tiny_chunk *c);
void optima_tiny_exp_avx2(const float *x, float *out, size_t n);
void optima_tiny_exp_avx512(const float *x, float *out, size_t n);
#endif

#endif
