#pragma once

#include "cos/core/credentials.h"
#include "cos/core/error.h"
#include "cos/protocol/endpoint.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Cos {

class CredentialProvider;

/**
 * @brief How a client reaches its store and where its credentials come from: the COS_*
 * settings that cosctl and the app share, parsed, inferred and validated in one place.
 *
 * cosctl maps its flags and the app its saved settings onto this type; fromEnvironment() reads
 * the COS_* variables. Values are kept as given (text); validate() names every bad field once
 * (which field, what is wrong, what is allowed), makeEndpoint() and makeProvider() build what
 * the Client needs.
 *
 * Meanings that both front ends rely on:
 *  - the dialect is "cos" or "s3"; when none is given, an endpoint URL means s3, else cos;
 *  - the endpoint URL is the S3 server (scheme, host and port, nothing else). The COS dialect
 *    takes none: its hosts follow from region, APPID and the endpoint options (the scheme from
 *    the protocol option), so a URL given with it is refused rather than half used;
 *  - S3 without a region signs for us-east-1; COS without a region can only list all buckets;
 *  - the COS-only endpoint options are ignored with the s3 dialect (the connect-to address
 *    applies to both);
 *  - credentials: the embedded signer when chosen, else a signing URL when given, else the
 *    static keys.
 */
struct ClientConfig
{
    /** @brief A setting, for messages that say which one is wrong. */
    enum class Field {
        Dialect,
        EndpointUrl,
        Region,
        AppId,
        PathStyle,
        Protocol,
        Domain,
        ServiceDomain,
        Accelerate,
        Internal,
        ConnectTo,
        BackupDomain,
        CaFile,
        SigningUrl,
        BearerToken,
        SecretId,
        SecretKey,
        SessionToken,
        EmbeddedSigner,
        SignerSecretId,
        SignerSecretKey,
        Backend,
        StsEndpoint,
        RoleArn,
        SignerBucket,
        AllowPrefix,
        Actions,
        Duration,
        DefaultBucket,
    };

    /** @brief Where the credentials come from (see credentialSource()). */
    enum class CredentialSource {
        None, ///< nothing configured
        StaticKeys, ///< secretId/secretKey (and a session token for temporary keys)
        SigningUrl, ///< GET a signing URL that answers with temporary keys
        EmbeddedSigner, ///< the signer library in process (development only)
    };

    /** @brief One bad field and what is wrong with it. */
    struct Problem
    {
        Field field;
        QString message; ///< starts with the field's label; never contains a secret
        /** InvalidInput for a malformed value, Credentials for missing credentials. */
        Error::Kind kind = Error::Kind::InvalidInput;
    };

    /** @brief The embedded signer's settings: its permanent key, STS back end and grant. */
    struct EmbeddedSignerSettings
    {
        Credentials permanentKey; ///< COS_SIGNER_SECRET_ID / COS_SIGNER_SECRET_KEY
        QString backend; ///< "tencent" or "s3-sts"; empty: s3-sts with s3, else tencent
        QString stsEndpoint; ///< empty: Tencent's public STS (tencent back end only)
        QString roleArn; ///< required by s3-sts
        QString bucket; ///< the bucket to grant; empty: defaultBucket
        QStringList prefixes; ///< key prefix templates to grant; empty: users/${uid}/
        QString actions; ///< action sets, e.g. "upload,download"; empty: upload,download,list
        int durationSeconds = 1800; ///< key lifetime, 1..129600
    };

    QString dialect; ///< "cos" or "s3" in any case; empty: inferred (see effectiveDialect())
    QString endpointUrl; ///< S3: e.g. http://127.0.0.1:7480
    QString region; ///< COS region or S3 signing region
    QString appId; ///< COS APPID (digits), appended to bucket names
    bool pathStyle = false; ///< S3: bucket in the path
    EndpointOptions endpointOptions; ///< protocol, domains, acceleration, connect-to, ...
    QString caFile; ///< extra PEM CA certificates (endpoints and the signing URL)
    QString signingUrl; ///< COS_CREDENTIALS_URL
    QString bearerToken; ///< sent to the signing URL as "Authorization: Bearer"
    Credentials keys; ///< static keys: secretId, secretKey, sessionToken
    QString keysOrigin; ///< where the static keys came from, for the provider's description
    bool embeddedSigner = false; ///< COS_EMBEDDED_SIGNER
    EmbeddedSignerSettings signer;
    QString defaultBucket; ///< COS_DEFAULT_BUCKET: the bucket a UI opens first

