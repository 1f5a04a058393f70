#include "networklogmodel.h"

#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/requestjournal.h"
#include "cos/net/requestsigner.h"
#include "cos/protocol/xmlparsers.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QStringList kClasses = {u"ok"_s, u"4xx"_s, u"5xx"_s, u"network"_s, u"pending"_s};

// The error code and message of an error body ("" when it has none).
Cos::Error errorOf(const Cos::JournalEntry &e)
{
    if (e.status == 0 || e.errorBody.isEmpty())
        return {};
    return Cos::parseErrorResponse(e.status, e.errorBody, e.requestId);
}

QString timeText(const QDateTime &utc)
{
    return utc.toLocalTime().toString(u"HH:mm:ss.zzz"_s);
}

QString unixTimeText(qint64 seconds)
{
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(seconds).toLocalTime(),
                              u"yyyy-MM-dd HH:mm:ss"_s);
}

QVariantMap field(const QString &label, const QString &value, bool mono = false)
{
    return {{u"label"_s, label}, {u"value"_s, value}, {u"mono"_s, mono}};
}

// A word for the shell, in single quotes: nothing in it is expanded.
QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

// The Authorization value as the journal has it (signature redacted) with a shell variable in
// place of the signature: 'q-sign-...&q-signature='"$COS_SIGNATURE".
QString withSignaturePlaceholder(const QString &authorization)
{
    const qsizetype at = authorization.indexOf(u"<redacted>"_s);
    if (at < 0)
        return shellQuote(authorization);
    return shellQuote(authorization.left(at)) + u"\"$COS_SIGNATURE\""_s
            + (at + 10 < authorization.size() ? shellQuote(authorization.mid(at + 10)) : QString());
}

// Headers curl sets itself, or that only the transport added.
bool curlSetsItself(const QByteArray &name)
{
    static const QList<QByteArray> names = {"host",       "content-length",
                                            "user-agent", "accept-encoding",
                                            "x-amz-date", "connection"};
    return names.contains(name.toLower());
}

QString bodyArgument(const Cos::JournalEntry &e)
{
    if (!e.request.body.isEmpty())
        return u" --data-binary "_s + shellQuote(QString::fromUtf8(e.request.body));
    if (e.bytesSent > 0)
        return u" --data-binary @FILE"_s;
    return {};
}

// S3 with curl's own SigV4 signing; the secret and token come from the environment.
QString sigV4Command(const Cos::JournalEntry &e, const QString &secretId, bool temporary)
{
    const Cos::HttpRequest &r = e.request;
    QString cmd = u"curl -fsS -X %1 --aws-sigv4 %2 --user \"%3:$COS_SECRET_KEY\""_s
                          .arg(QString::fromLatin1(r.method),
                               shellQuote(u"aws:amz:%1:s3"_s.arg(r.region)), secretId);
    if (temporary)
        cmd += u" -H \"x-amz-security-token: $COS_SESSION_TOKEN\""_s;
    cmd += u" -H "_s
            + shellQuote(u"x-amz-content-sha256: "_s
                         + QString::fromLatin1(r.payloadHash.isEmpty() ? "UNSIGNED-PAYLOAD"_ba
                                                                       : r.payloadHash));
    for (const auto &[name, value] : r.headers) {
        if (!curlSetsItself(name.toLatin1()) && !Cos::SecretRedactor::isTokenHeader(name.toLatin1()))
            cmd += u" -H "_s + shellQuote(name + u": "_s + value);
    }
    return cmd + bodyArgument(e) + u' ' + shellQuote(QString::fromLatin1(r.encodedUrl()));
}

// COS: the headers as sent, the signature and the token as shell variables.
QString cosHeaderCommand(const Cos::JournalEntry &e)
{
    QString cmd = u"curl -fsS -X %1"_s.arg(QString::fromLatin1(e.method));
    for (const auto &[name, value] : e.requestHeaders) {
        if (curlSetsItself(name))
            continue;
        const QString header = QString::fromLatin1(name) + u": "_s;
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            cmd += u" -H "_s + withSignaturePlaceholder(header + QString::fromUtf8(value));
        else if (Cos::SecretRedactor::isTokenHeader(name))
            cmd += u" -H "_s + shellQuote(header) + u"\"$COS_SESSION_TOKEN\""_s;
        else
            cmd += u" -H "_s + shellQuote(header + QString::fromUtf8(value));
    }
    return cmd + bodyArgument(e) + u' ' + shellQuote(e.url);
}

