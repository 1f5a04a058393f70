#include "cos/transfer/batchtransfer.h"

#include "cos/digest/crc64.h"
#include "cos/net/client.h"
#include "cos/protocol/etag.h"
#include "cos/transfer/localwalk.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Cos {

// --- BatchTransfer -----------------------------------------------------------------------------

namespace {

constexpr int ProgressIntervalMs = 200;
constexpr int MaxListPageSize = 1000; // the most S3 and COS return per listing request
constexpr int MaxWalkChunk = 1000000;

qint64 mtimeMs(const QFileInfo &info)
{
    return info.lastModified().toMSecsSinceEpoch();
}

// A key that sorts before @p key, with few keys between: @p key without its last character (a
// proper prefix sorts first; a character above U+FFFF is dropped whole, never half of it).
QString keyJustBefore(const QString &key)
{
    qsizetype n = key.size() - 1;
    if (n > 0 && key.at(n).isLowSurrogate() && key.at(n - 1).isHighSurrogate())
        --n;
    return key.left(std::max<qsizetype>(n, 0));
}

// Errors no request to this bucket with these credentials gets past.
bool failsEveryRequest(const Error &e)
{
    static const QStringList codes {u"NoSuchBucket"_s, u"InvalidBucketName"_s,
                                    u"InvalidAccessKeyId"_s, u"SignatureDoesNotMatch"_s};
    return e.kind() == Error::Kind::Credentials || e.kind() == Error::Kind::InvalidInput
            || e.isCredentialExpiry() || codes.contains(e.code());
}

} // namespace

BatchTransfer::BatchTransfer(Client *client, Direction direction, const QString &localDir,
                             const QString &bucket, const QString &prefix,
                             const BatchOptions &options, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_direction(direction)
    , m_localDir(QDir::cleanPath(localDir))
    , m_bucket(bucket)
    , m_prefix(prefix)
    , m_options(options)
    , m_filter(options.include, options.exclude, &m_filterError)
{
    if (!m_prefix.isEmpty() && !m_prefix.endsWith(u'/'))
        m_prefix += u'/';
    m_options.filesInFlight = std::clamp(m_options.filesInFlight, 1, 256);
    // Without a shared budget, 8 files of 32 MiB had 32 ranges in flight, and RGW spent about
    // 40 % more CPU on the same bytes than with 4 or 8 (docs/benchmarks.md, Folders). An upload's
    // small files go as one PUT each, outside the budget, so its budget caps parts alone, at as
    // many as one large file has: 8 parts in flight cost RGW more CPU than 4. A download's
    // one-GET files take slots too, so its budget leaves room for a wave of them.
    m_requestBudget = std::make_shared<RequestBudget>(
            m_direction == Direction::Upload
                    ? m_options.upload.partsInFlight
                    : std::max(m_options.filesInFlight, m_options.download.rangesInFlight));
    m_options.listPageSize = std::clamp(m_options.listPageSize, 0, MaxListPageSize);
    m_options.walkChunk = std::clamp(m_options.walkChunk, 1, MaxWalkChunk);
    // A download without deletions looks up the local file of each key; everything else walks
    // the local folder alongside the listing.
    m_mergeWalk = m_direction == Direction::Upload || m_options.deleteExtra;
    m_progressTimer.setInterval(ProgressIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        sampleSpeed();
        Q_EMIT progressChanged();
    });
}

BatchTransfer::~BatchTransfer()
{
    for (Active *a : std::as_const(m_active)) {
        delete a->guard;
        delete a->task;
        delete a->job;
        delete a;
    }
}

BatchProgress BatchTransfer::progress() const
{
    BatchProgress p = m_progress;
    p.bytesDone = m_bytesFinished;
    p.bytesResumed = m_bytesResumedFinished;
    for (const Active *a : m_active) {
        if (a->task) {
            p.bytesDone += std::max<qint64>(0, a->task->progress().bytesDone);
            p.bytesResumed += a->task->bytesResumed();
        }
    }
    p.walkDone = !walkPending() && !m_listing;
    if (p.walkDone && p.bytesPerSecond > 0)
        p.etaSeconds = qint64((p.bytesTotal - p.bytesDone) / p.bytesPerSecond);
    return p;
}

