#pragma once

#include "cos/core/credentials.h"
#include "cos/protocol/requestbuilder.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <deque>

QT_BEGIN_NAMESPACE
class QNetworkRequest;
QT_END_NAMESPACE
#include <functional>

namespace Cos {

/** @brief The header list of a journal entry, in the order sent or received. */
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/**
 * @brief One request as the journal keeps it. Nothing in it is secret: the recorder passes every
 * field through a SecretRedactor before it reaches the journal.
 */
struct JournalEntry
{
    enum class Kind {
        Storage, ///< a COS or S3 request of a RequestJob
        SigningUrl, ///< a GET of a signing URL for temporary keys
        Sts, ///< a call of the embedded signer to an STS service for temporary keys
    };

    quint64 id = 0; ///< 1, 2, ... in the order the requests were sent
    Kind kind = Kind::Storage;
    QDateTime started; ///< UTC, the local clock
    QString operation; ///< e.g. "UploadPart"; the method when the operation is unknown
    QByteArray method;
    QString url; ///< with signature and token query values redacted
    HeaderList requestHeaders; ///< Authorization and tokens redacted
    QByteArray canonicalRequest; ///< SigV4 canonical request, COS HttpString (FormatString)
    QByteArray stringToSign;
    int attempt = 1; ///< 1 for the first send of a request
    QString retryReason; ///< why this attempt was made; empty for the first
    qint64 clockOffsetMs = 0; ///< the Clock's offset the request was signed with

    bool finished = false;
    int status = 0; ///< HTTP status; 0 when no response came
    qint64 durationMs = 0; ///< from the send to the end of the response
    qint64 bytesSent = 0; ///< request body bytes (its Content-Length)
    qint64 bytesReceived = 0; ///< response body bytes
    QString requestId; ///< x-cos-request-id / x-amz-request-id
    QString error; ///< Error::toString() of this attempt; empty on success
    QByteArray errorBody; ///< the body of an error response, capped; never a data body

    /** @brief What the keys a request was signed with say about themselves (no secret). */
    struct Keys
    {
        QString keyId; ///< masked (maskKeyId())
        bool temporary = false; ///< a session token was sent
        qint64 startTime = 0; ///< Unix seconds; 0 when unknown or permanent
        qint64 expiredTime = 0; ///< Unix seconds; 0 for permanent keys
        /** What the issuer says the keys allow (CredentialScope::describe()); empty if unknown. */
        QString scope;
    };
    Keys keys; ///< empty for signing-URL fetches
    /**
     * @brief The request before signing, to replay it (a presigned URL, a curl command): no
     * Authorization or token is in it. Its body only when the builder made it (XML) and it is
     * at most MaxErrorBody bytes; null for signing-URL fetches.
     */
    HttpRequest request;

    [[nodiscard]] bool isError() const { return finished && !error.isEmpty(); }
    /** @brief Whether this was a fetch of temporary keys (signing URL or STS). */
    [[nodiscard]] bool isKeyFetch() const { return kind != Kind::Storage; }
};

/**
 * @brief Replaces the secrets of one set of credentials (and a bearer token) wherever they
 * occur in a text: raw, percent-encoded, or as a key id, which is masked instead.
 *
 * The structured redactions (Authorization values, token headers, signature query values) are
 * static: they do not need to know the secret.
 */
class SecretRedactor
{
public:
    SecretRedactor() = default;
    explicit SecretRedactor(const Credentials &credentials, const QByteArray &bearerToken = {});

    /** @brief @p text with every known secret replaced. */
    [[nodiscard]] QByteArray apply(const QByteArray &text) const;
    [[nodiscard]] QString apply(const QString &text) const;

    /** @brief The headers with Authorization and token values redacted. */
    [[nodiscard]] HeaderList headers(const HeaderList &headers) const;
    /** @brief @p url with the values of signature, token and credential parameters redacted. */
    [[nodiscard]] QString url(const QString &url) const;

    /**
     * @brief An Authorization value reduced to what explains it: the algorithm, the masked key
     * id, the signed headers and times; the signature is replaced by "<redacted>".
     */
    [[nodiscard]] static QByteArray authorization(const QByteArray &value);
    /** @brief Whether a header carries a secret as its whole value (token headers). */
    [[nodiscard]] static bool isTokenHeader(QByteArrayView name);

private:
    struct Replacement
    {
        QByteArray secret;
        QByteArray replacement;
    };
    void add(const QString &secret, const QByteArray &replacement);

    QList<Replacement> m_replacements;
};

/**
 * @brief The last requests the engine sent, for developers: what went over the wire and why.
 *
 * A Client records into its journal only when one is set (Client::setJournal()); without one no
 * entry is built, so an unobserved engine pays nothing. The journal keeps the last capacity()
 * entries (a ring; the oldest go first), each bounded (error bodies capped at MaxErrorBody).
 *
 * Recording: begin() adds an entry and returns its id; update() changes it while it is still in
 * the ring. entryAdded() and entryChanged() tell observers (cosctl --trace, the app's Network
 * page) as it happens.
 */
class RequestJournal : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultCapacity = 500;
    static constexpr qsizetype MaxErrorBody = 16 * 1024;

    explicit RequestJournal(QObject *parent = nullptr);
    ~RequestJournal() override;

    /** @brief Keeps at most @p entries (at least 1); older ones are dropped at once. */
    void setCapacity(int entries);
    [[nodiscard]] int capacity() const { return m_capacity; }

    /** @brief The kept entries, oldest first. */
    [[nodiscard]] QList<JournalEntry> entries() const;
    /** @brief The entry with @p id, or nullptr when it is not (or no longer) kept. */
    [[nodiscard]] const JournalEntry *find(quint64 id) const;
    [[nodiscard]] int size() const { return int(m_entries.size()); }
    void clear();

    /** @brief Adds @p entry (its id and start are set here) and returns its id. */
    quint64 begin(JournalEntry entry);
    /** @brief Applies @p change to entry @p id if it is still kept, then emits entryChanged(). */
    void update(quint64 id, const std::function<void(JournalEntry &)> &change);

Q_SIGNALS:
    void entryAdded(const Cos::JournalEntry &entry);
    void entryChanged(const Cos::JournalEntry &entry);
    void cleared();

private:
    JournalEntry *findMutable(quint64 id);

    std::deque<JournalEntry> m_entries;
    int m_capacity = DefaultCapacity;
    quint64 m_nextId = 1;
};

/** @brief The raw headers set on @p request, in the order they were set. */
HeaderList rawHeaders(const QNetworkRequest &request);

/** @brief One line for a terminal: "#3 PUT UploadPart https://... -> 200 in 12 ms ...". */
QString journalLine(const JournalEntry &entry);

/** @brief "\n  title:\n    text", every line of @p text indented: a block of a report. */
QString journalBlock(const QString &title, const QString &text);

/**
 * @brief For a request that failed with SignatureDoesNotMatch: our string to sign and canonical
 * request, each next to the server's when its error body carried them, and what the comparison
 * suggests. Empty for any other entry.
 */
QString signatureMismatchReport(const JournalEntry &entry);

} // namespace Cos
