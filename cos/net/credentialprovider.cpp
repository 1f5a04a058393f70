#include "cos/net/credentialprovider.h"

#include "cos/net/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCosCredentials, "cos.credentials", QtInfoMsg)

namespace Cos {

namespace {

Error credentialError(const QString &message)
{
    return Error(Error::Kind::Credentials, message);
}

// What a signing service says about an error is quoted, but never at any length.
QString clipped(const QString &text, qsizetype max)
{
    return text.size() <= max ? text : text.left(max) + u"..."_s;
}

// A Unix time in seconds must have exactly 10 digits; millisecond values (13 digits) are the
// classic mistake of hand-written signing servers and would be off by a factor of 1000.
Error readTime(const QJsonObject &object, QLatin1StringView name, bool required, qint64 *out)
{
    *out = 0;
    const QJsonValue v = object.value(name);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            return credentialError(u"The signing response has no \"%1\""_s.arg(name));
        return {};
    }
    QString digits;
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d < 0 || d != std::floor(d) || d > 9.0e15)
            return credentialError(u"\"%1\" must be Unix seconds as a 10-digit integer"_s.arg(name));
        digits = QString::number(static_cast<qint64>(d));
    } else if (v.isString()) {
        digits = v.toString().trimmed();
        // ASCII digits only (QChar::isDigit() takes other scripts' digits, which toLongLong()
        // turns into 0), and no leading zero (it would let a shorter time pass as 10 digits).
        if (digits.isEmpty() || digits.front() == u'0'
            || !std::all_of(digits.cbegin(), digits.cend(),
                            [](QChar c) { return c >= u'0' && c <= u'9'; }))
            return credentialError(u"\"%1\" must be Unix seconds as a 10-digit integer"_s.arg(name));
    } else {
        return credentialError(u"\"%1\" must be Unix seconds as a 10-digit integer"_s.arg(name));
    }
    if (digits.size() == 13)
        return credentialError(u"\"%1\" has 13 digits: it looks like milliseconds, but Unix "
                               "seconds (10 digits) are required"_s.arg(name));
    if (digits.size() != 10)
        return credentialError(
                u"\"%1\" has %2 digits; Unix seconds (10 digits) are required"_s.arg(name).arg(
                        digits.size()));
    *out = digits.toLongLong();
    return {};
}

Error readString(const QJsonObject &object, QLatin1StringView name, QString *out)
{
    const QJsonValue v = object.value(name);
    if (!v.isString() || v.toString().isEmpty())
        return credentialError(
                u"The signing response has no \"%1\" (or it is not a non-empty string)"_s.arg(name));
    *out = v.toString();
    return {};
}

// The names one response shape gives the key triple and its validity times.
struct CredentialFields
{
    QLatin1StringView secretId;
    QLatin1StringView secretKey;
    QLatin1StringView sessionToken;
    QLatin1StringView expiredTime;
    QLatin1StringView startTime;
};

// Tencent Cloud API 3.0 (Response.Credentials) and the COS SDKs' signing services (credentials).
constexpr CredentialFields kApi3Fields {"TmpSecretId"_L1, "TmpSecretKey"_L1, "Token"_L1,
                                        "ExpiredTime"_L1, "StartTime"_L1};
constexpr CredentialFields kSdkFields {"tmpSecretId"_L1, "tmpSecretKey"_L1, "sessionToken"_L1,
                                       "expiredTime"_L1, "startTime"_L1};

// Reads the keys from @p creds and their times from @p times (the object that holds @p creds).
Error readCredentialFields(const QJsonObject &creds, const QJsonObject &times,
                           const CredentialFields &names, Credentials *c)
{
    if (Error e = readString(creds, names.secretId, &c->secretId))
        return e;
    if (Error e = readString(creds, names.secretKey, &c->secretKey))
        return e;
    if (Error e = readString(creds, names.sessionToken, &c->sessionToken))
        return e;
    if (Error e = readTime(times, names.expiredTime, true, &c->expiredTime))
        return e;
    return readTime(times, names.startTime, false, &c->startTime);
}

QString stringOrNumber(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    return {};
}

Error errorObject(const QJsonValue &v)
{
    if (v.isString())
        return credentialError(
                u"The signing service reported an error: %1"_s.arg(clipped(v.toString(), 300)));
    const QJsonObject o = v.toObject();
    const QString code = clipped(stringOrNumber(o.value("Code"_L1)).isEmpty()
                                         ? stringOrNumber(o.value("code"_L1))
                                         : stringOrNumber(o.value("Code"_L1)),
                                 100);
    const QString message = clipped(o.value("Message"_L1).isString()
                                            ? o.value("Message"_L1).toString()
                                            : o.value("message"_L1).toString(),
                                    300);
    Error e = credentialError(u"The signing service reported an error%1%2"_s
                                      .arg(code.isEmpty() ? QString() : u" "_s + code,
                                           message.isEmpty() ? QString() : u": "_s + message));
    e.setCode(code);
    return e;
}