void BatchTransfer::sampleSpeed()
{
    const qint64 now = m_clock.elapsed();
    // Only bytes moved in this run: a resumed file's parts count as done at once, and would
    // show as a burst of speed and too short an ETA.
    const BatchProgress p = progress();
    const qint64 bytes = p.bytesDone - p.bytesResumed;
    const qint64 dt = now - m_speedLastMs;
    if (dt <= 0)
        return;
    const double rate = std::max(0.0, double(bytes - m_speedLastBytes) * 1000.0 / double(dt));
    // Exponential smoothing over roughly the last two seconds.
    m_progress.bytesPerSecond = m_progress.bytesPerSecond <= 0
            ? rate
            : m_progress.bytesPerSecond * 0.9 + rate * 0.1;
    m_speedLastBytes = bytes;
    m_speedLastMs = now;
}

void BatchTransfer::doStart()
{
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    if (m_filterError) {
        finish(m_filterError);
        return;
    }
    if (Error e = m_client->endpoint().validateBucket(m_bucket)) {
        finish(e);
        return;
    }
    const QFileInfo root(m_localDir);
    if (m_direction == Direction::Upload) {
        if (!root.exists()) {
            finish(Error(Error::Kind::InvalidInput, u"%1: no such folder"_s.arg(m_localDir)));
            return;
        }
        if (!root.isDir()) {
            finish(Error(Error::Kind::InvalidInput, u"%1 is not a folder"_s.arg(m_localDir)));
            return;
        }
    } else if (root.exists() && !root.isDir()) {
        finish(Error(Error::Kind::InvalidInput, u"%1 is not a folder"_s.arg(m_localDir)));
        return;
    }
    m_clock.start();
    m_progressTimer.start();
    m_roots.clear();
    for (const QString &entry : std::as_const(m_options.only)) {
        const QString name = entry.endsWith(u'/') ? entry.chopped(1) : entry;
        if (name.contains(u'/') || !isSafeRelativePath(name)) {
            const Error e(Error::Kind::InvalidInput,
                          u"%1 is not a file or folder name"_s.arg(entry));
            reportFound(entry, Action::Failed, e.message(), e);
            continue;
        }
        if (!m_roots.contains(entry))
            m_roots.append(entry);
    }
    if (m_options.only.isEmpty())
        m_roots.append(QString());
    m_rootIndex = -1;
    nextRoot();
    pump();
}

void BatchTransfer::doAbort()
{
    m_progressTimer.stop();
    stopListing();
    for (Active *a : std::as_const(m_active)) {
        delete a->guard;
        a->guard = nullptr;
        if (a->task) {
            disconnect(a->task, nullptr, this, nullptr);
            // Pausing keeps a multipart checkpoint, so a rerun resumes this file.
            a->task->pause();
            a->task->deleteLater();
        }
        if (a->job) {
            disconnect(a->job, nullptr, this, nullptr);
            a->job->abort();
            a->job->deleteLater();
        }
        delete a;
    }
    m_active.clear();
    m_planned.clear();
    m_deleteKeys.clear();
    m_rootIndex = m_roots.size();
    m_walk.reset();
    m_remote.clear();
    m_remotePos = 0;
    m_remoteDone = true;
}

void BatchTransfer::stopListing()
{
    if (m_listing) {
        disconnect(m_listing, nullptr, this, nullptr);
        m_listing->abort();
        m_listing->deleteLater();
        m_listing = nullptr;
    }
}

bool BatchTransfer::listsOnlyLocalPaths() const
{
    return m_direction == Direction::Upload && !m_options.deleteExtra;
}

QString BatchTransfer::localPathFor(const QString &path) const
{
    return m_localDir + u'/' + path;
}

bool BatchTransfer::isSafeRelativePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(u'/'))
        return false;
    const QStringList segments = path.split(u'/');
    return std::none_of(segments.cbegin(), segments.cend(), [](const QString &s) {
        return s.isEmpty() || s == "."_L1 || s == ".."_L1 || s.contains(QChar(0));
    });
}