QString presignedCommand(const QByteArray &method, const QString &url)
{
    if (method == "HEAD")
        return u"curl -fsS -I "_s + shellQuote(url);
    if (method == "DELETE")
        return u"curl -fsS -X DELETE "_s + shellQuote(url);
    return u"curl -fsS "_s + shellQuote(url);
}

} // namespace

NetworkLogModel::NetworkLogModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_journal(new Cos::RequestJournal(this))
{
    connect(m_journal, &Cos::RequestJournal::entryAdded, this, &NetworkLogModel::onAdded);
    connect(m_journal, &Cos::RequestJournal::entryChanged, this, &NetworkLogModel::onChanged);
    connect(m_journal, &Cos::RequestJournal::cleared, this, &NetworkLogModel::rebuild);
}

NetworkLogModel::~NetworkLogModel() = default;

void NetworkLogModel::attach(Cos::Client *client)
{
    if (client)
        client->setJournal(m_journal);
}

void NetworkLogModel::setSigningClient(Cos::Client *client)
{
    m_signingClient = client;
}

int NetworkLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

const Cos::JournalEntry *NetworkLogModel::entryAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return m_journal->find(m_rows.at(row));
}

QVariant NetworkLogModel::data(const QModelIndex &index, int role) const
{
    const Cos::JournalEntry *e = entryAt(index.row());
    if (!e)
        return {};
    switch (role) {
    case IdRole:
        return qint64(e->id);
    case Qt::DisplayRole:
    case OperationRole:
        return e->operation;
    case MethodRole:
        return QString::fromLatin1(e->method);
    case UrlRole:
        return e->url;
    case TargetRole: {
        const QUrl url(e->url);
        return QString(url.host() + url.path(QUrl::FullyDecoded));
    }
    case StatusRole:
        return e->status;
    case StatusTextRole: {
        if (!e->finished)
            return tr("…");
        if (e->status == 0)
            return e->error.startsWith(u"Canceled"_s) ? tr("canceled") : tr("no response");
        const Cos::Error error = errorOf(*e);
        return error.code().isEmpty() ? QString::number(e->status)
                                      : u"%1 %2"_s.arg(e->status).arg(error.code());
    }
    case StatusClassRole:
        return statusClass(*e);
    case SummaryRole: {
        QStringList parts {timeText(e->started).left(8)};
        if (e->finished)
            parts << tr("%1 ms").arg(e->durationMs);
        if (e->bytesSent > 0)
            parts << tr("↑ %1").arg(Presentation::formatSize(e->bytesSent));
        if (e->bytesReceived > 0)
            parts << tr("↓ %1").arg(Presentation::formatSize(e->bytesReceived));
        if (e->attempt > 1)
            parts << tr("attempt %1").arg(e->attempt);
        return parts.join(u" · "_s);
    }
    case AttemptRole:
        return e->attempt;
    case HasExplanationRole:
        return !explain(qint64(e->id)).isEmpty();
    default:
        return {};
    }
}

QHash<int, QByteArray> NetworkLogModel::roleNames() const
{
    return {{IdRole, "entryId"},
            {OperationRole, "operation"},
            {MethodRole, "method"},
            {UrlRole, "url"},
            {TargetRole, "target"},
            {StatusRole, "status"},
            {StatusTextRole, "statusText"},
            {StatusClassRole, "statusClass"},
            {SummaryRole, "summary"},
            {AttemptRole, "attempt"},
            {HasExplanationRole, "hasExplanation"}};
}

QString NetworkLogModel::statusClass(const Cos::JournalEntry &e)
{
    if (!e.finished)
        return u"pending"_s;
    if (e.status >= 500)
        return u"5xx"_s;
    if (e.status == 0 && !e.error.isEmpty())
        return u"network"_s;
    if (e.status >= 300 && !e.error.isEmpty())
        return u"4xx"_s;
    return e.error.isEmpty() ? u"ok"_s : u"network"_s;
}

