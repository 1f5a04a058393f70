#include "cos/transfer/downloadtask.h"

#include "cos/net/client.h"
#include "cos/digest/crc64.h"
#include "cos/net/job.h"
#include "cos/protocol/etag.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Cos::TransferUtil;

Q_DECLARE_LOGGING_CATEGORY(lcTransfer)

namespace Cos {

namespace {

constexpr int kSaveIntervalMs = 500;

/**
 * Write-only sink of one range: bytes go to the .part file at first + written, unbuffered, so
 * what the checkpoint records as written is in the file (the page cache), even if we are killed.
 */
class RangeSink : public QIODevice
{
public:
    /** @p create: make the file anew (truncated), not open an existing one. */
    RangeSink(const QString &path, qint64 offset, bool create, QObject *parent)
        : QIODevice(parent)
        , m_file(path)
        , m_offset(offset)
        , m_create(create)
    { }

    bool open(OpenMode mode) override
    {
        const OpenMode fileMode = QIODevice::ReadWrite | QIODevice::Unbuffered
                | (m_create ? QIODevice::Truncate : QIODevice::NotOpen);
        if (!m_file.open(fileMode) || !m_file.seek(m_offset)) {
            setErrorString(u"Cannot open %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
            return false;
        }
        return QIODevice::open(mode | Unbuffered);
    }
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 written() const { return m_written; }
    /** Sees every byte once it is in the file, in order. */
    void setOnWritten(std::function<void(QByteArrayView)> onWritten)
    {
        m_onWritten = std::move(onWritten);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        const qint64 n = m_file.write(data, size);
        if (n != size) {
            setErrorString(u"Cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
            return -1;
        }
        m_written += n;
        if (m_onWritten)
            m_onWritten(QByteArrayView(data, n));
        return n;
    }

private:
    std::function<void(QByteArrayView)> m_onWritten;
    QFile m_file;
    qint64 m_offset;
    bool m_create;
    qint64 m_written = 0;
};

// "bytes 0-99/1234" -> first, last, total; false when malformed.
bool parseContentRange(const QByteArray &header, qint64 *first, qint64 *last, qint64 *total)
{
    static const QRegularExpression re(u"^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"_s);
    const auto m = re.match(QString::fromLatin1(header.trimmed()));
    if (!m.hasMatch())
        return false;
    *first = m.captured(1).toLongLong();
    *last = m.captured(2).toLongLong();
    *total = m.captured(3) == "*"_L1 ? -1 : m.captured(3).toLongLong();
    return true;
}

// rename(2) replaces the target atomically on POSIX; QFile::rename refuses an existing target.
bool replaceFile(const QString &from, const QString &to, QString *why)
{
    if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    // Windows: rename() does not replace; remove first (not atomic, but correct).
    QFile::remove(to);
    if (QFile::rename(from, to))
        return true;
    *why = u"Cannot rename %1 to %2"_s.arg(from, to);
    return false;
}

} // namespace

DownloadTask::DownloadTask(Client *client, const QString &bucket, const QString &key,
                           const QString &localPath, const DownloadOptions &options,
                           QObject *parent)
    : TransferTask(client, bucket, key, QFileInfo(localPath).absoluteFilePath(), parent)
    , m_options(options)
    , m_store(options.checkpointDirectory)
{
    m_options.rangesInFlight = qBound(1, m_options.rangesInFlight, 64);
    m_options.rangeSize = qMax<qint64>(64 * 1024, m_options.rangeSize);
    setRetryPolicy(m_options.stepRetries, m_options.stepRetryBaseMs);
}

DownloadTask::~DownloadTask()
{
    halt();
}

void DownloadTask::run()
{
    const QFileInfo dir(QFileInfo(m_localPath).absolutePath());
    if (!dir.isDir() || !dir.isWritable()) {
        failWith(Error(Error::Kind::Io, u"Cannot write into %1"_s.arg(dir.filePath())));
        return;
    }
    m_stepRetryCount = 0;
    m_pending.clear();
    if (m_known) {
        const ObjectMetadata known = *std::exchange(m_known, std::nullopt);
        prepare(known);
        return;
    }
    head();
}

void DownloadTask::setKnownObject(qint64 size, const QString &etag)
{
    const QString unquoted = Etag::unquoted(etag);
    if (size < 0 || !Etag::isHexMd5(unquoted))
        return;
    ObjectMetadata meta;
    meta.size = size;
    meta.etag = unquoted;
    m_known = meta;
}

void DownloadTask::halt()
{
    // Record what the ranges in flight wrote before dropping them.
    for (Slot *slot : std::as_const(m_slots)) {
        m_checkpoint.done.add(slot->first, slot->first + slot->written);
        dropSlot(slot);
    }
    m_slots.clear();
    delete m_digest;
    m_digest = nullptr;
    m_inline.reset();
    stopSteps();
    if (m_haveCheckpoint)
        saveCheckpoint(true);
}

void DownloadTask::discard()
{
    QFile::remove(partPath());
    if (m_options.resume)
        m_store.removeDownload(identity(), m_bucket, m_key, m_localPath);
    m_haveCheckpoint = false;
    m_checkpoint = DownloadCheckpoint();
    QTimer::singleShot(0, this, [this] { canceled(); });
}

void DownloadTask::head()
{
    HeadObjectJob *job = m_client->headObject(m_bucket, m_key, {}, this);
    runStep(job, [this, job] {
        if (job->error()) {
            if (!retryStep(job->error(), [this] { head(); }))
                failWith(job->error());
            return;
        }
        prepare(job->metadata());
    });
}

void DownloadTask::prepare(const ObjectMetadata &meta)
{
    if (meta.size < 0) {
        failWith(Error(Error::Kind::Parse, u"HEAD %1 gave no Content-Length"_s.arg(m_key)));
        return;
    }
    const QString etag = u'"' + Etag::unquoted(meta.etag) + u'"';
    DownloadCheckpoint cp;
    QString problem;
    bool resumable = false;
    if (m_options.resume) {
        resumable = m_store.loadDownload(identity(), m_bucket, m_key, m_localPath, &cp, &problem);
    } else if (m_haveCheckpoint) {
        cp = m_checkpoint; // pause and resume within this process
        resumable = true;
    }
    if (!problem.isEmpty())
        Q_EMIT message(u"Ignoring a damaged checkpoint: %1"_s.arg(problem));
    if (resumable) {
        const QFileInfo part(partPath());
        if (cp.etag != etag || cp.size != meta.size) {
            Q_EMIT message(u"%1 changed on the server since the download began; starting over"_s.arg(
                    m_key));
            resumable = false;
        } else if (!part.exists() || part.size() != meta.size) {
            Q_EMIT message(u"%1 is missing or has the wrong size; starting over"_s.arg(partPath()));
            resumable = false;
        }
    }
    m_createPart = false;
    if (!resumable && meta.size > 0 && meta.size < m_options.parallelThreshold) {
        // One GET from byte 0: its sink makes the file, one open instead of two per file.
        m_createPart = true;
    } else if (!resumable) {
        QFile part(partPath());
        if (!part.open(QIODevice::WriteOnly | QIODevice::Truncate) || !part.resize(meta.size)) {
            failWith(Error(Error::Kind::Io,
                           u"Cannot create %1 of %2 bytes: %3"_s.arg(partPath())
                                   .arg(meta.size)
                                   .arg(part.errorString())));
            return;
        }
    }
    if (!resumable) {
        cp = DownloadCheckpoint();
        cp.endpoint = identity();
        cp.bucket = m_bucket;
        cp.key = m_key;
        cp.targetPath = m_localPath;
        cp.etag = etag;
        cp.size = meta.size;
        cp.crc64 = meta.crc64;
        cp.created = QDateTime::currentDateTimeUtc();
    } else {
        Q_EMIT message(
                u"Resuming: %1 of %2 bytes already there"_s.arg(cp.done.covered()).arg(cp.size));
    }
    m_checkpoint = cp;
    m_haveCheckpoint = true;
    setBytesResumed(cp.done.covered());
    saveCheckpoint(true);
    delete m_digest;
    m_digest = nullptr;
    m_inline.reset();
    if (verifiesMd5() || verifiesCrc64()) {
        // One GET from the first byte (retries go on from where it stopped): the bytes reach
        // the sink in order and are hashed there.
        if (cp.done.covered() == 0 && cp.size < m_options.parallelThreshold)
            m_inline = std::make_unique<InlineDigest>();
        else
            m_digest = new PrefixDigest(partPath(), cp.size, this);
    }

    const qint64 rangeSize = cp.size < m_options.parallelThreshold ? qMax<qint64>(cp.size, 1)
                                                                   : m_options.rangeSize;
    m_pending.clear();
    for (const auto &gap : cp.done.missing(cp.size)) {
        for (qint64 a = gap.first; a < gap.second; a += rangeSize)
            m_pending.append({a, qMin(a + rangeSize, gap.second) - 1});
    }
    updateProgress();
    pump();
}

void DownloadTask::pump()
{
    if (!running())
        return;
    if (m_pending.isEmpty() && m_slots.isEmpty()) {
        finalize();
        return;
    }
    startRanges();
}

void DownloadTask::startRanges()
{
    startWithRequestSlots(
            [this] { return !m_pending.isEmpty() && m_slots.size() < m_options.rangesInFlight; },
            [this] {
                auto *slot = new Slot;
                const auto r = m_pending.takeFirst();
                slot->first = r.first;
                slot->last = r.second;
                slot->guard = new QObject(this);
                m_slots.append(slot);
                startRange(slot);
            },
            [this] { startRanges(); });
}

void DownloadTask::startRange(Slot *slot)
{
    const qint64 wantFirst = slot->first + slot->written;
    const qint64 wantLast = slot->last;
    GetObjectParams params;
    // The whole object goes without Range: a plain GET costs the server less per request
    // (docs/benchmarks.md, Folders), and If-Match pins the version either way.
    if (wantFirst != 0 || wantLast != m_checkpoint.size - 1) {
        params.rangeFirst = wantFirst;
        params.rangeLast = wantLast;
    }
    params.ifMatch = m_checkpoint.etag;
    RequestJob *job = m_client->newRequestJob(m_client->builder().getObject(m_bucket, m_key, params),
                                              this);
    auto *sink = new RangeSink(partPath(), wantFirst, std::exchange(m_createPart, false), job);
    if (!sink->open(QIODevice::WriteOnly)) {
        const QString why = sink->errorString();
        delete job;
        failWith(Error(Error::Kind::Io, why));
        return;
    }
    if (m_inline) {
        sink->setOnWritten([this, md5 = verifiesMd5(), crc = verifiesCrc64()](QByteArrayView data) {
            if (!m_inline)
                return;
            if (md5)
                m_inline->md5.addData(data);
            if (crc)
                m_inline->crc.update(data);
        });
    }
    job->setResponseSink(sink);
    slot->job = job;
    const qint64 base = slot->written;
    slot->jobBase = base;
    qCDebug(lcTransfer).noquote() << "get range" << wantFirst << "-" << wantLast;
    connect(job, &RequestJob::responseHeadersReceived, this, [this, job, wantFirst, wantLast] {
        // Check before the first byte lands in the file (GETFileJob::slotMetaDataChanged).
        const QString etag = Etag::unquoted(job->responseHeader("ETag"));
        if (!etag.isEmpty() && etag != Etag::unquoted(m_checkpoint.etag)) {
            job->fail(Error::service(412, u"PreconditionFailed"_s,
                                     u"ETag changed to %1 during the download"_s.arg(etag)));
            return;
        }
        qint64 first = 0, last = 0, total = 0;
        const QByteArray contentRange = job->responseHeader("Content-Range");
        if (job->httpStatus() == 206) {
            if (!parseContentRange(contentRange, &first, &last, &total) || first != wantFirst
                || last != wantLast || (total >= 0 && total != m_checkpoint.size))
                job->fail(Error(Error::Kind::Integrity,
                                u"Content-Range \"%1\" does not match the requested bytes %2-%3/%4"_s
                                        .arg(QString::fromLatin1(contentRange))
                                        .arg(wantFirst)
                                        .arg(wantLast)
                                        .arg(m_checkpoint.size)));
        } else if (wantFirst != 0 || wantLast != m_checkpoint.size - 1) {
            job->fail(Error(Error::Kind::Integrity,
                            u"The server ignored Range (HTTP %1) for bytes %2-%3"_s
                                    .arg(job->httpStatus())
                                    .arg(wantFirst)
                                    .arg(wantLast)));
        }
    });
    connect(job, &RequestJob::downloadProgress, this, [this, slot, job, base] {
        slot->written = base + job->bytesWrittenToSink();
        updateProgress();
    });
    connect(job, &Job::finished, this, [this, slot] { onRangeFinished(slot); });
    job->start();
}

void DownloadTask::onRangeFinished(Slot *slot)
{
    RequestJob *job = slot->job.data();
    if (!job || !m_slots.contains(slot))
        return;
    job->deleteLater();
    slot->job.clear();
    // The job started at slot->jobBase bytes into the range; the last write may come after
    // the last downloadProgress, so take the job's own count.
    m_received += job->bytesWrittenToSink();
    slot->written = slot->jobBase + job->bytesWrittenToSink();
    Error err = job->error();
    const qint64 length = slot->last - slot->first + 1;
    if (!err && slot->written < length) {
        err = Error(Error::Kind::Network,
                    u"Range %1-%2 ended after %3 of %4 bytes"_s.arg(slot->first)
                            .arg(slot->last)
                            .arg(slot->written)
                            .arg(length));
    }
    m_checkpoint.done.add(slot->first, slot->first + slot->written);
    if (err) {
        if (err.kind() == Error::Kind::Canceled)
            return;
        if (err.httpStatus() == 412) {
            restartFromScratch(err.message());
            return;
        }
        const int delay =
                nextRetryDelay(err, &slot->retries,
                               u"Bytes %1-%2: "_s.arg(slot->first + slot->written).arg(slot->last));
        if (delay >= 0) {
            saveCheckpoint(false);
            QTimer::singleShot(delay, slot->guard, [this, slot] {
                if (running() && m_slots.contains(slot))
                    startRange(slot);
            });
            return;
        }
        failWith(err);
        return;
    }
    m_slots.removeOne(slot);
    dropSlot(slot);
    saveCheckpoint(false);
    pump();
}

void DownloadTask::restartFromScratch(const QString &why)
{
    if (m_restarts >= 1) {
        failWith(Error(Error::Kind::Integrity,
                       u"%1 keeps changing during the download (%2)"_s.arg(m_key, why)));
        return;
    }
    ++m_restarts;
    Q_EMIT message(u"%1; starting over"_s.arg(why));
    for (Slot *slot : std::as_const(m_slots))
        dropSlot(slot);
    m_slots.clear();
    m_pending.clear();
    delete m_digest; // the .part file is made anew
    m_digest = nullptr;
    m_inline.reset();
    m_checkpoint.done.clear();
    m_checkpoint.etag.clear(); // forces a fresh .part in prepare()
    saveCheckpoint(true);
    head();
}

void DownloadTask::dropSlot(Slot *slot)
{
    if (RequestJob *job = slot->job.data())
        abortJob(job);
    delete slot->guard;
    delete slot;
    giveRequestSlot();
}

void DownloadTask::updateProgress()
{
    qint64 done = m_checkpoint.done.covered();
    for (const Slot *s : std::as_const(m_slots))
        done += s->written;
    setProgress(qMin(done, m_checkpoint.size), m_checkpoint.size);
    feedPrefixDigest();
}

void DownloadTask::feedPrefixDigest()
{
    if (!m_digest)
        return;
    // Bytes of ranges in flight are in the file already (unbuffered writes).
    ByteRanges written = m_checkpoint.done;
    for (const Slot *s : std::as_const(m_slots))
        written.add(s->first, s->first + s->written);
    const auto gaps = written.missing(m_checkpoint.size);
    m_digest->setAvailable(gaps.isEmpty() ? m_checkpoint.size : gaps.first().first);
}

bool DownloadTask::verifiesMd5() const
{
    return m_options.verify && Etag::isHexMd5(Etag::unquoted(m_checkpoint.etag));
}

bool DownloadTask::verifiesCrc64() const
{
    return m_options.verify && !m_checkpoint.crc64.isEmpty();
}

void DownloadTask::saveCheckpoint(bool force)
{
    if (!m_options.resume || !m_haveCheckpoint || !checkpointSaveDue(force, kSaveIntervalMs))
        return;
    DownloadCheckpoint cp = m_checkpoint;
    // Bytes of ranges in flight are in the file already (unbuffered writes).
    for (const Slot *s : std::as_const(m_slots))
        cp.done.add(s->first, s->first + s->written);
    if (Error e = m_store.save(cp))
        Q_EMIT message(u"Cannot save the checkpoint: %1"_s.arg(e.message()));
    // Keep saving while ranges are in flight, so a kill loses at most this interval.
    if (running() && !m_slots.isEmpty())
        m_saveTimer.start(kSaveIntervalMs);
}

void DownloadTask::finalize()
{
    const QFileInfo part(partPath());
    if (part.size() != m_checkpoint.size) {
        failWith(Error(Error::Kind::Integrity,
                       u"%1 has %2 bytes, the object %3"_s.arg(partPath())
                               .arg(part.size())
                               .arg(m_checkpoint.size)));
        return;
    }
    if (m_inline) {
        WindowDigest d;
        d.md5 = m_inline->md5.result();
        d.crc64 = m_inline->crc.value();
        m_inline.reset();
        checkDigestAndRename(d);
        return;
    }
    if (!m_digest) {
        checkDigestAndRename({});
        return;
    }
    m_digest->setAvailable(m_checkpoint.size);
    m_digest->whenDone(newStepGuard(), [this](const WindowDigest &d) {
        if (running())
            checkDigestAndRename(d);
    });
}

void DownloadTask::checkDigestAndRename(const WindowDigest &d)
{
    const QString etag = Etag::unquoted(m_checkpoint.etag);
    Error err = d.error;
    if (!err && verifiesCrc64() && Crc64::toDecimal(d.crc64) != m_checkpoint.crc64.toLatin1())
        err = Error(Error::Kind::Integrity,
                    u"CRC64 of the download is %1, the server says %2"_s
                            .arg(QString::fromLatin1(Crc64::toDecimal(d.crc64)),
                                 m_checkpoint.crc64));
    const QString md5 = QString::fromLatin1(d.md5.toHex());
    if (!err && verifiesMd5() && md5.compare(etag, Qt::CaseInsensitive) != 0)
        err = Error(Error::Kind::Integrity,
                    u"MD5 of the download is %1, the ETag says %2"_s.arg(md5, etag));
    if (err) {
        // Bad bytes: the next run must not resume from them.
        m_checkpoint.done.clear();
        saveCheckpoint(true);
        failWith(err);
        return;
    }
    QString why;
    if (!replaceFile(partPath(), m_localPath, &why)) {
        failWith(Error(Error::Kind::Io, why));
        return;
    }
    if (m_options.resume)
        m_store.removeDownload(identity(), m_bucket, m_key, m_localPath);
    m_haveCheckpoint = false;
    succeed();
}

} // namespace Cos
