#include "cos/transfer/checkpoint.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr qint64 kMaxCheckpointBytes = 4 * 1024 * 1024; // 10 000 parts fit in about 1.5 MiB

Error parseError(const QString &what)
{
    return Error(Error::Kind::Parse, u"Checkpoint: %1"_s.arg(what));
}

QByteArray selfCheck(QJsonObject json)
{
    json.remove(u"check"_s);
    // QJsonObject keeps its keys sorted, so the compact form is canonical.
    return QCryptographicHash::hash(QJsonDocument(json).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256)
            .toHex();
}

// JSON numbers are doubles: 64-bit values (sizes beyond 2^53, CRCs) travel as strings.
QString int64ToJson(qint64 v)
{
    return QString::number(v);
}

bool int64FromJson(const QJsonValue &v, qint64 *out)
{
    bool ok = false;
    const qint64 n = v.toString().toLongLong(&ok);
    if (!ok || n < 0)
        return false;
    *out = n;
    return true;
}

bool uint64FromJson(const QJsonValue &v, quint64 *out)
{
    bool ok = false;
    const quint64 n = v.toString().toULongLong(&ok);
    if (!ok)
        return false;
    *out = n;
    return true;
}

void writeIdentity(QJsonObject &o, const char *type, const QString &endpoint, const QString &bucket,
                   const QString &key, const QDateTime &created)
{
    o.insert(u"version"_s, CheckpointStore::FormatVersion);
    o.insert(u"type"_s, QString::fromLatin1(type));
    o.insert(u"endpoint"_s, endpoint);
    o.insert(u"bucket"_s, bucket);
    o.insert(u"key"_s, key);
    o.insert(u"created"_s,
             (created.isValid() ? created : QDateTime::currentDateTimeUtc())
                     .toUTC()
                     .toString(Qt::ISODateWithMs));
}

Error readIdentity(const QJsonObject &o, const char *type, QString *endpoint, QString *bucket,
                   QString *key, QDateTime *created)
{
    if (o.value(u"type"_s).toString() != QLatin1StringView(type))
        return parseError(u"not a %1 checkpoint"_s.arg(QLatin1StringView(type)));
    *endpoint = o.value(u"endpoint"_s).toString();
    *bucket = o.value(u"bucket"_s).toString();
    *key = o.value(u"key"_s).toString();
    *created = QDateTime::fromString(o.value(u"created"_s).toString(), Qt::ISODateWithMs);
    if (endpoint->isEmpty() || bucket->isEmpty() || key->isEmpty())
        return parseError(u"endpoint, bucket or key missing"_s);
    return {};
}

} // namespace

// --- ByteRanges -------------------------------------------------------------------------------

void ByteRanges::add(qint64 first, qint64 end)
{
    if (end <= first)
        return;
    m_ranges.append({first, end});
    std::sort(m_ranges.begin(), m_ranges.end());
    QList<std::pair<qint64, qint64>> merged;
    for (const auto &r : std::as_const(m_ranges)) {
        if (!merged.isEmpty() && r.first <= merged.last().second)
            merged.last().second = qMax(merged.last().second, r.second);
        else
            merged.append(r);
    }
    m_ranges = merged;
}

qint64 ByteRanges::covered() const
{
    qint64 n = 0;
    for (const auto &r : m_ranges)
        n += r.second - r.first;
    return n;
}

bool ByteRanges::covers(qint64 size) const
{
    if (size <= 0)
        return true;
    return m_ranges.size() == 1 && m_ranges.first().first <= 0 && m_ranges.first().second >= size;
}

QList<std::pair<qint64, qint64>> ByteRanges::missing(qint64 size) const
{
    QList<std::pair<qint64, qint64>> gaps;
    qint64 at = 0;
    for (const auto &r : m_ranges) {
        if (r.first >= size)
            break;
        if (r.first > at)
            gaps.append({at, r.first});
        at = qMax(at, r.second);
    }
    if (at < size)
        gaps.append({at, size});
    return gaps;
}

// --- UploadCheckpoint -------------------------------------------------------------------------

QJsonObject UploadCheckpoint::toJson() const
{
    QJsonObject o;
    writeIdentity(o, "upload", endpoint, bucket, key, created);
    o.insert(u"uploadId"_s, uploadId);
    o.insert(u"sourcePath"_s, sourcePath);
    o.insert(u"size"_s, int64ToJson(size));
    o.insert(u"mtimeMs"_s, int64ToJson(mtimeMs));
    o.insert(u"partSize"_s, int64ToJson(partSize));
    QJsonArray list;
    for (const CheckpointPart &p : parts) {
        list.append(QJsonObject {
                {u"n"_s, p.number},
                {u"size"_s, int64ToJson(p.size)},
                {u"etag"_s, p.etag},
                {u"md5"_s, QString::fromLatin1(p.md5.toHex())},
                {u"crc64"_s, QString::number(p.crc64)},
        });
    }
    o.insert(u"parts"_s, list);
    return o;
}

