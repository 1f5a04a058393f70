#include "cos/transfer/checkpoint.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Cos;

class TstCheckpoint : public QObject
{
    Q_OBJECT

private:
    static UploadCheckpoint sampleUpload(const QString &source)
    {
        UploadCheckpoint c;
        c.endpoint = u"s3 http://127.0.0.1:7480"_s;
        c.bucket = u"bkt"_s;
        c.key = u"dir/ünï code + space.bin"_s;
        c.uploadId = u"2~abc-DEF_123"_s;
        c.sourcePath = source;
        c.size = 5LL * 1024 * 1024 * 1024 * 1024; // beyond 2^53 / 1024: travels as a string
        c.mtimeMs = 1760000000123;
        c.partSize = 8 * 1024 * 1024;
        for (int n : {1, 2, 7}) {
            CheckpointPart p;
            p.number = n;
            p.size = c.partSize;
            p.md5 = QCryptographicHash::hash(QByteArray::number(n), QCryptographicHash::Md5);
            p.etag = QString::fromLatin1(p.md5.toHex());
            p.crc64 = 0xFFFFFFFFFFFFFFF0ULL + quint64(n); // needs all 64 bits
            c.parts.insert(n, p);
        }
        return c;
    }

private Q_SLOTS:
    void byteRanges()
    {
        ByteRanges r;
        QVERIFY(r.isEmpty());
        QCOMPARE(r.missing(10), (QList<std::pair<qint64, qint64>> {{0, 10}}));
        r.add(20, 30);
        r.add(0, 5);
        r.add(5, 10); // touching merges
        r.add(25, 40); // overlapping merges
        r.add(3, 3); // empty is ignored
        QCOMPARE(r.intervals(), (QList<std::pair<qint64, qint64>> {{0, 10}, {20, 40}}));
        QCOMPARE(r.covered(), qint64(30));
        QVERIFY(!r.covers(40));
        QCOMPARE(r.missing(50), (QList<std::pair<qint64, qint64>> {{10, 20}, {40, 50}}));
        r.add(10, 20);
        QVERIFY(r.covers(40));
        QVERIFY(!r.covers(41));
        QVERIFY(r.missing(40).isEmpty());
    }