// The human-readable message of a JSON error body, if any (never the whole body).
QString jsonErrorMessage(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    QJsonValue v = root.value("Response"_L1).toObject().value("Error"_L1);
    if (v.isUndefined())
        v = root.value("error"_L1);
    if (v.isString())
        return v.toString().left(300);
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        return (o.value("Message"_L1).isString() ? o.value("Message"_L1) : o.value("message"_L1))
                .toString()
                .left(300);
    }
    return root.value("message"_L1).toString().left(300);
}

} // namespace

Error parseCredentialsJson(QByteArrayView json, Credentials *out)
{
    *out = {};
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return credentialError(
                u"The signing response is not JSON (%1 at offset %2)"_s.arg(pe.errorString())
                        .arg(pe.offset));
    if (!doc.isObject())
        return credentialError(u"The signing response is not a JSON object"_s);
    const QJsonObject root = doc.object();

    Credentials c;
    if (root.contains("Response"_L1)) {
        // Raw Tencent Cloud API 3.0.
        const QJsonObject response = root.value("Response"_L1).toObject();
        if (response.contains("Error"_L1))
            return errorObject(response.value("Error"_L1));
        const QJsonObject creds = response.value("Credentials"_L1).toObject();
        if (creds.isEmpty())
            return credentialError(u"The signing response has no \"Response.Credentials\""_s);
        if (Error e = readCredentialFields(creds, response, kApi3Fields, &c))
            return e;
    } else {
        if (root.contains("error"_L1) && !root.value("error"_L1).isNull()
            && !(root.value("error"_L1).isBool() && !root.value("error"_L1).toBool()))
            return errorObject(root.value("error"_L1));
        QJsonObject holder = root;
        if (root.contains("code"_L1) || root.contains("data"_L1)) {
            // Legacy cossign / API 2.0 envelope.
            const QJsonValue code = root.value("code"_L1);
            const QString codeText = clipped(stringOrNumber(code), 100);
            if (!code.isUndefined() && codeText != "0"_L1) {
                const QString message = clipped(root.value("message"_L1).toString(), 300);
                const QString codeDesc = clipped(root.value("codeDesc"_L1).toString(), 100);
                Error e = credentialError(
                        u"The signing service returned code %1%2%3"_s
                                .arg(codeText.isEmpty() ? u"(not a number)"_s : codeText,
                                     message.isEmpty() ? QString() : u": "_s + message,
                                     codeDesc.isEmpty() ? QString() : u" ("_s + codeDesc + u')'));
                e.setCode(codeDesc.isEmpty() ? codeText : codeDesc);
                return e;
            }
            if (!root.value("data"_L1).isObject())
                return credentialError(u"The signing response has no \"data\" object"_s);
            holder = root.value("data"_L1).toObject();
        }
        if (!holder.value("credentials"_L1).isObject())
            return credentialError(u"The signing response has no \"credentials\" object"_s);
        const QJsonObject creds = holder.value("credentials"_L1).toObject();
        if (Error e = readCredentialFields(creds, holder, kSdkFields, &c))
            return e;
    }
    if (c.startTime > 0 && c.startTime >= c.expiredTime)
        return credentialError(u"The signing response's startTime is not before its expiredTime"_s);
    // cos-signer's extra field: what the keys allow. Malformed means the answer is not to be
    // trusted at all.
    const QJsonValue scope = root.value("scope"_L1);
    if (!scope.isUndefined() && !scope.isNull()) {
        const QString problem = CredentialScope::fromJson(scope, &c.scope);
        if (!problem.isEmpty())
            return credentialError(u"The signing response's %1"_s.arg(problem));
    }
    *out = c;
    return {};
}

// --- CredentialProvider ------------------------------------------------------------------------

CredentialProvider::CredentialProvider(QObject *parent)
    : QObject(parent)
{ }

CredentialProvider::~CredentialProvider() = default;

StaticCredentialProvider::StaticCredentialProvider(Credentials credentials, QString sourceName,
                                                   QObject *parent)
    : CredentialProvider(parent)
    , m_credentials(std::move(credentials))
    , m_sourceName(std::move(sourceName))
{ }

QString StaticCredentialProvider::description() const
{
    const QString kind = m_credentials.isTemporary() ? u"temporary keys"_s : u"static keys"_s;
    return m_sourceName.isEmpty() ? kind : kind + u" ("_s + m_sourceName + u')';
}

void StaticCredentialProvider::fetch()
{
    QTimer::singleShot(0, this, [this] {
        if (m_credentials.isEmpty())
            Q_EMIT fetched({},
                           credentialError(u"No credentials: the secret id or secret key is "
                                           "not set"_s));
        else
            Q_EMIT fetched(m_credentials, {});
    });
}

