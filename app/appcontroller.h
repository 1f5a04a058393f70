#pragma once

#include "appsettings.h"
#include "bucketlistmodel.h"
#include "networklogmodel.h"
#include "objectactions.h"
#include "objectlistmodel.h"
#include "previewprovider.h"
#include "regionlistmodel.h"
#include "transferlistmodel.h"

#include "cos/net/client.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;
class QNetworkAccessManager;
class PickedFileStager;
class SecretStore;

namespace Cos {
class CredentialProvider;
} // namespace Cos

/**
 * @brief The C++-owned singleton that QML talks to: settings, the models, and the commands
 * (open, create, upload, download, delete, copy link, test connection).
 *
 * main() creates it and hands it over with setInstance() before the engine loads, so tests can
 * swap in their own instance the same way. It owns one Cos::Client per region in use (COS
 * bucket requests go to a regional host; an S3 endpoint needs only one).
 *
 * Results of commands come back as signals: notify() for a short confirmation, and
 * operationFailed() with a message that says what to do.
 */
class AppController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(AppSettings *settings READ settings CONSTANT)
    Q_PROPERTY(RegionListModel *regions READ regions CONSTANT)
    Q_PROPERTY(BucketListModel *buckets READ buckets CONSTANT)
    Q_PROPERTY(ObjectListModel *objects READ objects CONSTANT)
    Q_PROPERTY(TransferListModel *transfers READ transfers CONSTANT)
    /** The requests of the app's clients (the Network page). */
    Q_PROPERTY(NetworkLogModel *networkLog READ networkLog CONSTANT)
    /** Multi-select, folder and batch commands over the object list. */
    Q_PROPERTY(ObjectActions *actions READ actions CONSTANT)
    Q_PROPERTY(PreviewProvider *previews READ previews CONSTANT)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionSummary READ connectionSummary NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionError READ connectionError NOTIFY connectionChanged)
    Q_PROPERTY(bool hasStoredSecretKey READ hasStoredSecretKey NOTIFY secretsChanged)
    Q_PROPERTY(bool hasBearerToken READ hasBearerToken NOTIFY secretsChanged)
    Q_PROPERTY(QString secretStoreName READ secretStoreName CONSTANT)
    Q_PROPERTY(bool testing READ isTesting NOTIFY testingChanged)
    Q_PROPERTY(bool desktopFileDialogs READ desktopFileDialogs CONSTANT)
    /**
     * The keys requests are signed with, for Settings → Credentials: source, keyId (masked),
     * temporary (bool), expires (local time text, "" for permanent keys), granted ("bucket/
     * prefix* [actions]" of the embedded signer, else ""). Empty while not connected.
     */
    Q_PROPERTY(QVariantMap credentialInfo READ credentialInfo NOTIFY credentialInfoChanged)
    /**
     * A failure that stops everything until it is fixed (signer unreachable or refusing,
     * credentials rejected, endpoint unreachable), seen on the last bucket or object listing;
     * "" once a listing works again. problemCause is its Presentation::causeName().
     */
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
    Q_PROPERTY(QString problemCause READ problemCause NOTIFY problemChanged)
    /** Connected and no known problem: actions that write (upload, new bucket) can work. */
    Q_PROPERTY(bool canModify READ canModify NOTIFY problemChanged)