int BatchTransfer::pageSize() const
{
    return m_options.listPageSize > 0 ? m_options.listPageSize : MaxListPageSize;
}

bool BatchTransfer::walkPending() const
{
    return m_rootIndex < m_roots.size();
}

const QString &BatchTransfer::currentRoot() const
{
    static const QString none;
    return walkPending() ? m_roots.at(m_rootIndex) : none;
}

void BatchTransfer::nextRoot()
{
    m_walk.reset();
    m_remote.clear();
    m_remotePos = 0;
    m_marker.clear();
    m_lastKey = QString();
    m_sourceSeen = false;
    m_listFailed = false;
    m_protect.clear();
    m_hasProtect = false;
    ++m_rootIndex;
    m_remoteDone = !walkPending();
    if (walkPending() && m_mergeWalk)
        m_walk = std::make_unique<LocalWalk>(m_localDir, currentRoot(), m_options.walkChunk,
                                             m_options.followSymlinks);
}

void BatchTransfer::pump()
{
    if (isFinished())
        return;
    planAhead();
    if (isFinished())
        return;
    while (m_active.size() < m_options.filesInFlight && !m_planned.isEmpty()) {
        auto *a = new Active;
        a->item = m_planned.takeFirst();
        m_active.append(a);
        startItem(a);
        if (isFinished())
            return;
        planAhead();
        if (isFinished())
            return;
    }
    if (m_active.isEmpty() && m_planned.isEmpty() && !walkPending() && !m_listing) {
        m_progressTimer.stop();
        sampleSpeed();
        Q_EMIT progressChanged();
        if (m_progress.filesFailed > 0) {
            const QString path = m_failures.isEmpty() ? QString() : m_failures.constFirst().path;
            Error e(m_firstError.kind() == Error::Kind::None ? Error::Kind::Io : m_firstError.kind(),
                    u"%1 of %2 files failed; the first: %3%4"_s.arg(m_progress.filesFailed)
                            .arg(m_progress.filesSeen)
                            .arg(path.isEmpty() ? QString() : path + u": "_s,
                                 m_firstError.toString()));
            e.setHttpStatus(m_firstError.httpStatus()).setCode(m_firstError.code());
            finish(e);
        } else {
            finish();
        }
    }
}

void BatchTransfer::planAhead()
{
    const bool upload = m_direction == Direction::Upload;
    const qsizetype ahead = 2 * m_options.filesInFlight;
    while (!isFinished() && walkPending() && m_planned.size() < ahead) {
        const LocalEntry *local = m_walk ? m_walk->peek() : nullptr;
        if (!local && listsOnlyLocalPaths()) {
            // The walk is over and nothing is deleted: no key left in the listing matters.
            stopListing();
            m_remote.clear();
            m_remotePos = 0;
            m_remoteDone = true;
        }
        const ObjectInfo *remote = nullptr;
        if (m_remotePos < m_remote.size())
            remote = &m_remote.at(m_remotePos);
        else if (!m_remoteDone)
            break; // the next page is on its way
        if (!remote && !local) {
            flushDeletes();
            nextRoot();
            continue;
        }
        const QString remoteRel = remote ? remote->key.mid(m_prefix.size()) : QString();
        const QString &root = currentRoot();
        if (remote && !root.isEmpty() && !root.endsWith(u'/') && remoteRel != root) {
            ++m_remotePos; // a file root ("a.txt") lists "a.txt.bak" too
            continue;
        }
        // The source's first entry makes it non-empty before any deletion is decided.
        if (upload ? local != nullptr : remote != nullptr)
            m_sourceSeen = true;
        const int order = !remote ? 1
                : !local          ? -1
                                  : LocalWalk::compareKeys(remoteRel, local->path);
        std::optional<ObjectInfo> r;
        std::optional<LocalEntry> l;
        if (order <= 0)
            r = m_remote.at(m_remotePos++);
        if (order >= 0) {
            l = *local;
            m_walk->advance();
        }
        merge(r ? &*r : nullptr, remoteRel, l ? &*l : nullptr);
    }
    updatePeak();
    // Ask for the next page while a page of listed keys still waits, to hide its latency.
    if (!isFinished() && !m_listing && !m_remoteDone && m_remote.size() - m_remotePos < pageSize())
        listNextPage();
}

