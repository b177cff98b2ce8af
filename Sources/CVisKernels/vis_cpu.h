#ifndef CVIS_CPU_H
#define CVIS_CPU_H

// The instruction sets the kernels choose their paths by (x86-64; 0 elsewhere), each usable only with the OS
// saving the registers it needs. Detected once per process, for every kernel file.
enum {
    VIS_CPU_SSE41 = 1 << 0,        // SSSE3 and SSE4.1
    VIS_CPU_AVX2_FMA = 1 << 1,     // AVX2 and FMA, YMM state saved
    VIS_CPU_AVX512_VBMI = 1 << 2,  // AVX-512 F, BW and VBMI, opmask and ZMM state saved (implies AVX2_FMA)
    VIS_CPU_AVX_VNNI = 1 << 3,     // AVX-VNNI, the VEX-encoded byte dot products (implies AVX2_FMA)
};

int vis_cpu_features(void);

#endif
