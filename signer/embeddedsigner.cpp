#include "embeddedsigner.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace Signer {

EmbeddedSigner::EmbeddedSigner(const SignerConfig &config, QObject *parent)
    : EmbeddedSigner(config, SignerCore::createBackend(config), parent)
{ }

EmbeddedSigner::EmbeddedSigner(const SignerConfig &config, StsBackend *backend, QObject *parent)
    : QObject(parent)
    , m_core(new SignerCore(config, backend, this))
{ }

void EmbeddedSigner::credentials(const QString &uid, const QByteArray &scopeJson, Callback done)
{
    IssueRequest request;
    const SignerError e = m_core->resolve(uid, scopeJson, &request);
    if (e) {
        done(e, {});
        return;
    }
    m_core->issue(request, [done](const IssueResult &r) {
        Cos::Credentials c;
        if (!r.error) {
            c.secretId = r.credentials.tmpSecretId;
            c.secretKey = r.credentials.tmpSecretKey;
            c.sessionToken = r.credentials.sessionToken;
            c.startTime = r.serverTime;
            c.expiredTime = r.credentials.expiredTime;
        }
        done(r.error, c);
    });
}

QByteArray EmbeddedSigner::policy(const QString &uid, const QByteArray &scopeJson,
                                  SignerError *error) const
{
    IssueRequest request;
    *error = m_core->resolve(uid, scopeJson, &request);
    if (*error)
        return {};
    QString reason;
    const QByteArray p = m_core->policyFor(request, &reason);
    if (p.isEmpty())
        *error = SignerError::make(400, u"InvalidScope"_s, reason);
    return p;
}

} // namespace Signer