QString EmbeddedSignerProvider::description() const
{
    return u"embedded signer"_s;
}

// --- UrlCredentialProvider ---------------------------------------------------------------------

UrlCredentialProvider::UrlCredentialProvider(QNetworkAccessManager *manager, QUrl url,
                                             QByteArray bearerToken, QObject *parent)
    : CredentialProvider(parent)
    , m_manager(manager)
    , m_url(std::move(url))
    , m_bearerToken(std::move(bearerToken))
{ }

UrlCredentialProvider::~UrlCredentialProvider()
{
    cancel();
}

QString UrlCredentialProvider::description() const
{
    // The query and user info may carry tokens: show neither.
    return u"signing URL "_s
            + m_url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment)
                      .toString();
}

void UrlCredentialProvider::fetch()
{
    cancel();
    if (!m_url.isValid() || (m_url.scheme() != "http"_L1 && m_url.scheme() != "https"_L1)) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT fetched({},
                           credentialError(u"The signing URL is not an http(s) URL: %1"_s.arg(
                                   description())));
        });
        return;
    }
    QNetworkRequest request(m_url);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept"_ba, "application/json"_ba);
    // A bearer token must not follow a redirect to another origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::SameOriginRedirectPolicy);
    if (!m_bearerToken.isEmpty())
        request.setRawHeader("Authorization"_ba, "Bearer "_ba + m_bearerToken);
    QNetworkReply *reply = m_manager->get(request);
    m_reply = reply;
    recordFetch(request);
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64) {
        if (received > MaxResponseSize && reply == m_reply) {
            reply->setProperty("cosTooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, &UrlCredentialProvider::onFinished);
}

void UrlCredentialProvider::recordFetch(const QNetworkRequest &request)
{
    m_journalId = 0;
    if (!m_journal)
        return;
    m_fetchTimer.start();
    JournalEntry e;
    e.kind = JournalEntry::Kind::SigningUrl;
    e.operation = u"GetCredentials"_s;
    e.method = "GET"_ba;
    // Any query value of a signing URL may be a token: keep the names only.
    QUrl shown = m_url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    if (shown.hasQuery()) {
        QUrlQuery query(shown);
        auto items = query.queryItems();
        for (auto &item : items)
            item.second = u"<redacted>"_s;
        query.setQueryItems(items);
        shown.setQuery(query);
    }
    e.url = shown.toString(QUrl::FullyEncoded);
    const SecretRedactor redactor({}, m_bearerToken);
    e.requestHeaders = redactor.headers(rawHeaders(request));
    if (m_clock)
        e.clockOffsetMs = m_clock->offsetMSecs();
    m_journalId = m_journal->begin(std::move(e));
}

void UrlCredentialProvider::recordAnswer(int status, qint64 bodyBytes, const QByteArray &errorBody,
                                         const Error &error)
{
    if (!m_journal || m_journalId == 0)
        return;
    const SecretRedactor redactor({}, m_bearerToken);
    m_journal->update(m_journalId, [&](JournalEntry &e) {
        e.finished = true;
        e.status = status;
        e.durationMs = m_fetchTimer.elapsed();
        e.bytesReceived = bodyBytes;
        e.error = error ? redactor.apply(error.toString()) : QString();
        e.errorBody = redactor.apply(errorBody);
    });
    m_journalId = 0;
}

void UrlCredentialProvider::cancel()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void UrlCredentialProvider::onFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply || reply != sender())
        return;
    m_reply.clear();
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    Credentials credentials;
    Error error;
    qint64 bodyBytes = 0;
    QByteArray errorBody; // for the journal; the body of a success holds the keys
    if (reply->property("cosTooLarge").toBool()) {
        error = credentialError(u"The answer of the %1 is larger than %2 bytes"_s.arg(description())
                                        .arg(MaxResponseSize));
    } else if (status == 0) {
        const bool timeout = reply->error() == QNetworkReply::OperationCanceledError
                || reply->error() == QNetworkReply::TimeoutError;
        QString detail = reply->errorString();
        detail.replace(m_url.toString(), description());
        error = Error(timeout ? Error::Kind::Timeout : Error::Kind::Network,
                      timeout ? u"The %1 did not answer within %2 s"_s.arg(description())
                                        .arg(m_timeoutMs / 1000.0)
                              : u"Cannot reach the %1: %2"_s.arg(description(), detail));
    } else {
        const QByteArray body = reply->read(MaxResponseSize + 1);
        bodyBytes = body.size();
        if (status < 200 || status > 299) {
            errorBody = body;
            // Prefer the service's own explanation when the error body is JSON.
            const QString detail = jsonErrorMessage(body);
            error = credentialError(u"The %1 answered HTTP %2%3"_s.arg(description())
                                            .arg(status)
                                            .arg(detail.isEmpty() ? QString() : u": "_s + detail));
            error.setHttpStatus(status);
        } else {
            error = parseCredentialsJson(body, &credentials);
            if (error)
                error = credentialError(u"%1 (from the %2)"_s.arg(error.message(), description()))
                                .setCode(error.code());
        }
    }
    if (!error && m_clock)
        m_clock->adjustToCredentialStart(credentials.startTime);
    recordAnswer(status, bodyBytes, errorBody, error);
    if (error)
        qCInfo(lcCosCredentials).noquote() << "credential fetch failed:" << error.toString();
    else
        qCDebug(lcCosCredentials).noquote() << "fetched temporary keys from" << description()
                                            << "expiring at" << credentials.expiredTime;
    Q_EMIT fetched(credentials, error);
}

