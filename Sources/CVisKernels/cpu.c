#include "vis_cpu.h"

#if defined(__x86_64__)
#include <cpuid.h>

static int vis_detect_cpu_features(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int features = (ecx & (1u << 9)) && (ecx & (1u << 19)) ? VIS_CPU_SSE41 : 0;
    const unsigned fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (fma | osxsave | avx)) != (fma | osxsave | avx)) return features;
    unsigned xcr0, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
    if ((xcr0 & 6u) != 6u) return features;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !(ebx & (1u << 5))) return features;  // AVX2
    features |= VIS_CPU_AVX2_FMA;
    // F (EBX bit 16), BW (EBX bit 30), VBMI (ECX bit 1); XCR0 bits 5–7: opmask, upper ZMM, ZMM16–31.
    if ((ebx & (1u << 16)) && (ebx & (1u << 30)) && (ecx & (1u << 1)) && (xcr0 & 0xE0u) == 0xE0u) {
        features |= VIS_CPU_AVX512_VBMI;
    }
    if (__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 4))) features |= VIS_CPU_AVX_VNNI;
    return features;
}

#else

static int vis_detect_cpu_features(void) { return 0; }

#endif

// The features with this bit set once detected (0 means not yet).
enum { vis_cpu_known = 1 << 30 };
static int vis_cpu_detected;

int vis_cpu_features(void) {
    int features = __atomic_load_n(&vis_cpu_detected, __ATOMIC_RELAXED);
    if (!(features & vis_cpu_known)) {
        features = vis_detect_cpu_features() | vis_cpu_known;
        __atomic_store_n(&vis_cpu_detected, features, __ATOMIC_RELAXED);
    }
    return features & ~vis_cpu_known;
}
