// bench_engine: CRC-64 throughput and signing rates of the cos engine.
// Usage: bench_engine [--crc-mib N]   (N MiB hashed in 1 MiB chunks, best of 5; default 256)

#include "cossigner.h"
#include "crc64.h"
#include "sigv4.h"
#include "tc3.h"

#include <QByteArray>
#include <QElapsedTimer>

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
                        "best of %d) and COS / SigV4 / TC3 signatures per second.\n",
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

    std::printf("bench_engine (build type: %s, best of %d runs)\n", COS_BUILD_TYPE, kRuns);
    std::printf("%-44s %14s\n", "measurement", "result");
    std::printf("%-44s %9.2f GB/s\n", qPrintable(u"CRC-64/XZ, %1 MiB in 1 MiB chunks"_s.arg(mib)),
                crc);
    std::printf("%-44s %11.0f /s\n", "COS signature (PUT part, 5 signed headers)", cosRate);
    std::printf("%-44s %11.0f /s\n", "SigV4 header signature (PUT part, token)", v4Rate);
    std::printf("%-44s %11.0f /s\n", "TC3-HMAC-SHA256 (STS POST, ~650 B body)", tc3Rate);
    std::printf("(GB/s = 10^9 bytes per second)\n");
    return 0;
}
