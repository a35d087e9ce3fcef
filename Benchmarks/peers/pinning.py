"""Thread knobs for a peer, set before torch (or numpy's BLAS) is imported: the math
libraries read them once. One thread also means one core, so a peer timed on one thread
is not helped by a second core that our one-thread run does not use."""
import os


def pin(threads, first_core=0):
    """`first_core` lets processes that run side by side each take cores of their own."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    cores = os.cpu_count() or 1
    if threads < cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {(first_core + i) % cores for i in range(threads)})
