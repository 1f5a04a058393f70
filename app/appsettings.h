#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include "embeddedsigneroptions.h"

#include "cos/protocol/endpoint.h"

class QSettings;

/**
 * @brief What the app connects to and how it gets credentials, persisted with QSettings.
 *
 * Values come from, in order of precedence: the environment (the same COS_* variables as
 * cosctl, read by Cos::ClientConfig::fromEnvironment()), then what the user saved. Environment values are used for
 * this run only and are never written back. Secrets (the secret key, the bearer token) are not
 * stored here: they live in the SecretStore; this class only says whether they are set.
 *
 * The validate*() functions return an empty string for valid input, else one sentence that
 * says what is wrong and what is expected; the Settings page shows it under the field.
 */
class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppSettings is owned by AppController")
    Q_PROPERTY(CredentialSource credentialSource READ credentialSource WRITE setCredentialSource
                       NOTIFY changed)
    Q_PROPERTY(QString signingUrl READ signingUrl WRITE setSigningUrl NOTIFY changed)
    Q_PROPERTY(QString dialect READ dialect WRITE setDialect NOTIFY changed)
    Q_PROPERTY(QString endpointUrl READ endpointUrl WRITE setEndpointUrl NOTIFY changed)
    Q_PROPERTY(bool pathStyle READ pathStyle WRITE setPathStyle NOTIFY changed)
    Q_PROPERTY(QString defaultRegion READ defaultRegion WRITE setDefaultRegion NOTIFY changed)
    // The COS endpoint options of cosctl (docs/cosctl.md, "COS endpoints"), same names.
    Q_PROPERTY(QString protocol READ protocol WRITE setProtocol NOTIFY changed)
    Q_PROPERTY(QString domain READ domain WRITE setDomain NOTIFY changed)
    Q_PROPERTY(QString serviceDomain READ serviceDomain WRITE setServiceDomain NOTIFY changed)
    Q_PROPERTY(bool accelerate READ accelerate WRITE setAccelerate NOTIFY changed)
    Q_PROPERTY(bool internal READ internal WRITE setInternal NOTIFY changed)
    Q_PROPERTY(QString connectTo READ connectTo WRITE setConnectTo NOTIFY changed)
    Q_PROPERTY(bool backupDomain READ backupDomain WRITE setBackupDomain NOTIFY changed)
    Q_PROPERTY(QString appId READ appId WRITE setAppId NOTIFY changed)
    Q_PROPERTY(QString defaultBucket READ defaultBucket WRITE setDefaultBucket NOTIFY changed)
    /**
     * The embedded signer's options as a map (backend, stsEndpoint, roleArn, bucket, prefix,
     * actions, durationSeconds); see EmbeddedSignerOptions.
     */
    Q_PROPERTY(QVariantMap embeddedSigner READ embeddedSignerMap NOTIFY changed)
    Q_PROPERTY(QString embeddedSignerUid READ embeddedSignerUid CONSTANT)
    Q_PROPERTY(QString maskedSecretId READ maskedSecretId NOTIFY changed)
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY changed)
    Q_PROPERTY(bool configured READ isConfigured NOTIFY changed)
    Q_PROPERTY(QStringList environmentOverrides READ environmentOverrides CONSTANT)
    Q_PROPERTY(bool keysFromEnvironment READ keysFromEnvironment CONSTANT)

