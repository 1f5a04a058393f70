#include "cos/transfer/filewindowdevice.h"

#include "cos/digest/filedigest.h"

#include "cos/digest/crc64.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Cos::FileWindowDevice;

class TstFileWindowDevice : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_data;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"data.bin"_s);
        m_data.resize(1000003);
        QRandomGenerator gen(42);
        for (char &c : m_data)
            c = char(gen.generate() & 0xff);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_data), qint64(m_data.size()));
    }

    void window_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("size");
        QTest::newRow("whole") << qint64(0) << qint64(1000003);
        QTest::newRow("middle") << qint64(12345) << qint64(500000);
        QTest::newRow("tail") << qint64(1000000) << qint64(3);
        QTest::newRow("empty") << qint64(77) << qint64(0);
    }

    void window()
    {
        QFETCH(qint64, offset);
        QFETCH(qint64, size);
        FileWindowDevice dev(m_path, offset, size);
        QVERIFY(dev.open(QIODevice::ReadOnly));
        QVERIFY(!dev.isSequential());
        QCOMPARE(dev.size(), size);
        const QByteArray expected = m_data.mid(offset, size);
        QByteArray got;
        // Small reads, as a socket would pull them.
        while (!dev.atEnd()) {
            const QByteArray chunk = dev.read(4093);
            QVERIFY(!chunk.isEmpty());
            got += chunk;
        }
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected);
        QCOMPARE(dev.read(10), QByteArray());

        // reset() for a resend gives the same bytes again.
        QVERIFY(dev.reset());
        QCOMPARE(dev.pos(), qint64(0));
        QVERIFY(dev.readAll() == expected);

        if (size > 10) {
            QVERIFY(dev.seek(size - 10));
            QCOMPARE(dev.readAll(), expected.right(10));
        }
        QVERIFY(!dev.seek(size + 1));
        QVERIFY(!dev.seek(-1));
    }

    void readOnly()
    {
        FileWindowDevice dev(m_path, 0, 10);
        QVERIFY(!dev.open(QIODevice::ReadWrite));
        QVERIFY(!dev.errorString().isEmpty());
    }

    void windowBeyondFileFailsToOpen()
    {
        FileWindowDevice dev(m_path, 1000000, 4);
        QVERIFY(!dev.open(QIODevice::ReadOnly));
        QVERIFY2(dev.errorString().contains(u"fewer"_s), qPrintable(dev.errorString()));
        FileWindowDevice missing(m_dir.filePath(u"nope"_s), 0, 1);
        QVERIFY(!missing.open(QIODevice::ReadOnly));
    }

    void truncatedWhileOpenIsAnError()
    {
        const QString path = m_dir.filePath(u"shrinks.bin"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(m_data.left(100000));
        }
        FileWindowDevice dev(path, 0, 100000);
        QVERIFY(dev.open(QIODevice::ReadOnly));
        QCOMPARE(dev.read(1000).size(), 1000);
        QVERIFY(QFile::resize(path, 2000));
        QCOMPARE(dev.read(1000).size(), 1000);
        char buf[4096];
        QCOMPARE(dev.read(buf, sizeof buf), qint64(-1));
        QVERIFY(dev.errorString().contains(u"truncated"_s));
    }

    void independentPositions()
    {
        FileWindowDevice a(m_path, 0, 1000);
        FileWindowDevice b(m_path, 1000, 1000);
        QVERIFY(a.open(QIODevice::ReadOnly));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QByteArray a1 = a.read(500);
        const QByteArray b1 = b.read(500);
        QVERIFY(a1 + a.read(500) == m_data.left(1000));
        QVERIFY(b1 + b.read(500) == m_data.mid(1000, 1000));
    }

    void digest()
    {
        const auto d = Cos::digestFileWindow(m_path, 333, 700000);
        QVERIFY2(d.ok(), qPrintable(d.error.toString()));
        const QByteArray slice = m_data.mid(333, 700000);
        QCOMPARE(d.md5, QCryptographicHash::hash(slice, QCryptographicHash::Md5));
        QCOMPARE(d.crc64, Cos::Crc64::compute(slice));

        const auto empty = Cos::digestFileWindow(m_path, 0, 0);
        QVERIFY(empty.ok());
        QCOMPARE(empty.md5, QCryptographicHash::hash({}, QCryptographicHash::Md5));

        const auto beyond = Cos::digestFileWindow(m_path, 1000000, 10);
        QCOMPARE(beyond.error.kind(), Cos::Error::Kind::Io);
    }
};

QTEST_GUILESS_MAIN(TstFileWindowDevice)
#include "tst_filewindowdevice.moc"
