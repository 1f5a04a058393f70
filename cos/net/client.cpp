#include "cos/net/client.h"

#include "cos/net/credentialprovider.h"
#include "cos/net/directupload.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/net/requestjournal.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QUrl>
#if QT_CONFIG(ssl)
#    include <QSslCertificate>
#    include <QSslConfiguration>
#endif

#include <atomic>

using namespace Qt::StringLiterals;

namespace Cos {

Client::Client(const Endpoint &endpoint, CredentialProvider *provider, QObject *parent)
    : QObject(parent)
    , m_builder(endpoint)
    , m_manager(new QNetworkAccessManager(this))
    , m_directPool(new DirectConnectionPool(this))
    , m_userAgent("cosdemo/" COS_PROJECT_VERSION)
{
    // A way back to the QNetworkAccessManager path (to compare, or to rule the direct path out).
    const QString direct = qEnvironmentVariable("COS_DIRECT_UPLOADS").trimmed().toLower();
    m_directUploads = !(direct == "0"_L1 || direct == "false"_L1 || direct == "off"_L1
                        || direct == "no"_L1);
    // Signed requests are never replayed to another host; jobs also set this per request.
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_manager->setAutoDeleteReplies(false);
    QString caError;
    if (!addTrustedCaFileFromEnvironment(&caError))
        qWarning("%s", qPrintable(caError));
    setCredentialProvider(provider);
}

bool Client::addTrustedCaFile(const QString &pemFile, QString *error)
{
#if QT_CONFIG(ssl)
    QFile file(pemFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the CA file %1: %2"_s.arg(pemFile, file.errorString());
        return false;
    }
    if (file.size() > 16 * 1024 * 1024) {
        *error = u"the CA file %1 is larger than 16 MiB"_s.arg(pemFile);
        return false;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty()) {
        *error = u"the CA file %1 holds no PEM certificate"_s.arg(pemFile);
        return false;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    // An explicit CA list replaces the system store that is otherwise loaded on demand:
    // start from the system roots so that they stay trusted.
    QList<QSslCertificate> cas = config.caCertificates();
    if (cas.isEmpty())
        cas = QSslConfiguration::systemCaCertificates();
    for (const QSslCertificate &c : certificates) {
        if (!cas.contains(c))
            cas.append(c);
    }
    config.setCaCertificates(cas);
    QSslConfiguration::setDefaultConfiguration(config);
    return true;
#else
    Q_UNUSED(pemFile)
    *error = u"this Qt build has no TLS support; a CA file cannot be used"_s;
    return false;
#endif
}

bool Client::addTrustedCaFileFromEnvironment(QString *error)
{
    static std::atomic<bool> done {false};
    const QString file = qEnvironmentVariable("COS_CA_FILE");
    if (file.isEmpty() || done.exchange(true))
        return true;
    if (!addTrustedCaFile(file, error)) {
        *error = u"COS_CA_FILE: "_s + *error;
        return false;
    }
    return true;
}

void Client::setCredentialProvider(CredentialProvider *provider)
{
    delete m_credentials;
    if (m_provider != provider)
        delete m_provider;
    m_provider = provider;
    if (m_provider) {
        m_provider->setParent(this);
        m_provider->setClock(&m_clock);
        m_provider->setJournal(m_journal);
    }
    m_credentials = new CredentialCache(m_provider, &m_clock, this);
}

void Client::setJournal(RequestJournal *journal)
{
    m_journal = journal;
    if (m_provider)
        m_provider->setJournal(journal);
}

Client::~Client()
{
    // Jobs and the cache refer to the clock, a member: let them go first.
    delete m_credentials;
    m_credentials = nullptr;
    const auto jobs = findChildren<Job *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(jobs);
}

bool Client::usesDirectUpload(const QUrl &url) const
{
    if (!m_directUploads)
        return false;
    const QString scheme = url.scheme();
    if (scheme != "http"_L1 && scheme != "https"_L1)
        return false;
    return DirectConnectionPool::managerUsesNoProxy(m_manager, url);
}

RequestJob *Client::newRequestJob(const BuildResult &build, QObject *parent)
{
    return new RequestJob(this, build, parent ? parent : this);
}

ListBucketsJob *Client::listBuckets(const QString &region, QObject *parent)
{
    ListBucketsParams params;
    params.region = region;
    return new ListBucketsJob(this, params, parent ? parent : this);
}

ListObjectsJob *Client::listObjects(const QString &bucket, const ListObjectsParams &params,
                                    int maxPages, QObject *parent)
{
    return new ListObjectsJob(this, bucket, params, maxPages, parent ? parent : this);
}

RequestJob *Client::createBucket(const QString &bucket, const QString &acl, QObject *parent)
{
    return newRequestJob(m_builder.putBucket(bucket, acl), parent);
}

RequestJob *Client::deleteBucket(const QString &bucket, QObject *parent)
{
    return newRequestJob(m_builder.deleteBucket(bucket), parent);
}

CopyObjectJob *Client::copyObject(const QString &bucket, const QString &key,
                                  const QString &sourceBucket, const QString &sourceKey,
                                  QObject *parent)
{
    return new CopyObjectJob(this, m_builder.copyObject(bucket, key, sourceBucket, sourceKey),
                             parent ? parent : this);
}

RequestJob *Client::deleteObject(const QString &bucket, const QString &key, QObject *parent)
{
    return newRequestJob(m_builder.deleteObject(bucket, key), parent);
}

DeleteObjectsJob *Client::deleteObjects(const QString &bucket, const QStringList &keys,
                                        QObject *parent)
{
    return new DeleteObjectsJob(this, bucket, keys, parent ? parent : this);
}

HeadObjectJob *Client::headObject(const QString &bucket, const QString &key,
                                  const GetObjectParams &params, QObject *parent)
{
    return new HeadObjectJob(this, m_builder.headObject(bucket, key, params),
                             parent ? parent : this);
}

PresignJob *Client::presign(const QByteArray &method, const QString &bucket, const QString &key,
                            int expiresSeconds, QObject *parent)
{
    return new PresignJob(this, method, bucket, key, expiresSeconds, parent ? parent : this);
}

} // namespace Cos
