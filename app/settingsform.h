#pragma once

#include "appsettings.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class AppController;

namespace Cos {
class Client;
class ConnectionTestJob;
} // namespace Cos

/**
 * @brief The Settings page's form: one property per field, a validation message per field,
 * and save(), test() and load().
 *
 * The page binds its fields to the properties and writes edits back; nothing reaches the
 * settings or the secret store before save(). A field's error property stays empty until the
 * field was edited (or save() was tried), so an untouched first-run form shows no red text;
 * valid is false as long as any field has a problem, shown or not.
 *
 * Secrets (SecretId, SecretKey, bearer token) start empty: what is stored is never shown,
 * only whether something is (secretKeyStatus, bearerTokenStatus). A value typed here replaces
 * the stored one on save(); an empty one keeps it. test() tries the form as it is (stored
 * secrets where the fields are empty) with a Cos::ConnectionTestJob and reports every step.
 */
class SettingsForm : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_MOC_INCLUDE("appcontroller.h")
    /** The controller whose settings and secrets the form edits. */
    Q_PROPERTY(AppController *controller READ controller WRITE setController NOTIFY controllerChanged)

    // --- Credentials
    Q_PROPERTY(AppSettings::CredentialSource source READ source WRITE setSource NOTIFY fieldsChanged)
    Q_PROPERTY(QString signingUrl READ signingUrl WRITE setSigningUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString bearerToken READ bearerToken WRITE setBearerToken NOTIFY fieldsChanged)
    Q_PROPERTY(QString secretId READ secretId WRITE setSecretId NOTIFY fieldsChanged)
    Q_PROPERTY(QString secretKey READ secretKey WRITE setSecretKey NOTIFY fieldsChanged)
    // --- Endpoint
    Q_PROPERTY(QString dialect READ dialect WRITE setDialect NOTIFY fieldsChanged)
    Q_PROPERTY(QString endpointUrl READ endpointUrl WRITE setEndpointUrl NOTIFY fieldsChanged)
    Q_PROPERTY(bool pathStyle READ pathStyle WRITE setPathStyle NOTIFY fieldsChanged)
    Q_PROPERTY(QString region READ region WRITE setRegion NOTIFY fieldsChanged)
    Q_PROPERTY(QString appId READ appId WRITE setAppId NOTIFY fieldsChanged)
    Q_PROPERTY(QString defaultBucket READ defaultBucket WRITE setDefaultBucket NOTIFY fieldsChanged)
    // --- COS endpoint options (cosctl's names; docs/cosctl.md, "COS endpoints")
    Q_PROPERTY(bool plainHttp READ plainHttp WRITE setPlainHttp NOTIFY fieldsChanged)
    Q_PROPERTY(QString domain READ domain WRITE setDomain NOTIFY fieldsChanged)
    Q_PROPERTY(QString serviceDomain READ serviceDomain WRITE setServiceDomain NOTIFY fieldsChanged)
    Q_PROPERTY(bool accelerate READ accelerate WRITE setAccelerate NOTIFY fieldsChanged)
    Q_PROPERTY(bool internal READ internal WRITE setInternal NOTIFY fieldsChanged)
    Q_PROPERTY(QString connectTo READ connectTo WRITE setConnectTo NOTIFY fieldsChanged)
    Q_PROPERTY(bool backupDomain READ backupDomain WRITE setBackupDomain NOTIFY fieldsChanged)
    /** True when a loaded option differs from its default (the page unfolds them then). */
    Q_PROPERTY(bool hasEndpointOptions READ hasEndpointOptions NOTIFY fieldsChanged)
    // --- The embedded signer (cos-signer's names: --backend, --sts-endpoint, ...)
    Q_PROPERTY(QString signerBackend READ signerBackend WRITE setSignerBackend NOTIFY fieldsChanged)
    Q_PROPERTY(QString stsEndpoint READ stsEndpoint WRITE setStsEndpoint NOTIFY fieldsChanged)
    Q_PROPERTY(QString roleArn READ roleArn WRITE setRoleArn NOTIFY fieldsChanged)
    Q_PROPERTY(QString grantBucket READ grantBucket WRITE setGrantBucket NOTIFY fieldsChanged)
    Q_PROPERTY(QString grantPrefix READ grantPrefix WRITE setGrantPrefix NOTIFY fieldsChanged)
    /** Comma-separated action sets (upload, download, list, delete). */
    Q_PROPERTY(QString grantActions READ grantActions WRITE setGrantActions NOTIFY fieldsChanged)
    /** Text as typed, so that "5000.7" can be refused by name. */
    Q_PROPERTY(QString keyLifetime READ keyLifetime WRITE setKeyLifetime NOTIFY fieldsChanged)

    // --- One message per field ("" when fine or not edited yet)
    Q_PROPERTY(QString signingUrlError READ signingUrlError NOTIFY fieldsChanged)
    Q_PROPERTY(QString bearerTokenError READ bearerTokenError NOTIFY fieldsChanged)
    Q_PROPERTY(QString secretIdError READ secretIdError NOTIFY fieldsChanged)
    Q_PROPERTY(QString secretKeyError READ secretKeyError NOTIFY fieldsChanged)
    Q_PROPERTY(QString endpointUrlError READ endpointUrlError NOTIFY fieldsChanged)
    Q_PROPERTY(QString regionError READ regionError NOTIFY fieldsChanged)
    Q_PROPERTY(QString appIdError READ appIdError NOTIFY fieldsChanged)
    Q_PROPERTY(QString endpointOptionsError READ endpointOptionsError NOTIFY fieldsChanged)
    Q_PROPERTY(QString signerBackendError READ signerBackendError NOTIFY fieldsChanged)
    Q_PROPERTY(QString stsEndpointError READ stsEndpointError NOTIFY fieldsChanged)
    Q_PROPERTY(QString roleArnError READ roleArnError NOTIFY fieldsChanged)
    Q_PROPERTY(QString grantBucketError READ grantBucketError NOTIFY fieldsChanged)
    Q_PROPERTY(QString grantPrefixError READ grantPrefixError NOTIFY fieldsChanged)
    Q_PROPERTY(QString grantActionsError READ grantActionsError NOTIFY fieldsChanged)
    Q_PROPERTY(QString keyLifetimeError READ keyLifetimeError NOTIFY fieldsChanged)

    // --- Form state
    /** No field has a problem (shown or not): save() and test() can work. */
    Q_PROPERTY(bool valid READ isValid NOTIFY fieldsChanged)
    /** Something was edited since load() or save(). */
    Q_PROPERTY(bool dirty READ isDirty NOTIFY fieldsChanged)
    /** "Key stored in the system keychain" / "No key stored" / "From the environment". */
    Q_PROPERTY(QString secretKeyStatus READ secretKeyStatus NOTIFY secretsChanged)
    Q_PROPERTY(bool hasStoredSecretKey READ hasStoredSecretKey NOTIFY secretsChanged)
    /** "Token stored" / "No token stored" / "Will be removed on Save". */
    Q_PROPERTY(QString bearerTokenStatus READ bearerTokenStatus NOTIFY secretsChanged)
    Q_PROPERTY(bool hasStoredBearerToken READ hasStoredBearerToken NOTIFY secretsChanged)
    /** The stored bearer token is removed on save(). */
    Q_PROPERTY(bool removeBearerToken READ removeBearerToken WRITE setRemoveBearerToken NOTIFY
                       secretsChanged)
    Q_PROPERTY(bool testing READ isTesting NOTIFY testChanged)
    /** The last test's summary, "" before the first test. */
    Q_PROPERTY(QString testResult READ testResult NOTIFY testChanged)
    Q_PROPERTY(bool testPassed READ testPassed NOTIFY testChanged)
    /** The last test's steps: maps with name, ok (bool), text. */
    Q_PROPERTY(QVariantList testSteps READ testSteps NOTIFY testChanged)