void BatchTransfer::updatePeak()
{
    qint64 held = m_deleteKeys.size() + (m_remote.size() - m_remotePos)
            + (m_walk ? m_walk->entriesHeld() : 0);
    for (const Item &item : std::as_const(m_planned))
        held += item.kind == ItemKind::Transfer ? 1 : item.keys.size();
    m_peakEntries = std::max(m_peakEntries, held);
    m_peakPlanned = std::max<qint64>(m_peakPlanned, m_planned.size());
}

void BatchTransfer::merge(const ObjectInfo *remote, const QString &remoteRel,
                          const LocalEntry *local)
{
    const bool upload = m_direction == Direction::Upload;
    // The prefix's own marker and folder markers ("a/b/") are not files.
    if (remote && (remoteRel.isEmpty() || remoteRel.endsWith(u'/')))
        remote = nullptr;
    if (local && local->type == LocalEntry::Type::Unreadable) {
        const Error e(Error::Kind::Io, local->error);
        reportFound(local->path.isEmpty() ? u"."_s : local->path, Action::Failed, e.message(), e);
        // What the destination has under a folder that cannot be read is not deleted.
        m_protect = local->path;
        m_hasProtect = true;
        local = nullptr;
    }
    if (upload) {
        if (local && local->type != LocalEntry::Type::File) {
            if (m_filter.selects(local->path))
                reportFound(local->path, Action::Skipped,
                            local->type == LocalEntry::Type::Symlink
                                    ? u"symbolic link not followed"_s
                                    : u"not a regular file"_s);
            local = nullptr;
        }
        if (local) {
            if (!m_filter.selects(local->path))
                return;
            Item item;
            item.path = local->path;
            item.size = local->size;
            if (remote) {
                item.destExists = true;
                item.destSize = remote->size;
                item.destEtag = remote->etag;
            }
            planItem(item);
            return;
        }
        if (remote && m_options.deleteExtra && m_filter.selects(remoteRel)
            && !(m_hasProtect && remoteRel.startsWith(m_protect)))
            addDeletion(remote->key);
        return;
    }
    if (remote) {
        Item item;
        if (!downloadItem(*remote, remoteRel, &item))
            return;
        if (m_walk) {
            item.destExists = local && local->type == LocalEntry::Type::File;
            item.destSize = item.destExists ? local->size : -1;
        } else {
            // As in the walk, a local symbolic link is not followed: it is replaced.
            const QFileInfo info(localPathFor(remoteRel));
            if (!info.isSymLink() && info.isFile()) {
                item.destExists = true;
                item.destSize = info.size();
            }
        }
        planItem(item);
        return;
    }
    // Only here: a local file the prefix does not have. A ".part" file is a download in
    // progress (or one to resume), never an extra file.
    if (local && local->type == LocalEntry::Type::File && m_options.deleteExtra
        && m_filter.selects(local->path) && !local->path.endsWith(".part"_L1))
        addDeletion(local->path);
}

void BatchTransfer::planItem(const Item &item)
{
    ++m_progress.filesSeen;
    m_planned.append(item);
}

void BatchTransfer::addDeletion(const QString &keyOrPath)
{
    if (m_listFailed)
        return; // what the source has is not known: delete nothing
    if (!m_sourceSeen) {
        // A mistyped source with --delete would empty the destination: refuse an empty source.
        const bool upload = m_direction == Direction::Upload;
        m_progressTimer.stop();
        finish(Error(Error::Kind::InvalidInput,
                     u"the source %1 is empty: nothing is deleted from the destination (to "
                     "empty it, delete it instead)"_s.arg(upload ? localPathFor(currentRoot())
                                                                 : m_bucket + u'/' + m_prefix
                                                                          + currentRoot())));
        return;
    }
    m_deleteKeys.append(keyOrPath);
    if (m_deleteKeys.size() >= pageSize())
        flushDeletes();
}

