#pragma once

#include "appsettings.h"
#include "bucketlistmodel.h"
#include "clientpool.h"
#include "networklogmodel.h"
#include "objectactions.h"
#include "objectlistmodel.h"
#include "previewprovider.h"
#include "regionlistmodel.h"
#include "storedsecrets.h"
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
class BrowseCommands;
class TransferCommands;
class SecretStore;

/**
 * @brief The C++-owned singleton that QML talks to: it wires the models, the settings and
 * secrets, and the clients together, and offers the app's commands.
 *
 * The work lives in classes of their own: AppSettings (what to connect to), StoredSecrets (the
 * keys in the keychain), ClientPool (the Cos::Clients, one per region), BrowseCommands (one-shot
 * commands on buckets and objects), TransferCommands (uploads, downloads), ObjectActions (multi-select, folders, batches), the models
 * (buckets, objects, transfers, network log), and SettingsForm (the Settings page). This class
 * connects at start and after Save, opens locations, and reports failures that block
 * everything (problem).
 *
 * main() creates it and hands it over with setInstance() before the engine loads, so tests can
 * swap in their own instance the same way. Results of commands come back as signals: notify()
 * for a short confirmation, and operationFailed() with a message that says what to do.
 */
class AppController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(AppSettings *settings READ settings CONSTANT)
    /** Whether keys and a bearer token are stored (the Settings page's status lines). */
    Q_PROPERTY(StoredSecrets *secrets READ secrets CONSTANT)
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
    [[nodiscard]] StoredSecrets *secrets() const { return m_secrets; }
    [[nodiscard]] ClientPool *clients() const { return m_clients; }
    [[nodiscard]] RegionListModel *regions() const { return m_regions; }
    [[nodiscard]] BucketListModel *buckets() const { return m_buckets; }
    [[nodiscard]] ObjectListModel *objects() const { return m_objects; }
    [[nodiscard]] TransferListModel *transfers() const { return m_transfers; }
    [[nodiscard]] NetworkLogModel *networkLog() const { return m_networkLog; }
    [[nodiscard]] ObjectActions *actions() const { return m_actions; }
    [[nodiscard]] PreviewProvider *previews() const { return m_previews; }
    [[nodiscard]] bool isConnected() const { return m_clients->client(); }
    [[nodiscard]] QString connectionSummary() const { return m_summary; }
    [[nodiscard]] QString connectionError() const { return m_connectionError; }
    [[nodiscard]] bool desktopFileDialogs() const;
    [[nodiscard]] QString problem() const { return m_problem; }
    [[nodiscard]] QString problemCause() const { return m_problemCause; }
    [[nodiscard]] bool canModify() const { return isConnected() && m_problem.isEmpty(); }
    [[nodiscard]] QVariantMap credentialInfo() const { return m_credentialInfo; }

    /** @brief The client for bucket requests in @p region (null when not connected). */
    Cos::Client *clientFor(const QString &region) { return m_clients->clientFor(region); }
    /** @brief The main client (the default region). */
    [[nodiscard]] Cos::Client *client() const { return m_clients->client(); }
    /** @brief The saved settings and stored secrets as a provider configuration. */
    [[nodiscard]] ClientPool::ProviderConfig providerConfig() const;
    /**
     * @brief After the settings were saved: stores @p secrets, then reconnects and reopens the
     * open folder (when the new settings still reach it).
     */
    void applySettings(const StoredSecrets::Update &secrets);

    /** @brief Loads settings (environment included) and secrets, then connects. */
    Q_INVOKABLE void start();
    /** @brief Drops the clients and connects again with the current settings. */
    Q_INVOKABLE void reconnect();
    /** @brief Removes the stored keys and token, then reconnects. */
    Q_INVOKABLE void forgetSecrets();

    Q_INVOKABLE void openRegion(const QString &region);
    Q_INVOKABLE void openBucket(const QString &bucket, const QString &region);
    /** @brief Opens the default bucket from the settings; false when there is none. */
    Q_INVOKABLE bool openDefaultBucket();

    // The commands of BrowseCommands, under the names QML knows.
    Q_INVOKABLE QString validateBucketName(const QString &name) const;
    Q_INVOKABLE QString fullBucketName(const QString &name) const;
    Q_INVOKABLE void createBucket(const QString &name, const QString &region, const QString &acl);
    Q_INVOKABLE void deleteObject(const QString &key, bool isFolder);
    Q_INVOKABLE QString validateFolderName(const QString &name) const;
    Q_INVOKABLE void createFolder(const QString &name);
    Q_INVOKABLE void copyLink(const QString &key, int expiresSeconds);
    /** @brief A link to any object: @p object has bucket, region and key (a transfer's). */
    Q_INVOKABLE void copyObjectLink(const QVariantMap &object, int expiresSeconds);
    Q_INVOKABLE void fetchDetails(const QString &key);
    Q_INVOKABLE void upload(const QList<QUrl> &files);
    Q_INVOKABLE void download(const QString &key, const QUrl &folder);
    Q_INVOKABLE QUrl defaultDownloadFolder() const;

    static void setInstance(AppController *instance);
    static AppController *instance() { return s_instance; }
    static AppController *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

Q_SIGNALS:
    void connectionChanged();
    void problemChanged();
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

private:
    void updateCredentialInfo();
    void applyScope();
    void connectWithSecrets();
    void dropClients();
    void setConnection(Cos::Client *client, const QString &summary, const QString &error);
    void updateProblem(const QueryModel *model);
    void setProblem(const QString &problem, const QString &cause);
    void connectModels();

    static AppController *s_instance;

    AppSettings *m_settings;
    StoredSecrets *m_secrets;
    RegionListModel *m_regions;
    BucketListModel *m_buckets;
    ObjectListModel *m_objects;
    TransferListModel *m_transfers;
    NetworkLogModel *m_networkLog;
    ClientPool *m_clients;
    ObjectActions *m_actions;
    PreviewProvider *m_previews;
    BrowseCommands *m_commands;
    TransferCommands *m_transferCommands;
    QString m_summary;
    QString m_connectionError;
    QString m_problem;
    ClientPool::Location m_keepLocation; // reopened by the next connect (after Save)
    QString m_problemCause;
    QVariantMap m_credentialInfo;
    bool m_started = false;
    quint64 m_connectSerial = 0;
};
