#include "appcontroller.h"

#include "bucketlistmodel.h"
#include "embeddedsigner.h"
#include "networklogmodel.h"
#include "objectlistmodel.h"
#include "pickedfilestager.h"
#include "presentation.h"
#include "regionlistmodel.h"
#include "secretstore.h"
#include "transferlistmodel.h"

#include "cos/net/client.h"
#include "cos/net/clientconfig.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"
#include "cos/transfer/downloadtask.h"
#include "cos/transfer/uploadtask.h"

#include <QClipboard>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJSEngine>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QQmlEngine>
#include <QStandardPaths>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
const QString SecretKeyName = u"secretKey"_s;
const QString BearerTokenName = u"bearerToken"_s;
const QString SecretIdName = u"secretId"_s;
} // namespace

AppController *AppController::s_instance = nullptr;

AppController::AppController(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_settings(new AppSettings(this))
    , m_secrets(secrets ? secrets : SecretStore::createDefault(this))
    , m_signerNetwork(new QNetworkAccessManager(this))
    , m_regions(new RegionListModel(this))
    , m_buckets(new BucketListModel(this))
    , m_objects(new ObjectListModel(this))
    , m_transfers(new TransferListModel(this))
    , m_picked(PickedFileStager::createForPlatform(this))
    , m_networkLog(new NetworkLogModel(this))
    , m_actions(new ObjectActions(
              m_objects,
              [this](const QString &region, QString *error) {
                  Cos::Client *client = clientFor(region);
                  if (!client)
                      *error = m_connectionError;
                  return client;
              },
              this))
    , m_previews(new PreviewProvider([this](const QString &region) { return clientFor(region); },
                                     this))
{
    connect(m_transfers, &TransferListModel::uploadSourceReleased, m_picked,
            [this](const QString &localPath) { m_picked->release(localPath); });
    connect(m_actions, &ObjectActions::notify, this, &AppController::notify);
    connect(m_actions, &ObjectActions::operationFailed, this, &AppController::operationFailed);
    connect(m_actions, &ObjectActions::bucketDeleted, this, [this](const QString &bucket) {
        if (m_objects->bucket() == bucket)
            m_objects->clear();
        if (m_buckets->isLoaded() || m_buckets->isLoading())
            m_buckets->reload();
    });
    m_secrets->setParent(this);
    // The signing URL may use a private CA (COS_CA_FILE): trusted before the first fetch, which
    // can come before any Client exists.
    QString caError;
    if (!Cos::Client::addTrustedCaFileFromEnvironment(&caError))
        qWarning("%s", qPrintable(caError));
    m_transfers->setTaskFactory(
            [this](const TransferListModel::Record &record, QString *error) -> Cos::TransferTask * {
                Cos::Client *client = clientFor(record.region);
                if (!client) {
                    *error = m_connectionError.isEmpty() ? tr("Not connected: check Settings.")
                                                         : m_connectionError;
                    return nullptr;
                }
                if (record.direction == TransferListModel::Direction::Upload)
                    return new Cos::UploadTask(client, record.localPath, record.bucket, record.key);
                return new Cos::DownloadTask(client, record.bucket, record.key, record.localPath);
            });
    // One message per batch (when nothing runs or waits any more), not one per file.
    connect(m_transfers, &TransferListModel::batchFinished, this,
            [this](int succeeded, int failed, const QString &firstFailure) {
                if (failed == 0)
                    Q_EMIT notify(tr("%n transfer(s) finished", nullptr, succeeded));
                else if (failed == 1 && succeeded == 0)
                    Q_EMIT operationFailed(firstFailure);
                else
                    Q_EMIT operationFailed(
                            tr("%n transfer(s) failed", nullptr, failed)
                            + (succeeded > 0 ? tr(", %n finished", nullptr, succeeded) : QString())
                            + u". "_s + tr("First: %1").arg(firstFailure));
            });
    connect(m_transfers, &TransferListModel::transferFinished, this,
            [this](const QString &, bool ok, const QString &) {
                if (ok && m_objects->client())
                    m_objects->refresh();
            });
    for (const QueryModel *model :
         {static_cast<QueryModel *>(m_objects), static_cast<QueryModel *>(m_buckets)}) {
        connect(model, &QueryModel::errorMessageChanged, this,
                [this, model] { updateProblem(model); });
        connect(model, &QueryModel::loadedChanged, this, [this, model] { updateProblem(model); });
    }
    connect(this, &AppController::connectionChanged, this, [this] { Q_EMIT problemChanged(); });
    connect(m_buckets, &BucketListModel::scopeChanged, this, &AppController::applyScope);
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    // Mobile systems cut the sockets of a suspended app: pause cleanly (checkpoints saved) and
    // resume what was running when the app comes back.
    connect(qGuiApp, &QGuiApplication::applicationStateChanged, this,
            [this](Qt::ApplicationState state) {
                if (state == Qt::ApplicationSuspended && m_transfers->activeCount() > 0) {
                    m_resumeOnActive = true;
                    m_transfers->pauseAll();
                } else if (state == Qt::ApplicationActive && m_resumeOnActive) {
                    m_resumeOnActive = false;
                    m_transfers->resumeAll();
                }
            });
#endif
}

AppController::~AppController()
{
    m_transfers->detachTasks();
    dropClients();
    if (s_instance == this)
        s_instance = nullptr;
}

QString AppController::version() const
{
    return QStringLiteral(COS_PROJECT_VERSION);
}

QString AppController::secretStoreName() const
{
    return m_secrets->backendName();
}

bool AppController::desktopFileDialogs() const
{
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    return false;
#else
    return true;
#endif
}

void AppController::start()
{
    if (m_started)
        return;
    m_started = true;
    m_settings->load();
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    m_transfers->setStateFile(dataDir + u"/transfers.json"_s);
    m_transfers->restore();
    m_picked->prune(m_transfers->uploadSources());
    reconnect();
}

void AppController::dropClients()
{
    m_transfers->detachTasks();
    m_actions->batches()->pauseAll();
    m_buckets->setClient(nullptr);
    m_objects->clear();
    qDeleteAll(m_regionClients);
    m_regionClients.clear();
    delete m_client;
    m_client = nullptr;
}

void AppController::updateProblem(const QueryModel *model)
{
    if (!model->isLoaded())
        return;
    if (Presentation::blocksEverything(model->cause()))
        setProblem(model->errorTitle(), model->errorCause());
    else if (model->errorMessage().isEmpty())
        setProblem({}, {}); // a listing worked: signer, keys and endpoint are fine
}

void AppController::setProblem(const QString &problem, const QString &cause)
{
    if (m_problem == problem && m_problemCause == cause)
        return;
    m_problem = problem;
    m_problemCause = cause;
    Q_EMIT problemChanged();
}

void AppController::setConnection(Cos::Client *client, const QString &summary, const QString &error)
{
    m_client = client;
    m_networkLog->setSigningClient(client);
    if (!client)
        setProblem({}, {});
    m_summary = summary;
    m_connectionError = error;
    Q_EMIT connectionChanged();
    updateCredentialInfo();
}

AppController::ProviderConfig AppController::currentProviderConfig() const
{
    ProviderConfig c;
    c.source = m_settings->credentialSource();
    c.signingUrl = QUrl(m_settings->signingUrl().trimmed());
    c.bearerToken = m_bearerToken.toUtf8();
    c.secretId = m_settings->secretId();
    c.secretKey = m_settings->keysFromEnvironment() ? m_settings->environmentSecretKey()
                                                    : m_secretKey;
    c.sessionToken = m_settings->environmentSessionToken();
    c.signer = m_settings->embeddedSignerOptions();
    c.dialect = m_settings->dialect();
    c.region = m_settings->defaultRegion().trimmed();
    c.appId = m_settings->appId().trimmed();
    c.defaultBucket = m_settings->defaultBucket().trimmed();
    return c;
}

Cos::CredentialProvider *AppController::makeProvider(const ProviderConfig &config, QString *error)
{
    Cos::Credentials credentials;
    credentials.secretId = config.secretId;
    credentials.secretKey = config.secretKey;
    // The embedded signer's messages are worded for the Settings page's fields.
    if (config.source == AppSettings::EmbeddedSigner)
        return config.signer.makeProvider(credentials, config.dialect, config.region, config.appId,
                                          config.defaultBucket, error);
    // The engine's one configuration path: the settings mapped onto a ClientConfig.
    Cos::ClientConfig c;
    if (config.source == AppSettings::SigningUrl) {
        c.signingUrl = config.signingUrl.toString(QUrl::FullyEncoded);
        c.bearerToken = QString::fromUtf8(config.bearerToken);
    } else {
        c.keys = credentials;
        c.keys.sessionToken = config.sessionToken;
        c.keysOrigin = tr("no signer");
    }
    Cos::Error e;
    Cos::CredentialProvider *provider = c.makeProvider(m_signerNetwork, &e);
    if (!provider && error)
        *error = e.message();
    return provider;
}

void AppController::updateCredentialInfo()
{
    QVariantMap info;
    if (m_client) {
        const Cos::CredentialProvider *provider = m_client->credentialProvider();
        info.insert(u"source"_s, provider->description());
        info.insert(u"granted"_s, m_grantedScope);
        if (const std::optional<Cos::Credentials> c = m_client->credentials()->cached()) {
            info.insert(u"keyId"_s, Cos::maskKeyId(c->secretId));
            info.insert(u"temporary"_s, c->expiredTime > 0);
            info.insert(u"expires"_s,
                        c->expiredTime > 0 ? Presentation::formatDate(
                                QDateTime::fromSecsSinceEpoch(c->expiredTime, Qt::UTC))
                                           : QString());
        }
    }
    if (info == m_credentialInfo)
        return;
    m_credentialInfo = info;
    Q_EMIT credentialInfoChanged();
}

void AppController::reconnect()
{
    const quint64 serial = ++m_connectSerial;
    dropClients();
    setConnection(nullptr, {}, {});
    if (!m_settings->isConfigured()) {
        setConnection(nullptr, {},
                      tr("Not configured yet: open Settings and enter a signing URL or keys."));
        return;
    }
    // Secrets first (asynchronous: the keychain may ask the user), then the clients.
    const QString tokenFromEnv = m_settings->environmentBearerToken();
    m_secrets->read(BearerTokenName, this,
                    [this, serial, tokenFromEnv](const QString &token, const QString &) {
                        if (serial != m_connectSerial)
                            return;
                        m_bearerToken = tokenFromEnv.isEmpty() ? token : tokenFromEnv;
                        m_secrets->read(SecretKeyName, this,
                                        [this, serial](const QString &key, const QString &error) {
                                            if (serial != m_connectSerial)
                                                return;
                                            m_secretKey = key;
                                            Q_EMIT secretsChanged();
                                            const bool needKeys = m_settings->credentialSource()
                                                            != AppSettings::SigningUrl
                                                    && !m_settings->keysFromEnvironment();
                                            if (!error.isEmpty() && needKeys) {
                                                setConnection(nullptr, {}, error);
                                                return;
                                            }
                                            if (!needKeys) {
                                                connectWithSecrets();
                                                return;
                                            }
                                            m_secrets->read(SecretIdName, this,
                                                            [this, serial](const QString &id,
                                                                           const QString &) {
                                                                if (serial != m_connectSerial)
                                                                    return;
                                                                m_settings->setSecretId(id);
                                                                connectWithSecrets();
                                                            });
                                        });
                    });
}

void AppController::connectWithSecrets()
{
    Cos::Error error;
    const Cos::Endpoint endpoint = m_settings->endpoint(&error);
    if (error) {
        setConnection(nullptr, {},
                      Presentation::errorText(error, Presentation::Operation::TestConnection));
        return;
    }
    const ProviderConfig config = currentProviderConfig();
    if (config.source != AppSettings::SigningUrl && config.secretKey.isEmpty()) {
        setConnection(nullptr, {},
                      config.source == AppSettings::EmbeddedSigner
                              ? tr("No SecretKey is stored: the embedded signer needs the "
                                   "permanent keys (enter them in Settings, or set "
                                   "COS_SIGNER_SECRET_ID and COS_SIGNER_SECRET_KEY).")
                              : tr("No SecretKey is stored: enter the keys in Settings (or set "
                                   "COS_SECRET_ID and COS_SECRET_KEY)."));
        return;
    }
    QString problem;
    Cos::CredentialProvider *provider = makeProvider(config, &problem);
    if (!provider) {
        setConnection(nullptr, {}, problem);
        return;
    }
    // What the embedded signer's keys allow: shown in Settings and named when a request is
    // refused, and the folder the app opens.
    Location granted;
    m_grantedScope.clear();
    if (auto *embedded = qobject_cast<Signer::EmbeddedCredentialProvider *>(provider)) {
        m_grantedScope = embedded->grantDescription();
        Signer::IssueRequest request;
        if (!embedded->signer()->core()->defaultRequest(embedded->uid(), &request)
            && !request.scopes.isEmpty())
            granted = {request.scopes.constFirst().bucket, request.scopes.constFirst().region,
                       request.scopes.constFirst().prefix};
    }
    Presentation::setGrantedScope(m_grantedScope);
    auto *client = new Cos::Client(endpoint, provider, this);
    m_networkLog->attach(client);
    const bool s3 = endpoint.dialect == Cos::Dialect::S3;
    const QString where = s3
            ? u"S3 %1://%2%3"_s.arg(endpoint.scheme, endpoint.host,
                                    endpoint.port > 0 ? u":"_s + QString::number(endpoint.port)
                                                      : QString())
            : u"COS %1"_s.arg(endpoint.region);
    QString creds;
    if (config.source == AppSettings::SigningUrl)
        creds = tr("temporary keys from %1").arg(client->credentialProvider()->description());
    else if (config.source == AppSettings::EmbeddedSigner)
        creds = tr("temporary keys from the embedded signer (development)");
    else
        creds = m_settings->keysFromEnvironment() ? tr("permanent keys from the environment")
                                                  : tr("permanent keys, no signer (development)");
    connect(client->credentials(), &Cos::CredentialCache::credentialsChanged, this, [this, client] {
        if (client == m_client)
            updateCredentialInfo();
    });
    setConnection(client, tr("%1 · %2").arg(where, creds), {});
    updateCredentialInfo();
    m_regionClients.insert(endpoint.region, client);
    m_regions->setRegions(client->regions(), s3, endpoint.region);
    // After Save the open folder stays open (when the new settings still reach it); the
    // embedded signer's keys open at the granted folder.
    const Location keep = std::exchange(m_keepLocation, {});
    if (!keep.bucket.isEmpty()) {
        if (Cos::Client *c = clientFor(keep.region))
            m_objects->setLocation(c, keep.bucket, keep.region, keep.prefix);
    } else if (!granted.bucket.isEmpty()) {
        if (Cos::Client *c = clientFor(granted.region))
            m_objects->setLocation(c, granted.bucket, granted.region, granted.prefix);
    } else {
        openDefaultBucket();
    }
    m_buckets->setClient(client);
}

Cos::Client *AppController::clientFor(const QString &region)
{
    if (!m_client)
        return nullptr;
    if (region.isEmpty() || m_client->endpoint().dialect == Cos::Dialect::S3)
        return m_client;
    if (Cos::Client *c = m_regionClients.value(region))
        return c;
    Cos::Endpoint endpoint = m_client->endpoint();
    endpoint.region = region;
    QString problem;
    Cos::CredentialProvider *provider = makeProvider(currentProviderConfig(), &problem);
    if (!provider) {
        qWarning("%s", qPrintable(problem));
        return nullptr;
    }
    auto *client = new Cos::Client(endpoint, provider, this);
    m_networkLog->attach(client);
    m_regionClients.insert(region, client);
    return client;
}

void AppController::openRegion(const QString &region)
{
    m_buckets->setRegion(region);
}

void AppController::openBucket(const QString &bucket, const QString &region)
{
    Cos::Client *client = clientFor(region);
    if (!client) {
        Q_EMIT operationFailed(m_connectionError.isEmpty() ? tr("Not connected: check Settings.")
                                                           : m_connectionError);
        return;
    }
    // Keys limited to a prefix may not list the bucket's root: open at the granted folder.
    const Cos::CredentialScope::Grant *grant = m_buckets->scope().grantFor(bucket);
    m_objects->setLocation(client, bucket, region.isEmpty() ? client->endpoint().region : region,
                           grant ? grant->prefix : QString());
}

void AppController::applyScope()
{
    // The signer named what the keys allow: a bucket opened before that at its root (the
    // default bucket) moves to the granted folder, and with no bucket open the first granted
    // one opens.
    const Cos::CredentialScope &scope = m_buckets->scope();
    if (scope.isEmpty() || !m_client)
        return;
    const QString open = m_objects->bucket();
    if (open.isEmpty()) {
        const Cos::CredentialScope::Grant &first = scope.grants.constFirst();
        openBucket(first.bucket, first.region);
        return;
    }
    const Cos::CredentialScope::Grant *grant = scope.grantFor(open);
    if (grant && !grant->prefix.isEmpty() && m_objects->prefix().isEmpty())
        openBucket(open, m_objects->region());
}

bool AppController::openDefaultBucket()
{
    const QString bucket = m_settings->defaultBucket().trimmed();
    if (bucket.isEmpty() || !m_client)
        return false;
    openBucket(bucket, m_settings->defaultRegion());
    return true;
}

QString AppController::fullBucketName(const QString &name) const
{
    Cos::Error e;
    const Cos::Endpoint ep = m_settings->endpoint(&e);
    return ep.fullBucketName(name.trimmed());
}

QString AppController::validateBucketName(const QString &input) const
{
    const QString name = input.trimmed();
    if (name.isEmpty())
        return tr("Enter a bucket name.");
    Cos::Error e;
    const Cos::Endpoint ep = m_settings->endpoint(&e);
    if (ep.dialect == Cos::Dialect::S3) {
        if (name.size() < 3 || name.size() > 63)
            return tr("A bucket name has 3 to 63 characters.");
    } else {
        const QString appId = ep.appId;
        const QString suffix = u"-"_s + appId;
        const QString base = !appId.isEmpty() && name.endsWith(suffix) ? name.chopped(suffix.size())
                                                                       : name;
        for (const QChar c : base) {
            if (!(c.isDigit() || (c >= u'a' && c <= u'z') || c == u'-'))
                return tr("Use only lower-case letters a-z, digits and '-' (found \"%1\").").arg(c);
        }
        if (base.startsWith(u'-') || base.endsWith(u'-'))
            return tr("The name must not start or end with '-'.");
        if (appId.isEmpty())
            return tr("Set your APPID in Settings: COS bucket names end in -APPID.");
        const QString full = base + suffix;
        if (full.size() > 50)
            return tr("Too long: \"%1\" has %2 characters; with -APPID at most 50 are allowed "
                      "(so at most %3 before the suffix).")
                    .arg(full)
                    .arg(full.size())
                    .arg(50 - suffix.size());
    }
    const Cos::Error error = ep.validateBucket(name);
    return error ? error.message() : QString();
}

void AppController::createBucket(const QString &name, const QString &region, const QString &acl)
{
    const QString problem = validateBucketName(name);
    if (!problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    Cos::Client *client = clientFor(region);
    if (!client) {
        Q_EMIT operationFailed(tr("Not connected: check Settings."));
        return;
    }
    const QString full = client->endpoint().fullBucketName(name.trimmed());
    Cos::RequestJob *job = client->createBucket(name.trimmed(), acl, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, full, region] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::CreateBucket,
                                                           full));
            return;
        }
        Q_EMIT notify(tr("Bucket %1 created").arg(full));
        Q_EMIT bucketCreated(full, region);
        m_buckets->reload();
    });
    job->start();
}