bool NetworkLogModel::accepts(const Cos::JournalEntry &e) const
{
    if (!m_operationFilter.isEmpty() && e.operation != m_operationFilter)
        return false;
    return m_statusFilter == u"all"_s || statusClass(e) == m_statusFilter;
}

void NetworkLogModel::setStatusFilter(const QString &filter)
{
    const QString f = filter == u"all"_s || kClasses.contains(filter) ? filter : u"all"_s;
    if (f == m_statusFilter)
        return;
    m_statusFilter = f;
    rebuild();
    Q_EMIT filterChanged();
}

void NetworkLogModel::setOperationFilter(const QString &operation)
{
    if (operation == m_operationFilter)
        return;
    m_operationFilter = operation;
    rebuild();
    Q_EMIT filterChanged();
}

QVariantMap NetworkLogModel::classCounts() const
{
    QVariantMap counts {{u"all"_s, m_journal->size()}};
    for (const QString &c : kClasses)
        counts.insert(c, 0);
    for (const Cos::JournalEntry &e : m_journal->entries()) {
        const QString c = statusClass(e);
        counts[c] = counts.value(c).toInt() + 1;
    }
    return counts;
}

void NetworkLogModel::rebuild()
{
    beginResetModel();
    m_rows.clear();
    QStringList operations;
    const QList<Cos::JournalEntry> entries = m_journal->entries();
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        if (accepts(*it))
            m_rows.append(it->id);
        if (!operations.contains(it->operation))
            operations.append(it->operation);
    }
    endResetModel();
    operations.sort();
    if (operations != m_operations) {
        m_operations = operations;
        Q_EMIT operationsChanged();
    }
    Q_EMIT countChanged();
}

// The journal's ring dropped its oldest entries: so does the list (they are at its end).
void NetworkLogModel::dropForgotten()
{
    int keep = int(m_rows.size());
    while (keep > 0 && !m_journal->find(m_rows.at(keep - 1)))
        --keep;
    if (keep < m_rows.size()) {
        beginRemoveRows({}, keep, int(m_rows.size()) - 1);
        m_rows.resize(keep);
        endRemoveRows();
    }
}

void NetworkLogModel::setLive(bool live)
{
    if (live == m_live)
        return;
    m_live = live;
    if (live)
        rebuild();
    Q_EMIT liveChanged();
}

void NetworkLogModel::onAdded(const Cos::JournalEntry &entry)
{
    dropForgotten();
    if (!m_live)
        return;
    if (accepts(entry)) {
        beginInsertRows({}, 0, 0);
        m_rows.prepend(entry.id);
        endInsertRows();
    }
    if (!m_operations.contains(entry.operation)) {
        m_operations.append(entry.operation);
        m_operations.sort();
        Q_EMIT operationsChanged();
    }
    Q_EMIT countChanged();
}

void NetworkLogModel::onChanged(const Cos::JournalEntry &entry)
{
    if (!m_live)
        return;
    const int row = int(m_rows.indexOf(entry.id));
    const bool wanted = accepts(entry);
    if (row >= 0 && wanted) {
        Q_EMIT dataChanged(index(row), index(row));
    } else if (row >= 0) {
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    } else if (wanted) {
        // Newest first: before the first row that is older.
        const auto at = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                     [&entry](quint64 id) { return id < entry.id; });
        const int position = int(at - m_rows.cbegin());
        beginInsertRows({}, position, position);
        m_rows.insert(position, entry.id);
        endInsertRows();
    }
    Q_EMIT countChanged();
}

void NetworkLogModel::clear()
{
    m_journal->clear();
}

