// bench_engine: CRC-64 throughput and signing rates of the cos engine.
// Usage: bench_engine [--crc-mib N]   (N MiB hashed in 1 MiB chunks, best of 5; default 256)
// Also MD5 of 8 parts of 16 MiB: one stream at a time vs the multi-lane kernels (md5lanes.h),
// in memory and from a file in the page cache (digestFileWindows vs digestFileWindow).

#include "cos/signing/cossigner.h"
#include "cos/digest/crc64.h"
#include "cos/digest/filedigest.h"
#include "cos/digest/md5lanes.h"
#include "cos/signing/sigv4.h"
#include "cos/signing/tc3.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr int kRuns = 5;

volatile quint64 g_sink = 0; // keeps the compiler from dropping the measured work

double crcGBps(const QByteArray &data, qsizetype chunk)
{
    double best = 0;
    for (int run = 0; run < kRuns; ++run) {
        QElapsedTimer timer;
        timer.start();
        Cos::Crc64 crc;
        for (qsizetype pos = 0; pos < data.size(); pos += chunk)
            crc.update(QByteArrayView(data).sliced(pos, qMin(chunk, data.size() - pos)));
        const qint64 ns = timer.nsecsElapsed();
        g_sink = g_sink + crc.value();
        best = std::max(best, double(data.size()) / double(ns)); // bytes per ns == GB/s
    }
    return best;
}

// Calls fn repeatedly for about 0.3 s per run; returns the best rate in calls per second.
double ratePerSecond(const std::function<quint64()> &fn)
{
    double best = 0;
    for (int run = 0; run < kRuns; ++run) {
        QElapsedTimer timer;
        timer.start();
        qint64 calls = 0;
        qint64 ns = 0;
        do {
            for (int i = 0; i < 100; ++i)
                g_sink = g_sink + fn();
            calls += 100;
            ns = timer.nsecsElapsed();
        } while (ns < 300'000'000);
        best = std::max(best, double(calls) * 1e9 / double(ns));
    }
    return best;
}

// Best of kRuns of fn() over @p bytes; MB/s (10^6 bytes per second).
double bestMBps(qint64 bytes, const std::function<quint64()> &fn)
{
    double best = 0;
    for (int run = 0; run < kRuns; ++run) {
        QElapsedTimer timer;
        timer.start();
        g_sink = g_sink + fn();
        const qint64 ns = timer.nsecsElapsed();
        best = std::max(best, double(bytes) * 1e3 / double(ns));
    }
    return best;
}

constexpr int kMd5Parts = 8;
constexpr qsizetype kMd5PartSize = 16 * 1024 * 1024;

struct Md5Row
{
    QByteArray label;
    double mbps;
};