void BatchTransfer::flushDeletes()
{
    if (m_deleteKeys.isEmpty())
        return;
    Item del;
    del.kind = m_direction == Direction::Upload ? ItemKind::DeleteRemote : ItemKind::DeleteLocal;
    del.keys = std::exchange(m_deleteKeys, {});
    m_progress.filesSeen += del.keys.size();
    m_planned.append(del);
}

void BatchTransfer::listNextPage()
{
    ListObjectsParams params;
    params.prefix = m_prefix + currentRoot();
    params.marker = m_marker;
    // Without deletions only keys of local files matter, and the walk gives them in order: the
    // page may start just before the next local file's key instead. Decided when the request
    // is sent, so a page asked for ahead never skips a key a later local file needs.
    if (listsOnlyLocalPaths() && m_walk) {
        if (const LocalEntry *next = m_walk->peek()) {
            const QString before = keyJustBefore(keyFor(next->path));
            if (LocalWalk::compareKeys(before, params.marker) > 0
                && LocalWalk::compareKeys(before, params.prefix) > 0)
                params.marker = before;
        }
    }
    m_marker = params.marker; // "no new marker" below is checked against this request's
    params.maxKeys = m_options.listPageSize;
    auto *job = new ListObjectsJob(m_client, m_bucket, params, 1, this);
    m_listing = job;
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        m_listing = nullptr;
        if (isFinished())
            return;
        if (job->error()) {
            m_remoteDone = true;
            m_listFailed = true;
            const Error &e = job->error();
            // Uploads go on without the listing (a key may allow PUT but not List); a download
            // with nothing listed, or an error every request to the bucket meets, ends the batch
            // once instead of failing each file.
            if (failsEveryRequest(e)
                || (m_direction == Direction::Download && m_progress.filesSeen == 0)) {
                m_progressTimer.stop();
                finish(listingError(e));
                return;
            }
            reportListingFailure(e);
        } else {
            const ListObjectsResult &page = job->result();
            // Without a delimiter S3 may leave NextMarker out: the last key is the marker then.
            QString next = page.nextMarker;
            if (next.isEmpty() && !page.objects.isEmpty())
                next = page.objects.constLast().key;
            if (!page.isTruncated) {
                m_remoteDone = true;
            } else if (next.isEmpty() || next == m_marker) {
                m_remoteDone = true;
                m_listFailed = true;
                const Error e(Error::Kind::Parse,
                              u"The listing is truncated but has no new marker"_s);
                reportListingFailure(e);
            }
            m_marker = next;
            m_remote.remove(0, m_remotePos);
            m_remotePos = 0;
            // The merge relies on the listing's order: keys out of order end the listing.
            for (const ObjectInfo &o : page.objects) {
                if (!m_lastKey.isNull() && LocalWalk::compareKeys(m_lastKey, o.key) >= 0) {
                    m_remoteDone = true;
                    m_listFailed = true;
                    const Error e(Error::Kind::Parse,
                                  u"The listing is not in key order (%1 after %2)"_s.arg(o.key,
                                                                                         m_lastKey));
                    reportListingFailure(e);
                    break;
                }
                m_lastKey = o.key;
                m_remote.append(o);
            }
            updatePeak();
        }
        pump();
    });
    job->start();
}

bool BatchTransfer::downloadItem(const ObjectInfo &object, const QString &rel, Item *item)
{
    if (!m_filter.selects(rel))
        return false;
    if (!isSafeRelativePath(rel)) {
        const Error e(Error::Kind::InvalidInput,
                      u"the key %1 is not a safe relative file name"_s.arg(object.key));
        reportFound(rel, Action::Failed, e.message(), e);
        return false;
    }
    item->path = rel;
    item->size = object.size;
    item->destEtag = object.etag;
    return true;
}