public:
    explicit SettingsForm(QObject *parent = nullptr);
    ~SettingsForm() override;

    [[nodiscard]] AppController *controller() const { return m_controller; }
    void setController(AppController *controller);

    [[nodiscard]] AppSettings::CredentialSource source() const { return m_source; }
    void setSource(AppSettings::CredentialSource source);
    [[nodiscard]] QString signingUrl() const { return m_signingUrl; }
    void setSigningUrl(const QString &value);
    [[nodiscard]] QString bearerToken() const { return m_bearerToken; }
    void setBearerToken(const QString &value);
    [[nodiscard]] QString secretId() const { return m_secretId; }
    void setSecretId(const QString &value);
    [[nodiscard]] QString secretKey() const { return m_secretKey; }
    void setSecretKey(const QString &value);
    [[nodiscard]] QString dialect() const { return m_dialect; }
    void setDialect(const QString &value);
    [[nodiscard]] QString endpointUrl() const { return m_endpointUrl; }
    void setEndpointUrl(const QString &value);
    [[nodiscard]] bool pathStyle() const { return m_pathStyle; }
    void setPathStyle(bool value);
    [[nodiscard]] QString region() const { return m_region; }
    void setRegion(const QString &value);
    [[nodiscard]] QString appId() const { return m_appId; }
    void setAppId(const QString &value);
    [[nodiscard]] QString defaultBucket() const { return m_defaultBucket; }
    void setDefaultBucket(const QString &value);
    [[nodiscard]] bool plainHttp() const { return m_plainHttp; }
    void setPlainHttp(bool value);
    [[nodiscard]] QString domain() const { return m_options.domain; }
    void setDomain(const QString &value);
    [[nodiscard]] QString serviceDomain() const { return m_options.serviceDomain; }
    void setServiceDomain(const QString &value);
    [[nodiscard]] bool accelerate() const { return m_options.accelerate; }
    void setAccelerate(bool value);
    [[nodiscard]] bool internal() const { return m_options.internal; }
    void setInternal(bool value);
    [[nodiscard]] QString connectTo() const { return m_options.connectTo; }
    void setConnectTo(const QString &value);
    [[nodiscard]] bool backupDomain() const { return m_options.backupDomain; }
    void setBackupDomain(bool value);
    [[nodiscard]] bool hasEndpointOptions() const;
    [[nodiscard]] QString signerBackend() const { return m_signer.backend; }
    void setSignerBackend(const QString &value);
    [[nodiscard]] QString stsEndpoint() const { return m_signer.stsEndpoint; }
    void setStsEndpoint(const QString &value);
    [[nodiscard]] QString roleArn() const { return m_signer.roleArn; }
    void setRoleArn(const QString &value);
    [[nodiscard]] QString grantBucket() const { return m_signer.bucket; }
    void setGrantBucket(const QString &value);
    [[nodiscard]] QString grantPrefix() const { return m_signer.prefix; }
    void setGrantPrefix(const QString &value);
    [[nodiscard]] QString grantActions() const { return m_signer.actions; }
    void setGrantActions(const QString &value);
    [[nodiscard]] QString keyLifetime() const { return m_keyLifetime; }
    void setKeyLifetime(const QString &value);

    [[nodiscard]] QString signingUrlError() const;
    [[nodiscard]] QString bearerTokenError() const;
    [[nodiscard]] QString secretIdError() const;
    [[nodiscard]] QString secretKeyError() const;
    [[nodiscard]] QString endpointUrlError() const;
    [[nodiscard]] QString regionError() const;
    [[nodiscard]] QString appIdError() const;
    [[nodiscard]] QString endpointOptionsError() const;
    [[nodiscard]] QString signerBackendError() const;
    [[nodiscard]] QString stsEndpointError() const;
    [[nodiscard]] QString roleArnError() const;
    [[nodiscard]] QString grantBucketError() const;
    [[nodiscard]] QString grantPrefixError() const;
    [[nodiscard]] QString grantActionsError() const;
    [[nodiscard]] QString keyLifetimeError() const;

    [[nodiscard]] bool isValid() const;
    [[nodiscard]] bool isDirty() const { return m_dirty; }
    [[nodiscard]] QString secretKeyStatus() const;
    [[nodiscard]] bool hasStoredSecretKey() const;
    [[nodiscard]] QString bearerTokenStatus() const;
    [[nodiscard]] bool hasStoredBearerToken() const;
    [[nodiscard]] bool removeBearerToken() const { return m_removeBearerToken; }
    void setRemoveBearerToken(bool remove);
    [[nodiscard]] bool isTesting() const;
    [[nodiscard]] QString testResult() const { return m_testResult; }
    [[nodiscard]] bool testPassed() const { return m_testPassed; }
    [[nodiscard]] QVariantList testSteps() const { return m_testSteps; }

    /** @brief Whether action set @p name ("upload", ...) is in grantActions. */
    Q_INVOKABLE bool hasGrantAction(const QString &name) const;
    /** @brief Adds or removes action set @p name. */
    Q_INVOKABLE void setGrantAction(const QString &name, bool granted);

    /** @brief Fills the form from the saved settings (secrets empty); nothing is edited then. */
    Q_INVOKABLE void load();
    /**
     * @brief Writes the form to the settings and the secret store, then the controller
     * reconnects (keeping the open folder). When the form is not valid nothing is written,
     * every field shows its error, and false is returned.
     */
    Q_INVOKABLE bool save();
    /** @brief Tries the form as it is; testFinished() follows (also when it cannot start). */
    Q_INVOKABLE void test();
    /** @brief Removes the stored SecretId, SecretKey and bearer token. */
    Q_INVOKABLE void forgetStoredKeys();