QVariantList NetworkLogModel::details(qint64 id) const
{
    const Cos::JournalEntry *e = m_journal->find(quint64(id));
    if (!e)
        return {};
    QVariantList out;
    out << field(tr("Request"),
                 u"#%1 %2 %3"_s.arg(e->id).arg(QString::fromLatin1(e->method), e->operation));
    out << field(tr("URL"), e->url, true);
    QString status = !e->finished ? tr("waiting for the answer")
            : e->status > 0       ? QString::number(e->status)
                                  : tr("no response");
    out << field(tr("Status"), status);
    if (!e->error.isEmpty())
        out << field(tr("Error"), e->error);
    out << field(tr("Started"),
                 QLocale().toString(e->started.toLocalTime(), u"yyyy-MM-dd "_s)
                         + timeText(e->started));
    if (e->finished)
        out << field(tr("Duration"), tr("%1 ms").arg(e->durationMs));
    out << field(tr("Bytes"),
                 tr("%1 sent, %2 received")
                         .arg(Presentation::formatSize(e->bytesSent),
                              Presentation::formatSize(e->bytesReceived)));
    if (!e->requestId.isEmpty())
        out << field(tr("Request id"), e->requestId, true);
    out << field(tr("Attempt"),
                 e->attempt > 1 ? tr("%1: %2").arg(e->attempt).arg(e->retryReason)
                                : tr("1 (first send)"));
    out << field(tr("Clock offset"),
                 e->clockOffsetMs == 0 ? tr("none (device clock)")
                                       : tr("%1 ms (server minus device)").arg(e->clockOffsetMs));
    if (!e->keys.keyId.isEmpty()) {
        QString keys = e->keys.temporary ? tr("temporary %1").arg(e->keys.keyId)
                                         : tr("permanent %1").arg(e->keys.keyId);
        if (e->keys.expiredTime > 0)
            keys += tr(", expire %1").arg(unixTimeText(e->keys.expiredTime));
        if (!e->keys.scope.isEmpty())
            keys += tr(", scope %1").arg(e->keys.scope);
        out << field(tr("Keys"), keys);
    }
    QStringList headers;
    for (const auto &[name, value] : e->requestHeaders)
        headers << QString::fromLatin1(name) + u": "_s + QString::fromUtf8(value);
    if (!headers.isEmpty())
        out << field(tr("Headers sent"), headers.join(u'\n'), true);
    if (!e->canonicalRequest.isEmpty())
        out << field(e->request.dialect == Cos::Dialect::Cos ? tr("HttpString (signed)")
                                                             : tr("Canonical request"),
                     QString::fromUtf8(e->canonicalRequest), true);
    if (!e->stringToSign.isEmpty())
        out << field(tr("String to sign"), QString::fromUtf8(e->stringToSign), true);
    if (!e->errorBody.isEmpty())
        out << field(tr("Error body"), QString::fromUtf8(e->errorBody), true);
    return out;
}