// MD5 of 8 x 16 MiB upload parts: QCryptographicHash one part after the other, the scalar
// kernel, the SIMD kernels with 1, 8 (and 16) lanes per pass; then the same bytes as windows of
// a file in the page cache, MD5 and CRC64 together.
QList<Md5Row> md5Rows()
{
    using Cos::Md5Lanes::Kernel;
    QList<Md5Row> rows;
    QByteArray data(kMd5Parts * kMd5PartSize, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 131 + (i >> 12)) % 253);
    const auto *base = reinterpret_cast<const uchar *>(data.constData());
    const uchar *parts[kMd5Parts];
    for (int l = 0; l < kMd5Parts; ++l)
        parts[l] = base + l * kMd5PartSize;
    const qint64 total = data.size();
    const qsizetype blocks = kMd5PartSize / Cos::Md5Lanes::BlockSize;

    rows.append({"QCryptographicHash, one part at a time"_ba, bestMBps(total, [&] {
                     quint64 x = 0;
                     for (int l = 0; l < kMd5Parts; ++l) {
                         x += uchar(QCryptographicHash::hash(QByteArrayView(parts[l], kMd5PartSize),
                                                             QCryptographicHash::Md5)[0]);
                     }
                     return x;
                 })});
    // The same 128 MiB as @p lanes streams hashed together (1: one stream after the other).
    auto lanesRow = [&](Kernel kernel, int lanes) {
        return bestMBps(total, [&] {
            constexpr int kMax = 16;
            Cos::Md5Lanes::State states[kMax];
            const uchar *ptr[kMax];
            const int streams = qMax(lanes, kMd5Parts);
            const qsizetype perStream = blocks * kMd5Parts / streams;
            for (int l = 0; l < streams; ++l)
                ptr[l] = base + l * perStream * Cos::Md5Lanes::BlockSize;
            for (int l = 0; l < streams; l += lanes)
                Cos::Md5Lanes::processBlocks(states + l, ptr + l, lanes, perStream, kernel);
            return quint64(states[0].a + states[streams - 1].d);
        });
    };
    rows.append({"scalar kernel, one part at a time"_ba, lanesRow(Kernel::Scalar, 1)});
    for (Kernel k : {Kernel::Avx2, Kernel::Avx512}) {
        if (!Cos::Md5Lanes::isSupported(k))
            continue;
        const QByteArray name = Cos::Md5Lanes::kernelName(k);
        rows.append({name + " kernel, 1 lane per pass (8 passes)", lanesRow(k, 1)});
        rows.append({name + " kernel, 8 lanes", lanesRow(k, 8)});
        if (k == Kernel::Avx512)
            rows.append({name + " kernel, 16 lanes (16 x 8 MiB)", lanesRow(k, 16)});
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(u"parts.bin"_s);
    QFile file(path);
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(data) != total) {
        std::fprintf(stderr, "bench_engine: cannot write %s\n", qPrintable(path));
        return rows;
    }
    file.close();
    QList<Cos::FileWindow> windows;
    for (int l = 0; l < kMd5Parts; ++l)
        windows.append({l * kMd5PartSize, kMd5PartSize});
    // What digestFileWindow did before md5lanes: 256 KiB reads, QCryptographicHash and Crc64.
    rows.append({"file: 8 windows, QCryptographicHash + CRC64 (old)"_ba, bestMBps(total, [&] {
                     quint64 x = 0;
                     QByteArray buffer(256 * 1024, Qt::Uninitialized);
                     for (const Cos::FileWindow &w : std::as_const(windows)) {
                         QFile f(path);
                         if (!f.open(QIODevice::ReadOnly) || !f.seek(w.offset))
                             return quint64(0);
                         QCryptographicHash md5(QCryptographicHash::Md5);
                         Cos::Crc64 crc;
                         for (qint64 left = w.size; left > 0;) {
                             const qint64 got = f.read(buffer.data(),
                                                       qMin<qint64>(left, buffer.size()));
                             if (got <= 0)
                                 return quint64(0);
                             md5.addData(QByteArrayView(buffer.constData(), got));
                             crc.update(QByteArrayView(buffer.constData(), got));
                             left -= got;
                         }
                         x += uchar(md5.result()[0]) + crc.value();
                     }
                     return x;
                 })});
    rows.append({"file: 8 x digestFileWindow"_ba, bestMBps(total, [&] {
                     quint64 x = 0;
                     for (const Cos::FileWindow &w : std::as_const(windows))
                         x += Cos::digestFileWindow(path, w.offset, w.size).crc64;
                     return x;
                 })});
    QList<Cos::FileWindow> halves;
    for (int l = 0; l < 2 * kMd5Parts; ++l)
        halves.append({l * kMd5PartSize / 2, kMd5PartSize / 2});
    rows.append({"file: digestFileWindows, 16 windows of 8 MiB, auto"_ba, bestMBps(total, [&] {
                     quint64 x = 0;
                     for (const Cos::WindowDigest &d : Cos::digestFileWindows(path, halves))
                         x += d.crc64;
                     return x;
                 })});
    for (Kernel k : {Kernel::Scalar, Kernel::Auto}) {
        rows.append({"file: digestFileWindows, 8 windows, "_ba + Cos::Md5Lanes::kernelName(k),
                     bestMBps(total, [&] {
                         quint64 x = 0;
                         for (const Cos::WindowDigest &d : Cos::digestFileWindows(path, windows, k))
                             x += d.crc64;
                         return x;
                     })});
    }
    return rows;
}

Cos::CosSignInput cosInput()
{
    Cos::CosSignInput in;
    in.method = "PUT"_ba;
    in.path = u"/uploads/user-1/photos/2024/IMG_0001 (copy).jpg"_s;
    in.query = {{u"partNumber"_s, u"3"_s}, {u"uploadId"_s, u"1700000000abcdef0123456789"_s}};
    in.headers = {{u"Host"_s, u"examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"_s},
                  {u"Content-Length"_s, u"8388608"_s},
                  {u"Content-Type"_s, u"image/jpeg"_s},
                  {u"Content-MD5"_s, u"mQ/fVh815F3k6TAUm8m0eg=="_s},
                  {u"x-cos-security-token"_s, QString(u'x').repeated(200)},
                  {u"User-Agent"_s, u"cosdemo/0.1"_s}};
    in.secretId = u"AKIDEXAMPLEcosSecretId00000000000000"_s;
    in.secretKey = u"EXAMPLEcosSecretKey0000000000000"_s;
    in.keyTime = Cos::cosKeyTime(1700000000, 1700003600);
    return in;
}

