#include "cos/digest/prefixdigest.h"

#include "cos/digest/crc64.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using Cos::PrefixDigest;
using Cos::WindowDigest;

class TstPrefixDigest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            return {};
        return path;
    }

    static QByteArray randomBytes(qsizetype size, quint32 seed)
    {
        QByteArray data(size, Qt::Uninitialized);
        QRandomGenerator gen(seed);
        for (char &c : data)
            c = char(gen.generate() & 0xff);
        return data;
    }

    // The digest once whenDone() answers; an error digest when it answered synchronously.
    static std::optional<WindowDigest> waitForDigest(PrefixDigest *digest)
    {
        std::optional<WindowDigest> got;
        QObject context;
        digest->whenDone(&context, [&got](const WindowDigest &d) { got = d; });
        if (got) {
            WindowDigest wrong;
            wrong.error = Cos::Error(Cos::Error::Kind::InvalidInput,
                                     u"answered from inside whenDone()"_s);
            return wrong;
        }
        if (!QTest::qWaitFor([&] { return got.has_value(); }, 20000))
            return std::nullopt;
        return got;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The file is complete from the start; steps as a download reports them, any alignment.
    void matchesOnePassHash_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<QList<qint64>>("steps");
        QTest::newRow("empty") << qsizetype(0) << QList<qint64> {};
        QTest::newRow("1 B") << qsizetype(1) << QList<qint64> {1};
        QTest::newRow("63 B, all at once") << qsizetype(63) << QList<qint64> {63};
        QTest::newRow("64 B in odd steps") << qsizetype(64) << QList<qint64> {1, 7, 63, 64};
        QTest::newRow("unaligned MiB steps")
                << qsizetype(9 * 1024 * 1024 + 77)
                << QList<qint64> {1'000'003, 4'194'305, 4'194'306, 8'388'609, 9'437'261};
        QTest::newRow("steps below MinStep wait for the end")
                << qsizetype(3 * 1024 * 1024 + 5) << QList<qint64> {100, 65'537, 2'000'000};
    }

    void matchesOnePassHash()
    {
        QFETCH(qsizetype, size);
        QFETCH(QList<qint64>, steps);
        const QByteArray data = randomBytes(size, quint32(size));
        const QString path = writeFile(u"whole-%1.bin"_s.arg(size), data);
        QVERIFY(!path.isEmpty());
        PrefixDigest digest(path, size);
        for (qint64 step : steps) {
            digest.setAvailable(step);
            QTest::qWait(1);
        }
        digest.setAvailable(size);
        const std::optional<WindowDigest> d = waitForDigest(&digest);
        QVERIFY(d.has_value());
        QVERIFY2(d->ok(), qPrintable(d->error.message()));
        QCOMPARE(d->md5.toHex(), QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex());
        QCOMPARE(d->crc64, Cos::Crc64::compute(data));
        QCOMPARE(digest.hashed(), qint64(size));
    }

    // Hashing follows the writer: only bytes reported as available are read.
    void hashesOnlyWhatIsAvailable()
    {
        const qsizetype size = 12 * 1024 * 1024;
        const QByteArray data = randomBytes(size, 3);
        const QString path = m_dir.filePath(u"growing.bin"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(size)); // zeros, as a fresh .part file
        PrefixDigest digest(path, size);
        std::optional<WindowDigest> got;
        QObject context;
        digest.whenDone(&context, [&got](const WindowDigest &d) { got = d; });
        for (qint64 at = 0; at < size; at += 5 * 1024 * 1024) {
            const qint64 n = qMin<qint64>(5 * 1024 * 1024, size - at);
            QVERIFY(f.seek(at));
            QCOMPARE(f.write(data.constData() + at, n), n);
            QVERIFY(f.flush());
            digest.setAvailable(at + n);
            QTRY_COMPARE_WITH_TIMEOUT(digest.hashed(), at + n, 10000);
            QVERIFY(at + n == size || !got.has_value());
        }
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QCOMPARE(got->md5, QCryptographicHash::hash(data, QCryptographicHash::Md5));
        QCOMPARE(got->crc64, Cos::Crc64::compute(data));
    }

    void availableNeverShrinksOrPassesTheEnd()
    {
        const QByteArray data = randomBytes(6 * 1024 * 1024, 5);
        const QString path = writeFile(u"clamp.bin"_s, data);
        PrefixDigest digest(path, data.size());
        digest.setAvailable(5 * 1024 * 1024);
        digest.setAvailable(10); // ignored
        QTRY_COMPARE_WITH_TIMEOUT(digest.hashed(), qint64(5 * 1024 * 1024), 10000);
        digest.setAvailable(qint64(data.size()) * 4); // clamped to the size
        const std::optional<WindowDigest> d = waitForDigest(&digest);
        QVERIFY(d.has_value() && d->ok());
        QCOMPARE(d->md5, QCryptographicHash::hash(data, QCryptographicHash::Md5));
    }

    void shortFileIsAnError()
    {
        const QString path = writeFile(u"short.bin"_s, randomBytes(1000, 9));
        PrefixDigest digest(path, 5000);
        digest.setAvailable(5000);
        const std::optional<WindowDigest> d = waitForDigest(&digest);
        QVERIFY(d.has_value());
        QCOMPARE(d->error.kind(), Cos::Error::Kind::Io);
        QVERIFY2(d->error.message().contains(u"byte 1000"_s), qPrintable(d->error.message()));
    }

    void missingFileIsAnError()
    {
        PrefixDigest digest(m_dir.filePath(u"nothing-here.bin"_s), 10);
        digest.setAvailable(10);
        const std::optional<WindowDigest> d = waitForDigest(&digest);
        QVERIFY(d.has_value());
        QCOMPARE(d->error.kind(), Cos::Error::Kind::Io);
        QVERIFY2(d->error.message().contains(u"nothing-here.bin"_s), qPrintable(d->error.message()));
    }

    void deletedWhileHashingIsSafe()
    {
        const QByteArray data = randomBytes(32 * 1024 * 1024, 11);
        const QString path = writeFile(u"delete.bin"_s, data);
        bool called = false;
        {
            QObject context;
            auto *digest = new PrefixDigest(path, data.size());
            digest->whenDone(&context, [&called](const WindowDigest &) { called = true; });
            digest->setAvailable(data.size());
            delete digest; // a worker may still be reading
        }
        QTest::qWait(300);
        QVERIFY(!called);
    }

    void deletedContextGetsNothing()
    {
        const QByteArray data = randomBytes(1024, 13);
        const QString path = writeFile(u"context.bin"_s, data);
        PrefixDigest digest(path, data.size());
        bool called = false;
        auto *context = new QObject;
        digest.whenDone(context, [&called](const WindowDigest &) { called = true; });
        digest.setAvailable(data.size());
        delete context;
        QTest::qWait(300);
        QVERIFY(!called);
        QCOMPARE(digest.hashed(), qint64(data.size()));
    }
};

QTEST_GUILESS_MAIN(TstPrefixDigest)
#include "tst_prefixdigest.moc"
