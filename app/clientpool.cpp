#include "clientpool.h"

#include "embeddedsigner.h"
#include "networklogmodel.h"
#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/clientconfig.h"
#include "cos/net/credentialprovider.h"

#include <QDateTime>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

ClientPool::ClientPool(NetworkLogModel *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_signerNetwork(new QNetworkAccessManager(this))
{ }

ClientPool::~ClientPool()
{
    close();
}

Cos::CredentialProvider *ClientPool::makeProvider(const ProviderConfig &config, QString *error)
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

Cos::Client *ClientPool::makeClient(const Cos::Endpoint &endpoint, const ProviderConfig &config,
                                    QObject *parent, QString *error)
{
    Cos::CredentialProvider *provider = makeProvider(config, error);
    if (!provider)
        return nullptr;
    auto *client = new Cos::Client(endpoint, provider, parent);
    m_log->attach(client);
    return client;
}

Cos::Client *ClientPool::open(const Cos::Endpoint &endpoint, const ProviderConfig &config,
                              QString *error)
{
    close();
    Cos::Client *client = makeClient(endpoint, config, this, error);
    if (!client)
        return nullptr;
    m_config = config;
    // What the embedded signer's keys allow: shown in Settings, named when a request is refused,
    // and the folder the app opens.
    if (auto *embedded = qobject_cast<Signer::EmbeddedCredentialProvider *>(
                client->credentialProvider())) {
        m_grantedScope = embedded->grantDescription();
        Signer::IssueRequest request;
        if (!embedded->signer()->core()->defaultRequest(embedded->uid(), &request)
            && !request.scopes.isEmpty()) {
            const auto &scope = request.scopes.constFirst();
            m_granted = {scope.bucket, scope.region, scope.prefix};
        }
    }
    m_client = client;
    m_regionClients.insert(endpoint.region, client);
    return client;
}

void ClientPool::close()
{
    qDeleteAll(m_regionClients);
    m_regionClients.clear();
    delete m_client;
    m_client = nullptr;
    m_grantedScope.clear();
    m_granted = {};
}

Cos::Client *ClientPool::clientFor(const QString &region)
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
    Cos::Client *client = makeClient(endpoint, m_config, this, &problem);
    if (!client) {
        qWarning("%s", qPrintable(problem));
        return nullptr;
    }
    m_regionClients.insert(region, client);
    return client;
}

QString ClientPool::summary(bool keysFromEnvironment) const
{
    if (!m_client)
        return {};
    const Cos::Endpoint &endpoint = m_client->endpoint();
    const QString where = endpoint.dialect == Cos::Dialect::S3
            ? u"S3 %1://%2%3"_s.arg(endpoint.scheme, endpoint.host,
                                    endpoint.port > 0 ? u":"_s + QString::number(endpoint.port)
                                                      : QString())
            : u"COS %1"_s.arg(endpoint.region);
    QString keys;
    if (m_config.source == AppSettings::SigningUrl)
        keys = tr("temporary keys from %1").arg(m_client->credentialProvider()->description());
    else if (m_config.source == AppSettings::EmbeddedSigner)
        keys = tr("temporary keys from the embedded signer (development)");
    else
        keys = keysFromEnvironment ? tr("permanent keys from the environment")
                                   : tr("permanent keys, no signer (development)");
    return tr("%1 · %2").arg(where, keys);
}

QVariantMap ClientPool::credentialInfo() const
{
    QVariantMap info;
    if (!m_client)
        return info;
    info.insert(u"source"_s, m_client->credentialProvider()->description());
    info.insert(u"granted"_s, m_grantedScope);
    if (const std::optional<Cos::Credentials> c = m_client->credentials()->cached()) {
        info.insert(u"keyId"_s, Cos::maskKeyId(c->secretId));
        info.insert(u"temporary"_s, c->expiredTime > 0);
        info.insert(u"expires"_s,
                    c->expiredTime > 0 ? Presentation::formatDate(
                            QDateTime::fromSecsSinceEpoch(c->expiredTime, Qt::UTC))
                                       : QString());
    }
    return info;
}