void BatchTransfer::startItem(Active *a)
{
    Item &item = a->item;
    if (item.kind == ItemKind::DeleteLocal) {
        for (const QString &path : std::as_const(item.keys)) {
            FileResult r;
            r.path = path;
            r.action = Action::Deleted;
            r.dryRun = m_options.dryRun;
            if (!m_options.dryRun) {
                QFile file(localPathFor(path));
                if (!file.remove()) {
                    r.action = Action::Failed;
                    r.error = Error(Error::Kind::Io,
                                    u"cannot delete %1: %2"_s.arg(file.fileName(),
                                                                  file.errorString()));
                    r.reason = r.error.message();
                }
            }
            report(r);
        }
        completeItem(a, Action::Deleted, u"batch"_s);
        return;
    }
    if (item.kind == ItemKind::DeleteRemote) {
        auto reportAll = [this](const QStringList &keys, Action action, const Error &error) {
            for (const QString &key : keys) {
                FileResult r;
                r.path = key.mid(m_prefix.size());
                r.action = action;
                r.error = error;
                r.reason = error ? error.toString() : QString();
                r.dryRun = m_options.dryRun;
                report(r);
            }
        };
        if (m_options.dryRun) {
            reportAll(item.keys, Action::Deleted, {});
            completeItem(a, Action::Deleted, u"batch"_s);
            return;
        }
        auto *job = new DeleteObjectsJob(m_client, m_bucket, item.keys, this);
        a->job = job;
        connect(job, &Job::finished, this, [this, a, job, reportAll] {
            job->deleteLater();
            if (isFinished())
                return;
            QStringList gone = a->item.keys;
            if (job->error()) {
                reportAll(gone, Action::Failed, job->error());
            } else {
                for (const DeleteFailure &f : job->failures()) {
                    gone.removeOne(f.key);
                    reportAll({f.key}, Action::Failed,
                              Error::service(403, f.code, f.message).setRetryable(false));
                }
                reportAll(gone, Action::Deleted, {});
            }
            completeItem(a, Action::Deleted, u"batch"_s);
        });
        job->start();
        return;
    }
    if (item.destExists && item.destSize == item.size && !m_options.force) {
        compareContent(a);
        return;
    }
    if (m_options.dryRun) {
        completeItem(a, Action::Transferred, item.destExists ? u"differs"_s : u"new"_s);
        return;
    }
    startTransfer(a);
}

QList<qint64> BatchTransfer::candidatePartSizes(qint64 size, int parts) const
{
    // Part sizes that give @p parts parts: this batch's own, the table's (ours, by default),
    // and the common defaults of other tools (awscli 8 MiB, rclone and others 5 MiB).
    QList<qint64> sizes {m_options.upload.partSize, 5 * PartPlan::MiB, 8 * PartPlan::MiB};
    sizes += PartPlan::partSizeTable();
    QList<qint64> out;
    for (const qint64 p : std::as_const(sizes)) {
        if (p > 0 && !out.contains(p) && (size + p - 1) / p == parts
            && PartPlan::withPartSize(size, p).isValid())
            out.append(p);
        if (out.size() == MaxCandidatePartSizes)
            break;
    }
    return out;
}