Cos::SigV4Input sigV4Input()
{
    Cos::SigV4Input in;
    in.accessKeyId = u"AKIAIOSFODNN7EXAMPLE"_s;
    in.secretAccessKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
    in.sessionToken = QString(u'x').repeated(200);
    in.region = u"ap-guangzhou"_s;
    in.service = u"s3"_s;
    in.method = "PUT"_ba;
    in.host = u"examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"_s;
    in.canonicalPath = "/uploads/user-1/photos/2024/IMG_0001%20%28copy%29.jpg"_ba;
    in.query = {{u"partNumber"_s, u"3"_s}, {u"uploadId"_s, u"1700000000abcdef0123456789"_s}};
    in.headers = {{u"host"_s, in.host},
                  {u"content-length"_s, u"8388608"_s},
                  {u"content-type"_s, u"image/jpeg"_s}};
    in.payloadHash = "UNSIGNED-PAYLOAD"_ba;
    in.amzDate = "20240101T000000Z"_ba;
    return in;
}

Cos::Tc3Input tc3Input()
{
    Cos::Tc3Input in;
    in.secretId = u"AKIDEXAMPLEtc3SecretId00000000000000"_s;
    in.secretKey = u"EXAMPLEtc3SecretKey0000000000000"_s;
    in.method = "POST"_ba;
    in.host = u"sts.tencentcloudapi.com"_s;
    in.service = u"sts"_s;
    in.timestamp = 1700000000;
    in.contentType = "application/json"_ba;
    in.payload = QByteArray(R"({"Name":"cos-sts","DurationSeconds":1800,"Policy":")")
            + QByteArray(600, '%') + "\"}"_ba;
    return in;
}

} // namespace

int main(int argc, char **argv)
{
    qsizetype mib = 256;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("Usage: bench_engine [--crc-mib N]\n"
                        "Prints CRC-64 throughput (N MiB, default 256, hashed in 1 MiB chunks,\n"
                        "best of %d), COS / SigV4 / TC3 signatures per second, and MD5\n"
                        "throughput of 8 x 16 MiB parts (in memory and from a temporary file).\n",
                        kRuns);
            return 0;
        }
        if (std::strcmp(argv[i], "--crc-mib") == 0 && i + 1 < argc) {
            mib = std::atoi(argv[++i]);
            if (mib < 1 || mib > 4096) {
                std::fprintf(stderr, "bench_engine: --crc-mib must be 1..4096\n");
                return 2;
            }
            continue;
        }
        std::fprintf(stderr, "bench_engine: unknown argument %s (try --help)\n", argv[i]);
        return 2;
    }

    constexpr qsizetype chunk = 1 << 20;
    QByteArray data(mib * chunk, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 31 + 7) % 251);

    const double crc = crcGBps(data, chunk);
    const Cos::CosSignInput cos = cosInput();
    const double cosRate = ratePerSecond([&cos] { return quint64(Cos::cosSign(cos).signature[0]); });
    const Cos::SigV4Input v4 = sigV4Input();
    const double v4Rate = ratePerSecond(
            [&v4] { return quint64(Cos::sigV4SignHeaders(v4).signature[0]); });
    const Cos::Tc3Input tc3 = tc3Input();
    const double tc3Rate = ratePerSecond([&tc3] { return quint64(Cos::tc3Sign(tc3).signature[0]); });
    const QList<Md5Row> md5 = md5Rows();

    std::printf("bench_engine (build type: %s, best of %d runs)\n", COS_BUILD_TYPE, kRuns);
    std::printf("%-44s %14s\n", "measurement", "result");
    std::printf("%-44s %9.2f GB/s\n", qPrintable(u"CRC-64/XZ, %1 MiB in 1 MiB chunks"_s.arg(mib)),
                crc);
    std::printf("%-44s %11.0f /s\n", "COS signature (PUT part, 5 signed headers)", cosRate);
    std::printf("%-44s %11.0f /s\n", "SigV4 header signature (PUT part, token)", v4Rate);
    std::printf("%-44s %11.0f /s\n", "TC3-HMAC-SHA256 (STS POST, ~650 B body)", tc3Rate);
    std::printf("MD5 of 8 x 16 MiB (MB/s, best of %d):\n", kRuns);
    for (const Md5Row &row : md5) {
        std::printf("  %-54s %7.0f MB/s\n", row.label.constData(), row.mbps);
    }
    std::printf("(GB/s = 10^9 bytes per second, MB/s = 10^6)\n");
    return 0;
}
