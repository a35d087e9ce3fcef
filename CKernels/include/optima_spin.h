/*
 * A pause hint for spin-wait loops (the threads of one training wait for each other's
 * phase for microseconds at a time): PAUSE on x86 lets the sibling hyperthread run and
 * keeps the loop from flooding the memory system with loads. Swift cannot emit it itself.
 */
#ifndef OPTIMA_SPIN_H
#define OPTIMA_SPIN_H

static inline void optima_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