QString AppController::validateFolderName(const QString &name) const
{
    if (name.isEmpty())
        return tr("Enter a name.");
    if (name.contains(u'/') || name.contains(u'\\'))
        return tr("A folder name cannot contain / or \\.");
    if (name == "."_L1 || name == ".."_L1)
        return tr("\".\" and \"..\" are not folder names.");
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return tr("A folder name cannot contain control characters.");
    }
    // Keys are at most 1024 UTF-8 bytes (S3 and COS); leave the rest for the files in it.
    const qsizetype bytes = name.toUtf8().size();
    if (bytes > 255)
        return tr("At most 255 bytes in UTF-8; this name has %1.").arg(bytes);
    return {};
}

void AppController::createFolder(const QString &name)
{
    const QString problem = validateFolderName(name);
    if (!problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty()) {
        Q_EMIT operationFailed(tr("Open a bucket first."));
        return;
    }
    const QString key = m_objects->prefix() + name + u'/';
    Cos::PutObjectParams params;
    params.contentLength = 0;
    Cos::RequestJob *job = client->newRequestJob(client->builder().putObject(bucket, key, params),
                                                 this);
    job->setBody(QByteArray());
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, bucket, key, name] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::Upload,
                                                           bucket + u'/' + key));
            return;
        }
        Q_EMIT notify(tr("Folder %1 created").arg(name));
        Q_EMIT folderCreated(key);
        m_objects->refresh();
    });
    job->start();
}