Error UploadCheckpoint::fromJson(const QJsonObject &o, UploadCheckpoint *out)
{
    UploadCheckpoint c;
    if (Error e = readIdentity(o, "upload", &c.endpoint, &c.bucket, &c.key, &c.created))
        return e;
    c.uploadId = o.value(u"uploadId"_s).toString();
    c.sourcePath = o.value(u"sourcePath"_s).toString();
    if (c.uploadId.isEmpty() || c.sourcePath.isEmpty())
        return parseError(u"uploadId or sourcePath missing"_s);
    if (!int64FromJson(o.value(u"size"_s), &c.size)
        || !int64FromJson(o.value(u"mtimeMs"_s), &c.mtimeMs)
        || !int64FromJson(o.value(u"partSize"_s), &c.partSize) || c.partSize <= 0)
        return parseError(u"size, mtimeMs or partSize invalid"_s);
    const QJsonArray list = o.value(u"parts"_s).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject po = v.toObject();
        CheckpointPart p;
        p.number = po.value(u"n"_s).toInt();
        p.etag = po.value(u"etag"_s).toString();
        p.md5 = QByteArray::fromHex(po.value(u"md5"_s).toString().toLatin1());
        if (p.number < 1 || p.number > 10000 || p.etag.isEmpty() || p.md5.size() != 16
            || !int64FromJson(po.value(u"size"_s), &p.size)
            || !uint64FromJson(po.value(u"crc64"_s), &p.crc64) || c.parts.contains(p.number))
            return parseError(u"part entry %1 invalid"_s.arg(c.parts.size()));
        c.parts.insert(p.number, p);
    }
    *out = c;
    return {};
}

// --- DownloadCheckpoint -----------------------------------------------------------------------

QJsonObject DownloadCheckpoint::toJson() const
{
    QJsonObject o;
    writeIdentity(o, "download", endpoint, bucket, key, created);
    o.insert(u"targetPath"_s, targetPath);
    o.insert(u"etag"_s, etag);
    o.insert(u"size"_s, int64ToJson(size));
    o.insert(u"crc64"_s, crc64);
    QJsonArray list;
    for (const auto &r : done.intervals())
        list.append(QJsonArray {int64ToJson(r.first), int64ToJson(r.second)});
    o.insert(u"done"_s, list);
    return o;
}

Error DownloadCheckpoint::fromJson(const QJsonObject &o, DownloadCheckpoint *out)
{
    DownloadCheckpoint c;
    if (Error e = readIdentity(o, "download", &c.endpoint, &c.bucket, &c.key, &c.created))
        return e;
    c.targetPath = o.value(u"targetPath"_s).toString();
    c.etag = o.value(u"etag"_s).toString();
    c.crc64 = o.value(u"crc64"_s).toString();
    if (c.targetPath.isEmpty())
        return parseError(u"targetPath missing"_s);
    if (!int64FromJson(o.value(u"size"_s), &c.size))
        return parseError(u"size invalid"_s);
    const QJsonArray list = o.value(u"done"_s).toArray();
    for (const QJsonValue &v : list) {
        const QJsonArray pair = v.toArray();
        qint64 first = 0, end = 0;
        if (pair.size() != 2 || !int64FromJson(pair.at(0), &first)
            || !int64FromJson(pair.at(1), &end) || end < first || end > c.size)
            return parseError(u"done range invalid"_s);
        c.done.add(first, end);
    }
    *out = c;
    return {};
}

// --- CheckpointStore --------------------------------------------------------------------------

CheckpointStore::CheckpointStore(const QString &directory)
    : m_directory(directory.isEmpty() ? defaultDirectory() : directory)
{ }

QString CheckpointStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/checkpoints"_s;
}

QString CheckpointStore::fileFor(const char *kind, const QString &endpoint, const QString &bucket,
                                 const QString &key, const QString &localPath) const
{
    // Newlines cannot occur in any of the four, so the joined form is unambiguous.
    const QByteArray id = (endpoint + u'\n' + bucket + u'\n' + key + u'\n'
                           + QFileInfo(localPath).absoluteFilePath())
                                  .toUtf8();
    const QByteArray hash = QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex();
    return m_directory + u'/' + QString::fromLatin1(hash.left(40)) + u'.' + QLatin1StringView(kind)
            + u".json"_s;
}

