#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace Cos {

/**
 * @brief Multi-buffer MD5 (RFC 1321): several independent MD5 streams advanced in lockstep.
 *
 * The MD5 of one stream is a serial chain (about 5 cycles per byte), but the streams of
 * different upload parts are independent: with AVX2 each stream is one 32-bit lane of a
 * 256-bit register, so eight parts hash in about the time of one (isa-l_crypto's md5_mb idea).
 * On CPUs with AVX-512VL the lanes use vpternlogd and vprold, which shorten each MD5 step, and
 * two groups of eight run interleaved. Elsewhere (other x86-64, ARM Android and iOS) a portable
 * scalar kernel runs. Lane counts and thresholds come from bench_engine (see md5lanes.cpp).
 *
 * The kernels work on whole 64-byte blocks; finish() pads and closes one stream. The file-level
 * entry point is digestFileWindows() in cos/digest/filedigest.h.
 */
namespace Md5Lanes {

/**
 * @brief The most lanes of one SIMD pass: two groups of eight 32-bit lanes (AVX-512VL runs
 * both groups interleaved; AVX2 runs passes of eight).
 */
constexpr int MaxLanes = 16;
/** @brief The MD5 block size in bytes. */
constexpr int BlockSize = 64;

/** @brief Which block function processBlocks() runs. */
enum class Kernel {
    Auto, ///< the fastest supported kernel for the lane count (the default)
    Scalar, ///< portable C++, one stream after the other
    Avx2, ///< x86-64 AVX2, passes of eight lanes
    Avx512, ///< x86-64 AVX-512VL (vpternlogd, vprold) on 256-bit registers, up to 16 lanes
};

/** @brief The chaining state of one MD5 stream, initialised to RFC 1321's IV. */
struct State
{
    quint32 a = 0x67452301;
    quint32 b = 0xefcdab89;
    quint32 c = 0x98badcfe;
    quint32 d = 0x10325476;
};

/** @brief True when this CPU (and OS) can run @p kernel; Auto and Scalar always can. */
[[nodiscard]] bool isSupported(Kernel kernel);
/** @brief The fastest kernel this CPU supports (never Auto). */
[[nodiscard]] Kernel bestKernel();
/** @brief "scalar", "avx2", "avx512" (Auto gives the name of bestKernel()). */
[[nodiscard]] const char *kernelName(Kernel kernel);

/**
 * @brief How many streams a caller should hash together to use the kernel fully: 16 with
 * AVX-512VL, 8 with AVX2, 1 with the scalar kernel (where batching only costs read-ahead).
 */
[[nodiscard]] int preferredLanes(Kernel kernel = Kernel::Auto);

/**
 * @brief Advances @p lanes MD5 states by @p blocks 64-byte blocks each, in lockstep.
 *
 * Lane i reads blocks * 64 bytes from @p data[i] (no alignment needed) into @p states[i]. Any
 * lane count works (more than MaxLanes run as several passes). With Kernel::Auto a SIMD pass
 * runs only where it has at least 3 lanes, the rest go scalar; an explicit kernel is run for
 * every lane as asked (for tests and benchmarks), falling back to Scalar when the CPU lacks it.
 */
void processBlocks(State *states, const uchar *const *data, int lanes, qsizetype blocks,
                   Kernel kernel = Kernel::Auto);

/**
 * @brief Finishes one stream: its last @p tailSize (< 64) bytes, the padding and the length.
 *
 * @p state has absorbed the stream's whole blocks; @p totalSize is the stream's length in
 * bytes. Returns the 16-byte digest.
 */
[[nodiscard]] QByteArray finish(State state, const uchar *tail, qsizetype tailSize,
                                quint64 totalSize);

/** @brief MD5 of @p data as one stream with @p kernel (one lane; for tests and benchmarks). */
[[nodiscard]] QByteArray hash(QByteArrayView data, Kernel kernel = Kernel::Auto);

} // namespace Md5Lanes

} // namespace Cos
