#pragma once

#include "appsettings.h"
#include "embeddedsigneroptions.h"

#include "cos/net/client.h"
#include "cos/protocol/endpoint.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QVariantMap>

class NetworkLogModel;
class QNetworkAccessManager;

namespace Cos {
class CredentialProvider;
} // namespace Cos

/**
 * @brief The app's Cos::Clients: one per region in use (COS bucket requests go to a regional
 * host; an S3 endpoint needs only one), all signing with keys from one kind of provider, and
 * every one attached to the Network page's log.
 *
 * open() makes the main client; clientFor() adds regional ones on demand with a provider of the
 * same configuration; close() drops them all. makeProvider() is also what "Test connection"
 * uses for settings that are not saved yet.
 */
class ClientPool : public QObject
{
    Q_OBJECT
public:
    /** @brief Where keys come from, with everything a provider needs. */
    struct ProviderConfig
    {
        AppSettings::CredentialSource source = AppSettings::SigningUrl;
        QUrl signingUrl;
        QByteArray bearerToken;
        QString secretId;
        QString secretKey;
        QString sessionToken;
        EmbeddedSignerOptions signer;
        QString dialect;
        QString region;
        QString appId;
        QString defaultBucket;
    };

    /** @brief A bucket and folder to open (the embedded signer's grant). */
    struct Location
    {
        QString bucket;
        QString region;
        QString prefix;
    };

    /** @brief @p log (not owned) gets every client this pool makes. */
    explicit ClientPool(NetworkLogModel *log, QObject *parent = nullptr);
    ~ClientPool() override;

    /** @brief A provider for @p config (owned by the caller); null with @p error when unusable. */
    Cos::CredentialProvider *makeProvider(const ProviderConfig &config, QString *error);
    /** @brief A client for @p endpoint and @p config parented to @p parent, attached to the log. */
    Cos::Client *makeClient(const Cos::Endpoint &endpoint, const ProviderConfig &config,
                            QObject *parent, QString *error);

    /** @brief Drops the clients, then makes the main one; null with @p error when unusable. */
    Cos::Client *open(const Cos::Endpoint &endpoint, const ProviderConfig &config, QString *error);
    /** @brief Deletes every client. */
    void close();

    /** @brief The main client (the default region), null while closed. */
    [[nodiscard]] Cos::Client *client() const { return m_client; }
    /** @brief The client for bucket requests in @p region (null while closed). */
    Cos::Client *clientFor(const QString &region);
    /**
     * @brief What the main client connects to and with which keys, e.g. "S3 http://host:port ·
     * temporary keys from the signing URL"; "" while closed.
     */
    [[nodiscard]] QString summary(bool keysFromEnvironment) const;
    /**
     * @brief The keys the main client signs with, for display: source, keyId (masked),
     * temporary, expires, granted; empty while closed or before the first fetch.
     */
    [[nodiscard]] QVariantMap credentialInfo() const;
    /** @brief The embedded signer's grant, "bucket/prefix* [actions]" ("" for other sources). */
    [[nodiscard]] const QString &grantedScope() const { return m_grantedScope; }
    /** @brief The folder the embedded signer's keys are for (empty for other sources). */
    [[nodiscard]] const Location &grantedLocation() const { return m_granted; }

private:
    NetworkLogModel *m_log;
    QNetworkAccessManager *m_signerNetwork;
    ProviderConfig m_config;
    QPointer<Cos::Client> m_client;
    QHash<QString, Cos::Client *> m_regionClients;
    QString m_grantedScope;
    Location m_granted;
};
