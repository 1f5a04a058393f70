#include "embeddedsigner.h"

#include "policy.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {
Q_LOGGING_CATEGORY(lcEmbedded, "cos.credentials.embedded", QtInfoMsg)

// A key id for logs: enough to tell two keys apart, not enough to use one.
QString maskedKeyId(const QString &id)
{
    if (id.size() >= 12)
        return id.left(4) + u"****"_s + id.right(4);
    return id.left(2) + u"****"_s;
}
} // namespace

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
    const Cos::CredentialScope scope = m_core->credentialScope(request);
    m_core->issue(request, [done, scope](const IssueResult &r) {
        Cos::Credentials c;
        if (!r.error) {
            c.scope = scope;
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

EmbeddedCredentialProvider::EmbeddedCredentialProvider(const SignerConfig &config, QString uid,
                                                       QObject *parent)
    : EmbeddedCredentialProvider(config, SignerCore::createBackend(config), std::move(uid), parent)
{ }

EmbeddedCredentialProvider::EmbeddedCredentialProvider(const SignerConfig &config,
                                                       StsBackend *backend, QString uid,
                                                       QObject *parent)
    : Cos::EmbeddedSignerProvider(parent)
    , m_signer(new EmbeddedSigner(config, backend, this))
    , m_uid(std::move(uid))
{ }

QString EmbeddedCredentialProvider::description() const
{
    return u"embedded signer (%1 back end)"_s.arg(m_signer->core()->config().backend);
}

void EmbeddedCredentialProvider::fetch()
{
    const quint64 generation = ++m_generation;
    // The STS calls go into the journal of the Client this provider serves (when one is set).
    m_signer->core()->backend()->setJournal(journal());
    const QPointer<EmbeddedCredentialProvider> self(this);
    m_signer->credentials(m_uid, {},
                          [self, generation](const SignerError &e, const Cos::Credentials &c) {
                              if (!self)
                                  return;
                              // The contract says fetched() never comes synchronously; a cache hit would.
                              QTimer::singleShot(0, self, [self, generation, e, c] {
                                  if (!self || self->m_generation != generation)
                                      return;
                                  if (e) {
                                      // The signer's messages name the grants and the upstream code, never the keys.
                                      Cos::Error error(Cos::Error::Kind::Credentials,
                                                       u"embedded signer: %1"_s.arg(e.message));
                                      error.setCode(e.upstreamCode.isEmpty() ? e.code
                                                                             : e.upstreamCode);
                                      qCInfo(lcEmbedded).noquote()
                                              << "embedded signer failed:" << error.toString();
                                      Q_EMIT self->fetched({}, error);
                                      return;
                                  }
                                  qCDebug(lcEmbedded).noquote()
                                          << "embedded signer issued temporary keys"
                                          << maskedKeyId(c.secretId) << "expiring at"
                                          << c.expiredTime;
                                  Q_EMIT self->fetched(c, {});
                              });
                          });
}

void EmbeddedCredentialProvider::cancel()
{
    ++m_generation;
}

QString EmbeddedCredentialProvider::grantDescription(QString *error) const
{
    IssueRequest request;
    const SignerError e = m_signer->core()->defaultRequest(m_uid, &request);
    if (e) {
        if (error)
            *error = e.message;
        return {};
    }
    return describeScopes(request.scopes);
}

bool signerConfigFor(const Cos::ClientConfig &config, const QString &federationName,
                     SignerConfig *out, QString *error, QStringList *warnings)
{
    using Field = Cos::ClientConfig::Field;
    if (config.credentialSource() != Cos::ClientConfig::CredentialSource::EmbeddedSigner) {
        *error = u"the embedded signer is not the chosen credential source (%1)"_s.arg(
                config.label(Field::EmbeddedSigner));
        return false;
    }
    for (const Cos::ClientConfig::Problem &p : config.validateCredentials()) {
        if (p.field != Field::CaFile) {
            *error = p.message;
            return false;
        }
    }
    SignerConfig c;
    c.backend = config.effectiveBackend();
    c.secretId = config.signer.permanentKey.secretId;
    c.secretKey = config.signer.permanentKey.secretKey;
    c.stsEndpoint = config.signer.stsEndpoint.trimmed();
    c.roleArn = config.signer.roleArn.trimmed();
    c.appId = config.appId.trimmed();
    if (!federationName.isEmpty())
        c.federationName = federationName;
    c.durationSeconds = config.signer.durationSeconds;
    Operations operations;
    const QString actions = config.signer.actions.trimmed().isEmpty()
            ? u"upload,download,list"_s
            : config.signer.actions.trimmed();
    QString reason;
    if (!parseActionList(actions, &operations, &reason) || operations.isEmpty()) {
        *error = u"%1: %2"_s.arg(config.label(Field::Actions),
                                 reason.isEmpty() ? u"no action given"_s : reason);
        return false;
    }
    QStringList prefixes;
    for (const QString &p : config.signer.prefixes) {
        if (!p.trimmed().isEmpty())
            prefixes.append(p.trimmed());
    }
    if (prefixes.isEmpty())
        prefixes = {u"users/${uid}/"_s};
    const QString bucket = config.signer.bucket.trimmed().isEmpty()
            ? config.defaultBucket.trimmed()
            : config.signer.bucket.trimmed();
    for (const QString &prefix : std::as_const(prefixes))
        c.grants.append({bucket, config.region.trimmed(), prefix, operations});
    if (!c.validate(error, warnings))
        return false;
    *out = c;
    return true;
}

EmbeddedCredentialProvider *makeEmbeddedProvider(const Cos::ClientConfig &config,
                                                 const QString &uid, const QString &federationName,
                                                 Cos::Error *error, QStringList *warnings)
{
    SignerConfig signerConfig;
    QString problem;
    if (signerConfigFor(config, federationName, &signerConfig, &problem, warnings)) {
        auto *provider = new EmbeddedCredentialProvider(signerConfig, uid);
        if (!provider->grantDescription(&problem).isEmpty()) {
            if (error)
                *error = {};
            return provider;
        }
        delete provider;
    }
    if (error)
        *error = Cos::Error(Cos::Error::Kind::Credentials, problem);
    return nullptr;
}

} // namespace Signer