Q_SIGNALS:
    void controllerChanged();
    void fieldsChanged();
    void secretsChanged();
    void testChanged();
    /** @brief save() wrote the settings. */
    void saved();
    void testFinished(bool ok, const QString &message);

private:
    /** @brief Sets @p member to @p value and marks @p field edited when it changed. */
    template<typename T>
    void edit(T &member, const T &value, const char *field);
    [[nodiscard]] QString shown(const char *field, const QString &error) const;
    [[nodiscard]] bool usesKeys() const { return m_source != AppSettings::SigningUrl; }
    [[nodiscard]] bool embedded() const { return m_source == AppSettings::EmbeddedSigner; }
    [[nodiscard]] bool keysFromEnvironment() const;
    [[nodiscard]] Cos::EndpointOptions endpointOptions() const;
    [[nodiscard]] QVariantMap endpointOptionsMap() const;
    [[nodiscard]] EmbeddedSignerOptions signerOptions() const;
    // The raw checks (whether shown or not).
    [[nodiscard]] QString checkSecretId() const;
    [[nodiscard]] QString checkSecretKey() const;
    [[nodiscard]] QString checkSigner(EmbeddedSignerOptions::Field field) const;
    [[nodiscard]] QString checkGrantBucket() const;
    [[nodiscard]] QString checkEndpointUrl() const;
    void finishTest(bool ok, const QString &message);

    QPointer<AppController> m_controller;
    AppSettings::CredentialSource m_source = AppSettings::SigningUrl;
    QString m_signingUrl;
    QString m_bearerToken;
    bool m_removeBearerToken = false;
    QString m_secretId;
    QString m_secretKey;
    QString m_dialect = QStringLiteral("cos");
    QString m_endpointUrl;
    bool m_pathStyle = false;
    QString m_region;
    QString m_appId;
    QString m_defaultBucket;
    bool m_plainHttp = false;
    Cos::EndpointOptions m_options;
    EmbeddedSignerOptions m_signer;
    QString m_keyLifetime = QStringLiteral("1800");
    QSet<QByteArray> m_edited;
    bool m_showAll = false;
    bool m_dirty = false;

    QPointer<Cos::Client> m_testClient;
    QPointer<Cos::ConnectionTestJob> m_testJob;
    QString m_testResult;
    bool m_testPassed = false;
    QVariantList m_testSteps;
};
