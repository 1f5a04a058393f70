#include "cos/transfer/uploadtask.h"

#include "cos/net/client.h"
#include "cos/digest/crc64.h"
#include "cos/digest/md5lanes.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/protocol/etag.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTransfer, "cos.transfer", QtInfoMsg)

namespace Cos {

namespace {
constexpr int kSaveIntervalMs = 200;
} // namespace

using namespace TransferUtil;

UploadTask::UploadTask(Client *client, const QString &localPath, const QString &bucket,
                       const QString &key, const UploadOptions &options, QObject *parent)
    : TransferTask(client, bucket, key, QFileInfo(localPath).absoluteFilePath(), parent)
    , m_options(options)
    , m_store(options.checkpointDirectory)
{
    m_options.partsInFlight = qBound(1, m_options.partsInFlight, 64);
    setRetryPolicy(m_options.stepRetries, m_options.stepRetryBaseMs);
}

UploadTask::~UploadTask()
{
    halt();
}

RequestJob *UploadTask::newJob(const BuildResult &build)
{
    return m_client->newRequestJob(build, this);
}

// --- life cycle -------------------------------------------------------------------------------

void UploadTask::run()
{
    m_stepRetryCount = 0;
    m_completeAttempts = 0;
    m_pending.clear();
    const QFileInfo info(m_localPath);
    if (!info.exists() || !info.isFile()) {
        failWith(Error(Error::Kind::InvalidInput,
                       u"%1 does not exist or is not a regular file"_s.arg(m_localPath)));
        return;
    }
    if (!info.isReadable()) {
        failWith(Error(Error::Kind::Io, u"%1 is not readable"_s.arg(m_localPath)));
        return;
    }
    m_mtimeMs = info.lastModified().toMSecsSinceEpoch();
    Error planError;
    m_plan = PartPlan::forUpload(info.size(), m_options.multipartThreshold, m_options.partSize,
                                 &planError);
    if (planError) {
        failWith(planError);
        return;
    }
    setProgress(0, m_plan.totalSize());
    if (!m_plan.isMultipart())
        startSimple();
    else
        loadOrInitiate();
}

void UploadTask::halt()
{
    for (Slot *slot : std::as_const(m_slots))
        dropSlot(slot);
    m_slots.clear();
    delete m_digests;
    m_digests = nullptr;
    stopSteps();
    if (m_dirty)
        saveCheckpoint(true);
}

void UploadTask::discard()
{
    // cancel() of a task that never ran in this process: the upload id is in the checkpoint.
    if (m_checkpoint.uploadId.isEmpty() && m_options.resume)
        m_store.loadUpload(identity(), m_bucket, m_key, m_localPath, &m_checkpoint);
    const QString uploadId = m_checkpoint.uploadId;
    auto done = [this] {
        if (m_options.resume)
            m_store.removeUpload(identity(), m_bucket, m_key, m_localPath);
        m_checkpoint = UploadCheckpoint();
        m_dirty = false;
        canceled();
    };
    if (uploadId.isEmpty() || !m_client) {
        QTimer::singleShot(0, this, done);
        return;
    }
    RequestJob *job = newJob(m_client->builder().abortMultipartUpload(m_bucket, m_key, uploadId));
    runStep(job, [this, job, done] {
        if (job->error() && !isUploadGone(job->error()))
            Q_EMIT message(u"Abort of upload %1 failed (%2); it may linger on the server"_s
                                   .arg(m_checkpoint.uploadId, job->error().toString()));
        done();
    });
}

// --- simple PUT -------------------------------------------------------------------------------

void UploadTask::startSimple()
{
    m_simple = SimplePut();
    digestAsync(m_localPath, 0, m_plan.totalSize(), newStepGuard(), [this](const WindowDigest &d) {
        if (!running())
            return;
        if (!d.ok()) {
            failWith(d.error);
            return;
        }
        m_simple.digest = d;
        if (m_simple.answered)
            checkSimple();
        else if (m_options.contentMd5)
            sendSimple();
    });
    // Without Content-MD5 nothing needs the digest before the request: hash while sending and
    // check the answer when both are done.
    if (!m_options.contentMd5)
        sendSimple();
}

void UploadTask::sendSimple()
{
    m_simple.answered = false;
    PutObjectParams params;
    params.contentLength = m_plan.totalSize();
    params.contentType = m_options.contentType;
    if (m_options.contentMd5)
        params.contentMd5 = m_simple.digest.md5.toBase64();
    RequestJob *job = newJob(m_client->builder().putObject(m_bucket, m_key, params));
    auto *device = new FileWindowDevice(m_localPath, 0, m_plan.totalSize(), job);
    if (!device->open(QIODevice::ReadOnly)) {
        const QString why = device->errorString();
        delete job;
        failWith(Error(Error::Kind::Io, why));
        return;
    }
    job->setBody(device);
    connect(job, &RequestJob::uploadProgress, this,
            [this](qint64 sent, qint64) { setProgress(sent, m_plan.totalSize()); });
    runStep(job, [this, job] {
        if (job->error()) {
            if (!retryStep(job->error(), [this] { sendSimple(); }))
                failWith(job->error());
            return;
        }
        m_simple.answered = true;
        m_simple.etag = Etag::unquoted(job->responseHeader("ETag"));
        m_simple.crc64 = job->responseHeader("x-cos-hash-crc64ecma");
        if (m_simple.hashed())
            checkSimple();
    });
}

void UploadTask::checkSimple()
{
    const QString &etag = m_simple.etag;
    const QByteArray &crc = m_simple.crc64;
    const WindowDigest &digest = m_simple.digest;
    Error err;
    if (Etag::isHexMd5(etag)
        && etag.compare(QString::fromLatin1(digest.md5.toHex()), Qt::CaseInsensitive) != 0) {
        err = Error(Error::Kind::Integrity,
                    u"The server's ETag %1 is not the MD5 of %2 (%3)"_s
                            .arg(etag, m_localPath, QString::fromLatin1(digest.md5.toHex())));
    } else if (!crc.isEmpty() && crc != Crc64::toDecimal(digest.crc64)) {
        err = Error(Error::Kind::Integrity,
                    u"CRC64 mismatch: the server has %1, the file %2"_s
                            .arg(QString::fromLatin1(crc),
                                 QString::fromLatin1(Crc64::toDecimal(digest.crc64))));
    }
    if (err) {
        // Without Content-MD5 the server took a damaged body: send the file again to repair
        // the object. With it, the server checked the bytes; its ETag is of another kind.
        err.setRetryable(!m_options.contentMd5);
        if (!retryStep(err, [this] { sendSimple(); }))
            failWith(err);
        return;
    }
    m_etag = etag;
    // A multipart checkpoint of an older, larger version of this file is stale now.
    UploadCheckpoint stale;
    if (m_options.resume && m_store.loadUpload(identity(), m_bucket, m_key, m_localPath, &stale)) {
        RequestJob *abort = newJob(
                m_client->builder().abortMultipartUpload(m_bucket, m_key, stale.uploadId));
        abort->setAutoDelete(true);
        abort->start();
        m_store.removeUpload(identity(), m_bucket, m_key, m_localPath);
    }
    succeed();
}

// --- resume or initiate -----------------------------------------------------------------------

void UploadTask::loadOrInitiate()
{
    UploadCheckpoint cp;
    QString problem;
    if (!m_options.resume) {
        // Without checkpoints, a pause or failure in this process can still resume.
        if (!m_checkpoint.uploadId.isEmpty() && m_checkpoint.size == m_plan.totalSize()
            && m_checkpoint.mtimeMs == m_mtimeMs) {
            m_plan = PartPlan::withPartSize(m_plan.totalSize(), m_checkpoint.partSize);
            m_serverParts.clear();
            listParts(0);
        } else {
            initiate();
        }
        return;
    }
    if (!m_store.loadUpload(identity(), m_bucket, m_key, m_localPath, &cp, &problem)) {
        if (!problem.isEmpty())
            Q_EMIT message(u"Ignoring a damaged checkpoint: %1"_s.arg(problem));
        initiate();
        return;
    }
    const PartPlan resumed = PartPlan::withPartSize(m_plan.totalSize(), cp.partSize);
    if (cp.size != m_plan.totalSize() || cp.mtimeMs != m_mtimeMs || !resumed.isValid()) {
        Q_EMIT message(
                u"%1 changed since upload %2 began; starting over"_s.arg(m_localPath, cp.uploadId));
        RequestJob *abort = newJob(
                m_client->builder().abortMultipartUpload(m_bucket, m_key, cp.uploadId));
        abort->setAutoDelete(true);
        abort->start();
        m_store.removeUpload(identity(), m_bucket, m_key, m_localPath);
        initiate();
        return;
    }
    m_plan = resumed;
    m_checkpoint = cp;
    m_resumed = true;
    m_serverParts.clear();
    listParts(0);
}

void UploadTask::listParts(int marker)
{
    ListPartsParams params;
    params.partNumberMarker = marker;
    RequestJob *job = newJob(
            m_client->builder().listParts(m_bucket, m_key, m_checkpoint.uploadId, params));
    runStep(job, [this, job, marker] {
        if (job->error()) {
            if (isUploadGone(job->error())) {
                Q_EMIT message(u"Upload %1 is gone on the server; starting over"_s.arg(
                        m_checkpoint.uploadId));
                m_store.removeUpload(identity(), m_bucket, m_key, m_localPath);
                m_checkpoint = UploadCheckpoint();
                m_resumed = false;
                initiate();
            } else if (!retryStep(job->error(), [this, marker] { listParts(marker); })) {
                failWith(job->error());
            }
            return;
        }
        ListPartsResult result;
        if (Error e = parseListParts(job->responseBody(), &result)) {
            failWith(e);
            return;
        }
        m_serverParts += result.parts;
        if (result.isTruncated && result.nextPartNumberMarker > marker)
            listParts(result.nextPartNumberMarker);
        else
            reconcile();
    });
}

void UploadTask::reconcile()
{
    QHash<int, PartInfo> server;
    for (const PartInfo &p : std::as_const(m_serverParts))
        server.insert(p.partNumber, p);
    m_adoptCandidates.clear();
    const int count = m_plan.partCount();
    for (auto it = m_checkpoint.parts.begin(); it != m_checkpoint.parts.end();) {
        const auto s = server.constFind(it.key());
        const bool same = s != server.cend() && s->size == it->size
                && Etag::unquoted(s->etag).compare(it->etag, Qt::CaseInsensitive) == 0
                && it.key() <= count;
        if (same) {
            ++it;
        } else {
            Q_EMIT message(
                    u"Part %1 is not on the server as recorded; sending it again"_s.arg(it.key()));
            it = m_checkpoint.parts.erase(it);
            m_dirty = true;
        }
    }
    for (const PartInfo &p : std::as_const(m_serverParts)) {
        if (!m_checkpoint.parts.contains(p.partNumber) && p.partNumber >= 1 && p.partNumber <= count
            && p.size == m_plan.partLength(p.partNumber))
            m_adoptCandidates.append(p);
    }
    m_partsReused = int(m_checkpoint.parts.size());
    adoptNext();
}

void UploadTask::adoptNext()
{
    // Parts that reached the server after the last checkpoint write (a kill in between): keep
    // them when their ETag is the MD5 of our bytes, which costs a local read, not an upload.
    if (m_adoptCandidates.isEmpty()) {
        qint64 kept = 0;
        for (const CheckpointPart &p : std::as_const(m_checkpoint.parts))
            kept += p.size;
        setBytesResumed(kept);
        saveCheckpoint(true);
        Q_EMIT message(u"Resuming upload %1: %2 of %3 parts done"_s.arg(m_checkpoint.uploadId)
                               .arg(m_checkpoint.parts.size())
                               .arg(m_plan.partCount()));
        beginParts();
        return;
    }
    const PartInfo p = m_adoptCandidates.takeFirst();
    digestAsync(m_localPath, m_plan.partOffset(p.partNumber), m_plan.partLength(p.partNumber),
                newStepGuard(), [this, p](const WindowDigest &d) {
                    if (!running())
                        return;
                    if (d.ok()
                        && Etag::unquoted(p.etag).compare(QString::fromLatin1(d.md5.toHex()),
                                                          Qt::CaseInsensitive)
                                == 0) {
                        CheckpointPart cp;
                        cp.number = p.partNumber;
                        cp.size = p.size;
                        cp.etag = Etag::unquoted(p.etag);
                        cp.md5 = d.md5;
                        cp.crc64 = d.crc64;
                        m_checkpoint.parts.insert(cp.number, cp);
                        m_dirty = true;
                        ++m_partsReused;
                    }
                    adoptNext();
                });
}

int UploadTask::firstDigestBatch() const
{
    // One SIMD group (8 lanes) costs as much as one part of it: hash the parts in flight, at
    // least a group, in the first pass; the second pass runs while those are sent.
    return qMax(m_options.partsInFlight, Md5Lanes::MaxLanes / 2);
}

void UploadTask::newDigestQueue()
{
    delete m_digests;
    m_digests = new PartDigestQueue(m_localPath, m_plan.windows(), this);
    m_digests->setFirstBatch(firstDigestBatch());
    m_digests->setLanePool(m_client->digestLanePool());
    m_digestPartSize = m_plan.partSize();
}

void UploadTask::initiate()
{
    qCDebug(lcTransfer).noquote() << "initiate upload of" << m_plan.partCount() << "parts";
    // Hash the first parts while the upload is being initiated: a fresh upload sends every part
    // of this plan, in order.
    if (!m_digests) {
        QList<int> all;
        for (int n = 1; n <= m_plan.partCount(); ++n)
            all.append(n);
        newDigestQueue();
        m_digests->setOrder(all);
    }
    PutObjectParams params;
    params.contentType = m_options.contentType;
    RequestJob *job = newJob(m_client->builder().initiateMultipartUpload(m_bucket, m_key, params));
    runStep(job, [this, job] {
        if (job->error()) {
            if (!retryStep(job->error(), [this] { initiate(); }))
                failWith(job->error());
            return;
        }
        InitiateMultipartResult result;
        if (Error e = parseInitiateMultipart(job->responseBody(), &result)) {
            failWith(e);
            return;
        }
        m_checkpoint = UploadCheckpoint();
        m_checkpoint.endpoint = identity();
        m_checkpoint.bucket = m_bucket;
        m_checkpoint.key = m_key;
        m_checkpoint.uploadId = result.uploadId;
        m_checkpoint.sourcePath = m_localPath;
        m_checkpoint.size = m_plan.totalSize();
        m_checkpoint.mtimeMs = m_mtimeMs;
        m_checkpoint.partSize = m_plan.partSize();
        m_checkpoint.created = QDateTime::currentDateTimeUtc();
        m_resumed = false;
        qCDebug(lcTransfer).noquote()
                << "initiated upload" << result.uploadId << "of" << m_plan.partCount() << "parts";
        saveCheckpoint(true);
        beginParts();
    });
}

// --- parts ------------------------------------------------------------------------------------

void UploadTask::beginParts()
{
    m_pending.clear();
    for (int n = 1; n <= m_plan.partCount(); ++n) {
        if (!m_checkpoint.parts.contains(n))
            m_pending.append(n);
    }
    // The queue made while initiating hashes this plan's parts already.
    if (!m_digests || m_digestPartSize != m_plan.partSize())
        newDigestQueue();
    m_digests->setOrder(m_pending);
    m_stepRetryCount = 0;
    pumpParts();
}

void UploadTask::pumpParts()
{
    if (!running())
        return;
    if (m_pending.isEmpty() && m_slots.isEmpty()) {
        updateProgress();
        complete();
        return;
    }
    startParts();
    updateProgress();
}

void UploadTask::startParts()
{
    startWithRequestSlots(
            [this] { return !m_pending.isEmpty() && m_slots.size() < m_options.partsInFlight; },
            [this] { startPart(m_pending.takeFirst()); }, [this] { startParts(); });
}

void UploadTask::startPart(int partNumber)
{
    auto *slot = new Slot;
    slot->partNumber = partNumber;
    slot->digestGuard = new QObject(this);
    m_slots.append(slot);
    // A part whose digest is not ready goes out now, without Content-MD5: waiting would leave
    // its connection idle for a whole hashing pass. The server's ETag (or CRC64) for it is
    // checked once the digest is there, which is as strict: a part is invisible until Complete.
    const bool sendNow = !m_hashBeforeSending && !m_digests->isReady(partNumber);
    slot->sendWhenHashed = !sendNow;
    m_digests->want(partNumber, slot->digestGuard, [this, slot](const WindowDigest &d) {
        if (!running() || !m_slots.contains(slot))
            return;
        if (!d.ok()) {
            failWith(d.error);
            return;
        }
        slot->digest = d;
        qCDebug(lcTransfer).noquote() << "part" << slot->partNumber << "hashed";
        if (slot->answered)
            checkPart(slot);
        else if (slot->sendWhenHashed)
            sendPart(slot);
    });
    if (sendNow)
        sendPart(slot);
}

void UploadTask::sendPart(Slot *slot)
{
    const int n = slot->partNumber;
    const qint64 length = m_plan.partLength(n);
    slot->sent = 0;
    slot->sendWhenHashed = false;
    slot->answered = false;
    slot->md5Sent = m_options.contentMd5 && slot->hashed();
    RequestJob *job = newJob(
            m_client->builder().uploadPart(m_bucket, m_key, m_checkpoint.uploadId, n, length,
                                           slot->md5Sent ? slot->digest.md5.toBase64()
                                                         : QByteArray()));
    // The device belongs to the job: an aborted reply may read it until both are deleted.
    auto *device = new FileWindowDevice(m_localPath, m_plan.partOffset(n), length, job);
    if (!device->open(QIODevice::ReadOnly)) {
        const QString why = device->errorString();
        delete job;
        failWith(Error(Error::Kind::Io, why));
        return;
    }
    job->setBody(device);
    slot->job = job;
    qCDebug(lcTransfer).noquote() << "upload part" << n << "offset" << m_plan.partOffset(n)
                                  << "size" << length << (slot->md5Sent ? "" : "unhashed")
                                  << "upload" << m_checkpoint.uploadId;
    connect(job, &RequestJob::uploadProgress, this, [this, slot](qint64 sent, qint64) {
        slot->sent = sent;
        updateProgress();
    });
    connect(job, &Job::finished, this, [this, slot] { onPartFinished(slot); });
    job->start();
}

void UploadTask::onPartFinished(Slot *slot)
{
    RequestJob *job = slot->job.data();
    if (!job || !m_slots.contains(slot))
        return;
    job->deleteLater();
    slot->job.clear();
    if (const Error &err = job->error()) {
        retryPart(slot, err);
        return;
    }
    slot->answerEtag = Etag::unquoted(job->responseHeader("ETag"));
    slot->answerCrc64 = job->responseHeader("x-cos-hash-crc64ecma");
    slot->answered = true;
    if (slot->hashed())
        checkPart(slot);
    // else the digest's arrival checks it
}

void UploadTask::checkPart(Slot *slot)
{
    const int n = slot->partNumber;
    const QString &etag = slot->answerEtag;
    const QByteArray &crc = slot->answerCrc64;
    const QString md5hex = QString::fromLatin1(slot->digest.md5.toHex());
    Error err;
    if (etag.isEmpty()) {
        err = Error(Error::Kind::Parse, u"Part %1: the response has no ETag"_s.arg(n));
    } else if (Etag::isHexMd5(etag) && etag.compare(md5hex, Qt::CaseInsensitive) != 0) {
        err = Error(Error::Kind::Integrity,
                    u"Part %1: the server's ETag %2 is not the MD5 %3 of the bytes sent"_s.arg(n)
                            .arg(etag, md5hex));
        err.setRetryable(true);
    } else if (!crc.isEmpty() && crc != Crc64::toDecimal(slot->digest.crc64)) {
        err = Error(Error::Kind::Integrity,
                    u"Part %1: CRC64 mismatch (server %2, file %3)"_s.arg(n)
                            .arg(QString::fromLatin1(crc),
                                 QString::fromLatin1(Crc64::toDecimal(slot->digest.crc64))));
        err.setRetryable(true);
    } else if (!slot->md5Sent && m_options.contentMd5 && !Etag::isHexMd5(etag) && crc.isEmpty()) {
        // Neither the ETag nor a CRC64 tells what arrived (an encrypted bucket, say): send this
        // part again with Content-MD5, and hash every later part before sending it.
        qCDebug(lcTransfer).noquote()
                << "part" << n << "ETag" << etag << "is no MD5: sending it again with Content-MD5";
        m_hashBeforeSending = true;
        sendPart(slot);
        return;
    }
    if (err) {
        retryPart(slot, err);
        return;
    }
    CheckpointPart part;
    part.number = n;
    part.size = m_plan.partLength(n);
    part.etag = etag;
    part.md5 = slot->digest.md5;
    part.crc64 = slot->digest.crc64;
    m_checkpoint.parts.insert(n, part);
    qCDebug(lcTransfer).noquote() << "part" << n << "sent";
    ++m_partsSent;
    m_dirty = true;
    m_slots.removeOne(slot);
    dropSlot(slot);
    saveCheckpoint(false);
    Q_EMIT partUploaded(n);
    pumpParts();
}

void UploadTask::retryPart(Slot *slot, Error err)
{
    slot->answered = false;
    slot->sent = 0;
    if (err.kind() == Error::Kind::Canceled)
        return;
    const int n = slot->partNumber;
    const int delay = nextRetryDelay(err, &slot->retries, u"Part %1: "_s.arg(n));
    if (delay >= 0) {
        QTimer::singleShot(delay, slot->digestGuard, [this, slot] {
            if (running() && m_slots.contains(slot))
                sendPart(slot);
        });
        updateProgress();
        return;
    }
    if (isUploadGone(err))
        err = Error::service(404, err.code(),
                             u"Upload %1 no longer exists on the server (aborted or expired); "
                             "run again to start over"_s.arg(m_checkpoint.uploadId),
                             err.requestId());
    failWith(err);
}

void UploadTask::dropSlot(Slot *slot)
{
    if (RequestJob *job = slot->job.data())
        abortJob(job);
    // Deleting the guard drops pending digest results and retry timers of this slot; the
    // device goes with its job.
    delete slot->digestGuard;
    delete slot;
    giveRequestSlot();
}

void UploadTask::updateProgress()
{
    qint64 done = 0;
    for (const CheckpointPart &p : std::as_const(m_checkpoint.parts))
        done += p.size;
    for (const Slot *s : std::as_const(m_slots))
        done += s->sent;
    setProgress(qMin(done, m_plan.totalSize()), m_plan.totalSize());
}

void UploadTask::saveCheckpoint(bool force)
{
    if (!m_options.resume || m_checkpoint.uploadId.isEmpty())
        return;
    // Coalesce: with many small parts, rewriting the whole file per part would be quadratic.
    // A kill between two writes loses nothing: reconcile() adopts parts by their ETag.
    if (!checkpointSaveDue(force, kSaveIntervalMs))
        return;
    if (Error e = m_store.save(m_checkpoint))
        Q_EMIT message(u"Cannot save the checkpoint: %1"_s.arg(e.message()));
    m_dirty = false;
}

// --- complete and verify ----------------------------------------------------------------------

void UploadTask::complete()
{
    saveCheckpoint(true);
    QList<CompletedPart> parts;
    for (const CheckpointPart &p : std::as_const(m_checkpoint.parts))
        parts.append({p.number, p.etag});
    ++m_completeAttempts;
    qCDebug(lcTransfer).noquote() << "complete upload" << m_checkpoint.uploadId;
    RequestJob *job = newJob(m_client->builder().completeMultipartUpload(m_bucket, m_key,
                                                                         m_checkpoint.uploadId,
                                                                         parts));
    runStep(job, [this, job] {
        Error err = job->error();
        CompleteMultipartResult result;
        if (!err)
            err = parseCompleteMultipart(job->responseBody(), &result);
        if (err) {
            // A retried Complete whose first try went through finds no upload: check the object.
            if (isUploadGone(err) && m_completeAttempts > 1) {
                verify({});
                return;
            }
            if (!retryStep(err, [this] { complete(); }))
                failWith(err);
            return;
        }
        verify(result.etag);
    });
}

void UploadTask::verify(const QString &completeEtag)
{
    // The multipart ETag form of S3 and COS: MD5 over the parts' binary MD5s, "-", part count.
    QCryptographicHash md5s(QCryptographicHash::Md5);
    quint64 crc = 0;
    for (const CheckpointPart &p : std::as_const(m_checkpoint.parts)) {
        md5s.addData(p.md5);
        crc = Crc64::combine(crc, p.crc64, p.size);
    }
    const QString expectedEtag = QString::fromLatin1(md5s.result().toHex()) + u'-'
            + QString::number(m_checkpoint.parts.size());
    const QString etagFromComplete = Etag::unquoted(completeEtag);
    if (etagFromComplete.contains(u'-')
        && etagFromComplete.compare(expectedEtag, Qt::CaseInsensitive) != 0) {
        failWith(Error(Error::Kind::Integrity,
                       u"The completed object's ETag %1 differs from the expected %2"_s
                               .arg(etagFromComplete, expectedEtag)));
        return;
    }
    m_etag = etagFromComplete;
    if (!m_options.verify) {
        finishSuccess();
        return;
    }
    qCDebug(lcTransfer).noquote() << "completed; verifying with HEAD";
    HeadObjectJob *job = m_client->headObject(m_bucket, m_key, {}, this);
    runStep(job, [this, job, expectedEtag, crc, completeEtag] {
        if (job->error()) {
            if (!retryStep(job->error(), [this, completeEtag] { verify(completeEtag); }))
                failWith(job->error());
            return;
        }
        const ObjectMetadata &meta = job->metadata();
        const QString etag = Etag::unquoted(meta.etag);
        if (meta.size != m_plan.totalSize()) {
            failWith(Error(Error::Kind::Integrity,
                           u"The uploaded object has %1 bytes, the file %2"_s.arg(meta.size).arg(
                                   m_plan.totalSize())));
            return;
        }
        // RGW sends an empty ETag in the Complete body (BZ 2266579): HEAD has the real one.
        if (etag.contains(u'-') && etag.compare(expectedEtag, Qt::CaseInsensitive) != 0) {
            failWith(Error(Error::Kind::Integrity,
                           u"The uploaded object's ETag %1 differs from the expected %2 (another "
                           "writer, or corrupted parts)"_s.arg(etag, expectedEtag)));
            return;
        }
        if (!meta.crc64.isEmpty() && meta.crc64.toLatin1() != Crc64::toDecimal(crc)) {
            failWith(Error(Error::Kind::Integrity,
                           u"The uploaded object's CRC64 %1 differs from the file's %2"_s
                                   .arg(meta.crc64, QString::fromLatin1(Crc64::toDecimal(crc)))));
            return;
        }
        m_etag = etag;
        finishSuccess();
    });
}

void UploadTask::finishSuccess()
{
    if (m_options.resume)
        m_store.removeUpload(identity(), m_bucket, m_key, m_localPath);
    m_dirty = false;
    qCDebug(lcTransfer).noquote() << "upload" << m_checkpoint.uploadId << "complete:" << m_partsSent
                                  << "parts sent," << m_partsReused << "reused";
    succeed();
}

} // namespace Cos