public:
    /**
     * @brief @p secrets (owned) defaults to the system keychain when null.
     *
     * Deliberately not default-constructible: Qt 6.4 prefers a default constructor over
     * create() for QML_SINGLETONs, and QML would then build a second, unconfigured instance.
     */
    explicit AppController(SecretStore *secrets, QObject *parent = nullptr);
    ~AppController() override;

    [[nodiscard]] QString version() const;
    [[nodiscard]] AppSettings *settings() const { return m_settings; }
    [[nodiscard]] RegionListModel *regions() const { return m_regions; }
    [[nodiscard]] BucketListModel *buckets() const { return m_buckets; }
    [[nodiscard]] ObjectListModel *objects() const { return m_objects; }
    [[nodiscard]] TransferListModel *transfers() const { return m_transfers; }
    [[nodiscard]] NetworkLogModel *networkLog() const { return m_networkLog; }
    [[nodiscard]] ObjectActions *actions() const { return m_actions; }
    [[nodiscard]] PreviewProvider *previews() const { return m_previews; }
    [[nodiscard]] bool isConnected() const { return m_client; }
    [[nodiscard]] QString connectionSummary() const { return m_summary; }
    [[nodiscard]] QString connectionError() const { return m_connectionError; }
    [[nodiscard]] bool hasStoredSecretKey() const { return !m_secretKey.isEmpty(); }
    [[nodiscard]] bool hasBearerToken() const { return !m_bearerToken.isEmpty(); }
    [[nodiscard]] QString secretStoreName() const;
    [[nodiscard]] bool isTesting() const { return m_testing; }
    [[nodiscard]] bool desktopFileDialogs() const;
    [[nodiscard]] QString problem() const { return m_problem; }
    [[nodiscard]] QString problemCause() const { return m_problemCause; }
    [[nodiscard]] bool canModify() const { return m_client && m_problem.isEmpty(); }
    [[nodiscard]] QVariantMap credentialInfo() const { return m_credentialInfo; }

    /** @brief The client for bucket requests in @p region (null when not connected). */
    Cos::Client *clientFor(const QString &region);
    /** @brief The main client (the default region). */
    [[nodiscard]] Cos::Client *client() const { return m_client; }

    /** @brief Loads settings (environment included) and secrets, then connects. */
    Q_INVOKABLE void start();
    /** @brief Drops the clients and connects again with the current settings. */
    Q_INVOKABLE void reconnect();

    Q_INVOKABLE void openRegion(const QString &region);
    Q_INVOKABLE void openBucket(const QString &bucket, const QString &region);
    /** @brief Opens the default bucket from the settings; false when there is none. */
    Q_INVOKABLE bool openDefaultBucket();

    /** @brief "" when @p name is a valid bucket name here, else what is wrong. */
    Q_INVOKABLE QString validateBucketName(const QString &name) const;
    /** @brief @p name with the -APPID suffix the server will see. */
    Q_INVOKABLE QString fullBucketName(const QString &name) const;
    Q_INVOKABLE void createBucket(const QString &name, const QString &region, const QString &acl);

    Q_INVOKABLE void deleteObject(const QString &key, bool isFolder);
    /** @brief Why @p name cannot be a folder name ("" when it can). */
    Q_INVOKABLE QString validateFolderName(const QString &name) const;
    /**
     * @brief Creates folder @p name in the open folder: an empty object "<prefix><name>/", the
     * placeholder the COS console and S3 tools make; notify() and a refreshed list follow.
     */
    Q_INVOKABLE void createFolder(const QString &name);
    /** @brief Copies a presigned GET link to @p key of the open bucket to the clipboard. */
    Q_INVOKABLE void copyLink(const QString &key, int expiresSeconds);
    /** @brief The same for any bucket (a finished transfer's object). */
    Q_INVOKABLE void copyObjectLink(const QString &bucket, const QString &region,
                                    const QString &key, int expiresSeconds);
    /**
     * @brief Asks the server (HEAD) about @p key of the open bucket; answers with
     * detailsFetched() (sizeText, modified, contentType, etag, storageClass, crc64, metadata)
     * or detailsFailed().
     */
    Q_INVOKABLE void fetchDetails(const QString &key);
    /** @brief Uploads @p files (local file URLs) into the open bucket and folder. */
    Q_INVOKABLE void upload(const QList<QUrl> &files);
    /** @brief Downloads @p key of the open bucket into @p folder (a local folder URL). */
    Q_INVOKABLE void download(const QString &key, const QUrl &folder);
    Q_INVOKABLE QUrl defaultDownloadFolder() const;

    /**
     * @brief Saves the settings page: the plain values go to QSettings, @p secretKey and
     * @p bearerToken (when not empty) to the secret store; then reconnects.
     * @p clearBearerToken removes a stored token. @p endpointOptions: see
     * AppSettings::validateEndpointOptions(); @p signerOptions: AppSettings::embeddedSigner.
     */
    Q_INVOKABLE void saveSettings(int source, const QString &signingUrl, const QString &bearerToken,
                                  bool clearBearerToken, const QString &dialect,
                                  const QString &endpointUrl, bool pathStyle, const QString &region,
                                  const QString &appId, const QString &secretId,
                                  const QString &secretKey, const QString &defaultBucket,
                                  const QVariantMap &endpointOptions,
                                  const QVariantMap &signerOptions);
    /** @brief Removes the stored keys and token. */
    Q_INVOKABLE void forgetSecrets();

    /**
     * @brief Tries the given (unsaved) settings: fetch credentials, list buckets, and when that
     * is denied, list the default bucket. Empty secrets mean "use the stored ones".
     * Emits testFinished().
     */
    Q_INVOKABLE void testConnection(int source, const QString &signingUrl,
                                    const QString &bearerToken, const QString &dialect,
                                    const QString &endpointUrl, bool pathStyle,
                                    const QString &region, const QString &appId,
                                    const QString &secretId, const QString &secretKey,
                                    const QString &defaultBucket,
                                    const QVariantMap &endpointOptions,
                                    const QVariantMap &signerOptions);

    static void setInstance(AppController *instance);
    static AppController *instance() { return s_instance; }
    static AppController *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