void AppController::deleteObject(const QString &key, bool isFolder)
{
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty())
        return;
    if (!isFolder) {
        Cos::RequestJob *job = client->deleteObject(bucket, key, this);
        job->setAutoDelete(true);
        connect(job, &Cos::Job::finished, this, [this, job, key, bucket] {
            if (job->error()) {
                Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                               Presentation::Operation::Delete,
                                                               bucket + u'/' + key));
                return;
            }
            if (m_objects->bucket() == bucket)
                m_objects->removeKey(key);
            Q_EMIT notify(tr("Deleted %1").arg(key.section(u'/', -1)));
        });
        job->start();
        return;
    }
    // A folder is every key under its prefix: listed page by page and deleted 1,000 keys a
    // request, however many there are.
    auto *job = new Cos::DeletePrefixJob(client, bucket, key, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, bucket, key] {
        if (job->error() || job->failureCount() > 0) {
            const Cos::DeleteFailure first = job->failures().isEmpty() ? Cos::DeleteFailure()
                                                                       : job->failures().first();
            const Cos::Error e = job->error() ? job->error()
                                              : Cos::Error::service(403, first.code, first.message);
            Q_EMIT operationFailed(
                    Presentation::errorText(e, Presentation::Operation::Delete,
                                            bucket + u'/'
                                                    + (first.key.isEmpty() ? key : first.key)));
            m_objects->refresh();
            return;
        }
        if (m_objects->bucket() == bucket)
            m_objects->removeKey(key);
        Q_EMIT notify(tr("Deleted folder %1 (%n object(s))", nullptr, int(job->deletedCount()))
                              .arg(key.chopped(1).section(u'/', -1)));
    });
    job->start();
}

