#include "cos/digest/md5lanes.h"

#include "cos/digest/crc64.h"
#include "cos/digest/filedigest.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Cos::FileWindow;
using Cos::WindowDigest;
using Kernel = Cos::Md5Lanes::Kernel;

Q_DECLARE_METATYPE(QList<FileWindow>)

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    qsizetype i = 0;
    for (; i + 4 <= size; i += 4) {
        const quint32 v = gen.generate();
        std::memcpy(data.data() + i, &v, 4);
    }
    for (; i < size; ++i)
        data[i] = char(gen.generate() & 0xff);
    return data;
}

QByteArray md5(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Md5);
}

// Every kernel this CPU can run, each forced, plus the automatic choice. On an AVX2 machine
// this compares the scalar and the SIMD kernels with QCryptographicHash alike.
QList<Kernel> kernels()
{
    QList<Kernel> out {Kernel::Scalar};
    if (Cos::Md5Lanes::isSupported(Kernel::Avx2))
        out.append(Kernel::Avx2);
    if (Cos::Md5Lanes::isSupported(Kernel::Avx512))
        out.append(Kernel::Avx512);
    out.append(Kernel::Auto);
    return out;
}

QString kernelTag(Kernel kernel)
{
    return kernel == Kernel::Auto ? u"auto"_s
                                  : QString::fromLatin1(Cos::Md5Lanes::kernelName(kernel));
}

} // namespace

class TstMd5Lanes : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_file;

