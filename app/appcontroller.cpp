#include "appcontroller.h"

#include "browsecommands.h"
#include "transfercommands.h"
#include "presentation.h"
#include "secretstore.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"

#include <QJSEngine>
#include <QQmlEngine>
#include <QStandardPaths>

#include <utility>

using namespace Qt::StringLiterals;

AppController *AppController::s_instance = nullptr;

AppController::AppController(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_settings(new AppSettings(this))
    , m_secrets(new StoredSecrets(secrets, this))
    , m_regions(new RegionListModel(this))
    , m_buckets(new BucketListModel(this))
    , m_objects(new ObjectListModel(this))
    , m_transfers(new TransferListModel(this))
    , m_networkLog(new NetworkLogModel(this))
    , m_clients(new ClientPool(m_networkLog, this))
{
    // Every command asks for a client the same way: null with the reason when not connected.
    const auto clientOrReason = [this](const QString &region, QString *error) -> Cos::Client * {
        Cos::Client *client = m_clients->clientFor(region);
        if (!client)
            *error = m_connectionError.isEmpty() ? tr("Not connected: check Settings.")
                                                 : m_connectionError;
        return client;
    };
    m_actions = new ObjectActions(m_objects, clientOrReason, this);
    m_previews = new PreviewProvider([this](const QString &region) { return clientFor(region); },
                                     this);
    m_commands = new BrowseCommands({m_settings, m_buckets, m_objects}, clientOrReason, this);
    m_transferCommands = new TransferCommands(m_objects, m_transfers, clientOrReason, this);
    // The signing URL may use a private CA (COS_CA_FILE): trusted before the first fetch, which
    // can come before any Client exists.
    QString caError;
    if (!Cos::Client::addTrustedCaFileFromEnvironment(&caError))
        qWarning("%s", qPrintable(caError));
    connectModels();
}

void AppController::connectModels()
{
    connect(m_actions, &ObjectActions::notify, this, &AppController::notify);
    connect(m_actions, &ObjectActions::operationFailed, this, &AppController::operationFailed);
    connect(m_commands, &BrowseCommands::notify, this, &AppController::notify);
    connect(m_commands, &BrowseCommands::operationFailed, this, &AppController::operationFailed);
    connect(m_commands, &BrowseCommands::bucketCreated, this, &AppController::bucketCreated);
    connect(m_commands, &BrowseCommands::folderCreated, this, &AppController::folderCreated);
    connect(m_commands, &BrowseCommands::linkCopied, this, &AppController::linkCopied);
    connect(m_commands, &BrowseCommands::detailsFetched, this, &AppController::detailsFetched);
    connect(m_commands, &BrowseCommands::detailsFailed, this, &AppController::detailsFailed);
    connect(m_transferCommands, &TransferCommands::notify, this, &AppController::notify);
    connect(m_transferCommands, &TransferCommands::operationFailed, this,
            &AppController::operationFailed);
    connect(m_actions, &ObjectActions::bucketDeleted, this, [this](const QString &bucket) {
        if (m_objects->bucket() == bucket)
            m_objects->clear();
        if (m_buckets->isLoaded() || m_buckets->isLoading())
            m_buckets->reload();
    });
    for (const QueryModel *model :
         {static_cast<QueryModel *>(m_objects), static_cast<QueryModel *>(m_buckets)}) {
        connect(model, &QueryModel::errorMessageChanged, this,
                [this, model] { updateProblem(model); });
        connect(model, &QueryModel::loadedChanged, this, [this, model] { updateProblem(model); });
    }
    connect(this, &AppController::connectionChanged, this, [this] { Q_EMIT problemChanged(); });
    connect(m_buckets, &BucketListModel::scopeChanged, this, &AppController::applyScope);
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
    m_transferCommands->pruneStagedCopies();
    m_actions->batches()->setStateFile(dataDir + u"/batches.json"_s);
    QString batchError;
    m_actions->batches()->restore(&batchError);
    if (!batchError.isEmpty())
        qWarning("%s", qPrintable(batchError));
    reconnect();
}

void AppController::dropClients()
{
    m_transfers->detachTasks();
    m_actions->batches()->pauseAll();
    m_buckets->setClient(nullptr);
    m_objects->clear();
    m_clients->close();
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
    m_networkLog->setSigningClient(client);
    if (!client)
        setProblem({}, {});
    m_summary = summary;
    m_connectionError = error;
    Q_EMIT connectionChanged();
    updateCredentialInfo();
}

ClientPool::ProviderConfig AppController::providerConfig() const
{
    ClientPool::ProviderConfig c;
    c.source = m_settings->credentialSource();
    c.signingUrl = QUrl(m_settings->signingUrl().trimmed());
    const QString token = m_settings->environmentBearerToken();
    c.bearerToken = (token.isEmpty() ? m_secrets->bearerToken() : token).toUtf8();
    c.secretId = m_settings->secretId();
    c.secretKey = m_settings->keysFromEnvironment() ? m_settings->environmentSecretKey()
                                                    : m_secrets->secretKey();
    c.sessionToken = m_settings->environmentSessionToken();
    c.signer = m_settings->embeddedSignerOptions();
    c.dialect = m_settings->dialect();
    c.region = m_settings->defaultRegion().trimmed();
    c.appId = m_settings->appId().trimmed();
    c.defaultBucket = m_settings->defaultBucket().trimmed();
    return c;
}

void AppController::updateCredentialInfo()
{
    const QVariantMap info = m_clients->credentialInfo();
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
    const bool needKeys = m_settings->credentialSource() != AppSettings::SigningUrl
            && !m_settings->keysFromEnvironment();
    m_secrets->load(needKeys, this, [this, serial, needKeys](const QString &error) {
        if (serial != m_connectSerial)
            return;
        if (!error.isEmpty() && needKeys) {
            setConnection(nullptr, {}, error);
            return;
        }
        if (needKeys)
            m_settings->setSecretId(m_secrets->secretId());
        connectWithSecrets();
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
    const ClientPool::ProviderConfig config = providerConfig();
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
    Cos::Client *client = m_clients->open(endpoint, config, &problem);
    if (!client) {
        setConnection(nullptr, {}, problem);
        return;
    }
    Presentation::setGrantedScope(m_clients->grantedScope());
    connect(client->credentials(), &Cos::CredentialCache::credentialsChanged, this, [this, client] {
        if (client == m_clients->client())
            updateCredentialInfo();
    });
    setConnection(client, m_clients->summary(m_settings->keysFromEnvironment()), {});
    m_regions->setRegions(client->regions(), endpoint.dialect == Cos::Dialect::S3, endpoint.region);
    // After Save the open folder stays open (when the new settings still reach it); the
    // embedded signer's keys open at the granted folder.
    const ClientPool::Location keep = std::exchange(m_keepLocation, {});
    const ClientPool::Location &granted = m_clients->grantedLocation();
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

void AppController::applySettings(const StoredSecrets::Update &secrets)
{
    m_keepLocation = {m_objects->bucket(), m_objects->region(), m_objects->prefix()};
    // Reconnect once the secrets are written.
    m_secrets->store(secrets, this, [this](const QString &error) {
        if (!error.isEmpty())
            Q_EMIT operationFailed(tr("The keys could not be stored: %1").arg(error));
        reconnect();
        Q_EMIT notify(tr("Settings saved"));
    });
}

void AppController::forgetSecrets()
{
    m_secrets->forget(this, [this](const QString &) {
        m_settings->setSecretId({});
        m_settings->save();
        Q_EMIT notify(tr("Stored keys removed"));
        reconnect();
    });
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
    if (scope.isEmpty() || !isConnected())
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
    if (bucket.isEmpty() || !isConnected())
        return false;
    openBucket(bucket, m_settings->defaultRegion());
    return true;
}

QString AppController::validateBucketName(const QString &name) const
{
    return m_commands->validateBucketName(name);
}
QString AppController::fullBucketName(const QString &name) const
{
    return m_commands->fullBucketName(name);
}
void AppController::createBucket(const QString &name, const QString &region, const QString &acl)
{
    m_commands->createBucket(name, region, acl);
}
void AppController::deleteObject(const QString &key, bool isFolder)
{
    m_commands->deleteObject(key, isFolder);
}
QString AppController::validateFolderName(const QString &name) const
{
    return m_commands->validateFolderName(name);
}
void AppController::createFolder(const QString &name)
{
    m_commands->createFolder(name);
}
void AppController::copyLink(const QString &key, int expiresSeconds)
{
    m_commands->copyLink(key, expiresSeconds);
}
void AppController::copyObjectLink(const QVariantMap &object, int expiresSeconds)
{
    m_commands->copyObjectLink(object.value(u"bucket"_s).toString(),
                               object.value(u"region"_s).toString(),
                               object.value(u"key"_s).toString(), expiresSeconds);
}
void AppController::fetchDetails(const QString &key)
{
    m_commands->fetchDetails(key);
}
void AppController::upload(const QList<QUrl> &files)
{
    m_transferCommands->upload(files);
}
void AppController::download(const QString &key, const QUrl &folder)
{
    m_transferCommands->download(key, folder);
}
QUrl AppController::defaultDownloadFolder() const
{
    return m_transferCommands->defaultDownloadFolder();
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
