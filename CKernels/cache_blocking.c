/*
 * Block sizes of the packed GEMM (kernels_packed_body.h), from the data caches
 * the CPU reports. Read once: CPUID's deterministic cache leaves (4 on Intel,
 * 0x8000001D on AMD) give each level's size and how many threads share it;
 * where they are missing, sysconf; where that fails too, sizes every x86 core
 * of the last decade has at least.
 *
 * Following BLIS (and Goto & van de Geijn), with MR x NR the micro-kernel's
 * register block:
 *   KC: a KC x NR panel of packed B stays in half of L1 while the micro-kernel
 *       passes every MR-row panel of A over it (K is cut into equal blocks of
 *       about KC, at most 1.5 KC: three quarters of L1);
 *   MC: an MC x KC block of packed A stays in half of L2;
 *   NC: a KC x NC block of packed B stays in half of this core's share of L3.
 */
#include <pthread.h>
#include <unistd.h>

#include "kernels_internal.h"

#if OPTIMA_X86
#include <cpuid.h>
#endif

/* Fallbacks: a 32 KiB L1, 512 KiB L2 and 2 MiB of L3 per core. */
#define FALLBACK_L1 (32u << 10)
#define FALLBACK_L2 (512u << 10)
#define FALLBACK_L3 (2u << 20)

static struct optima_cache_sizes detected;
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
/* Block sizes forced by optima_set_blocking (0: from the caches). */
static int forced_kc, forced_mc, forced_nc;

#if OPTIMA_X86
/* Walks a deterministic cache-parameters leaf (4 or 0x8000001D): subleaf i
 * describes one cache until its type field reads 0. Data and unified caches
 * only; L3 is divided among the threads that share it. */
static void read_cpuid_caches(unsigned leaf, struct optima_cache_sizes *c)
{
    unsigned max_leaf = __get_cpuid_max(leaf & 0x80000000u, NULL);
    if (max_leaf < leaf) return;
    for (unsigned i = 0; i < 16; i++) {
        unsigned a, b, cx, d;
        __cpuid_count(leaf, i, a, b, cx, d);
        unsigned type = a & 31;
        if (type == 0) break;
        if (type == 2) continue; /* instruction cache */
        unsigned level = (a >> 5) & 7;
        unsigned sharing = ((a >> 14) & 0xfff) + 1;
        size_t ways = ((b >> 22) & 0x3ff) + 1, parts = ((b >> 12) & 0x3ff) + 1;
        size_t line = (b & 0xfff) + 1, sets = (size_t)cx + 1;
        size_t size = ways * parts * line * sets;
        if (level == 1) c->l1 = size;
        else if (level == 2) c->l2 = size;
        else if (level == 3) c->l3 = size / sharing;
    }
}
#endif

static void detect(void)
{
    struct optima_cache_sizes c = {0, 0, 0};
#if OPTIMA_X86
    unsigned a, b, cx, d;
    /* "AuthenticAMD" in b, d, c; AMD describes its caches in 0x8000001D (with
     * topology extensions), Intel in leaf 4. */
    if (__get_cpuid(0, &a, &b, &cx, &d) && b == 0x68747541u)
        read_cpuid_caches(0x8000001Du, &c);
    else
        read_cpuid_caches(4u, &c);
#endif
#ifdef _SC_LEVEL1_DCACHE_SIZE
    long s;
    if (c.l1 == 0 && (s = sysconf(_SC_LEVEL1_DCACHE_SIZE)) > 0) c.l1 = (size_t)s;
    if (c.l2 == 0 && (s = sysconf(_SC_LEVEL2_CACHE_SIZE)) > 0) c.l2 = (size_t)s;
#endif
    if (c.l1 < 16u << 10 || c.l1 > 1u << 20) c.l1 = FALLBACK_L1;
    if (c.l2 < 128u << 10 || c.l2 > 64u << 20) c.l2 = FALLBACK_L2;
    if (c.l3 < c.l2 || c.l3 > 256u << 20) c.l3 = c.l2 > FALLBACK_L3 ? c.l2 : FALLBACK_L3;
    detected = c;
}

struct optima_cache_sizes optima_cache_sizes(void)
{
    pthread_once(&detect_once, detect);
    return detected;
}

void optima_set_blocking(int kc, int mc, int nc)
{
    forced_kc = kc > 0 ? kc : 0;
    forced_mc = mc > 0 ? mc : 0;
    forced_nc = nc > 0 ? nc : 0;
}

int optima_packs(int rows, int in, int out)
{
    if (forced_kc || forced_mc || forced_nc) return rows >= 1 && in >= 1 && out >= 1;
    return rows >= OPTIMA_PACKED_MIN_ROWS && in >= OPTIMA_PACKED_MIN_WIDTH &&
           out >= OPTIMA_PACKED_MIN_WIDTH &&
           (size_t)in * (size_t)out >= optima_cache_sizes().l2 / sizeof(float);
}

static int clamp(int x, int lo, int hi) { return x < lo ? lo : x > hi ? hi : x; }

struct optima_blocking optima_blocking_for(int mr, int nr)
{
    struct optima_cache_sizes c = optima_cache_sizes();
    struct optima_blocking b;
    /* KC a multiple of 8 (whole vectors when B is transposed into its panels). */
    b.kc = forced_kc ? forced_kc : clamp((int)(c.l1 / 2 / (sizeof(float) * (size_t)nr)) & ~7, 32, 1024);
    b.mc = forced_mc ? forced_mc
                     : clamp((int)(c.l2 / 2 / (sizeof(float) * (size_t)b.kc)) / mr * mr, mr, 4096);
    b.nc = forced_nc ? forced_nc
                     : clamp((int)(c.l3 / 2 / (sizeof(float) * (size_t)b.kc)) / nr * nr, nr, 1 << 16);
    /* Forced sizes are rounded to whole register blocks too. */
    b.mc = b.mc < mr ? mr : b.mc / mr * mr;
    b.nc = b.nc < nr ? nr : b.nc / nr * nr;
    return b;
}

/* Packed B (KC x NC, rounded to whole NR panels) and packed A (MC x KC), each
 * with a cache line of slack to align it: the most the three products of a
 * layer with these dimensions pack at once (N is out for the forward and the
 * weight gradient, in for the input gradient; a K block is at most
 * optima_kc_max). */
size_t optima_packed_floats(struct optima_blocking b, int nr, int in, int out)
{
    int wide = in > out ? in : out;
    size_t n = (size_t)((wide + nr - 1) / nr * nr);
    if (n > (size_t)b.nc) n = (size_t)b.nc;
    size_t kc = (size_t)optima_kc_max(b);
    return kc * n + (size_t)b.mc * kc + 2 * 16;
}