QString CheckpointStore::uploadFile(const QString &endpoint, const QString &bucket,
                                    const QString &key, const QString &sourcePath) const
{
    return fileFor("upload", endpoint, bucket, key, sourcePath);
}

QString CheckpointStore::downloadFile(const QString &endpoint, const QString &bucket,
                                      const QString &key, const QString &targetPath) const
{
    return fileFor("download", endpoint, bucket, key, targetPath);
}

Error CheckpointStore::writeJson(const QString &path, QJsonObject json)
{
    json.insert(u"check"_s, QString::fromLatin1(selfCheck(json)));
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error(Error::Kind::Io,
                     u"Cannot create the checkpoint folder %1"_s.arg(
                             QFileInfo(path).absolutePath()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error(Error::Kind::Io,
                     u"Cannot write checkpoint %1: %2"_s.arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error(Error::Kind::Io,
                     u"Cannot write checkpoint %1: %2"_s.arg(path, file.errorString()));
    return {};
}

Error CheckpointStore::readJson(const QString &path, QJsonObject *json)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     u"Cannot read checkpoint %1: %2"_s.arg(path, file.errorString()));
    if (file.size() > kMaxCheckpointBytes)
        return parseError(u"%1 is larger than %2 bytes"_s.arg(path).arg(kMaxCheckpointBytes));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return parseError(u"%1 is not a JSON object (%2)"_s.arg(path, pe.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(u"check"_s).toString().toLatin1() != selfCheck(o))
        return parseError(u"%1 fails its self-check (edited or damaged)"_s.arg(path));
    if (o.value(u"version"_s).toInt() != FormatVersion)
        return parseError(u"%1 has format version %2, expected %3"_s.arg(path)
                                  .arg(o.value(u"version"_s).toInt())
                                  .arg(FormatVersion));
    *json = o;
    return {};
}

Error CheckpointStore::save(const UploadCheckpoint &checkpoint) const
{
    return writeJson(uploadFile(checkpoint.endpoint, checkpoint.bucket, checkpoint.key,
                                checkpoint.sourcePath),
                     checkpoint.toJson());
}

Error CheckpointStore::save(const DownloadCheckpoint &checkpoint) const
{
    return writeJson(downloadFile(checkpoint.endpoint, checkpoint.bucket, checkpoint.key,
                                  checkpoint.targetPath),
                     checkpoint.toJson());
}

namespace {

// Loads the checkpoint at @p path when it passes its self-check and describes this transfer:
// the same endpoint, bucket and key, and in the field @p local the same local file.
template<typename Checkpoint>
bool loadMatching(const QString &path, const QString &endpoint, const QString &bucket,
                  const QString &key, QString Checkpoint::*local, const QString &localPath,
                  Checkpoint *out, QString *problem)
{
    if (!QFileInfo::exists(path))
        return false;
    QJsonObject json;
    Checkpoint c;
    Error e = CheckpointStore::readJson(path, &json);
    if (!e)
        e = Checkpoint::fromJson(json, &c);
    if (!e
        && (c.endpoint != endpoint || c.bucket != bucket || c.key != key
            || c.*local != QFileInfo(localPath).absoluteFilePath()))
        e = parseError(u"%1 describes another transfer"_s.arg(path));
    if (e) {
        if (problem)
            *problem = e.message();
        return false;
    }
    *out = c;
    return true;
}

} // namespace

bool CheckpointStore::loadUpload(const QString &endpoint, const QString &bucket, const QString &key,
                                 const QString &sourcePath, UploadCheckpoint *out,
                                 QString *problem) const
{
    return loadMatching(uploadFile(endpoint, bucket, key, sourcePath), endpoint, bucket, key,
                        &UploadCheckpoint::sourcePath, sourcePath, out, problem);
}

bool CheckpointStore::loadDownload(const QString &endpoint, const QString &bucket,
                                   const QString &key, const QString &targetPath,
                                   DownloadCheckpoint *out, QString *problem) const
{
    return loadMatching(downloadFile(endpoint, bucket, key, targetPath), endpoint, bucket, key,
                        &DownloadCheckpoint::targetPath, targetPath, out, problem);
}

bool CheckpointStore::removeUpload(const QString &endpoint, const QString &bucket,
                                   const QString &key, const QString &sourcePath) const
{
    return QFile::remove(uploadFile(endpoint, bucket, key, sourcePath));
}

bool CheckpointStore::removeDownload(const QString &endpoint, const QString &bucket,
                                     const QString &key, const QString &targetPath) const
{
    return QFile::remove(downloadFile(endpoint, bucket, key, targetPath));
}

} // namespace Cos
