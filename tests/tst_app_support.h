#pragma once
// Shared by the app tests: a client on the sandbox, a fresh bucket with a known tree, files.

#include "sandboxenv.h"
#include "sandboxpurge.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"

#include <QAbstractItemModel>
#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStringList>
#include <QUrl>

namespace AppTest {

inline Cos::Client *sandboxClient(const SandboxEnv &env, QObject *parent = nullptr)
{
    const Cos::Endpoint ep = Cos::Endpoint::s3(QUrl(env.endpoint), env.region, env.pathStyle);
    Cos::Credentials c;
    c.secretId = env.secretId;
    c.secretKey = env.secretKey;
    return new Cos::Client(ep, new Cos::StaticCredentialProvider(c, QStringLiteral("sandbox")),
                           parent);
}

/** Runs @p job to its end; true on success. */
inline bool run(Cos::Job *job, int timeoutMs = 60000)
{
    QSignalSpy spy(job, &Cos::Job::finished);
    job->start();
    if (!job->isFinished() && !spy.wait(timeoutMs))
        return false;
    if (job->error())
        qWarning("job failed: %s", qPrintable(job->error().toString()));
    return !job->error();
}

inline bool putObject(Cos::Client *client, const QString &bucket, const QString &key,
                      const QByteArray &data)
{
    Cos::PutObjectParams p;
    p.contentLength = data.size();
    Cos::RequestJob *job = client->newRequestJob(client->builder().putObject(bucket, key, p));
    job->setBody(data);
    return run(job);
}

inline QString uniqueBucket(const QString &prefix)
{
    return QStringLiteral("%1-%2-%3")
            .arg(prefix)
            .arg(QDateTime::currentMSecsSinceEpoch() % 100000000)
            .arg(QRandomGenerator::global()->bounded(100000));
}

/** The tree the browse tests expect: 3 folders (docs/, media/, empty/), 5 files at the root. */
inline QStringList seedKeys()
{
    return {QStringLiteral("readme.txt"),
            QStringLiteral("notes.md"),
            QStringLiteral("report.json"),
            QStringLiteral("a.bin"),
            QStringLiteral("z.log"),
            QStringLiteral("docs/data.json"),
            QStringLiteral("docs/2026/notes.txt"),
            QStringLiteral("media/clip.mp4"),
            QStringLiteral("empty/")};
}

inline bool seedBucket(Cos::Client *client, const QString &bucket)
{
    if (!run(client->createBucket(bucket)))
        return false;
    for (const QString &key : seedKeys()) {
        if (!putObject(client, bucket, key, key.endsWith(u'/') ? QByteArray() : key.toUtf8() + "\n"))
            return false;
    }
    return true;
}

/**
 * The tree the search tests expect: 11 keys start with "Grüße" (7 letters, a folder
 * placeholder, two CJK names in a sub-folder, one next to the folder), one with a lower-case
 * "grüße", one under other/, one under 日本語/, and one with '+' and a space.
 */
inline QStringList searchSeedKeys()
{
    QStringList keys;
    for (int i = 1; i <= 7; ++i)
        keys.append(QStringLiteral("Grüße/brief-%1.txt").arg(i, 2, 10, QChar(u'0')));
    keys << QStringLiteral("Grüße/empty/") << QStringLiteral("Grüße/日本/写真-1.png")
         << QStringLiteral("Grüße/日本/写真-2.png") << QStringLiteral("Grüßen.txt")
         << QStringLiteral("grüße-lower.txt") << QStringLiteral("other/Grüße.txt")
         << QStringLiteral("日本語/ファイル.txt") << QStringLiteral("a+b c.txt");
    return keys;
}

inline bool seedSearchBucket(Cos::Client *client, const QString &bucket)
{
    if (!run(client->createBucket(bucket)))
        return false;
    for (const QString &key : searchSeedKeys()) {
        if (!putObject(client, bucket, key, key.endsWith(u'/') ? QByteArray() : key.toUtf8() + "\n"))
            return false;
    }
    return true;
}

/** The values of @p role in every row of @p model, top to bottom. */
inline QStringList column(const QAbstractItemModel &model, int role)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.append(model.index(r, 0).data(role).toString());
    return out;
}

/** Removes a bucket a test made, objects first; a failure is only a warning. */
inline void purgeBucket(Cos::Client *client, const QString &bucket)
{
    const QString error = purgeSandboxBucket(client, bucket);
    if (!error.isEmpty())
        qWarning("cleanup of %s: %s", qPrintable(bucket), qPrintable(error));
}

/** A file of @p size pseudo-random bytes. */
inline bool writeFile(const QString &path, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray chunk(1024 * 1024, Qt::Uninitialized);
    quint32 seed = 12345;
    for (char &c : chunk) {
        seed = seed * 1103515245u + 12345u;
        c = char(seed >> 24);
    }
    for (qint64 left = size; left > 0; left -= chunk.size())
        f.write(chunk.constData(), std::min<qint64>(left, chunk.size()));
    return f.error() == QFile::NoError;
}

/** A PNG of @p width x @p height: the top half red (220, 40, 40), the bottom half blue. */
inline QByteArray pngImage(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::blue);
    for (int y = 0; y < height / 2; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(220, 40, 40));
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace AppTest