QString NetworkLogModel::explain(qint64 id) const
{
    const Cos::JournalEntry *e = m_journal->find(quint64(id));
    if (!e || !e->isError())
        return {};
    const Cos::Error error = errorOf(*e);
    const QString code = error.code();
    const QString message = error.message();
    const QList<Cos::JournalEntry> all = m_journal->entries();
    // A later attempt of the same request (the engine marks why it was made).
    const auto retryOf = [&](const QString &reasonPart) -> const Cos::JournalEntry * {
        for (const Cos::JournalEntry &later : all) {
            if (later.id > e->id && later.attempt > e->attempt && later.operation == e->operation
                && later.url == e->url && later.retryReason.contains(reasonPart))
                return &later;
        }
        return nullptr;
    };
    const auto outcome = [](const Cos::JournalEntry &r) {
        return !r.finished          ? tr("still running")
                : r.error.isEmpty() ? tr("it worked (%1)").arg(r.status)
                                    : tr("it failed too (%1)").arg(r.error.section(u':', 0, 0));
    };

    const bool expiredKeys = e->keys.temporary && e->keys.expiredTime > 0
            && e->keys.expiredTime <= e->started.toSecsSinceEpoch() + 5;
    if (code == u"ExpiredToken"_s || code == u"TokenRefreshRequired"_s
        || message.contains(u"expired"_s, Qt::CaseInsensitive)
        || (code == u"AccessDenied"_s && expiredKeys)
        || (code == u"InvalidAccessKeyId"_s && e->keys.temporary)) {
        QStringList text;
        if (e->keys.expiredTime > 0) {
            const qint64 late = e->started.toSecsSinceEpoch() - e->keys.expiredTime;
            text << (late >= 0 ? tr("The temporary keys %1 expired at %2, %3 before this request.")
                                         .arg(e->keys.keyId, unixTimeText(e->keys.expiredTime),
                                              Presentation::formatDuration(late))
                               : tr("The temporary keys %1 were to expire at %2, %3 after this "
                                    "request: the server thinks they have expired (is the "
                                    "device clock right?).")
                                         .arg(e->keys.keyId, unixTimeText(e->keys.expiredTime),
                                              Presentation::formatDuration(-late)));
        } else {
            text << tr("The server rejected the keys %1 as expired (%2).")
                            .arg(e->keys.keyId, code.isEmpty() ? e->error : code);
        }
        // What the provider did: the signing-URL fetches around this request.
        const Cos::JournalEntry *before = nullptr;
        const Cos::JournalEntry *after = nullptr;
        for (const Cos::JournalEntry &f : all) {
            if (!f.isKeyFetch())
                continue;
            if (f.id < e->id)
                before = &f;
            else if (!after)
                after = &f;
        }
        if (before)
            text << tr("They were fetched at %1 (request #%2).")
                            .arg(timeText(before->started))
                            .arg(before->id);
        if (after)
            text << tr("After the failure the app fetched new keys at %1 (request #%2): %3.")
                            .arg(timeText(after->started))
                            .arg(after->id)
                            .arg(outcome(*after));
        else if (!e->keys.temporary)
            text << tr("These are permanent keys: nothing renews them; check them in Settings.");
        else
            text << tr("No new keys were fetched after it: the key source cannot renew them "
                       "(fixed temporary keys), or the request ran before a refresh was due.");
        if (const Cos::JournalEntry *retry = retryOf(u"new credentials"_s))
            text << tr("The request was sent again with the new keys as #%1: %2.")
                            .arg(retry->id)
                            .arg(outcome(*retry));
        return text.join(u' ');
    }

    if (code == u"RequestTimeTooSkewed"_s) {
        QStringList text;
        text << tr("The device clock and the server's differ by more than the server allows "
                   "(15 minutes).");
        text << (e->clockOffsetMs == 0
                         ? tr("This request was signed with the device clock (no offset learnt "
                              "yet).")
                         : tr("This request was signed with a clock offset of %1 ms.")
                                   .arg(e->clockOffsetMs));
        if (const Cos::JournalEntry *retry = retryOf(u"re-signed"_s))
            text << tr("From the server's time in the answer the app learnt an offset of %1 ms "
                       "and signed again as #%2: %3.")
                            .arg(retry->clockOffsetMs)
                            .arg(retry->id)
                            .arg(outcome(*retry));
        else if (m_signingClient && m_signingClient->clock().offsetMSecs() != 0)
            text << tr("The offset learnt since is %1 ms; later requests use it.")
                            .arg(m_signingClient->clock().offsetMSecs());
        text << tr("Set the device clock to network time to avoid it.");
        return text.join(u' ');
    }

    if (code == u"SignatureDoesNotMatch"_s)
        return tr("The server computed another signature for this request. Either the secret key "
                  "does not belong to the key id %1, or the server signed other inputs (a "
                  "proxy that changes headers or the path, another endpoint style). The "
                  "comparison:")
                       .arg(e->keys.keyId)
                + u'\n' + Cos::signatureMismatchReport(*e);

    if (code == u"AccessDenied"_s || e->status == 403) {
        const QUrl url(e->url);
        const QString resource = url.host() + url.path(QUrl::FullyDecoded);
        QStringList text;
        text << tr("The keys %1 may not do %2 on %3.")
                        .arg(e->keys.keyId.isEmpty() ? tr("used") : e->keys.keyId, e->operation,
                             resource);
        if (e->keys.temporary && !e->keys.scope.isEmpty()) {
            // The issuer named the scope (the signer's "scope" field): show it.
            text << tr("They are temporary keys issued for %1 only: this request is outside "
                       "that scope.")
                            .arg(e->keys.scope);
            if (e->keys.expiredTime > 0)
                text << tr("They expire at %1.").arg(unixTimeText(e->keys.expiredTime));
        } else if (e->keys.temporary) {
            // Without a scope in the issuer's answer the explanation says where to look.
            text << tr("They are temporary keys: the policy they were issued with (the signing "
                       "service's allowed actions and resources) does not include this.");
            if (e->keys.expiredTime > 0)
                text << tr("They expire at %1.").arg(unixTimeText(e->keys.expiredTime));
        } else if (!e->keys.keyId.isEmpty()) {
            text << tr("They are permanent keys: the user's or role's policy (CAM on COS) or the "
                       "bucket policy does not allow it.");
        }
        if (!message.isEmpty())
            text << tr("The server said: %1").arg(message);
        return text.join(u' ');
    }
    return {};
}

