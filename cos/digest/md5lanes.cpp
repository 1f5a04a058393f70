#include "cos/digest/md5lanes.h"

#include <QtEndian>

#include <cstring>

// COS_MD5_NO_SIMD builds the portable path only (to check it compiles as on ARM).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(COS_MD5_NO_SIMD)
#    define COS_MD5_X86 1
#    include <immintrin.h>
#endif

namespace Cos::Md5Lanes {

namespace {

// The 64 steps of RFC 1321, section 3.4: round function, the four state words in their rotating
// roles, message word index, sine constant T[i] and rotation. Every kernel expands this one
// table with its own STEP, so scalar and SIMD code cannot disagree on a constant.
// clang-format off
#define COS_MD5_STEPS(STEP) \
    STEP(F, a, b, c, d, 0, 0xd76aa478, 7) \
    STEP(F, d, a, b, c, 1, 0xe8c7b756, 12) \
    STEP(F, c, d, a, b, 2, 0x242070db, 17) \
    STEP(F, b, c, d, a, 3, 0xc1bdceee, 22) \
    STEP(F, a, b, c, d, 4, 0xf57c0faf, 7) \
    STEP(F, d, a, b, c, 5, 0x4787c62a, 12) \
    STEP(F, c, d, a, b, 6, 0xa8304613, 17) \
    STEP(F, b, c, d, a, 7, 0xfd469501, 22) \
    STEP(F, a, b, c, d, 8, 0x698098d8, 7) \
    STEP(F, d, a, b, c, 9, 0x8b44f7af, 12) \
    STEP(F, c, d, a, b, 10, 0xffff5bb1, 17) \
    STEP(F, b, c, d, a, 11, 0x895cd7be, 22) \
    STEP(F, a, b, c, d, 12, 0x6b901122, 7) \
    STEP(F, d, a, b, c, 13, 0xfd987193, 12) \
    STEP(F, c, d, a, b, 14, 0xa679438e, 17) \
    STEP(F, b, c, d, a, 15, 0x49b40821, 22) \
    STEP(G, a, b, c, d, 1, 0xf61e2562, 5) \
    STEP(G, d, a, b, c, 6, 0xc040b340, 9) \
    STEP(G, c, d, a, b, 11, 0x265e5a51, 14) \
    STEP(G, b, c, d, a, 0, 0xe9b6c7aa, 20) \
    STEP(G, a, b, c, d, 5, 0xd62f105d, 5) \
    STEP(G, d, a, b, c, 10, 0x02441453, 9) \
    STEP(G, c, d, a, b, 15, 0xd8a1e681, 14) \
    STEP(G, b, c, d, a, 4, 0xe7d3fbc8, 20) \
    STEP(G, a, b, c, d, 9, 0x21e1cde6, 5) \
    STEP(G, d, a, b, c, 14, 0xc33707d6, 9) \
    STEP(G, c, d, a, b, 3, 0xf4d50d87, 14) \
    STEP(G, b, c, d, a, 8, 0x455a14ed, 20) \
    STEP(G, a, b, c, d, 13, 0xa9e3e905, 5) \
    STEP(G, d, a, b, c, 2, 0xfcefa3f8, 9) \
    STEP(G, c, d, a, b, 7, 0x676f02d9, 14) \
    STEP(G, b, c, d, a, 12, 0x8d2a4c8a, 20) \
    STEP(H, a, b, c, d, 5, 0xfffa3942, 4) \
    STEP(H, d, a, b, c, 8, 0x8771f681, 11) \
    STEP(H, c, d, a, b, 11, 0x6d9d6122, 16) \
    STEP(H, b, c, d, a, 14, 0xfde5380c, 23) \
    STEP(H, a, b, c, d, 1, 0xa4beea44, 4) \
    STEP(H, d, a, b, c, 4, 0x4bdecfa9, 11) \
    STEP(H, c, d, a, b, 7, 0xf6bb4b60, 16) \
    STEP(H, b, c, d, a, 10, 0xbebfbc70, 23) \
    STEP(H, a, b, c, d, 13, 0x289b7ec6, 4) \
    STEP(H, d, a, b, c, 0, 0xeaa127fa, 11) \
    STEP(H, c, d, a, b, 3, 0xd4ef3085, 16) \
    STEP(H, b, c, d, a, 6, 0x04881d05, 23) \
    STEP(H, a, b, c, d, 9, 0xd9d4d039, 4) \
    STEP(H, d, a, b, c, 12, 0xe6db99e5, 11) \
    STEP(H, c, d, a, b, 15, 0x1fa27cf8, 16) \
    STEP(H, b, c, d, a, 2, 0xc4ac5665, 23) \
    STEP(I, a, b, c, d, 0, 0xf4292244, 6) \
    STEP(I, d, a, b, c, 7, 0x432aff97, 10) \
    STEP(I, c, d, a, b, 14, 0xab9423a7, 15) \
    STEP(I, b, c, d, a, 5, 0xfc93a039, 21) \
    STEP(I, a, b, c, d, 12, 0x655b59c3, 6) \
    STEP(I, d, a, b, c, 3, 0x8f0ccc92, 10) \
    STEP(I, c, d, a, b, 10, 0xffeff47d, 15) \
    STEP(I, b, c, d, a, 1, 0x85845dd1, 21) \
    STEP(I, a, b, c, d, 8, 0x6fa87e4f, 6) \
    STEP(I, d, a, b, c, 15, 0xfe2ce6e0, 10) \
    STEP(I, c, d, a, b, 6, 0xa3014314, 15) \
    STEP(I, b, c, d, a, 13, 0x4e0811a1, 21) \
    STEP(I, a, b, c, d, 4, 0xf7537e82, 6) \
    STEP(I, d, a, b, c, 11, 0xbd3af235, 10) \
    STEP(I, c, d, a, b, 2, 0x2ad7d2bb, 15) \
    STEP(I, b, c, d, a, 9, 0xeb86d391, 21)
// clang-format on

// ---- portable scalar kernel ----------------------------------------------------------------

namespace ScalarOps {
inline quint32 F(quint32 x, quint32 y, quint32 z)
{
    return z ^ (x & (y ^ z));
}
// (x & z) | (y & ~z), written with + (the two terms share no bit) so that the compiler may add
// the term without x, the newest word of the chain, ahead of time.
inline quint32 G(quint32 x, quint32 y, quint32 z)
{
    return (x & z) + (y & ~z);
}
inline quint32 H(quint32 x, quint32 y, quint32 z)
{
    return x ^ y ^ z;
}
inline quint32 I(quint32 x, quint32 y, quint32 z)
{
    return y ^ (x | ~z);
}
inline quint32 rotl(quint32 x, int s)
{
    return (x << s) | (x >> (32 - s));
}
inline quint32 word(const uchar *block, int i)
{
    return qFromLittleEndian<quint32>(block + 4 * i);
}
} // namespace ScalarOps

// One stream. (Interleaving two streams step by step was slower on x86-64, 0.62 vs 0.76 GB/s
// in bench_engine: the second chain spills registers.)
void scalarBlocks(State &state, const uchar *p, qsizetype blocks)
{
    using namespace ScalarOps;
    quint32 a = state.a, b = state.b, c = state.c, d = state.d;
    for (qsizetype n = 0; n < blocks; ++n, p += BlockSize) {
        const quint32 aa = a, bb = b, cc = c, dd = d;
        // Only b comes from the previous step: a + word + constant is summed off the chain.
#define STEP(f, a, b, c, d, i, k, s) a = b + rotl(f(b, c, d) + (a + word(p, i) + k##u), s);
        COS_MD5_STEPS(STEP)
#undef STEP
        a += aa;
        b += bb;
        c += cc;
        d += dd;
    }
    state = State {a, b, c, d};
}

void scalarLanes(State *states, const uchar *const *data, int lanes, qsizetype blocks)
{
    for (int l = 0; l < lanes; ++l)
        scalarBlocks(states[l], data[l], blocks);
}

#ifdef COS_MD5_X86

// ---- x86-64 SIMD kernels: one stream per 32-bit lane, eight lanes per ymm register ---------

#    define COS_AVX2 __attribute__((target("avx2"), always_inline)) inline
#    define COS_AVX512 __attribute__((target("avx2,avx512f,avx512vl"), always_inline)) inline

namespace X86Common {
COS_AVX2 __m256i add(__m256i x, __m256i y)
{
    return _mm256_add_epi32(x, y);
}
COS_AVX2 __m256i set1(quint32 k)
{
    return _mm256_set1_epi32(int(k));
}
COS_AVX2 __m256i loadu(const uchar *p)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
}

// Eight rows of eight 32-bit words (one row per lane) into eight vectors of one word each.
COS_AVX2 void transpose8(const __m256i *r, __m256i *w)
{
    const __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]);
    const __m256i t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    const __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]);
    const __m256i t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    const __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]);
    const __m256i t5 = _mm256_unpackhi_epi32(r[4], r[5]);
    const __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]);
    const __m256i t7 = _mm256_unpackhi_epi32(r[6], r[7]);
    // u0: word 0 of lanes 0-3 | word 4 of lanes 0-3, and so on.
    const __m256i u0 = _mm256_unpacklo_epi64(t0, t2);
    const __m256i u1 = _mm256_unpackhi_epi64(t0, t2);
    const __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
    const __m256i u3 = _mm256_unpackhi_epi64(t1, t3);
    const __m256i u4 = _mm256_unpacklo_epi64(t4, t6);
    const __m256i u5 = _mm256_unpackhi_epi64(t4, t6);
    const __m256i u6 = _mm256_unpacklo_epi64(t5, t7);
    const __m256i u7 = _mm256_unpackhi_epi64(t5, t7);
    w[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    w[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    w[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    w[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    w[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    w[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    w[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    w[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// The 16 message words of the current block of each lane, word-major (MD5 is little-endian,
// as x86 is, so no byte swap).
COS_AVX2 void loadBlock(const uchar *const *p, __m256i *w)
{
    const __m256i low[8] = {loadu(p[0]), loadu(p[1]), loadu(p[2]), loadu(p[3]),
                            loadu(p[4]), loadu(p[5]), loadu(p[6]), loadu(p[7])};
    transpose8(low, w);
    const __m256i high[8] = {loadu(p[0] + 32), loadu(p[1] + 32), loadu(p[2] + 32),
                             loadu(p[3] + 32), loadu(p[4] + 32), loadu(p[5] + 32),
                             loadu(p[6] + 32), loadu(p[7] + 32)};
    transpose8(high, w + 8);
}
} // namespace X86Common

namespace Avx2Ops {
COS_AVX2 __m256i F(__m256i x, __m256i y, __m256i z)
{
    return _mm256_xor_si256(z, _mm256_and_si256(x, _mm256_xor_si256(y, z)));
}
// (x & z) | (y & ~z) as in the scalar G: x, the newest word of the chain, ends up one operation
// deep.
COS_AVX2 __m256i G(__m256i x, __m256i y, __m256i z)
{
    return _mm256_add_epi32(_mm256_and_si256(x, z), _mm256_andnot_si256(z, y));
}
COS_AVX2 __m256i H(__m256i x, __m256i y, __m256i z)
{
    return _mm256_xor_si256(x, _mm256_xor_si256(y, z));
}
COS_AVX2 __m256i I(__m256i x, __m256i y, __m256i z)
{
    return _mm256_xor_si256(y, _mm256_or_si256(x, _mm256_xor_si256(z, _mm256_set1_epi32(-1))));
}
template<int S>
COS_AVX2 __m256i rotl(__m256i x)
{
    return _mm256_or_si256(_mm256_slli_epi32(x, S), _mm256_srli_epi32(x, 32 - S));
}
} // namespace Avx2Ops

namespace Avx512Ops {
// vpternlogd's immediate is the truth table over (x, y, z) = (0xf0, 0xcc, 0xaa).
constexpr int kX = 0xf0, kY = 0xcc, kZ = 0xaa;
constexpr int kF = ((kX & kY) | (~kX & kZ)) & 0xff;
constexpr int kG = ((kX & kZ) | (kY & ~kZ)) & 0xff;
constexpr int kH = (kX ^ kY ^ kZ) & 0xff;
constexpr int kI = (kY ^ (kX | ~kZ)) & 0xff;

COS_AVX512 __m256i F(__m256i x, __m256i y, __m256i z)
{
    return _mm256_ternarylogic_epi32(x, y, z, kF);
}
COS_AVX512 __m256i G(__m256i x, __m256i y, __m256i z)
{
    return _mm256_ternarylogic_epi32(x, y, z, kG);
}
COS_AVX512 __m256i H(__m256i x, __m256i y, __m256i z)
{
    return _mm256_ternarylogic_epi32(x, y, z, kH);
}
COS_AVX512 __m256i I(__m256i x, __m256i y, __m256i z)
{
    return _mm256_ternarylogic_epi32(x, y, z, kI);
}
template<int S>
COS_AVX512 __m256i rotl(__m256i x)
{
    return _mm256_rol_epi32(x, S);
}
} // namespace Avx512Ops

// The SIMD kernel over GROUPS x 8 lanes; OPS supplies F, G, H, I and rotl. A macro rather
// than a template because each instance needs its own target attribute. With two groups the
// two independent dependency chains of each step run interleaved (see kMinSimdLanes).
#    define COS_MD5_SIMD_BODY(OPS, GROUPS) \
        using namespace X86Common; \
        using namespace OPS; \
        constexpr int kLanes = 8 * GROUPS; \
        alignas(32) quint32 sa[kLanes], sb[kLanes], sc[kLanes], sd[kLanes]; \
        const uchar *p[kLanes]; \
        for (int l = 0; l < kLanes; ++l) { \
            sa[l] = states[l].a; \
            sb[l] = states[l].b; \
            sc[l] = states[l].c; \
            sd[l] = states[l].d; \
            p[l] = data[l]; \
        } \
        __m256i a[GROUPS], b[GROUPS], c[GROUPS], d[GROUPS]; \
        for (int g = 0; g < GROUPS; ++g) { \
            a[g] = _mm256_load_si256(reinterpret_cast<const __m256i *>(sa + 8 * g)); \
            b[g] = _mm256_load_si256(reinterpret_cast<const __m256i *>(sb + 8 * g)); \
            c[g] = _mm256_load_si256(reinterpret_cast<const __m256i *>(sc + 8 * g)); \
            d[g] = _mm256_load_si256(reinterpret_cast<const __m256i *>(sd + 8 * g)); \
        } \
        for (qsizetype n = 0; n < blocks; ++n) { \
            __m256i w[GROUPS][16]; \
            __m256i aa[GROUPS], bb[GROUPS], cc[GROUPS], dd[GROUPS]; \
            for (int g = 0; g < GROUPS; ++g) { \
                loadBlock(p + 8 * g, w[g]); \
                aa[g] = a[g]; \
                bb[g] = b[g]; \
                cc[g] = c[g]; \
                dd[g] = d[g]; \
            } \
            COS_MD5_STEPS(COS_MD5_SIMD_STEP) \
            for (int g = 0; g < GROUPS; ++g) { \
                a[g] = add(a[g], aa[g]); \
                b[g] = add(b[g], bb[g]); \
                c[g] = add(c[g], cc[g]); \
                d[g] = add(d[g], dd[g]); \
            } \
            for (int l = 0; l < kLanes; ++l) \
                p[l] += BlockSize; \
        } \
        for (int g = 0; g < GROUPS; ++g) { \
            _mm256_store_si256(reinterpret_cast<__m256i *>(sa + 8 * g), a[g]); \
            _mm256_store_si256(reinterpret_cast<__m256i *>(sb + 8 * g), b[g]); \
            _mm256_store_si256(reinterpret_cast<__m256i *>(sc + 8 * g), c[g]); \
            _mm256_store_si256(reinterpret_cast<__m256i *>(sd + 8 * g), d[g]); \
        } \
        for (int l = 0; l < kLanes; ++l) \
            states[l] = State {sa[l], sb[l], sc[l], sd[l]};

// Only b comes from the previous step: a + w[i] + k is summed off the critical path, which is
// then f, one add, the rotation and the add of b.
#    define COS_MD5_SIMD_STEP(f, a, b, c, d, i, k, s) \
        for (int g = 0; g < kGroups; ++g) \
            a[g] = add(b[g], \
                       rotl<s>(add(f(b[g], c[g], d[g]), add(a[g], add(w[g][i], set1(k##u))))));

template<int kGroups>
__attribute__((target("avx2"))) void avx2Blocks(State *states, const uchar *const *data,
                                                qsizetype blocks)
{
    COS_MD5_SIMD_BODY(Avx2Ops, kGroups)
}

template<int kGroups>
__attribute__((target("avx2,avx512f,avx512vl"))) void avx512Blocks(State *states,
                                                                   const uchar *const *data,
                                                                   qsizetype blocks)
{
    COS_MD5_SIMD_BODY(Avx512Ops, kGroups)
}

#    undef COS_MD5_SIMD_STEP
#    undef COS_MD5_SIMD_BODY

struct CpuKernels
{
    bool avx2 = false;
    bool avx512 = false;
};

const CpuKernels &cpuKernels()
{
    // __builtin_cpu_supports also checks that the OS saves the ymm/zmm state (XCR0).
    static const CpuKernels k = [] {
        __builtin_cpu_init();
        CpuKernels r;
        r.avx2 = __builtin_cpu_supports("avx2");
        r.avx512 = r.avx2 && __builtin_cpu_supports("avx512f")
                && __builtin_cpu_supports("avx512vl");
        return r;
    }();
    return k;
}

using SimdKernel = void (*)(State *, const uchar *const *, qsizetype);

// Measured with bench_engine on the 2-core AMD EPYC (AVX-512VL), 8 x 16 MiB in memory: scalar,
// one stream at a time, 0.85 GB/s (QCryptographicHash 0.73); one SIMD pass of 8 lanes 3.0 GB/s
// (AVX-512VL) and 2.3 GB/s (AVX2); 16 lanes as two interleaved groups of 8: 5.0-5.2 GB/s
// (AVX-512VL); a lone lane in a SIMD pass 0.38 and 0.29 GB/s. MD5 is latency-bound (every step
// waits for the one before), and one vector chain is 2-3x slower here than one scalar chain, so:
// - a SIMD pass pays from 3 busy lanes; fewer go scalar;
// - with AVX-512VL (32 ymm registers) a second, independent group of 8 lanes fills the idle
//   ports and nearly doubles throughput, so it runs 16 lanes; with AVX2 (16 registers) the
//   second group spilled and gained under 20%, so AVX2 stays at 8.
constexpr int kMinSimdLanes = 3;

// @p n (<= @p width) lanes in one pass of @p kernel. The spare lanes of a partial pass re-read
// lane 0's bytes into scratch states; they cost nothing extra, the lanes run in parallel.
void simdPass(SimdKernel kernel, int width, State *states, const uchar *const *data, int n,
              qsizetype blocks)
{
    if (n == width) {
        kernel(states, data, blocks);
        return;
    }
    State st[MaxLanes];
    const uchar *ptr[MaxLanes];
    for (int l = 0; l < width; ++l) {
        st[l] = l < n ? states[l] : State {};
        ptr[l] = data[l < n ? l : 0];
    }
    kernel(st, ptr, blocks);
    for (int l = 0; l < n; ++l)
        states[l] = st[l];
}

#endif // COS_MD5_X86

#undef COS_MD5_STEPS

Kernel resolve(Kernel kernel)
{
    if (kernel == Kernel::Auto)
        return bestKernel();
    return isSupported(kernel) ? kernel : Kernel::Scalar;
}

} // namespace

bool isSupported(Kernel kernel)
{
    switch (kernel) {
    case Kernel::Auto:
    case Kernel::Scalar:
        return true;
    case Kernel::Avx2:
#ifdef COS_MD5_X86
        return cpuKernels().avx2;
#else
        return false;
#endif
    case Kernel::Avx512:
#ifdef COS_MD5_X86
        return cpuKernels().avx512;
#else
        return false;
#endif
    }
    return false;
}

Kernel bestKernel()
{
    if (isSupported(Kernel::Avx512))
        return Kernel::Avx512;
    if (isSupported(Kernel::Avx2))
        return Kernel::Avx2;
    return Kernel::Scalar;
}

const char *kernelName(Kernel kernel)
{
    switch (resolve(kernel)) {
    case Kernel::Avx2:
        return "avx2";
    case Kernel::Avx512:
        return "avx512";
    case Kernel::Auto:
    case Kernel::Scalar:
        break;
    }
    return "scalar";
}

int preferredLanes(Kernel kernel)
{
    switch (resolve(kernel)) {
    case Kernel::Avx512:
        return 16;
    case Kernel::Avx2:
        return 8;
    case Kernel::Auto:
    case Kernel::Scalar:
        break;
    }
    // One stream at a time: batching more only reads further ahead.
    return 1;
}

void processBlocks(State *states, const uchar *const *data, int lanes, qsizetype blocks,
                   Kernel kernel)
{
    if (lanes <= 0 || blocks <= 0)
        return;
    int first = 0;
#ifdef COS_MD5_X86
    const bool automatic = kernel == Kernel::Auto;
    kernel = resolve(kernel);
    if (kernel == Kernel::Avx2 || kernel == Kernel::Avx512) {
        const bool avx512 = kernel == Kernel::Avx512;
        while (first < lanes) {
            const int left = lanes - first;
            const int width = avx512 && left > 8 ? 16 : 8;
            const int n = qMin(width, left);
            if (automatic && n < kMinSimdLanes)
                break; // the rest goes scalar
            SimdKernel fn = avx2Blocks<1>;
            if (avx512)
                fn = width == 16 ? avx512Blocks<2> : avx512Blocks<1>;
            simdPass(fn, width, states + first, data + first, n, blocks);
            first += n;
        }
    }
#else
    Q_UNUSED(kernel);
#endif
    scalarLanes(states + first, data + first, lanes - first, blocks);
}

QByteArray finish(State state, const uchar *tail, qsizetype tailSize, quint64 totalSize)
{
    Q_ASSERT(tailSize >= 0 && tailSize < BlockSize);
    tailSize = qBound(qsizetype(0), tailSize, qsizetype(BlockSize - 1));
    uchar block[2 * BlockSize] = {};
    if (tailSize > 0)
        std::memcpy(block, tail, size_t(tailSize));
    block[tailSize] = 0x80;
    // The length in bits goes in the last 8 bytes; a tail of 56 bytes or more needs a 2nd block.
    const qsizetype padded = tailSize < BlockSize - 8 ? BlockSize : 2 * BlockSize;
    qToLittleEndian<quint64>(totalSize * 8, block + padded - 8);
    scalarBlocks(state, block, padded / BlockSize);
    QByteArray digest(16, Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(digest.data());
    qToLittleEndian<quint32>(state.a, out);
    qToLittleEndian<quint32>(state.b, out + 4);
    qToLittleEndian<quint32>(state.c, out + 8);
    qToLittleEndian<quint32>(state.d, out + 12);
    return digest;
}

QByteArray hash(QByteArrayView data, Kernel kernel)
{
    State state;
    const auto *p = reinterpret_cast<const uchar *>(data.data());
    const qsizetype blocks = data.size() / BlockSize;
    processBlocks(&state, &p, 1, blocks, kernel);
    return finish(state, p + blocks * BlockSize, data.size() - blocks * BlockSize,
                  quint64(data.size()));
}

} // namespace Cos::Md5Lanes