void AppController::copyLink(const QString &key, int expiresSeconds)
{
    copyObjectLink(m_objects->bucket(), m_objects->region(), key, expiresSeconds);
}

void AppController::copyObjectLink(const QString &bucket, const QString &region, const QString &key,
                                   int expiresSeconds)
{
    Cos::Client *client = clientFor(region);
    if (!client || bucket.isEmpty()) {
        Q_EMIT operationFailed(m_connectionError.isEmpty() ? tr("Not connected: check Settings.")
                                                           : m_connectionError);
        return;
    }
    Cos::PresignJob *job = client->presign("GET"_ba, bucket, key, expiresSeconds, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, key, bucket, expiresSeconds] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::Presign,
                                                           bucket + u'/' + key));
            return;
        }
        const QString url = job->url().toString(QUrl::FullyEncoded);
        if (QGuiApplication::clipboard())
            QGuiApplication::clipboard()->setText(url);
        Q_EMIT linkCopied(url);
        Q_EMIT notify(
                tr("Link copied; valid for %1").arg(Presentation::formatDuration(expiresSeconds)));
    });
    job->start();
}

void AppController::fetchDetails(const QString &key)
{
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty()) {
        Q_EMIT detailsFailed(key, tr("Open a bucket first."));
        return;
    }
    Cos::HeadObjectJob *job = client->headObject(bucket, key, {}, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, key, bucket] {
        if (job->error()) {
            Q_EMIT detailsFailed(key,
                                 Presentation::errorText(job->error(),
                                                         Presentation::Operation::Download,
                                                         bucket + u'/' + key));
            return;
        }
        const Cos::ObjectMetadata &m = job->metadata();
        QStringList metadata;
        for (const auto &[name, value] : m.userMetadata)
            metadata.append(name + u": "_s + value);
        Q_EMIT detailsFetched(key,
                              {{u"sizeText"_s,
                                m.size < 0 ? QString()
                                           : tr("%1 (%2 bytes)")
                                                     .arg(Presentation::formatSize(m.size),
                                                          QLocale().toString(m.size))},
                               {u"modified"_s, Presentation::formatDate(m.lastModified)},
                               {u"contentType"_s, m.contentType},
                               {u"etag"_s, m.etag},
                               {u"storageClass"_s,
                                m.storageClass.isEmpty() ? tr("STANDARD") : m.storageClass},
                               {u"crc64"_s, m.crc64},
                               {u"metadata"_s, metadata.join(u'\n')}});
    });
    job->start();
}

