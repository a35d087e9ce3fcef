/*
 * Single-core fp32 peak of each path, measured rather than looked up: the
 * benchmark reports every kernel as a fraction of this. The loops keep many
 * independent accumulator chains in registers (more than FMA latency x FMA
 * pipes) and never touch memory, so only the FMA units limit them.
 */
#include <time.h>

#include "kernels_internal.h"

#if OPTIMA_X86
#include <immintrin.h>
#endif

#if defined(__clang__)
#define UNROLL _Pragma("clang loop unroll(full)")
#else
#define UNROLL _Pragma("GCC unroll 16")
#endif

/* Chains per loop: at least FMA latency x pipes (4 x 2), and few enough that
 * they, the two constants and a temporary fit the 16 (x/ymm) or 32 (zmm)
 * registers: a spill would put memory into the loop. */
#define CHAINS_16_REGS 12
#define CHAINS_32_REGS 16
/* acc = acc*a + b converges to b/(1-a) = 1: no overflow, no denormals. */
#define PEAK_A 0.999999f
#define PEAK_B 0.000001f

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The scalar path's code is what the compiler makes of plain C for the
 * baseline ISA: 4-wide vectors, separate multiply and add. */
typedef float v4f __attribute__((vector_size(16)));

#define CHAINS CHAINS_16_REGS
static float mul_add_loop_v4(long iters)
{
    v4f acc[CHAINS];
    v4f a = {PEAK_A, PEAK_A, PEAK_A, PEAK_A}, b = {PEAK_B, PEAK_B, PEAK_B, PEAK_B};
    UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = b * (float)c;
    for (long n = 0; n < iters; n++) {
        UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = acc[c] * a + b;
    }
    v4f s = acc[0];
    UNROLL for (int c = 1; c < CHAINS; c++) s += acc[c];
    return s[0] + s[1] + s[2] + s[3];
}

#if OPTIMA_X86
__attribute__((target("avx2,fma"))) static float fma_loop_avx2(long iters)
{
    __m256 acc[CHAINS];
    __m256 a = _mm256_set1_ps(PEAK_A), b = _mm256_set1_ps(PEAK_B);
    UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_set1_ps(PEAK_B * (float)c);
    for (long n = 0; n < iters; n++)
        UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
    __m256 s = acc[0];
    UNROLL for (int c = 1; c < CHAINS; c++) s = _mm256_add_ps(s, acc[c]);
    return _mm256_cvtss_f32(s);
}

#undef CHAINS
#define CHAINS CHAINS_32_REGS
__attribute__((target("avx512f,fma"))) static float fma_loop_avx512(long iters)
{
    __m512 acc[CHAINS];
    __m512 a = _mm512_set1_ps(PEAK_A), b = _mm512_set1_ps(PEAK_B);
    UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_set1_ps(PEAK_B * (float)c);
    for (long n = 0; n < iters; n++)
        UNROLL for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    __m512 s = acc[0];
    UNROLL for (int c = 1; c < CHAINS; c++) s = _mm512_add_ps(s, acc[c]);
    return _mm512_reduce_add_ps(s);
}
#undef CHAINS
#endif

double optima_peak_fma_gflops(int path, double seconds)
{
    float (*loop)(long) = mul_add_loop_v4;
    int lanes = 4, chains = CHAINS_16_REGS;
#if OPTIMA_X86
    if (path == OPTIMA_PATH_AVX2 || path == OPTIMA_PATH_AVX512) {
        int saved = optima_active_path();
        if (optima_set_path(path) != 0) return 0.0; /* this CPU cannot run it */
        optima_set_path(saved);
        loop = path == OPTIMA_PATH_AVX512 ? fma_loop_avx512 : fma_loop_avx2;
        lanes = path == OPTIMA_PATH_AVX512 ? 16 : 8;
        chains = path == OPTIMA_PATH_AVX512 ? CHAINS_32_REGS : CHAINS_16_REGS;
    }
#else
    if (path != OPTIMA_PATH_SCALAR) return 0.0;
#endif
    /* Best of many short runs: the fastest is the one least disturbed. */
    const long iters = 200000;
    double best = 0.0, start = now_seconds(), end = start + (seconds > 0 ? seconds : 0.1);
    volatile float sink = 0.0f;
    do {
        double t0 = now_seconds();
        sink += loop(iters);
        double dt = now_seconds() - t0;
        double gflops = 2.0 * chains * lanes * (double)iters / dt * 1e-9;
        if (gflops > best) best = gflops;
    } while (now_seconds() < end);
    (void)sink;
    return best;
}