    /**
     * Problems found while reading values (e.g. a switch that is neither on nor off);
     * validate() reports them with the others.
     */
    QList<Problem> parseProblems;
    /** Names of the COS_* variables fromEnvironment() took a value from. */
    QStringList environmentNames;
    /**
     * How messages name a field when it did not come from its variable, e.g. "--region" for a
     * flag or "Region" for a settings page; a field without an entry is named by its variable.
     */
    QMap<Field, QString> labels;

    /**
     * @brief Reads the COS_* variables of @p environment ("NAME=value" entries, as
     * QProcessEnvironment::toStringList() gives them). Empty values count as unset.
     */
    static ClientConfig fromEnvironment(const QStringList &environment);
    /** @brief fromEnvironment() of this process's environment. */
    static ClientConfig fromEnvironment();

    /** @brief The variable of @p field, e.g. "COS_REGION"; empty for settings without one. */
    static QString variableName(Field field);
    /** @brief How messages name @p field: its label, else its variable. */
    [[nodiscard]] QString label(Field field) const;
    /** @brief @p message about @p field as "label: message" (a sentence when unnamed). */
    [[nodiscard]] QString named(Field field, const QString &message) const;
    /**
     * @brief Names @p field @p label in messages (e.g. the flag that set it); an empty label
     * leaves messages unnamed (a form shows them under the field).
     */
    void setLabel(Field field, const QString &label) { labels.insert(field, label); }

    /**
     * @brief Parses a switch: 1/true/yes/on or 0/false/no/off (any case); anything else is
     * false with @p ok false.
     */
    static bool parseSwitch(const QString &value, bool *ok);

    /** @brief The dialect in use: the given one, else s3 when an endpoint URL is set, else cos. */
    [[nodiscard]] Dialect effectiveDialect() const;
    /** @brief Where credentials come from with these settings. */
    [[nodiscard]] CredentialSource credentialSource() const;
    /** @brief The embedded signer's back end: the given one, else by dialect. */
    [[nodiscard]] QString effectiveBackend() const;

    /** @brief Every bad field, once, in the order of Field; empty when all is well. */
    [[nodiscard]] QList<Problem> validate() const;
    /** @brief The problems of the endpoint settings only (dialect to backup domain). */
    [[nodiscard]] QList<Problem> validateEndpoint() const;
    /** @brief The problems of the credential settings only (for the chosen source). */
    [[nodiscard]] QList<Problem> validateCredentials() const;

    /**
     * @brief The endpoint these settings describe. @p error (kind InvalidInput) names the
     * first bad endpoint field; the endpoint is then built only as far as the settings allow
     * (its dialect is right) and must not be used for requests.
     */
    [[nodiscard]] Endpoint makeEndpoint(Error *error = nullptr) const;

    /**
     * @brief Makes the embedded signer's provider from the settings; lives in the signer
     * library, which the engine does not link.
     */
    using EmbeddedProviderFactory =
            std::function<CredentialProvider *(const ClientConfig &config, Error *error)>;

    /**
     * @brief The credential provider for the chosen source: a UrlCredentialProvider on
     * @p network (not owned, must outlive it), a StaticCredentialProvider, or what
     * @p embedded makes. Null with @p error (kind Credentials) when the settings cannot work.
     */
    [[nodiscard]] CredentialProvider *makeProvider(
            QNetworkAccessManager *network, Error *error,
            const EmbeddedProviderFactory &embedded = {}) const;

    /**
     * @brief Trusts caFile's certificates on top of the system roots (process-wide); an error
     * names the field. Nothing to do without a CA file.
     */
    [[nodiscard]] Error installCaFile() const;
};

} // namespace Cos