Q_SIGNALS:
    void connectionChanged();
    void problemChanged();
    void secretsChanged();
    void testingChanged();
    void credentialInfoChanged();
    /** @brief A short confirmation for a snackbar. */
    void notify(const QString &message);
    /** @brief A command failed; @p message says what to do. */
    void operationFailed(const QString &message);
    void bucketCreated(const QString &name, const QString &region);
    /** @brief Folder placeholder @p key was created (ends with '/'). */
    void folderCreated(const QString &key);
    void linkCopied(const QString &url);
    void detailsFetched(const QString &key, const QVariantMap &details);
    void detailsFailed(const QString &key, const QString &message);
    void testFinished(bool ok, const QString &message);

private:
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
    /** @brief Null with @p error set when the configuration cannot give keys. */
    Cos::CredentialProvider *makeProvider(const ProviderConfig &config, QString *error);
    void updateCredentialInfo();
    void applyScope();
    ProviderConfig currentProviderConfig() const;
    void connectWithSecrets();
    void dropClients();
    void setConnection(Cos::Client *client, const QString &summary, const QString &error);
    void setTesting(bool testing);
    void finishTest(bool ok, const QString &message);
    void updateProblem(const QueryModel *model);
    void setProblem(const QString &problem, const QString &cause);

    struct Location
    {
        QString bucket;
        QString region;
        QString prefix;
    };

    static AppController *s_instance;

    AppSettings *m_settings;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_signerNetwork;
    RegionListModel *m_regions;
    BucketListModel *m_buckets;
    ObjectListModel *m_objects;
    TransferListModel *m_transfers;
    PickedFileStager *m_picked;
    NetworkLogModel *m_networkLog;
    ObjectActions *m_actions;
    PreviewProvider *m_previews;
    QPointer<Cos::Client> m_client;
    QHash<QString, Cos::Client *> m_regionClients;
    QPointer<Cos::Client> m_testClient;
    QString m_summary;
    QString m_connectionError;
    QString m_problem;
    Location m_keepLocation; // reopened by the next connect (after Save)
    QString m_problemCause;
    QString m_secretKey;
    QString m_bearerToken;
    QVariantMap m_credentialInfo;
    QString m_grantedScope; // the embedded signer's grant, "bucket/prefix* [actions]"
    bool m_testing = false;
    bool m_started = false;
    bool m_resumeOnActive = false; // mobile: transfers paused because the app was suspended
    quint64 m_connectSerial = 0;
};
