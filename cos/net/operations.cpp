#include "cos/net/operations.h"

#include "cos/net/client.h"
#include "cos/net/clock.h"
#include "cos/net/credentialprovider.h"
#include "cos/protocol/etag.h"
#include "cos/protocol/httpdate.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr int MaxPages = 100000;

} // namespace

// --- ListBucketsJob ----------------------------------------------------------------------------

ListBucketsJob::ListBucketsJob(Client *client, const ListBucketsParams &params, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_params(params)
{ }

void ListBucketsJob::doStart()
{
    fetchPage();
}

void ListBucketsJob::doAbort()
{
    if (m_page)
        m_page->abort();
}

void ListBucketsJob::fetchPage()
{
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    auto *page = new RequestJob(m_client, m_client->builder().listBuckets(m_params), this);
    m_page = page;
    startParsed<ListBucketsResult>(page, parseListBuckets, [this](const ListBucketsResult &result) {
        ++m_pages;
        m_ownerId = result.ownerId;
        QStringList locations;
        for (const BucketInfo &b : std::as_const(result.buckets)) {
            if (!b.location.isEmpty())
                locations.append(b.location);
        }
        if (m_client)
            m_client->regions().merge(locations);
        m_buckets += result.buckets;
        if (result.isTruncated && !result.nextMarker.isEmpty()
            && result.nextMarker != m_params.marker && m_pages < MaxPages) {
            m_params.marker = result.nextMarker;
            fetchPage();
            return;
        }
        finish();
    });
}

// --- ListObjectsJob ----------------------------------------------------------------------------

ListObjectsJob::ListObjectsJob(Client *client, const QString &bucket,
                               const ListObjectsParams &params, int maxPages, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_bucket(bucket)
    , m_params(params)
    , m_maxPages(maxPages)
{ }

void ListObjectsJob::doStart()
{
    fetchPage();
}

void ListObjectsJob::doAbort()
{
    if (m_page)
        m_page->abort();
}

void ListObjectsJob::fetchPage()
{
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    auto *page = new RequestJob(m_client, m_client->builder().listObjects(m_bucket, m_params), this);
    m_page = page;
    startParsed<ListObjectsResult>(page, parseListObjects, [this](const ListObjectsResult &result) {
        ++m_pages;
        if (m_pages == 1) {
            m_result = result;
            if (!m_keep) {
                m_result.objects.clear();
                m_result.commonPrefixes.clear();
            }
        } else {
            if (m_keep) {
                m_result.objects += result.objects;
                m_result.commonPrefixes += result.commonPrefixes;
            }
            m_result.isTruncated = result.isTruncated;
            m_result.nextMarker = result.nextMarker;
            m_result.nextContinuationToken = result.nextContinuationToken;
        }
        Q_EMIT pageReceived(result);
        if (isFinished())
            return; // a pageReceived() handler aborted us
        if (!result.isTruncated || (m_maxPages > 0 && m_pages >= m_maxPages)
            || m_pages >= MaxPages) {
            finish();
            return;
        }
        if (m_params.v2) {
            if (result.nextContinuationToken.isEmpty()) {
                finish(Error(Error::Kind::Parse,
                             u"The listing is truncated but has no NextContinuationToken"_s));
                return;
            }
            m_params.continuationToken = result.nextContinuationToken;
        } else {
            if (result.nextMarker.isEmpty() || result.nextMarker == m_params.marker) {
                finish(Error(Error::Kind::Parse,
                             u"The listing is truncated but has no new NextMarker"_s));
                return;
            }
            m_params.marker = result.nextMarker;
        }
        fetchPage();
    });
}

// --- CopyObjectJob -----------------------------------------------------------------------------

Error CopyObjectJob::handleSuccess()
{
    return parseCopyObject(responseBody(), &m_result);
}

// --- HeadObjectJob -----------------------------------------------------------------------------

Error HeadObjectJob::handleSuccess()
{
    ObjectMetadata m;
    bool ok = false;
    const qint64 size = responseHeader("Content-Length").toLongLong(&ok);
    m.size = ok ? size : -1;
    m.etag = Etag::unquoted(responseHeader("ETag"));
    m.lastModified = parseTimestamp(QString::fromLatin1(responseHeader("Last-Modified")));
    m.contentType = QString::fromLatin1(responseHeader("Content-Type"));
    m.crc64 = QString::fromLatin1(responseHeader("x-cos-hash-crc64ecma"));
    m.versionId = QString::fromLatin1(responseHeader("x-cos-version-id"));
    if (m.versionId.isEmpty())
        m.versionId = QString::fromLatin1(responseHeader("x-amz-version-id"));
    m.storageClass = QString::fromLatin1(responseHeader("x-cos-storage-class"));
    if (m.storageClass.isEmpty())
        m.storageClass = QString::fromLatin1(responseHeader("x-amz-storage-class"));
    for (const auto &[name, value] : responseHeaders()) {
        const QByteArray lower = name.toLower();
        for (const QByteArrayView prefix :
             {QByteArrayView("x-cos-meta-"), QByteArrayView("x-amz-meta-")}) {
            if (lower.startsWith(prefix))
                m.userMetadata.append(
                        {QString::fromLatin1(lower.mid(prefix.size())), QString::fromUtf8(value)});
        }
    }
    m_metadata = m;
    return {};
}

// --- DeleteObjectsJob --------------------------------------------------------------------------

DeleteObjectsJob::DeleteObjectsJob(Client *client, const QString &bucket, const QStringList &keys,
                                   QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_bucket(bucket)
    , m_keys(keys)
{ }

void DeleteObjectsJob::doStart()
{
    if (m_keys.isEmpty()) {
        finish();
        return;
    }
    sendBatch();
}

void DeleteObjectsJob::doAbort()
{
    if (m_batch)
        m_batch->abort();
}

void DeleteObjectsJob::sendBatch()
{
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    const QStringList batch = m_keys.mid(m_next, RequestBuilder::MaxDeleteKeys);
    m_next += batch.size();
    auto *job = new RequestJob(m_client, m_client->builder().deleteObjects(m_bucket, batch, true),
                               this);
    // Deleting the same keys twice has the same effect.
    job->setIdempotent(true);
    m_batch = job;
    using Failures = QList<DeleteFailure>;
    // Deleted keys are counted from the batch; the list still goes to the parser, whose size
    // limit counts both kinds of entries.
    auto parse = [](QByteArrayView xml, Failures *failures) {
        QStringList deleted;
        return parseDeleteResult(xml, &deleted, failures);
    };
    startParsed<Failures>(job, parse, [this, count = batch.size()](const Failures &failures) {
        m_failures += failures;
        m_deleted += int(count - failures.size());
        if (m_next < m_keys.size())
            sendBatch();
        else
            finish();
    });
}

Error DeleteObjectsJob::parseDeleteResult(QByteArrayView xml, QStringList *deleted,
                                          QList<DeleteFailure> *failures)
{
    if (xml.size() > MaxXmlInputSize)
        return Error(Error::Kind::Parse, u"The DeleteResult body is too large"_s);
    QXmlStreamReader reader(xml.toByteArray());
    // Only the shapes we expect are read: <DeleteResult><Deleted><Key/></Deleted>
    // <Error><Key/><Code/><Message/></Error></DeleteResult>.
    QString section;
    DeleteFailure current;
    QString currentKey;
    int depth = 0;
    bool sawRoot = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isDTD())
            return Error(Error::Kind::Parse, u"The DeleteResult body has a DTD"_s);
        if (reader.isStartElement()) {
            ++depth;
            if (depth > MaxXmlDepth)
                return Error(Error::Kind::Parse, u"The DeleteResult body is nested too deeply"_s);
            const QStringView name = reader.name();
            if (depth == 1) {
                if (name == "Error"_L1) {
                    // A whole-request error document, not a per-key one.
                    return Error(Error::Kind::Parse,
                                 u"The delete request returned an <Error> "
                                 "document with status 200"_s);
                }
                if (name != "DeleteResult"_L1)
                    return Error(Error::Kind::Parse,
                                 u"Expected <DeleteResult>, got <%1>"_s.arg(name));
                sawRoot = true;
            } else if (depth == 2) {
                section = name.toString();
                current = {};
                currentKey.clear();
            } else if (depth == 3) {
                const QString text = reader.readElementText();
                --depth;
                if (name == "Key"_L1)
                    currentKey = text;
                else if (name == "Code"_L1)
                    current.code = text;
                else if (name == "Message"_L1)
                    current.message = text;
            }
        } else if (reader.isEndElement()) {
            if (depth == 2) {
                if (section == "Deleted"_L1 && deleted)
                    deleted->append(currentKey);
                else if (section == "Error"_L1 && failures) {
                    current.key = currentKey;
                    failures->append(current);
                }
                if ((deleted ? deleted->size() : 0) + (failures ? failures->size() : 0)
                    > MaxXmlItems)
                    return Error(Error::Kind::Parse,
                                 u"The DeleteResult body has too many entries"_s);
            }
            --depth;
        }
    }
    if (reader.hasError())
        return Error(Error::Kind::Parse,
                     u"The DeleteResult body is not valid XML: %1 (line %2)"_s
                             .arg(reader.errorString())
                             .arg(reader.lineNumber()));
    if (!sawRoot)
        return Error(Error::Kind::Parse, u"The DeleteResult body is empty"_s);
    return {};
}

// --- DeletePrefixJob ---------------------------------------------------------------------------

DeletePrefixJob::DeletePrefixJob(Client *client, const QString &bucket, const QString &prefix,
                                 QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_bucket(bucket)
{
    m_params.prefix = prefix;
    m_params.maxKeys = RequestBuilder::MaxDeleteKeys;
}

void DeletePrefixJob::doStart()
{
    m_more = true;
    pump();
}

void DeletePrefixJob::doAbort()
{
    if (m_listing)
        m_listing->abort();
    if (m_deleting)
        m_deleting->abort();
}

void DeletePrefixJob::pump()
{
    if (isFinished())
        return;
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    if (!m_deleting && !m_ready.isEmpty())
        deleteKeys(std::exchange(m_ready, {}));
    if (isFinished())
        return;
    // The next page is listed while the previous one is deleted; at most one listed page waits.
    if (!m_listing && m_more && m_ready.isEmpty())
        listPage();
    if (!m_listing && !m_deleting && m_ready.isEmpty() && !m_more)
        finish();
}

void DeletePrefixJob::listPage()
{
    auto *page = new ListObjectsJob(m_client, m_bucket, m_params, 1, this);
    page->setKeepResults(false);
    m_listing = page;
    connect(page, &ListObjectsJob::pageReceived, this, [this](const ListObjectsResult &result) {
        ++m_pagesListed;
        QStringList keys;
        keys.reserve(result.objects.size());
        for (const ObjectInfo &o : result.objects) {
            if (!m_filter || m_filter(o.key))
                keys.append(o.key);
        }
        m_ready = keys;
        m_more = result.isTruncated;
        if (m_more) {
            // parseListObjects() fills NextMarker from the last key when the server omits it.
            const QString next = result.nextMarker;
            if (next.isEmpty() || next == m_params.marker) {
                m_more = false;
                m_listError = Error(Error::Kind::Parse,
                                    u"The listing is truncated but has no new NextMarker"_s);
            }
            m_params.marker = next;
        }
    });
    connect(page, &Job::finished, this, [this, page] {
        page->deleteLater();
        m_listing = nullptr;
        if (isFinished())
            return;
        if (page->error()) {
            finish(page->error());
            return;
        }
        if (m_listError) {
            finish(m_listError);
            return;
        }
        pump();
    });
    page->start();
}

void DeletePrefixJob::deleteKeys(const QStringList &keys)
{
    if (m_dryRun) {
        m_deleted += keys.size();
        Q_EMIT deleted(keys);
        QMetaObject::invokeMethod(this, &DeletePrefixJob::pump, Qt::QueuedConnection);
        return;
    }
    auto *job = new DeleteObjectsJob(m_client, m_bucket, keys, this);
    m_deleting = job;
    connect(job, &Job::finished, this, [this, job, keys] {
        job->deleteLater();
        m_deleting = nullptr;
        if (isFinished())
            return;
        if (job->error()) {
            finish(job->error());
            return;
        }
        QStringList gone = keys;
        for (const DeleteFailure &f : job->failures())
            gone.removeOne(f.key);
        m_deleted += gone.size();
        if (m_failures.size() < MaxKeptFailures) {
            m_failures += job->failures().mid(0, MaxKeptFailures - m_failures.size());
        }
        m_failureCount += job->failures().size();
        if (!job->failures().isEmpty())
            Q_EMIT failed(job->failures());
        if (!gone.isEmpty())
            Q_EMIT deleted(gone);
        pump();
    });
    job->start();
}

// --- PresignJob --------------------------------------------------------------------------------

PresignJob::PresignJob(Client *client, const QByteArray &method, const QString &bucket,
                       const QString &key, int expiresSeconds, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_method(method.toUpper())
    , m_bucket(bucket)
    , m_key(key)
    , m_expires(expiresSeconds)
{ }

PresignJob::~PresignJob()
{
    doAbort();
}

void PresignJob::doAbort()
{
    if (QNetworkReply *probe = m_probe.data()) {
        m_probe.clear();
        probe->disconnect(this);
        probe->abort();
        probe->deleteLater();
    }
}

void PresignJob::doStart()
{
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    const RequestBuilder &builder = m_client->builder();
    BuildResult build;
    if (m_method == "GET") {
        build = builder.getObject(m_bucket, m_key);
    } else if (m_method == "PUT") {
        PutObjectParams params;
        params.contentLength = 0; // only Host is signed: the uploader may send any length
        build = builder.putObject(m_bucket, m_key, params);
    } else if (m_method == "HEAD") {
        build = builder.headObject(m_bucket, m_key);
    } else if (m_method == "DELETE") {
        build = builder.deleteObject(m_bucket, m_key);
    } else {
        finish(Error(Error::Kind::InvalidInput,
                     u"Cannot presign method %1 (use GET, PUT, HEAD or DELETE)"_s.arg(
                             QString::fromLatin1(m_method))));
        return;
    }
    if (!build.ok()) {
        finish(build.error);
        return;
    }
    if (m_offline)
        m_localClockReason = u"offline: the server's time was not asked for"_s;
    if (m_offline || m_client->clock().hasServerTime())
        sign(build.request);
    else
        learnServerTime(build.request);
}

void PresignJob::learnServerTime(const HttpRequest &request)
{
    // Unsigned, so a skewed clock cannot spoil it; any answer carries the server's Date.
    QNetworkRequest probe(request.networkUrl());
    probe.setRawHeader("Host"_ba, request.hostHeader());
    if (!request.connectHost.isEmpty())
        probe.setPeerVerifyName(request.host);
    probe.setRawHeader("Accept-Encoding"_ba, "identity"_ba);
    probe.setHeader(QNetworkRequest::UserAgentHeader, m_client->userAgent());
    probe.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                       QNetworkRequest::ManualRedirectPolicy);
    const int timeout = m_client->transferTimeout();
    probe.setTransferTimeout(timeout > 0 ? std::min(timeout, 15000) : 15000);
    QNetworkReply *reply = m_client->networkAccessManager()->head(probe);
    m_probe = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, request] {
        m_probe.clear();
        reply->deleteLater();
        if (isFinished() || !m_client)
            return;
        const QByteArray date = reply->rawHeader("Date"_ba);
        if (!m_client->clock().adjustToDateHeader(date, Clock::SkewErrorThresholdSeconds)
            && !m_client->clock().hasServerTime()) {
            m_localClockReason = date.isEmpty()
                    ? u"no server time: %1"_s.arg(reply->error() == QNetworkReply::NoError
                                                          ? u"the answer had no Date header"_s
                                                          : reply->errorString())
                    : u"the server's Date header could not be read"_s;
        }
        sign(request);
    });
}

