#include "cos/net/requestjournal.h"

#include "cos/protocol/xmlparsers.h"
#include "cos/signing/percentencoding.h"

#include <QNetworkRequest>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr QByteArrayView kRedacted = "<redacted>";

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Query parameters of presigned URLs and signing URLs whose values are secret or replayable.
bool isSecretQueryName(const QString &name)
{
    static const QStringList names = {
            u"q-signature"_s,     u"x-cos-security-token"_s,
            u"x-amz-signature"_s, u"x-amz-security-token"_s,
            u"signature"_s,       u"token"_s,
            u"access_token"_s,    u"sign"_s,
            u"secretkey"_s,       u"secret_key"_s,
    };
    return names.contains(name, Qt::CaseInsensitive);
}

// Parameters that carry a key id: masked, not removed, so that keys can be told apart.
bool isKeyIdQueryName(const QString &name)
{
    return name.compare("q-ak"_L1, Qt::CaseInsensitive) == 0
            || name.compare("x-amz-credential"_L1, Qt::CaseInsensitive) == 0;
}

QByteArray maskKeyId(QByteArrayView id)
{
    return Cos::maskKeyId(QString::fromUtf8(id)).toUtf8();
}

// "AKID.../20261207/region/s3/aws4_request": the key id masked, the scope kept.
QByteArray maskCredentialScope(QByteArrayView credential)
{
    const qsizetype slash = credential.indexOf('/');
    if (slash < 0)
        return maskKeyId(credential);
    return maskKeyId(credential.first(slash)) + credential.sliced(slash).toByteArray();
}

// COS: q-sign-algorithm=sha1&q-ak=...&...&q-signature=...
QByteArray redactCosAuthorization(const QByteArray &value)
{
    QList<QByteArray> parts = value.split('&');
    for (QByteArray &part : parts) {
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = part.left(eq);
        if (name == "q-ak")
            part = name + '=' + maskKeyId(QByteArrayView(part).sliced(eq + 1));
        else if (name == "q-signature")
            part = name + '=' + kRedacted.toByteArray();
    }
    return parts.join('&');
}

// SigV4: AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex
QByteArray redactSigV4Authorization(const QByteArray &value)
{
    const qsizetype space = value.indexOf(' ');
    QList<QByteArray> fields = value.mid(space + 1).split(',');
    for (QByteArray &field : fields) {
        const QByteArray trimmed = field.trimmed();
        if (trimmed.startsWith("Credential="))
            field = " Credential=" + maskCredentialScope(QByteArrayView(trimmed).sliced(11));
        else if (trimmed.startsWith("Signature="))
            field = " Signature=" + kRedacted.toByteArray();
        else
            field = ' ' + trimmed;
    }
    return value.left(space) + fields.join(',');
}

} // namespace

// --- SecretRedactor ----------------------------------------------------------------------------

SecretRedactor::SecretRedactor(const Credentials &credentials, const QByteArray &bearerToken)
{
    add(credentials.secretKey, "<secret key>"_ba);
    add(credentials.sessionToken, "<session token>"_ba);
    add(QString::fromUtf8(bearerToken), "<bearer token>"_ba);
    add(credentials.secretId, Cos::maskKeyId(credentials.secretId).toUtf8());
    // Longer secrets first: a token may contain a key id.
    std::sort(m_replacements.begin(), m_replacements.end(),
              [](const Replacement &a, const Replacement &b) {
                  return a.secret.size() > b.secret.size();
              });
}

void SecretRedactor::add(const QString &secret, const QByteArray &replacement)
{
    // Short values would match ordinary text; no real key or token is that short.
    if (secret.size() < 8)
        return;
    const QByteArray raw = secret.toUtf8();
    m_replacements.append({raw, replacement});
    const QByteArray encodings[] = {percentEncode(secret), QUrl::toPercentEncoding(secret)};
    for (const QByteArray &encoded : encodings) {
        if (encoded != raw)
            m_replacements.append({encoded, replacement});
    }
}

QByteArray SecretRedactor::apply(const QByteArray &text) const
{
    QByteArray out = text;
    for (const Replacement &r : m_replacements)
        out.replace(r.secret, r.replacement);
    return out;
}

QString SecretRedactor::apply(const QString &text) const
{
    if (m_replacements.isEmpty())
        return text;
    return QString::fromUtf8(apply(text.toUtf8()));
}

bool SecretRedactor::isTokenHeader(QByteArrayView name)
{
    return equalsIgnoreCase(name, "x-cos-security-token")
            || equalsIgnoreCase(name, "x-amz-security-token")
            || equalsIgnoreCase(name, "x-tc-token");
}

QByteArray SecretRedactor::authorization(const QByteArray &value)
{
    if (value.startsWith("q-sign-algorithm="))
        return redactCosAuthorization(value);
    // TC3 (Tencent Cloud API 3.0) has SigV4's shape: Credential=, SignedHeaders=, Signature=.
    if (value.startsWith("AWS4-HMAC-SHA256 ") || value.startsWith("TC3-HMAC-SHA256 "))
        return redactSigV4Authorization(value);
    const qsizetype space = value.indexOf(' ');
    if (space > 0)
        return value.left(space) + ' ' + kRedacted.toByteArray(); // "Bearer <redacted>"
    return kRedacted.toByteArray();
}

HeaderList SecretRedactor::headers(const HeaderList &headers) const
{
    HeaderList out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        if (equalsIgnoreCase(name, "authorization"))
            out.append({name, apply(authorization(value))});
        else if (isTokenHeader(name))
            out.append({name, "<session token, " + QByteArray::number(value.size()) + " bytes>"});
        else
            out.append({name, apply(value)});
    }
    return out;
}