qint64 NetworkLogModel::mostInteresting() const
{
    const QList<Cos::JournalEntry> entries = m_journal->entries();
    qint64 failed = -1;
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        if (!explain(qint64(it->id)).isEmpty())
            return qint64(it->id);
        if (failed < 0 && it->isError())
            failed = qint64(it->id);
    }
    if (failed >= 0 || entries.isEmpty())
        return failed;
    return qint64(entries.last().id);
}

void NetworkLogModel::curlCommand(
        qint64 id, QObject *context,
        const std::function<void(const QString &text, const QString &error)> &done)
{
    const Cos::JournalEntry *found = m_journal->find(quint64(id));
    if (!found) {
        done({}, tr("Request #%1 is no longer in the log.").arg(id));
        return;
    }
    const Cos::JournalEntry e = *found;
    if (e.kind == Cos::JournalEntry::Kind::SigningUrl) {
        bool bearer = false;
        for (const auto &[name, value] : e.requestHeaders)
            bearer = bearer || name.compare("authorization", Qt::CaseInsensitive) == 0;
        done(u"curl -fsS "_s
                     + (bearer ? u"-H \"Authorization: Bearer $COS_BEARER_TOKEN\" "_s : QString())
                     + shellQuote(e.url),
             {});
        return;
    }
    if (e.request.isNull()) {
        done({}, tr("Request #%1 cannot be repeated.").arg(id));
        return;
    }
    Cos::Client *client = m_signingClient;
    if (!client) {
        done({}, tr("Not connected: the keys to sign with are not known."));
        return;
    }
    const qint64 now = client->clock().nowSeconds();
    client->credentials()
            ->request(context, [e, now, done](const Cos::Credentials &c, const Cos::Error &error) {
                if (error) {
                    done({}, tr("No keys to sign with: %1").arg(error.toString()));
                    return;
                }
                // The key id stays: a presigned URL and curl's --user need it as it is.
                Cos::Credentials secrets = c;
                secrets.secretId.clear();
                const Cos::SecretRedactor redactor(secrets);
                const QByteArray &m = e.method;
                if (m == "GET" || m == "HEAD" || m == "DELETE") {
                    const Cos::PresignedUrl url = Cos::RequestSigner::presign(e.request, c, now,
                                                                              CurlUrlSeconds);
                    if (!url.ok()) {
                        done({}, url.error.toString());
                        return;
                    }
                    // The key id is part of any presigned URL; a session token is not copied.
                    QString text = url.url.toString(QUrl::FullyEncoded);
                    for (const QByteArray &secret :
                         {c.sessionToken.toUtf8(), QUrl::toPercentEncoding(c.sessionToken)}) {
                        if (!secret.isEmpty())
                            text.replace(QString::fromUtf8(secret), u"$COS_SESSION_TOKEN"_s);
                    }
                    QString command = presignedCommand(m, redactor.apply(text));
                    if (c.isTemporary())
                        command = u"# put the (URL-encoded) session token where $COS_SESSION_TOKEN is\n"_s
                                + command.replace(u"$COS_SESSION_TOKEN"_s,
                                                  u"'\"$COS_SESSION_TOKEN\"'"_s);
                    done(u"# valid %1 seconds\n"_s.arg(CurlUrlSeconds) + command, {});
                    return;
                }
                QString command = e.request.dialect == Cos::Dialect::S3
                        ? sigV4Command(e, c.secretId, c.isTemporary())
                        : u"# sign the request and put the signature where $COS_SIGNATURE is\n"_s
                                + cosHeaderCommand(e);
                if (command.contains(u"@FILE"_s))
                    command.prepend(u"# FILE: the file to send\n"_s);
                done(redactor.apply(command), {});
            });
}

void NetworkLogModel::copyAsCurl(qint64 id)
{
    curlCommand(id, this, [this](const QString &text, const QString &error) {
        if (!error.isEmpty()) {
            Q_EMIT curlFailed(error);
            return;
        }
        if (QGuiApplication::clipboard())
            QGuiApplication::clipboard()->setText(text);
        Q_EMIT curlCopied(text);
    });
}