void BatchTransfer::compareContent(Active *a)
{
    const QString etag = a->item.destEtag.toLower();
    const qint64 size = a->item.size;
    static const QRegularExpression multipartEtag(u"^[0-9a-f]{32}-(\\d+)$"_s);
    const auto m = multipartEtag.match(etag);
    // Window 0 is the whole file (plain MD5, CRC64); then the parts of each candidate part
    // size, whose MD5s give a multipart ETag "MD5(part MD5s)-N".
    QList<FileWindow> windows {{0, size}};
    QList<int> partCounts;
    if (m.hasMatch()) {
        const int parts = m.captured(1).toInt();
        for (const qint64 partSize : candidatePartSizes(size, parts)) {
            windows += PartPlan::withPartSize(size, partSize).windows();
            partCounts.append(parts);
        }
    }
    a->guard = new QObject(this);
    digestFileWindowsAsync(localPathFor(a->item.path), windows, a->guard,
                           [this, a, etag, partCounts](const QList<WindowDigest> &ds) {
                               delete a->guard;
                               a->guard = nullptr;
                               if (isFinished())
                                   return;
                               for (const WindowDigest &d : ds) {
                                   if (d.ok())
                                       continue;
                                   // An unreadable destination is simply replaced; an unreadable source fails.
                                   if (m_direction == Direction::Download)
                                       startTransfer(a);
                                   else
                                       completeItem(a, Action::Failed, d.error.message(), d.error);
                                   return;
                               }
                               int verdict = -1; // -1 unknown, 0 differs, 1 same
                               if (Etag::isHexMd5(etag)) {
                                   verdict = QString::fromLatin1(ds.constFirst().md5.toHex())
                                                   == etag
                                           ? 1
                                           : 0;
                               } else {
                                   qsizetype next = 1;
                                   for (const int parts : partCounts) {
                                       QCryptographicHash md5s(QCryptographicHash::Md5);
                                       for (int i = 0; i < parts; ++i)
                                           md5s.addData(ds.at(next++).md5);
                                       if (QString::fromLatin1(md5s.result().toHex()) + u'-'
                                                   + QString::number(parts)
                                           == etag)
                                           verdict = 1;
                                   }
                               }
                               auto decide = [this, a](bool same) {
                                   if (same)
                                       completeItem(a, Action::Skipped, u"same size and checksum"_s);
                                   else if (m_options.dryRun)
                                       completeItem(a, Action::Transferred, u"differs"_s);
                                   else
                                       startTransfer(a);
                               };
                               if (verdict >= 0 || m_client->endpoint().dialect != Dialect::Cos) {
                                   decide(verdict == 1);
                                   return;
                               }
                               // COS: the ETag cannot decide, the CRC64 of the whole object can.
                               const quint64 crc = ds.constFirst().crc64;
                               auto *head = m_client->headObject(m_bucket, keyFor(a->item.path), {},
                                                                 this);
                               a->job = head;
                               connect(head, &Job::finished, this, [this, a, head, crc, decide] {
                                   head->deleteLater();
                                   if (isFinished())
                                       return;
                                   const QString remote = head->error() ? QString()
                                                                        : head->metadata().crc64;
                                   decide(!remote.isEmpty()
                                          && remote == QString::fromLatin1(Crc64::toDecimal(crc)));
                               });
                               head->start();
                           });
}

void BatchTransfer::startTransfer(Active *a)
{
    const QString local = localPathFor(a->item.path);
    const QString key = keyFor(a->item.path);
    TransferTask *task = nullptr;
    if (m_direction == Direction::Upload) {
        const QFileInfo info(local);
        a->mtimeBefore = mtimeMs(info);
        a->item.size = info.size();
        task = new UploadTask(m_client, local, m_bucket, key, m_options.upload, this);
    } else {
        // Keys come in listing order, so a folder's files follow each other: make each folder
        // once, not once per file.
        const qsizetype slash = a->item.path.lastIndexOf(u'/');
        const QString parent = slash < 0 ? m_localDir : localPathFor(a->item.path.left(slash));
        if (parent != m_madeFolder) {
            if (!QDir().mkpath(parent)) {
                completeItem(a, Action::Failed, {},
                             Error(Error::Kind::Io, u"cannot create the folder %1"_s.arg(parent)));
                return;
            }
            m_madeFolder = parent;
        }
        if (QFileInfo(local).isDir()) {
            completeItem(a, Action::Failed, {},
                         Error(Error::Kind::Io, u"%1 is a folder"_s.arg(local)));
            return;
        }
        DownloadOptions options = m_options.download;
        // A file fetched with one GET gains nothing from a checkpoint (a rerun fetches it again
        // as fast), and each checkpoint is a synced write: none for those.
        if (a->item.size < options.parallelThreshold)
            options.resume = false;
        auto *download = new DownloadTask(m_client, m_bucket, key, local, options, this);
        // The listing gave size and ETag: no HEAD per file (plain-MD5 ETags only, see there).
        download->setKnownObject(a->item.size, a->item.destEtag);
        task = download;
    }
    if (!a->resent)
        m_progress.bytesTotal += a->item.size;
    a->task = task;
    task->setRequestBudget(m_requestBudget);
    connect(task, &TransferTask::finished, this, [this, a] { onTaskFinished(a); });
    task->start();
}