    void uploadRoundTrip()
    {
        QTemporaryDir dir;
        CheckpointStore store(dir.path());
        const QString source = dir.filePath(u"src.bin"_s);
        const UploadCheckpoint c = sampleUpload(source);
        QVERIFY(!store.save(c));
        UploadCheckpoint back;
        QString problem;
        QVERIFY2(store.loadUpload(c.endpoint, c.bucket, c.key, source, &back, &problem),
                 qPrintable(problem));
        QCOMPARE(back.uploadId, c.uploadId);
        QCOMPARE(back.size, c.size);
        QCOMPARE(back.mtimeMs, c.mtimeMs);
        QCOMPARE(back.partSize, c.partSize);
        QCOMPARE(back.parts.keys(), c.parts.keys());
        for (const auto &p : c.parts) {
            QCOMPARE(back.parts[p.number].etag, p.etag);
            QCOMPARE(back.parts[p.number].md5, p.md5);
            QCOMPARE(back.parts[p.number].crc64, p.crc64);
            QCOMPARE(back.parts[p.number].size, p.size);
        }
        QVERIFY(back.created.isValid());

        // Another key, source or endpoint has another file.
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key + u"x"_s, source, &back));
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key, source + u"x"_s, &back));
        QVERIFY(store.uploadFile(u"a"_s, u"b"_s, u"c"_s, source)
                != store.uploadFile(u"a"_s, u"b"_s, u"c"_s, source + u"2"_s));
        QVERIFY(store.uploadFile(u"a"_s, u"b"_s, u"c"_s, source)
                != store.downloadFile(u"a"_s, u"b"_s, u"c"_s, source));

        QVERIFY(store.removeUpload(c.endpoint, c.bucket, c.key, source));
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key, source, &back));
    }

    void tamperedFileIsRejected_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::newRow("upload id edited") << "2~abc-DEF_123"_ba
                                          << "2~abc-DEF_124"_ba;
        QTest::newRow("part size edited") << "\"8388608\""_ba
                                          << "\"8388609\""_ba;
        QTest::newRow("truncated") << "\"parts\""_ba
                                   << ""_ba;
    }

    void tamperedFileIsRejected()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QTemporaryDir dir;
        CheckpointStore store(dir.path());
        const QString source = dir.filePath(u"src.bin"_s);
        const UploadCheckpoint c = sampleUpload(source);
        QVERIFY(!store.save(c));
        const QString path = store.uploadFile(c.endpoint, c.bucket, c.key, source);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        QVERIFY(text.contains(from));
        if (to.isEmpty())
            text.truncate(text.indexOf(from));
        else
            text.replace(from, to);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        UploadCheckpoint back;
        QString problem;
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key, source, &back, &problem));
        QVERIFY2(!problem.isEmpty(), "a rejected checkpoint says why");
    }

    void badFieldsAreRejectedEvenWithAValidCheck()
    {
        // A self-consistent file with nonsense in it (written by a future or buggy version).
        QTemporaryDir dir;
        CheckpointStore store(dir.path());
        const QString source = dir.filePath(u"src.bin"_s);
        UploadCheckpoint c = sampleUpload(source);
        QJsonObject json = c.toJson();
        json.insert(u"partSize"_s, u"-1"_s);
        QVERIFY(!CheckpointStore::writeJson(store.uploadFile(c.endpoint, c.bucket, c.key, source),
                                            json));
        UploadCheckpoint back;
        QString problem;
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key, source, &back, &problem));
        QVERIFY2(problem.contains(u"partSize"_s), qPrintable(problem));
    }

    void downloadRoundTrip()
    {
        QTemporaryDir dir;
        CheckpointStore store(dir.path());
        DownloadCheckpoint c;
        c.endpoint = u"s3 http://127.0.0.1:7480"_s;
        c.bucket = u"bkt"_s;
        c.key = u"k"_s;
        c.targetPath = dir.filePath(u"out.bin"_s);
        c.etag = u"\"0123456789abcdef0123456789abcdef-3\""_s;
        c.size = 100;
        c.crc64 = u"11051210869376104954"_s;
        c.done.add(0, 30);
        c.done.add(50, 60);
        QVERIFY(!store.save(c));
        DownloadCheckpoint back;
        QVERIFY(store.loadDownload(c.endpoint, c.bucket, c.key, c.targetPath, &back));
        QCOMPARE(back.etag, c.etag);
        QCOMPARE(back.size, c.size);
        QCOMPARE(back.crc64, c.crc64);
        QCOMPARE(back.done.intervals(), c.done.intervals());
        // An upload checkpoint of the same names is a different file.
        UploadCheckpoint u;
        QVERIFY(!store.loadUpload(c.endpoint, c.bucket, c.key, c.targetPath, &u));
        QVERIFY(store.removeDownload(c.endpoint, c.bucket, c.key, c.targetPath));
    }

    void fileOfAnotherTransferIsRejected()
    {
        // A checkpoint copied under another transfer's name passes its self-check but does not
        // describe that transfer: both loaders refuse it and say why.
        QTemporaryDir dir;
        CheckpointStore store(dir.path());
        const UploadCheckpoint up = sampleUpload(dir.filePath(u"src.bin"_s));
        QVERIFY(!store.save(up));
        const QString otherSource = dir.filePath(u"other.bin"_s);
        QVERIFY(QFile::copy(store.uploadFile(up.endpoint, up.bucket, up.key, up.sourcePath),
                            store.uploadFile(up.endpoint, up.bucket, up.key, otherSource)));
        UploadCheckpoint u;
        QString problem;
        QVERIFY(!store.loadUpload(up.endpoint, up.bucket, up.key, otherSource, &u, &problem));
        QVERIFY2(problem.endsWith(u"describes another transfer"_s), qPrintable(problem));

        DownloadCheckpoint down;
        down.endpoint = up.endpoint;
        down.bucket = up.bucket;
        down.key = up.key;
        down.targetPath = dir.filePath(u"out.bin"_s);
        down.size = 10;
        QVERIFY(!store.save(down));
        QVERIFY(QFile::copy(store.downloadFile(down.endpoint, down.bucket, down.key,
                                               down.targetPath),
                            store.downloadFile(down.endpoint, u"other"_s, down.key,
                                               down.targetPath)));
        DownloadCheckpoint d;
        problem.clear();
        QVERIFY(!store.loadDownload(down.endpoint, u"other"_s, down.key, down.targetPath, &d,
                                    &problem));
        QVERIFY2(problem.endsWith(u"describes another transfer"_s), qPrintable(problem));
        QVERIFY(store.loadDownload(down.endpoint, down.bucket, down.key, down.targetPath, &d));
    }

    void folderIsCreated()
    {
        QTemporaryDir dir;
        CheckpointStore store(dir.filePath(u"a/b/c"_s));
        UploadCheckpoint c = sampleUpload(dir.filePath(u"s"_s));
        QVERIFY(!store.save(c));
        QVERIFY(QFile::exists(store.uploadFile(c.endpoint, c.bucket, c.key, c.sourcePath)));
        QVERIFY(CheckpointStore().directory().endsWith(u"/checkpoints"_s));
    }
};

QTEST_GUILESS_MAIN(TstCheckpoint)
#include "tst_checkpoint.moc"