void AppController::upload(const QList<QUrl> &files)
{
    const QString bucket = m_objects->bucket();
    if (!m_objects->client() || bucket.isEmpty()) {
        Q_EMIT operationFailed(tr("Open a bucket first."));
        return;
    }
    // Picked files that only a Qt file engine can read (Android content: URLs), or any file
    // on mobile, are copied into the cache first; see PickedFileStager.
    const QString region = m_objects->region();
    const QString prefix = m_objects->prefix();
    m_picked->stage(files,
                    [this, bucket, region, prefix](const QList<PickedFileStager::Staged> &staged) {
                        int added = 0;
                        for (const PickedFileStager::Staged &s : staged) {
                            if (!s.error.isEmpty()) {
                                Q_EMIT operationFailed(s.error);
                                continue;
                            }
                            TransferListModel::Record r;
                            r.direction = TransferListModel::Direction::Upload;
                            r.bucket = bucket;
                            r.region = region;
                            r.key = prefix + s.name;
                            r.localPath = s.localPath;
                            m_transfers->add(r);
                            ++added;
                        }
                        if (added > 0)
                            Q_EMIT notify(tr("%n upload(s) started", nullptr, added));
                    });
}

QUrl AppController::defaultDownloadFolder() const
{
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    // The sandboxed app can always write its own Documents folder.
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
#else
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
#endif
    if (dir.isEmpty())
        dir = QDir::homePath();
    return QUrl::fromLocalFile(dir);
}

