#include "requestauth.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {

bool readPairs(const QString &path, const QStringList &inline_, QStringList *out, QString *error)
{
    *out = inline_;
    if (path.isEmpty())
        return true;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return false;
    }
    if (f.size() > 4 * 1024 * 1024) {
        *error = u"%1 is larger than 4 MiB"_s.arg(path);
        return false;
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (!t.isEmpty() && !t.startsWith(u'#'))
            out->append(t);
    }
    return true;
}

bool splitPair(const QString &entry, QString *uid, QString *secret, QString *error)
{
    const qsizetype colon = entry.indexOf(u':');
    if (colon <= 0 || colon == entry.size() - 1) {
        *error = u"an entry is not of the form uid:secret"_s;
        return false;
    }
    *uid = entry.left(colon).trimmed();
    *secret = entry.mid(colon + 1).trimmed();
    const QString bad = validateUid(*uid);
    if (!bad.isEmpty()) {
        *error = u"uid '%1': %2"_s.arg(uid->left(64), bad);
        return false;
    }
    if (secret->size() < 16) {
        *error = u"the secret for uid '%1' is shorter than 16 characters"_s.arg(*uid);
        return false;
    }
    return true;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

SignerError unauthorized(const QString &message)
{
    return SignerError::make(401, u"Unauthorized"_s, message);
}

} // namespace

bool RequestAuth::configure(const SignerConfig &config, QString *error)
{
    m_tokens.clear();
    m_hmacKeys.clear();
    m_window = config.hmacWindowSeconds;
    QStringList entries;
    if (!readPairs(config.tokensFile, config.tokens, &entries, error))
        return false;
    for (const QString &e : std::as_const(entries)) {
        QString uid, token;
        if (!splitPair(e, &uid, &token, error)) {
            *error = u"bearer tokens: "_s + *error;
            return false;
        }
        m_tokens.insert(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256), uid);
    }
    if (!readPairs(config.hmacKeysFile, config.hmacKeys, &entries, error))
        return false;
    for (const QString &e : std::as_const(entries)) {
        QString uid, secret;
        if (!splitPair(e, &uid, &secret, error)) {
            *error = u"HMAC keys: "_s + *error;
            return false;
        }
        m_hmacKeys.insert(uid, secret.toUtf8());
    }
    return true;
}

QByteArray RequestAuth::hmacSignature(const QByteArray &secret, qint64 timestamp,
                                      const QByteArray &method, const QByteArray &path,
                                      const QByteArray &body)
{
    const QByteArray stringToSign = "CosSigner-HMAC-SHA256\n"_ba + QByteArray::number(timestamp)
            + '\n' + method + '\n' + path + '\n'
            + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    return QMessageAuthenticationCode::hash(stringToSign, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray RequestAuth::hmacAuthorization(const QString &uid, const QByteArray &secret,
                                          qint64 timestamp, const QByteArray &method,
                                          const QByteArray &path, const QByteArray &body)
{
    return "CosSigner-HMAC-SHA256 Credential="_ba + uid.toUtf8() + ", Timestamp="_ba
            + QByteArray::number(timestamp) + ", Signature="_ba
            + hmacSignature(secret, timestamp, method, path, body);
}

SignerError RequestAuth::authenticate(const QByteArray &authorization, const QByteArray &method,
                                      const QByteArray &path, const QByteArray &body, qint64 now,
                                      QString *uid) const
{
    if (isOpen()) {
        *uid = u"anonymous"_s;
        return {};
    }
    if (authorization.isEmpty())
        return unauthorized(u"missing Authorization header (Bearer token%1)"_s.arg(
                m_hmacKeys.isEmpty() ? QString() : u" or CosSigner-HMAC-SHA256"_s));
    if (authorization.size() > 4096)
        return unauthorized(u"Authorization header is too long"_s);
    const qsizetype space = authorization.indexOf(' ');
    const QByteArray scheme = space < 0 ? authorization : authorization.left(space);
    const QByteArray rest = space < 0 ? QByteArray() : authorization.mid(space + 1).trimmed();
    if (scheme.compare("Bearer", Qt::CaseInsensitive) == 0) {
        if (m_tokens.isEmpty())
            return unauthorized(u"bearer tokens are not enabled on this signer"_s);
        const auto it = m_tokens.constFind(
                QCryptographicHash::hash(rest, QCryptographicHash::Sha256));
        if (it == m_tokens.cend())
            return unauthorized(u"invalid bearer token"_s);
        *uid = *it;
        return {};
    }
    if (scheme == "CosSigner-HMAC-SHA256") {
        if (m_hmacKeys.isEmpty())
            return unauthorized(u"HMAC-signed requests are not enabled on this signer"_s);
        QByteArray credential, timestamp, signature;
        for (const QByteArray &part : rest.split(',')) {
            const QByteArray p = part.trimmed();
            if (p.startsWith("Credential="))
                credential = p.mid(11);
            else if (p.startsWith("Timestamp="))
                timestamp = p.mid(10);
            else if (p.startsWith("Signature="))
                signature = p.mid(10);
        }
        if (credential.isEmpty() || timestamp.isEmpty() || signature.isEmpty())
            return unauthorized(u"HMAC Authorization needs Credential, Timestamp and Signature"_s);
        bool ok = false;
        const qint64 ts = timestamp.toLongLong(&ok);
        if (!ok)
            return unauthorized(u"HMAC Timestamp is not a number"_s);
        // Compared without subtracting: now - ts overflows for timestamps near the qint64 limits.
        if (ts < now - m_window || ts > now + m_window)
            return unauthorized(u"HMAC Timestamp %1 is outside the window of %2 s around the "
                                "server time %3"_s.arg(ts)
                                        .arg(m_window)
                                        .arg(now));
        const auto it = m_hmacKeys.constFind(QString::fromUtf8(credential));
        // Compute anyway so that an unknown uid takes as long as a wrong signature.
        const QByteArray expected = hmacSignature(it == m_hmacKeys.cend() ? QByteArray(32, 'x')
                                                                          : *it,
                                                  ts, method, path, body);
        if (it == m_hmacKeys.cend() || !constantTimeEquals(expected, signature.toLower()))
            return unauthorized(u"invalid HMAC signature"_s);
        *uid = it.key();
        return {};
    }
    return unauthorized(
            u"unsupported Authorization scheme '%1'"_s.arg(QString::fromLatin1(scheme.left(32))));
}

} // namespace Signer