public:
    enum CredentialSource {
        SigningUrl, ///< GET a signing URL (cos-signer, cossign, an STS SDK server)
        PermanentKeys, ///< sign with the permanent keys themselves (development only)
        /// the signer core in process: temporary keys from the STS back end, issued with the
        /// permanent key from the keychain (development only)
        EmbeddedSigner,
    };
    Q_ENUM(CredentialSource)

    enum Theme { SystemTheme, LightTheme, DarkTheme };
    Q_ENUM(Theme)

    explicit AppSettings(QObject *parent = nullptr);
    ~AppSettings() override;

    /** @brief Reads the saved values, then applies the environment on top. */
    void load();
    /** @brief Applies the COS_* variables of @p env (a process environment) on top. */
    void applyEnvironment(const QStringList &env);
    /** @brief Writes the user's values (not the environment's) to QSettings. */
    Q_INVOKABLE void save();

    [[nodiscard]] CredentialSource credentialSource() const { return m_source; }
    void setCredentialSource(CredentialSource source);
    [[nodiscard]] QString signingUrl() const { return m_signingUrl; }
    void setSigningUrl(const QString &url);
    [[nodiscard]] QString dialect() const { return m_dialect; }
    void setDialect(const QString &dialect);
    [[nodiscard]] QString endpointUrl() const { return m_endpointUrl; }
    void setEndpointUrl(const QString &url);
    [[nodiscard]] bool pathStyle() const { return m_pathStyle; }
    void setPathStyle(bool pathStyle);
    [[nodiscard]] QString defaultRegion() const { return m_defaultRegion; }
    void setDefaultRegion(const QString &region);
    [[nodiscard]] QString appId() const { return m_appId; }
    void setAppId(const QString &appId);
    [[nodiscard]] QString protocol() const { return m_options.protocol; }
    void setProtocol(const QString &protocol);
    [[nodiscard]] QString domain() const { return m_options.domain; }
    void setDomain(const QString &domain);
    [[nodiscard]] QString serviceDomain() const { return m_options.serviceDomain; }
    void setServiceDomain(const QString &serviceDomain);
    [[nodiscard]] bool accelerate() const { return m_options.accelerate; }
    void setAccelerate(bool accelerate);
    [[nodiscard]] bool internal() const { return m_options.internal; }
    void setInternal(bool internal);
    [[nodiscard]] QString connectTo() const { return m_options.connectTo; }
    void setConnectTo(const QString &connectTo);
    [[nodiscard]] bool backupDomain() const { return m_options.backupDomain; }
    void setBackupDomain(bool backupDomain);
    /** @brief The endpoint options above, as the engine takes them. */
    [[nodiscard]] const Cos::EndpointOptions &endpointOptions() const { return m_options; }
    [[nodiscard]] QString defaultBucket() const { return m_defaultBucket; }
    void setDefaultBucket(const QString &bucket);
    [[nodiscard]] const EmbeddedSignerOptions &embeddedSignerOptions() const { return m_signer; }
    void setEmbeddedSignerOptions(const EmbeddedSignerOptions &options);
    [[nodiscard]] QVariantMap embeddedSignerMap() const { return m_signer.toMap(); }
    [[nodiscard]] static QString embeddedSignerUid() { return EmbeddedSignerOptions::uid(); }
    /** @brief The SecretId from the environment or the secret store (never from QSettings). */
    [[nodiscard]] QString secretId() const { return m_secretId; }
    /** @brief Sets the SecretId in memory; the controller keeps it in the secret store. */
    void setSecretId(const QString &secretId);
    /** @brief The SecretId with all but its first 4 and last 4 characters hidden (this is
     * what QSettings keeps, for display). */
    [[nodiscard]] QString maskedSecretId() const { return m_maskedSecretId; }
    [[nodiscard]] Theme theme() const { return m_theme; }
    void setTheme(Theme theme);

    /** @brief True when there is enough to try a connection. */
    [[nodiscard]] bool isConfigured() const;
    /** @brief Names of the COS_* variables that override saved values in this run. */
    [[nodiscard]] QStringList environmentOverrides() const { return m_envOverrides; }
    /**
     * @brief True when the keys came from the environment: COS_SECRET_ID / COS_SECRET_KEY, or
     * COS_SIGNER_SECRET_ID / COS_SIGNER_SECRET_KEY for the embedded signer.
     */
    [[nodiscard]] bool keysFromEnvironment() const { return !m_envSecretKey.isEmpty(); }
    /** @brief The secret key from the environment (never from QSettings). */
    [[nodiscard]] QString environmentSecretKey() const { return m_envSecretKey; }
    [[nodiscard]] QString environmentSessionToken() const { return m_envSessionToken; }
    /** @brief The bearer token from COS_CREDENTIALS_TOKEN, if set. */
    [[nodiscard]] QString environmentBearerToken() const { return m_envBearerToken; }

    /** @brief The endpoint these settings describe; an error says what is missing. */
    [[nodiscard]] Cos::Endpoint endpoint(Cos::Error *error = nullptr) const;
    /**
     * @brief The endpoint built from explicit values (used by "Test connection"), through
     * Cos::ClientConfig as cosctl builds it. The endpoint URL is the S3 server's and is not used
     * with the COS dialect (whose hosts come from region, APPID and @p options); with S3 only
     * the connect-to address of @p options applies (the rest describes COS hosts). The app
     * always needs a region.
     */
    static Cos::Endpoint makeEndpoint(const QString &dialect, const QString &endpointUrl,
                                      bool pathStyle, const QString &region, const QString &appId,
                                      const Cos::EndpointOptions &options, Cos::Error *error);

    Q_INVOKABLE static QString validateSigningUrl(const QString &url);
    Q_INVOKABLE static QString validateEndpointUrl(const QString &dialect, const QString &url);
    Q_INVOKABLE static QString validateRegion(const QString &region);
    /**
     * @brief Checks the endpoint options of the settings page (a map with the property names
     * protocol, domain, serviceDomain, accelerate, internal, connectTo, backupDomain) together
     * with dialect, region and APPID; empty when valid or when the region itself is the problem
     * (its own field says so).
     */
    Q_INVOKABLE static QString validateEndpointOptions(const QString &dialect,
                                                       const QString &region, const QString &appId,
                                                       const QVariantMap &options);
    /** @brief The endpoint options of a settings-page map (see validateEndpointOptions()). */
    static Cos::EndpointOptions endpointOptionsFromMap(const QVariantMap &options);
    Q_INVOKABLE static QString validateAppId(const QString &dialect, const QString &appId);
    Q_INVOKABLE static QString validateSecretId(const QString &secretId);
    Q_INVOKABLE static QString validateSecretKey(const QString &secretKey, bool alreadyStored);
    Q_INVOKABLE static QString validateBearerToken(const QString &token);
    /** @brief The first problem of the embedded signer's options (a map as embeddedSigner). */
    Q_INVOKABLE static QString validateEmbeddedSigner(const QString &dialect,
                                                      const QVariantMap &options);

    static QString maskSecret(const QString &secret);

Q_SIGNALS:
    void changed();

private:
    CredentialSource m_source = SigningUrl;
    QString m_signingUrl;
    QString m_dialect = QStringLiteral("cos");
    QString m_endpointUrl;
    bool m_pathStyle = false;
    QString m_defaultRegion = QStringLiteral("ap-guangzhou");
    QString m_appId;
    Cos::EndpointOptions m_options;
    QString m_defaultBucket;
    EmbeddedSignerOptions m_signer;
    QString m_secretId;
    QString m_maskedSecretId;
    Theme m_theme = SystemTheme;

    // Values the environment set, so save() keeps them out of QSettings.
    QHash<QString, QVariant> m_fromEnv;
    QStringList m_envOverrides;
    QString m_envSecretKey;
    QString m_envSessionToken;
    QString m_envBearerToken;
};