QString SecretRedactor::url(const QString &url) const
{
    QUrl u(url);
    if (!u.hasQuery())
        return apply(url);
    QUrlQuery query(u);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    QList<QPair<QString, QString>> redacted;
    redacted.reserve(items.size());
    for (const auto &[name, value] : items) {
        const QString decodedName = QUrl::fromPercentEncoding(name.toUtf8());
        if (isSecretQueryName(decodedName))
            redacted.append({name, QString::fromLatin1(kRedacted)});
        else if (isKeyIdQueryName(decodedName))
            redacted.append({name,
                             QString::fromUtf8(maskCredentialScope(
                                     QUrl::fromPercentEncoding(value.toUtf8()).toUtf8()))});
        else
            redacted.append({name, value});
    }
    QUrlQuery out;
    out.setQueryItems(redacted);
    u.setQuery(out.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return apply(u.toString(QUrl::FullyEncoded));
}

// --- RequestJournal ----------------------------------------------------------------------------

RequestJournal::RequestJournal(QObject *parent)
    : QObject(parent)
{ }

RequestJournal::~RequestJournal() = default;

void RequestJournal::setCapacity(int entries)
{
    m_capacity = std::max(1, entries);
    while (int(m_entries.size()) > m_capacity)
        m_entries.pop_front();
}

QList<JournalEntry> RequestJournal::entries() const
{
    return QList<JournalEntry>(m_entries.cbegin(), m_entries.cend());
}

const JournalEntry *RequestJournal::find(quint64 id) const
{
    // Ids are consecutive, so the position follows from the first id kept.
    if (m_entries.empty() || id < m_entries.front().id)
        return nullptr;
    const quint64 index = id - m_entries.front().id;
    return index < m_entries.size() ? &m_entries[index] : nullptr;
}

JournalEntry *RequestJournal::findMutable(quint64 id)
{
    return const_cast<JournalEntry *>(std::as_const(*this).find(id));
}

void RequestJournal::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
}

quint64 RequestJournal::begin(JournalEntry entry)
{
    entry.id = m_nextId++;
    if (!entry.started.isValid())
        entry.started = QDateTime::currentDateTimeUtc();
    entry.errorBody.truncate(MaxErrorBody);
    m_entries.push_back(std::move(entry));
    while (int(m_entries.size()) > m_capacity)
        m_entries.pop_front();
    const JournalEntry added = m_entries.back();
    Q_EMIT entryAdded(added);
    return added.id;
}

void RequestJournal::update(quint64 id, const std::function<void(JournalEntry &)> &change)
{
    JournalEntry *e = findMutable(id);
    if (!e)
        return;
    change(*e);
    e->errorBody.truncate(MaxErrorBody);
    const JournalEntry changed = *e;
    Q_EMIT entryChanged(changed);
}

HeaderList rawHeaders(const QNetworkRequest &request)
{
    HeaderList headers;
    for (const QByteArray &name : request.rawHeaderList())
        headers.append({name, request.rawHeader(name)});
    return headers;
}

// --- journalLine -------------------------------------------------------------------------------

QString journalLine(const JournalEntry &e)
{
    QString line = u"#%1 %2 %3 %4"_s.arg(e.id).arg(QString::fromLatin1(e.method),
                                                   e.operation.isEmpty() ? u"-"_s : e.operation,
                                                   e.url);
    if (e.attempt > 1)
        line += u" [attempt %1: %2]"_s.arg(e.attempt).arg(e.retryReason);
    if (!e.finished)
        return line + u" ..."_s;
    line += e.status > 0 ? u" -> %1"_s.arg(e.status) : u" -> no response"_s;
    line += u" in %1 ms"_s.arg(e.durationMs);
    if (e.bytesSent > 0)
        line += u", %1 B sent"_s.arg(e.bytesSent);
    if (e.bytesReceived > 0)
        line += u", %1 B received"_s.arg(e.bytesReceived);
    if (!e.requestId.isEmpty())
        line += u", request id %1"_s.arg(e.requestId);
    if (e.clockOffsetMs != 0)
        line += u", clock offset %1 ms"_s.arg(e.clockOffsetMs);
    if (!e.error.isEmpty())
        line += u": "_s + e.error;
    return line;
}

QString journalBlock(const QString &title, const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines)
        line.prepend(u"    "_s);
    return u"\n  "_s + title + u":\n"_s + lines.join(u'\n');
}

QString signatureMismatchReport(const JournalEntry &e)
{
    if (!e.isError() || !e.error.contains("SignatureDoesNotMatch"_L1))
        return {};
    const ServerSigningInputs server = parseServerSigningInputs(e.errorBody);
    QString text = u"the signature of request #%1 did not match:"_s.arg(e.id);
    text += journalBlock(u"our string to sign"_s, QString::fromUtf8(e.stringToSign));
    if (!server.stringToSign.isEmpty())
        text += journalBlock(u"the server's string to sign"_s, server.stringToSign);
    text += journalBlock(u"our canonical request"_s, QString::fromUtf8(e.canonicalRequest));
    if (!server.canonicalRequest.isEmpty())
        text += journalBlock(u"the server's canonical request"_s, server.canonicalRequest);
    if (server.stringToSign.isEmpty() && server.canonicalRequest.isEmpty())
        text += u"\n  the server sent no string to sign of its own to compare with"_s;
    else if (server.stringToSign.trimmed() == QString::fromUtf8(e.stringToSign).trimmed())
        text += u"\n  the strings to sign are equal: the secret key is probably wrong"_s;
    return text;
}

} // namespace Cos
