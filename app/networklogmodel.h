#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace Cos {
class Client;
class RequestJournal;
struct JournalEntry;
} // namespace Cos

/**
 * @brief The Network page's list: the requests of the app's clients, newest first, live from
 * their Cos::RequestJournal (rows appear as requests start and change as they finish; the
 * journal's ring bounds them), filtered by status class and operation.
 *
 * Everything it exposes comes from the journal, which holds no secret; the texts it builds on
 * top (curl commands, explanations) put placeholders where a secret would go.
 */
class NetworkLogModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppController owns the network log")
    /** "all", "ok", "4xx", "5xx", "network" (no response) or "pending". */
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY filterChanged)
    /** An operation name ("UploadPart") or "" for all. */
    Q_PROPERTY(QString operationFilter READ operationFilter WRITE setOperationFilter NOTIFY
                       filterChanged)
    /** The operations of the kept requests, sorted. */
    Q_PROPERTY(QStringList operations READ operations NOTIFY operationsChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /**
     * Whether rows follow the journal as it changes (default). Paused, the list stays as it is
     * (the journal still records; rows of entries the ring dropped still go); live again, it
     * catches up.
     */
    Q_PROPERTY(bool live READ isLive WRITE setLive NOTIFY liveChanged)
    /** Kept requests per status class: {all, ok, 4xx, 5xx, network, pending}. */
    Q_PROPERTY(QVariantMap classCounts READ classCounts NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        OperationRole,
        MethodRole,
        UrlRole, ///< redacted
        TargetRole, ///< host and path, shorter than the URL
        StatusRole, ///< HTTP status, 0 when none (yet)
        StatusTextRole, ///< "200", "404 NoSuchKey", "no response", "…"
        StatusClassRole,
        SummaryRole, ///< "12:03:04 · 35 ms · 1.2 KB"
        AttemptRole,
        HasExplanationRole,
    };
    Q_ENUM(Role)

    /** @brief Validity of the presigned URLs "Copy as curl" makes. */
    static constexpr int CurlUrlSeconds = 300;

    explicit NetworkLogModel(QObject *parent = nullptr);
    ~NetworkLogModel() override;

    [[nodiscard]] Cos::RequestJournal *journal() const { return m_journal; }
    /** @brief Records the requests of @p client into this log's journal. */
    void attach(Cos::Client *client);
    /** @brief The client whose keys and clock "Copy as curl" signs with (null: none). */
    void setSigningClient(Cos::Client *client);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString statusFilter() const { return m_statusFilter; }
    void setStatusFilter(const QString &filter);
    [[nodiscard]] QString operationFilter() const { return m_operationFilter; }
    void setOperationFilter(const QString &operation);
    [[nodiscard]] QStringList operations() const { return m_operations; }
    [[nodiscard]] int count() const { return int(m_rows.size()); }
    [[nodiscard]] bool isLive() const { return m_live; }
    void setLive(bool live);
    [[nodiscard]] QVariantMap classCounts() const;

    /** @brief "ok", "4xx", "5xx", "network" or "pending". */
    [[nodiscard]] static QString statusClass(const Cos::JournalEntry &entry);

    /**
     * @brief The detail view of request @p id: a list of {label, value, mono} maps (method,
     * URL, status, error, timing, bytes, request id, attempt, clock offset, keys, headers,
     * signing inputs, error body); empty when the request is no longer kept.
     */
    Q_INVOKABLE QVariantList details(qint64 id) const;
    /** @brief What an error of request @p id means and what to check; "" when there is none. */
    Q_INVOKABLE QString explain(qint64 id) const;
    /**
     * @brief The newest request with an explanation, else the newest that failed, else the
     * newest; -1 when the log is empty.
     */
    Q_INVOKABLE qint64 mostInteresting() const;
    /** @brief Builds curlCommand() for @p id and puts it on the clipboard: curlCopied(). */
    Q_INVOKABLE void copyAsCurl(qint64 id);
    /** @brief Drops every kept request. */
    Q_INVOKABLE void clear();

    /**
     * @brief A shell command that repeats request @p id: for GET, HEAD and DELETE curl with a
     * presigned URL valid CurlUrlSeconds; for others curl with --aws-sigv4 (S3) or the COS
     * headers as sent. Secrets are shell placeholders ($COS_SECRET_KEY, $COS_SESSION_TOKEN,
     * $COS_SIGNATURE). Calls @p done with the text or an error message, maybe at once.
     */
    void curlCommand(qint64 id, QObject *context,
                     const std::function<void(const QString &text, const QString &error)> &done);

Q_SIGNALS:
    void filterChanged();
    void liveChanged();
    void operationsChanged();
    void countChanged();
    void curlCopied(const QString &text);
    void curlFailed(const QString &message);

private:
    void onAdded(const Cos::JournalEntry &entry);
    void onChanged(const Cos::JournalEntry &entry);
    void rebuild();
    void dropForgotten();
    [[nodiscard]] bool accepts(const Cos::JournalEntry &entry) const;
    [[nodiscard]] const Cos::JournalEntry *entryAt(int row) const;

    Cos::RequestJournal *m_journal;
    QPointer<Cos::Client> m_signingClient;
    QList<quint64> m_rows; // ids, newest first
    QStringList m_operations;
    QString m_statusFilter = QStringLiteral("all");
    QString m_operationFilter;
    bool m_live = true;
};