void AppController::download(const QString &key, const QUrl &folder)
{
    const QString bucket = m_objects->bucket();
    if (!m_objects->client() || bucket.isEmpty())
        return;
    const QString dir = folder.isLocalFile() ? folder.toLocalFile() : folder.toString();
    if (!QFileInfo(dir).isDir() || !QFileInfo(dir).isWritable()) {
        Q_EMIT operationFailed(tr("Cannot write to %1: choose a folder you can write to.").arg(dir));
        return;
    }
    // Never overwrite: "name (1).ext", "name (2).ext", ...
    const QString name = key.section(u'/', -1);
    QString path = QDir(dir).filePath(name);
    const QFileInfo base(name);
    for (int i = 1; QFileInfo::exists(path) && i < 1000; ++i) {
        const QString suffix = base.completeSuffix().isEmpty() ? QString()
                                                               : u"."_s + base.completeSuffix();
        path = QDir(dir).filePath(u"%1 (%2)%3"_s.arg(base.baseName()).arg(i).arg(suffix));
    }
    TransferListModel::Record r;
    r.direction = TransferListModel::Direction::Download;
    r.bucket = bucket;
    r.region = m_objects->region();
    r.key = key;
    r.localPath = path;
    m_transfers->add(r);
    Q_EMIT notify(tr("Downloading %1 to %2").arg(name, QDir::toNativeSeparators(dir)));
}