void BatchTransfer::onTaskFinished(Active *a)
{
    TransferTask *task = a->task;
    if (!task || isFinished())
        return;
    const TransferTask::State state = task->state();
    if (state == TransferTask::State::Canceled)
        return;
    if (state == TransferTask::State::Failed) {
        completeItem(a, Action::Failed, task->error().toString(), task->error());
        return;
    }
    if (m_direction == Direction::Upload) {
        const QFileInfo after(localPathFor(a->item.path));
        if (after.size() != a->item.size || mtimeMs(after) != a->mtimeBefore) {
            if (!a->resent) {
                // The object may hold a mix of old and new bytes: send the file again.
                a->resent = true;
                disconnect(task, nullptr, this, nullptr);
                task->deleteLater();
                a->task = nullptr;
                m_progress.bytesTotal += after.size() - a->item.size;
                startTransfer(a);
                return;
            }
            completeItem(a, Action::Failed, {},
                         Error(Error::Kind::Integrity,
                               u"%1 changed while it was uploaded (twice); the object may not "
                               "match the file"_s.arg(localPathFor(a->item.path))));
            return;
        }
    }
    completeItem(a, Action::Transferred, a->resent ? u"sent again: it changed"_s : QString());
}

void BatchTransfer::completeItem(Active *a, Action action, const QString &reason, const Error &error)
{
    if (a->task) {
        disconnect(a->task, nullptr, this, nullptr);
        if (action == Action::Transferred) {
            m_bytesFinished += a->item.size;
            m_bytesResumedFinished += a->task->bytesResumed();
        } else {
            m_progress.bytesTotal -= a->item.size; // a failed file leaves the byte total
        }
        a->task->deleteLater();
    } else if (action == Action::Transferred && m_options.dryRun) {
        m_progress.bytesTotal += a->item.size;
        m_bytesFinished += a->item.size;
    }
    delete a->guard;
    if (a->item.kind == ItemKind::Transfer) {
        FileResult r;
        r.path = a->item.path;
        r.action = action;
        r.size = a->item.size;
        r.reason = reason;
        r.error = error;
        r.dryRun = m_options.dryRun;
        report(r);
    }
    m_active.removeOne(a);
    delete a;
    // Asynchronous completions refill the window here; synchronous ones return to pump()'s loop.
    QMetaObject::invokeMethod(this, &BatchTransfer::pump, Qt::QueuedConnection);
}

Error BatchTransfer::listingError(const Error &cause) const
{
    QString what = u"cannot list %1/%2"_s.arg(m_bucket, m_prefix + currentRoot());
    if (!cause.message().isEmpty())
        what += u": "_s + cause.message();
    Error e(cause.kind(), what);
    e.setHttpStatus(cause.httpStatus()).setCode(cause.code()).setRequestId(cause.requestId());
    return e;
}

void BatchTransfer::reportListingFailure(const Error &cause)
{
    const Error error = listingError(cause);
    reportFound(QString(), Action::Failed, error.message(), error);
}

void BatchTransfer::reportFound(const QString &path, Action action, const QString &reason,
                                const Error &error)
{
    FileResult r;
    r.path = path;
    r.action = action;
    r.reason = reason;
    r.error = error;
    r.dryRun = m_options.dryRun && action != Action::Failed;
    ++m_progress.filesSeen;
    report(r);
}

void BatchTransfer::report(const FileResult &result)
{
    ++m_progress.filesDone;
    switch (result.action) {
    case Action::Transferred:
        ++m_progress.filesTransferred;
        break;
    case Action::Skipped:
        ++m_progress.filesSkipped;
        break;
    case Action::Deleted:
        ++m_progress.filesDeleted;
        break;
    case Action::Failed:
        ++m_progress.filesFailed;
        if (!m_firstError)
            m_firstError = result.error ? result.error : Error(Error::Kind::Io, result.reason);
        if (m_failures.size() < MaxKeptFailures)
            m_failures.append(result);
        break;
    }
    Q_EMIT fileFinished(result);
}

} // namespace Cos