private Q_SLOTS:
    void initTestCase()
    {
        QStringList names;
        for (Kernel k : kernels())
            names.append(kernelTag(k));
        qInfo("kernels under test: %s (best: %s)", qPrintable(names.join(u", "_s)),
              Cos::Md5Lanes::kernelName(Kernel::Auto));
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"data.bin"_s);
        // Larger than several 256 KiB turns of every lane, and not a multiple of 64.
        m_file = randomBytes(3 * 1024 * 1024 + 17, 7);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_file), qint64(m_file.size()));
    }

    void kernelSelection()
    {
        QVERIFY(Cos::Md5Lanes::bestKernel() != Kernel::Auto);
        QVERIFY(Cos::Md5Lanes::isSupported(Cos::Md5Lanes::bestKernel()));
        QVERIFY(Cos::Md5Lanes::isSupported(Kernel::Scalar));
        if (Cos::Md5Lanes::isSupported(Kernel::Avx512))
            QVERIFY(Cos::Md5Lanes::isSupported(Kernel::Avx2));
        const int lanes = Cos::Md5Lanes::preferredLanes();
        QVERIFY(lanes >= 1 && lanes <= Cos::Md5Lanes::MaxLanes);
    }

    void rfc1321_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("hex");
        // RFC 1321, appendix A.5.
        QTest::newRow("empty") << QByteArray() << "d41d8cd98f00b204e9800998ecf8427e"_ba;
        QTest::newRow("a") << "a"_ba
                           << "0cc175b9c0f1b6a831c399e269772661"_ba;
        QTest::newRow("abc") << "abc"_ba
                             << "900150983cd24fb0d6963f7d28e17f72"_ba;
        QTest::newRow("message digest") << "message digest"_ba
                                        << "f96b697d7cb7938d525a2f31aaf161d0"_ba;
        QTest::newRow("alphabet") << "abcdefghijklmnopqrstuvwxyz"_ba
                                  << "c3fcd3d76192e4007dfb496cca67e13b"_ba;
        QTest::newRow("alphanumeric")
                << "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"_ba
                << "d174ab98d277d9f5a5611c2c9f419d9f"_ba;
        QTest::newRow("digits") << "1234567890123456789012345678901234567890"
                                   "1234567890123456789012345678901234567890"_ba
                                << "57edf4a22be3c955ac49da2e2107b67a"_ba;
    }

    void rfc1321()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, hex);
        QCOMPARE(md5(input).toHex(), hex);
        for (Kernel k : kernels()) {
            QCOMPARE(Cos::Md5Lanes::hash(input, k).toHex(), hex);
            // The same string in all eight lanes of one pass.
            Cos::Md5Lanes::State states[8];
            const auto *p = reinterpret_cast<const uchar *>(input.constData());
            const uchar *data[8] = {p, p, p, p, p, p, p, p};
            const qsizetype blocks = input.size() / 64;
            Cos::Md5Lanes::processBlocks(states, data, 8, blocks, k);
            for (const auto &s : states) {
                QCOMPARE(Cos::Md5Lanes::finish(s, p + blocks * 64, input.size() - blocks * 64,
                                               quint64(input.size()))
                                 .toHex(),
                         hex);
            }
        }
    }

    void lengths_data()
    {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype n : {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128})
            QTest::addRow("%d", int(n)) << n;
        QTest::newRow("1 MiB - 1") << qsizetype(1024 * 1024 - 1);
        QTest::newRow("16 MiB + 3") << qsizetype(16 * 1024 * 1024 + 3);
    }

    void lengths()
    {
        QFETCH(qsizetype, size);
        const QByteArray data = randomBytes(size, quint32(size) + 1);
        const QByteArray expected = md5(data);
        for (Kernel k : kernels())
            QCOMPARE(Cos::Md5Lanes::hash(data, k).toHex(), expected.toHex());
    }

    // processBlocks with 1..17 lanes of different data: every lane has its own result, also
    // past eight lanes (a second pass) and with a partial pass.
    void lanes_data()
    {
        QTest::addColumn<int>("lanes");
        for (int n : {1, 2, 3, 5, 7, 8, 9, 16, 17})
            QTest::addRow("%d lanes", n) << n;
    }

    void lanes()
    {
        QFETCH(int, lanes);
        constexpr qsizetype blocks = 37;
        QList<QByteArray> inputs;
        for (int l = 0; l < lanes; ++l)
            inputs.append(randomBytes(blocks * 64 + 11 * l % 64, quint32(100 + l)));
        for (Kernel k : kernels()) {
            QList<Cos::Md5Lanes::State> states(lanes);
            QList<const uchar *> data;
            for (const QByteArray &in : std::as_const(inputs))
                data.append(reinterpret_cast<const uchar *>(in.constData()));
            // In two calls, so the state carries over between calls.
            Cos::Md5Lanes::processBlocks(states.data(), data.constData(), lanes, 20, k);
            for (auto &p : data)
                p += 20 * 64;
            Cos::Md5Lanes::processBlocks(states.data(), data.constData(), lanes, blocks - 20, k);
            for (int l = 0; l < lanes; ++l) {
                const QByteArray &in = inputs.at(l);
                const auto *tail = reinterpret_cast<const uchar *>(in.constData()) + blocks * 64;
                QCOMPARE(Cos::Md5Lanes::finish(states.at(l), tail, in.size() - blocks * 64,
                                               quint64(in.size()))
                                 .toHex(),
                         md5(in).toHex());
            }
        }
    }

    void fileWindows_data()
    {
        QTest::addColumn<QList<FileWindow>>("windows");
        const qint64 size = 3 * 1024 * 1024 + 17;
        constexpr qint64 chunk = 256 * 1024;
        // Lengths around the block size, the 256 KiB turn and the window end, all different.
        const QList<qint64> lengths {1'000'003, 0, chunk + 1, 64, 65, 2 * chunk, 63, 777'777, 1};
        QRandomGenerator gen(99);
        for (int n = 1; n <= 9; ++n) {
            QList<FileWindow> windows;
            for (int i = 0; i < n; ++i) {
                const qint64 len = lengths.at(i);
                windows.append({qint64(gen.bounded(quint64(size - len + 1))), len});
            }
            QTest::addRow("%d windows", n) << windows;
        }
        // Parts of an upload: consecutive, the last one shorter, and the file's very end.
        QList<FileWindow> parts;
        const qint64 part = 400'000;
        for (qint64 off = 0; off < size; off += part)
            parts.append({off, qMin(part, size - off)});
        QTest::newRow("upload parts, 8 + 1, last shorter") << parts;
        QTest::newRow("overlapping")
                << QList<FileWindow> {{100, 600'000},     {100, 600'000}, {101, 600'000},
                                      {300'000, 700'000}, {0, size},      {5, 0}};
        QTest::newRow("empty windows") << QList<FileWindow> {{0, 0}, {size, 0}};
        QTest::newRow("whole file") << QList<FileWindow> {{0, size}};
        QTest::newRow("none") << QList<FileWindow> {};
    }

    void fileWindows()
    {
        QFETCH(QList<FileWindow>, windows);
        for (Kernel k : kernels()) {
            const QList<WindowDigest> got = Cos::digestFileWindows(m_path, windows, k);
            QCOMPARE(got.size(), windows.size());
            for (qsizetype i = 0; i < windows.size(); ++i) {
                const QByteArray slice = m_file.mid(windows.at(i).offset, windows.at(i).size);
                QCOMPARE(slice.size(), windows.at(i).size);
                const WindowDigest &d = got.at(i);
                QVERIFY2(d.ok(), qPrintable(d.error.toString()));
                QCOMPARE(d.md5.toHex(), md5(slice).toHex());
                QCOMPARE(d.crc64, Cos::Crc64::compute(slice));
            }
        }
    }

    void singleWindow()
    {
        const WindowDigest d = Cos::digestFileWindow(m_path, 12345, 1'234'567);
        QVERIFY2(d.ok(), qPrintable(d.error.toString()));
        const QByteArray slice = m_file.mid(12345, 1'234'567);
        QCOMPARE(d.md5, md5(slice));
        QCOMPARE(d.crc64, Cos::Crc64::compute(slice));
    }

    void shortFile()
    {
        const qint64 size = m_file.size();
        for (Kernel k : kernels()) {
            const QList<WindowDigest> got =
                    Cos::digestFileWindows(m_path,
                                           {{0, 1000}, {size - 100, 101}, {size + 10, 5}, {64, 64}},
                                           k);
            QCOMPARE(got.size(), 4);
            // The windows inside the file are still right.
            QVERIFY(got.at(0).ok());
            QCOMPARE(got.at(0).md5, md5(m_file.left(1000)));
            QVERIFY(got.at(3).ok());
            QCOMPARE(got.at(3).md5, md5(m_file.mid(64, 64)));
            // One byte short: the error names the file and where it ended.
            QCOMPARE(got.at(1).error.kind(), Cos::Error::Kind::Io);
            QVERIFY2(got.at(1).error.message().contains(m_path),
                     qPrintable(got.at(1).error.message()));
            QVERIFY2(got.at(1).error.message().contains(QString::number(size)),
                     qPrintable(got.at(1).error.message()));
            QVERIFY(got.at(1).md5.isEmpty());
            QCOMPARE(got.at(2).error.kind(), Cos::Error::Kind::Io);
            QVERIFY2(got.at(2).error.message().contains(QString::number(size + 10)),
                     qPrintable(got.at(2).error.message()));
        }
        const WindowDigest single = Cos::digestFileWindow(m_path, size - 10, 11);
        QCOMPARE(single.error.kind(), Cos::Error::Kind::Io);
        QVERIFY(single.error.message().contains(QString::number(size)));
    }

    void badInput()
    {
        const QString missing = m_dir.filePath(u"missing.bin"_s);
        const QList<WindowDigest> got = Cos::digestFileWindows(missing, {{0, 10}, {0, 0}});
        QCOMPARE(got.size(), 2);
        for (const WindowDigest &d : got) {
            QCOMPARE(d.error.kind(), Cos::Error::Kind::Io);
            QVERIFY(d.error.message().contains(missing));
        }
        const QList<WindowDigest> bad = Cos::digestFileWindows(m_path, {{-1, 10}, {0, -5}, {1, 2}});
        QCOMPARE(bad.at(0).error.kind(), Cos::Error::Kind::InvalidInput);
        QCOMPARE(bad.at(1).error.kind(), Cos::Error::Kind::InvalidInput);
        QVERIFY(bad.at(2).ok());
        QCOMPARE(bad.at(2).md5, md5(m_file.mid(1, 2)));
    }
};

QTEST_GUILESS_MAIN(TstMd5Lanes)
#include "tst_md5lanes.moc"