void AppController::saveSettings(int source, const QString &signingUrl, const QString &bearerToken,
                                 bool clearBearerToken, const QString &dialect,
                                 const QString &endpointUrl, bool pathStyle, const QString &region,
                                 const QString &appId, const QString &secretId,
                                 const QString &secretKey, const QString &defaultBucket,
                                 const QVariantMap &endpointOptions,
                                 const QVariantMap &signerOptions)
{
    m_settings->setEmbeddedSignerOptions(EmbeddedSignerOptions::fromMap(signerOptions));
    const Cos::EndpointOptions options = AppSettings::endpointOptionsFromMap(endpointOptions);
    m_settings->setProtocol(options.protocol);
    m_settings->setDomain(options.domain);
    m_settings->setServiceDomain(options.serviceDomain);
    m_settings->setAccelerate(options.accelerate);
    m_settings->setInternal(options.internal);
    m_settings->setConnectTo(options.connectTo);
    m_settings->setBackupDomain(options.backupDomain);
    m_settings->setCredentialSource(AppSettings::CredentialSource(source));
    m_settings->setSigningUrl(signingUrl.trimmed());
    m_settings->setDialect(dialect);
    m_settings->setEndpointUrl(endpointUrl.trimmed());
    m_settings->setPathStyle(pathStyle);
    m_settings->setDefaultRegion(region.trimmed());
    m_settings->setAppId(appId.trimmed());
    m_settings->setDefaultBucket(defaultBucket.trimmed());
    const QString id = secretId.trimmed();
    if (!id.isEmpty())
        m_settings->setSecretId(id);
    m_settings->save();
    m_keepLocation = {m_objects->bucket(), m_objects->region(), m_objects->prefix()};

    // Secrets go to the store; the page forgets them. Reconnect once they are written.
    auto pending = std::make_shared<int>(0);
    auto failed = std::make_shared<QString>();
    const auto done = [this, pending, failed](const QString &error) {
        if (!error.isEmpty())
            *failed = error;
        if (--*pending > 0)
            return;
        if (!failed->isEmpty())
            Q_EMIT operationFailed(tr("The keys could not be stored: %1").arg(*failed));
        reconnect();
        Q_EMIT notify(tr("Settings saved"));
    };
    ++*pending; // held until every write is queued
    if (!secretKey.isEmpty()) {
        ++*pending;
        m_secrets->write(SecretKeyName, secretKey, this, done);
    }
    if (!id.isEmpty()) {
        ++*pending;
        m_secrets->write(SecretIdName, id, this, done);
    }
    if (!bearerToken.isEmpty()) {
        ++*pending;
        m_secrets->write(BearerTokenName, bearerToken, this, done);
    } else if (clearBearerToken) {
        ++*pending;
        m_secrets->remove(BearerTokenName, this, done);
    }
    done({});
}

void AppController::forgetSecrets()
{
    m_secrets->remove(SecretIdName, this, [](const QString &) {});
    m_secrets->remove(SecretKeyName, this, [this](const QString &) {
        m_secrets->remove(BearerTokenName, this, [this](const QString &) {
            m_secretKey.clear();
            m_bearerToken.clear();
            m_settings->setSecretId({});
            m_settings->save();
            Q_EMIT secretsChanged();
            Q_EMIT notify(tr("Stored keys removed"));
            reconnect();
        });
    });
}

void AppController::setTesting(bool testing)
{
    if (m_testing == testing)
        return;
    m_testing = testing;
    Q_EMIT testingChanged();
}

void AppController::finishTest(bool ok, const QString &message)
{
    if (m_testClient)
        m_testClient->deleteLater();
    m_testClient = nullptr;
    setTesting(false);
    Q_EMIT testFinished(ok, message);
}