// --- CredentialCache ---------------------------------------------------------------------------

CredentialCache::CredentialCache(CredentialProvider *provider, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_clock(clock)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &CredentialCache::onTimeout);
    if (provider)
        connect(provider, &CredentialProvider::fetched, this, &CredentialCache::onFetched);
}

CredentialCache::~CredentialCache() = default;

bool CredentialCache::isUsable(const Credentials &c) const
{
    if (c.isEmpty())
        return false;
    if (c.expiredTime == 0)
        return true;
    const qint64 now = m_clock ? m_clock->nowSeconds() : QDateTime::currentSecsSinceEpoch();
    // Keys that live only seconds (tests, strict policies) would never pass a 60 s margin.
    const qint64 start = c.startTime > 0 ? c.startTime : m_fetchedAtSeconds;
    const qint64 lifetime = std::max<qint64>(0, c.expiredTime - start);
    const qint64 margin = std::min<qint64>(m_refreshMarginSeconds, lifetime / 2);
    return c.secondsLeft(now) > margin;
}

std::optional<Credentials> CredentialCache::current() const
{
    if (m_credentials && isUsable(*m_credentials))
        return m_credentials;
    return std::nullopt;
}

void CredentialCache::request(QObject *context, Callback callback)
{
    if (const auto c = current()) {
        callback(*c, {});
        return;
    }
    m_waiters.append({QPointer<QObject>(context), std::move(callback)});
    startFetch();
}

void CredentialCache::invalidate()
{
    m_credentials.reset();
}

bool CredentialCache::invalidate(const Credentials &rejected)
{
    if (!m_credentials || m_credentials->secretId != rejected.secretId
        || m_credentials->sessionToken != rejected.sessionToken
        || m_credentials->secretKey != rejected.secretKey)
        return false;
    m_credentials.reset();
    return true;
}

void CredentialCache::refresh()
{
    startFetch();
}

void CredentialCache::startFetch()
{
    if (m_fetching)
        return;
    if (!m_provider) {
        QTimer::singleShot(0, this, [this] {
            flush({}, credentialError(u"No credential provider is configured"_s));
        });
        return;
    }
    m_fetching = true;
    ++m_fetchCount;
    if (m_fetchTimeoutMs > 0)
        m_timeout.start(m_fetchTimeoutMs);
    m_provider->fetch();
}

void CredentialCache::onFetched(const Credentials &credentials, const Error &error)
{
    if (!m_fetching)
        return; // a late answer after a timeout; the waiters were told already
    m_fetching = false;
    m_timeout.stop();
    if (error) {
        Q_EMIT fetchFailed(error);
        flush({}, error);
        return;
    }
    if (credentials.isEmpty()) {
        const Error e = credentialError(u"The %1 returned empty credentials"_s.arg(
                m_provider ? m_provider->description() : QString()));
        Q_EMIT fetchFailed(e);
        flush({}, e);
        return;
    }
    m_credentials = credentials;
    m_fetchedAtSeconds = m_clock ? m_clock->nowSeconds() : QDateTime::currentSecsSinceEpoch();
    Q_EMIT credentialsChanged();
    // Waiters get the fresh keys even when they are close to expiry: the server decides.
    flush(credentials, {});
}

void CredentialCache::onTimeout()
{
    if (!m_fetching)
        return;
    m_fetching = false;
    if (m_provider)
        m_provider->cancel();
    const Error e = Error(Error::Kind::Timeout,
                          u"No credentials within %1 s from the %2"_s.arg(m_fetchTimeoutMs / 1000.0)
                                  .arg(m_provider ? m_provider->description() : QString()))
                            .setRetryable(false);
    Q_EMIT fetchFailed(e);
    flush({}, e);
}

void CredentialCache::flush(const Credentials &credentials, const Error &error)
{
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters) {
        if (w.context)
            w.callback(credentials, error);
    }
}

} // namespace Cos