void PresignJob::sign(const HttpRequest &request)
{
    m_client->credentials()->request(this, [this, request](const Credentials &c, const Error &e) {
        if (isFinished())
            return;
        if (e || !m_client) {
            finish(e ? e : clientDestroyed());
            return;
        }
        const PresignedUrl url = RequestSigner::presign(request, c, m_client->clock().nowSeconds(),
                                                        m_expires);
        if (!url.ok()) {
            finish(url.error);
            return;
        }
        m_url = url.url;
        finish();
    });
}

// --- CopyPrefixJob -----------------------------------------------------------------------------

CopyPrefixJob::CopyPrefixJob(Client *client, const QString &bucket, const QString &sourcePrefix,
                             const QString &destinationPrefix, bool move, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_bucket(bucket)
    , m_source(sourcePrefix)
    , m_destination(destinationPrefix)
    , m_move(move)
{
    m_params.prefix = sourcePrefix;
    m_params.maxKeys = RequestBuilder::MaxDeleteKeys;
}

void CopyPrefixJob::doStart()
{
    if (m_source.isEmpty()) {
        finish(Error(Error::Kind::InvalidInput, u"the source prefix is empty"_s));
        return;
    }
    if (m_destination == m_source) {
        finish(Error(Error::Kind::InvalidInput,
                     u"the source and the destination are the same (%1)"_s.arg(m_source)));
        return;
    }
    if (m_destination.startsWith(m_source)) {
        finish(Error(Error::Kind::InvalidInput,
                     u"%1 cannot go into itself (%2)"_s.arg(m_source, m_destination)));
        return;
    }
    pump();
}

void CopyPrefixJob::doAbort()
{
    // Disconnected first: the handlers would otherwise count the aborts and start more work.
    QList<QPointer<Job>> jobs = std::exchange(m_running, {});
    jobs << QPointer<Job>(m_listing) << QPointer<Job>(m_deleting);
    for (const QPointer<Job> &j : std::as_const(jobs)) {
        if (!j)
            continue;
        disconnect(j, nullptr, this, nullptr);
        j->abort();
        j->deleteLater();
    }
}

void CopyPrefixJob::fail(const QString &key, const Error &error)
{
    if (!m_firstError)
        m_firstError = error;
    ++m_failureCount;
    if (m_failures.size() < MaxKeptFailures)
        m_failures.append({key, error.code(), error.toString()});
}

void CopyPrefixJob::pump()
{
    if (isFinished())
        return;
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    while (m_running.size() < m_inFlight && !m_queue.isEmpty()) {
        copyNext();
        if (isFinished())
            return;
    }
    if (!m_running.isEmpty() || m_listing || m_deleting)
        return;
    // The page is done: on a move, its copied keys go before the next page is listed.
    if (m_move && !m_copiedOfPage.isEmpty()) {
        const QStringList keys = std::exchange(m_copiedOfPage, {});
        auto *job = new DeleteObjectsJob(m_client, m_bucket, keys, this);
        m_deleting = job;
        connect(job, &Job::finished, this, [this, job, keys] {
            job->deleteLater();
            m_deleting = nullptr;
            if (isFinished())
                return;
            if (job->error()) {
                for (const QString &key : keys)
                    fail(key, job->error());
            }
            for (const DeleteFailure &f : job->failures()) {
                fail(f.key, Error::service(403, f.code, f.message));
            }
            pump();
        });
        job->start();
        return;
    }
    if (m_more) {
        listPage();
        return;
    }
    if (m_failureCount > 0) {
        Error e(m_firstError.kind() == Error::Kind::None ? Error::Kind::Io : m_firstError.kind(),
                u"%1 of %2 keys failed; the first: %3: %4"_s.arg(m_failureCount)
                        .arg(m_failureCount + m_copied)
                        .arg(m_failures.isEmpty() ? QString() : m_failures.constFirst().key,
                             m_firstError.toString()));
        e.setHttpStatus(m_firstError.httpStatus()).setCode(m_firstError.code());
        finish(e);
        return;
    }
    finish();
}

void CopyPrefixJob::listPage()
{
    auto *page = new ListObjectsJob(m_client, m_bucket, m_params, 1, this);
    m_listing = page;
    connect(page, &Job::finished, this, [this, page] {
        page->deleteLater();
        m_listing = nullptr;
        if (isFinished())
            return;
        if (page->error()) {
            finish(page->error());
            return;
        }
        const ListObjectsResult &result = page->result();
        for (const ObjectInfo &o : result.objects)
            m_queue.append(o.key);
        m_more = result.isTruncated;
        if (m_more) {
            const QString next = result.nextMarker;
            if (next.isEmpty() || next == m_params.marker) {
                finish(Error(Error::Kind::Parse,
                             u"The listing is truncated but has no new NextMarker"_s));
                return;
            }
            m_params.marker = next;
        }
        pump();
    });
    page->start();
}

void CopyPrefixJob::copyNext()
{
    const QString key = m_queue.takeFirst();
    const QString target = m_destination + key.mid(m_source.size());
    CopyObjectJob *job = m_client->copyObject(m_bucket, target, m_bucket, key, this);
    m_running.append(job);
    connect(job, &Job::finished, this, [this, job, key] {
        job->deleteLater();
        m_running.removeOne(job);
        if (isFinished())
            return;
        if (job->error()) {
            fail(key, job->error());
        } else {
            ++m_copied;
            if (m_move)
                m_copiedOfPage.append(key);
        }
        Q_EMIT progressChanged();
        pump();
    });
    job->start();
}

} // namespace Cos