void AppController::testConnection(int source, const QString &signingUrl,
                                   const QString &bearerToken, const QString &dialect,
                                   const QString &endpointUrl, bool pathStyle,
                                   const QString &region, const QString &appId,
                                   const QString &secretId, const QString &secretKey,
                                   const QString &defaultBucket, const QVariantMap &endpointOptions,
                                   const QVariantMap &signerOptions)
{
    if (m_testClient) {
        m_testClient->deleteLater();
        m_testClient = nullptr;
    }
    setTesting(true);
    QString problem = AppSettings::validateRegion(region);
    if (problem.isEmpty())
        problem = AppSettings::validateEndpointUrl(dialect, endpointUrl);
    if (problem.isEmpty() && source == AppSettings::SigningUrl)
        problem = AppSettings::validateSigningUrl(signingUrl);
    Cos::Error error;
    const Cos::Endpoint endpoint = AppSettings::makeEndpoint(dialect, endpointUrl, pathStyle,
                                                             region, appId,
                                                             AppSettings::endpointOptionsFromMap(
                                                                     endpointOptions),
                                                             &error);
    if (problem.isEmpty() && error)
        problem = error.message();
    ProviderConfig config;
    config.source = AppSettings::CredentialSource(source);
    config.signingUrl = QUrl(signingUrl.trimmed());
    config.bearerToken = (bearerToken.isEmpty() ? m_bearerToken : bearerToken).toUtf8();
    config.secretId = secretId.trimmed().isEmpty() ? m_settings->secretId() : secretId.trimmed();
    config.secretKey = secretKey.isEmpty() ? currentProviderConfig().secretKey : secretKey;
    config.signer = EmbeddedSignerOptions::fromMap(signerOptions);
    config.dialect = dialect;
    config.region = region.trimmed();
    config.appId = appId.trimmed();
    config.defaultBucket = defaultBucket.trimmed();
    if (problem.isEmpty() && config.source != AppSettings::SigningUrl
        && (config.secretId.isEmpty() || config.secretKey.isEmpty()))
        problem = tr("Enter a SecretId and SecretKey to test.");
    Cos::CredentialProvider *provider = problem.isEmpty() ? makeProvider(config, &problem)
                                                          : nullptr;
    if (!provider) {
        QMetaObject::invokeMethod(
                this, [this, problem] { finishTest(false, problem); }, Qt::QueuedConnection);
        return;
    }

    auto *client = new Cos::Client(endpoint, provider, this);
    m_networkLog->attach(client);
    client->setMaxAttempts(1);
    client->setTransferTimeout(15000);
    m_testClient = client;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const bool viaUrl = config.source == AppSettings::SigningUrl;
    const bool embedded = config.source == AppSettings::EmbeddedSigner;
    QString grantedPrefix;
    QString bucket = defaultBucket.trimmed();
    if (auto *signer = qobject_cast<Signer::EmbeddedCredentialProvider *>(provider)) {
        Signer::IssueRequest request;
        if (!signer->signer()->core()->defaultRequest(signer->uid(), &request)
            && !request.scopes.isEmpty()) {
            bucket = request.scopes.constFirst().bucket;
            grantedPrefix = request.scopes.constFirst().prefix;
        }
    }

    // Step 1: credentials. Step 2: list buckets. Step 3 (when 2 is denied): the default bucket.
    // The embedded signer's keys may not list buckets: step 3 on the granted folder at once.
    const auto listBucket = [=](const QString &keysNote, bool afterDenial) {
        Cos::ListObjectsParams params;
        params.maxKeys = 1;
        params.prefix = grantedPrefix;
        Cos::ListObjectsJob *objects = client->listObjects(bucket, params, 1, client);
        connect(objects, &Cos::Job::finished, this, [=] {
            if (objects->error()) {
                finishTest(false,
                           keysNote
                                   + Presentation::errorText(objects->error(),
                                                             Presentation::Operation::ListObjects,
                                                             bucket));
                return;
            }
            if (!afterDenial) {
                finishTest(true,
                           tr("%1Connected in %2 ms: the keys can list %3.")
                                   .arg(keysNote)
                                   .arg(timer->elapsed())
                                   .arg(bucket + u'/' + grantedPrefix));
                return;
            }
            finishTest(true,
                       tr("%1Connected in %2 ms. The keys may not list buckets "
                          "(no %3), but can read the bucket %4.")
                               .arg(keysNote)
                               .arg(timer->elapsed())
                               .arg(Presentation::permissionFor(
                                            Presentation::Operation::ListBuckets),
                                    bucket));
        });
        objects->start();
    };
    client->credentials()->request(client, [=](const Cos::Credentials &creds, const Cos::Error &credError) {
        if (credError) {
            finishTest(false,
                       viaUrl ? tr("The signing URL did not give keys: %1")
                                        .arg(Presentation::errorText(
                                                credError, Presentation::Operation::Credentials))
                              : Presentation::errorText(credError,
                                                        Presentation::Operation::Credentials));
            return;
        }
        QString keysNote;
        if (viaUrl || embedded) {
            const qint64 left = creds.secondsLeft(client->clock().nowSeconds());
            keysNote = (viaUrl ? tr("The signing URL gave temporary keys (valid for %1). ")
                               : tr("The embedded signer issued temporary keys %1 (valid for %2). ")
                                         .arg(Cos::maskKeyId(creds.secretId)))
                               .arg(Presentation::formatDuration(left));
        }
        if (embedded) {
            listBucket(keysNote, false);
            return;
        }
        Cos::ListBucketsJob *list = client->listBuckets({}, client);
        connect(list, &Cos::Job::finished, this, [=] {
            if (!list->error()) {
                finishTest(true,
                           tr("%1Connected in %2 ms: %n bucket(s) visible.", nullptr,
                              int(list->buckets().size()))
                                   .arg(keysNote)
                                   .arg(timer->elapsed()));
                return;
            }
            const bool denied = list->error().httpStatus() == 403
                    && list->error().code() == "AccessDenied"_L1;
            if (!denied || bucket.isEmpty()) {
                finishTest(false,
                           keysNote
                                   + Presentation::errorText(list->error(),
                                                             Presentation::Operation::ListBuckets));
                return;
            }
            listBucket(keysNote, true);
        });
        list->start();
    });
}

void AppController::setInstance(AppController *instance)
{
    s_instance = instance;
}

AppController *AppController::create(QQmlEngine *qmlEngine, QJSEngine *jsEngine)
{
    Q_UNUSED(jsEngine)
    Q_ASSERT(s_instance);
    PreviewProvider::install(qmlEngine, s_instance->m_previews);
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}
