#include "signercore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {
constexpr int kMaxScopes = 16;

SignerError badRequest(const QString &code, const QString &message)
{
    return SignerError::make(400, code, message);
}

QString expandedPrefix(const Grant &g, const QString &uid, QString *error)
{
    if (g.prefixTemplate == "*"_L1)
        return QString();
    QString out;
    if (!expandPrefixTemplate(g.prefixTemplate, uid, &out, error))
        return QString();
    return out;
}
} // namespace

SignerCore::SignerCore(const SignerConfig &config, StsBackend *backend, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_backend(backend)
    , m_cache(config.cacheMarginSeconds, config.cacheMaxEntries)
{
    m_backend->setParent(this);
    m_backend->setTimeout(config.upstreamTimeoutMs);
    // Buckets compare in their normalised form ("name-appid" for CAM).
    for (Grant &g : m_config.grants)
        g.bucket = normalizeBucket(m_config.dialect(), g.bucket, m_config.appId);
}

SignerCore::~SignerCore()
{
    // The back end's pending callbacks point into m_cache: end them before it goes.
    delete m_backend;
}

StsBackend *SignerCore::createBackend(const SignerConfig &config, QObject *parent)
{
    const QString region = !config.stsRegion.isEmpty()
            ? config.stsRegion
            : (config.grants.isEmpty() ? QString() : config.grants.first().region);
    if (config.backend == "s3-sts"_L1) {
        S3StsBackend::Options o;
        o.accessKeyId = config.secretId;
        o.secretAccessKey = config.secretKey;
        o.endpoint = QUrl(config.stsEndpoint);
        if (!region.isEmpty())
            o.region = region;
        o.roleArn = config.roleArn;
        return new S3StsBackend(o, parent);
    }
    TencentStsBackend::Options o;
    o.secretId = config.secretId;
    o.secretKey = config.secretKey;
    if (!config.stsEndpoint.isEmpty())
        o.endpoint = QUrl(config.stsEndpoint);
    if (!region.isEmpty())
        o.region = region;
    o.roleArn = config.roleArn;
    o.federationName = config.federationName;
    return new TencentStsBackend(o, parent);
}

SignerError SignerCore::defaultRequest(const QString &uid, IssueRequest *out,
                                       ScopePresentation *shown) const
{
    if (const auto it = m_defaultMemo.constFind(uid); it != m_defaultMemo.cend()) {
        *out = it->request;
        if (shown)
            *shown = it->shown;
        return {};
    }
    out->uid = uid;
    out->durationSeconds = m_config.durationSeconds;
    out->scopes.clear();
    for (const Grant &g : m_config.grants) {
        QString error;
        const QString prefix = expandedPrefix(g, uid, &error);
        if (!error.isEmpty())
            return SignerError::make(403, u"InvalidIdentity"_s,
                                     u"cannot build the prefix for this caller: "_s + error);
        out->scopes.append(Scope {g.operations, g.bucket, g.region, prefix});
    }
    // Bounded like the credential cache: many distinct callers only cost a rebuild.
    if (m_defaultMemo.size() >= m_config.cacheMaxEntries)
        m_defaultMemo.clear();
    const DefaultMemo &memo = *m_defaultMemo.insert(uid, DefaultMemo {*out, presentation(*out)});
    if (shown)
        *shown = memo.shown;
    return {};
}

Cos::CredentialScope SignerCore::credentialScope(const IssueRequest &request) const
{
    Cos::CredentialScope scope;
    for (const Scope &s : request.scopes)
        scope.grants.append({normalizeBucket(m_config.dialect(), s.bucket, m_config.appId),
                             s.region, s.prefix, actionNames(s.operations)});
    return scope;
}

ScopePresentation SignerCore::presentation(const IssueRequest &request) const
{
    return ScopePresentation {credentialScope(request).toJson(),
                              escapeForLog(describeScopes(request.scopes), 300)};
}

SignerError SignerCore::resolve(const QString &uid, const QByteArray &body, IssueRequest *out) const
{
    if (body.trimmed().isEmpty())
        return defaultRequest(uid, out);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (doc.isNull())
        return badRequest(u"MalformedJson"_s,
                          u"request body is not valid JSON: %1 at offset %2"_s
                                  .arg(pe.errorString(), QString::number(pe.offset)));
    QJsonArray scopes;
    out->uid = uid;
    out->durationSeconds = m_config.durationSeconds;
    out->scopes.clear();
    if (doc.isArray()) {
        scopes = doc.array();
    } else {
        const QJsonObject o = doc.object();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString &k = it.key();
            if (k != "scope"_L1 && k != "scopes"_L1 && k != "durationSeconds"_L1)
                return badRequest(u"UnknownField"_s,
                                  u"unknown field '%1' (allowed: scope, durationSeconds)"_s.arg(
                                          k.left(64)));
        }
        const QJsonValue sv = o.contains("scope"_L1) ? o.value("scope"_L1) : o.value("scopes"_L1);
        if (sv.isObject())
            scopes = QJsonArray {sv};
        else if (sv.isArray())
            scopes = sv.toArray();
        else if (!sv.isUndefined())
            return badRequest(u"InvalidScope"_s, u"'scope' must be an object or an array"_s);
        if (o.contains("durationSeconds"_L1)) {
            const QJsonValue d = o.value("durationSeconds"_L1);
            const double v = d.toDouble(-1);
            // std::trunc, not a cast to an integer: a double beyond qint64 (9e50) makes the
            // cast undefined behaviour. Infinities pass here and fail the range check below.
            if (!d.isDouble() || std::trunc(v) != v)
                return badRequest(u"InvalidDuration"_s, u"durationSeconds must be an integer"_s);
            if (v < m_config.minDurationSeconds || v > m_config.effectiveMaxDuration())
                return badRequest(u"InvalidDuration"_s,
                                  u"durationSeconds must be %1..%2"_s
                                          .arg(m_config.minDurationSeconds)
                                          .arg(m_config.effectiveMaxDuration()));
            out->durationSeconds = int(v);
        }
    }
    if (scopes.isEmpty()) {
        IssueRequest def;
        const SignerError e = defaultRequest(uid, &def);
        out->scopes = def.scopes;
        return e;
    }
    if (scopes.size() > kMaxScopes)
        return badRequest(u"InvalidScope"_s, u"at most %1 scopes per request"_s.arg(kMaxScopes));
    for (const QJsonValue &v : scopes) {
        if (!v.isObject())
            return badRequest(u"InvalidScope"_s, u"each scope must be a JSON object"_s);
        Scope s;
        const SignerError e = resolveScope(uid, v.toObject(), &s);
        if (e)
            return e;
        out->scopes.append(s);
    }
    return {};
}

SignerError SignerCore::resolveScope(const QString &uid, const QJsonObject &o, Scope *out) const
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &k = it.key();
        if (k != "action"_L1 && k != "actions"_L1 && k != "bucket"_L1 && k != "region"_L1
            && k != "prefix"_L1)
            return badRequest(u"UnknownField"_s,
                              u"unknown scope field '%1' (allowed: action, bucket, region, "
                              "prefix)"_s.arg(k.left(64)));
    }
    for (const char *k : {"bucket", "region", "prefix"}) {
        const QJsonValue v = o.value(QLatin1StringView(k));
        if (!v.isUndefined() && !v.isString())
            return badRequest(u"InvalidScope"_s,
                              u"scope field '%1' must be a string"_s.arg(QLatin1StringView(k)));
    }
    const QJsonValue av = o.contains("action"_L1) ? o.value("action"_L1) : o.value("actions"_L1);
    QStringList actionNames;
    if (av.isString()) {
        actionNames = {av.toString()};
    } else if (av.isArray()) {
        for (const QJsonValue &a : av.toArray()) {
            if (!a.isString())
                return badRequest(u"InvalidScope"_s, u"actions must be strings"_s);
            actionNames.append(a.toString());
        }
    } else if (!av.isUndefined()) {
        return badRequest(u"InvalidScope"_s, u"'action' must be a string or an array"_s);
    }
    if (actionNames.size() > 64)
        return badRequest(u"InvalidScope"_s, u"too many actions"_s);
    Operations ops;
    if (!actionNames.isEmpty()) {
        QString error;
        if (!parseActions(actionNames, &ops, &error))
            return badRequest(u"UnknownAction"_s, error);
    }
    const QString bucket = normalizeBucket(m_config.dialect(), o.value("bucket"_L1).toString(),
                                           m_config.appId);
    const QString region = o.value("region"_L1).toString();
    const bool hasPrefix = o.contains("prefix"_L1);
    QString prefix = o.value("prefix"_L1).toString();
    if (hasPrefix) {
        if (prefix == "*"_L1)
            prefix.clear(); // the whole bucket; allowed only by a "*" grant below
        else if (const QString reason = validatePrefix(prefix); !reason.isEmpty())
            return badRequest(u"InvalidPrefix"_s,
                              u"prefix '%1': %2"_s.arg(prefix.left(128), reason));
    }

    QString denial;
    bool bucketKnown = false;
    for (const Grant &g : m_config.grants) {
        if ((!bucket.isEmpty() && g.bucket != bucket) || (!region.isEmpty() && g.region != region))
            continue;
        bucketKnown = true;
        QString error;
        const QString granted = expandedPrefix(g, uid, &error);
        if (!error.isEmpty())
            return SignerError::make(403, u"InvalidIdentity"_s,
                                     u"cannot build the prefix for this caller: "_s + error);
        const QString want = hasPrefix ? prefix : granted;
        if (!want.startsWith(granted)) {
            denial = u"prefix '%1' is outside the allowed prefix '%2'"_s
                             .arg(want, g.prefixTemplate == "*"_L1 ? u"*"_s : granted);
            continue;
        }
        const Operations wantOps = ops.isEmpty() ? g.operations : ops;
        QStringList missing;
        for (Operation op : wantOps) {
            if (!g.operations.contains(op))
                missing.append(operationName(op));
        }
        if (!missing.isEmpty()) {
            denial = u"action(s) %1 not allowed on %2/%3*"_s.arg(missing.join(u','), g.bucket,
                                                                 granted);
            continue;
        }
        *out = Scope {wantOps, g.bucket, g.region, want};
        return {};
    }
    if (!bucketKnown)
        return SignerError::make(403, u"ScopeNotAllowed"_s,
                                 u"bucket '%1'%2 is not allowed"_s
                                         .arg(bucket.isEmpty() ? u"(default)"_s : bucket,
                                              region.isEmpty() ? QString()
                                                               : u" in region '%1'"_s.arg(region)));
    return SignerError::make(403, u"ScopeNotAllowed"_s, denial);
}

QByteArray SignerCore::policyFor(const IssueRequest &request, QString *error) const
{
    const PolicyMemo *memo = memoFor(request, error);
    return memo ? memo->policy : QByteArray();
}

const SignerCore::PolicyMemo *SignerCore::memoFor(const IssueRequest &request, QString *error) const
{
    // An unambiguous encoding of what the policy and the cache key depend on (NUL cannot
    // occur in a validated bucket, region or prefix; the lengths make it unambiguous anyway).
    QByteArray key = QByteArray::number(request.durationSeconds);
    for (const Scope &s : request.scopes) {
        key += '\n';
        for (Operation op : s.operations) {
            key += QByteArray::number(int(op));
            key += ',';
        }
        for (const QString *field : {&s.bucket, &s.region, &s.prefix}) {
            const QByteArray utf8 = field->toUtf8();
            key += '\0';
            key += QByteArray::number(utf8.size());
            key += ':';
            key += utf8;
        }
    }
    if (const auto it = m_policyMemo.constFind(key); it != m_policyMemo.cend())
        return &*it;
    PolicyMemo memo;
    memo.policy = buildPolicy(m_config.dialect(), request.scopes, m_config.appId, error);
    if (memo.policy.isEmpty())
        return nullptr; // errors are not memoized: they are rare and carry their message
    memo.cacheKey = cacheKey(request, memo.policy);
    // POST bodies can name many distinct narrower scopes: bound the memo like the cache.
    if (m_policyMemo.size() >= m_config.cacheMaxEntries)
        m_policyMemo.clear();
    return &*m_policyMemo.insert(key, memo);
}

QByteArray SignerCore::cacheKey(const IssueRequest &request, const QByteArray &policy) const
{
    return CredentialCache::makeKey(m_backend->cacheId(), policy, request.durationSeconds);
}

QByteArray SignerCore::callerCacheKey(const PolicyMemo &memo, const QString &uid)
{
    // Credentials are per caller even for a shared scope: the STS session name carries the
    // uid, so the provider's audit trail names who acted. The memo's key is per policy only.
    const QByteArray id = uid.toUtf8();
    return memo.cacheKey + QByteArray::number(id.size()) + ':' + id;
}

bool SignerCore::answerFromCache(const IssueRequest &request, IssueResult *out) const
{
    QString error;
    const PolicyMemo *memo = memoFor(request, &error);
    if (!memo)
        return false;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const TempCredentials *hit = m_cache.lookup(callerCacheKey(*memo, request.uid), now);
    if (!hit)
        return false;
    out->credentials = *hit;
    out->cacheHit = true;
    out->serverTime = now;
    return true;
}

void SignerCore::issue(const IssueRequest &request, std::function<void(const IssueResult &)> done)
{
    QString error;
    const PolicyMemo *memo = memoFor(request, &error);
    if (!memo) {
        IssueResult r;
        r.error = SignerError::make(400, u"InvalidScope"_s, error);
        done(r);
        return;
    }
    const PolicyMemo copy = *memo; // the memo may be cleared while the STS call runs
    StsRequest sts;
    sts.policy = copy.policy;
    sts.durationSeconds = request.durationSeconds;
    sts.sessionName = u"cos-signer-"_s + request.uid;
    QPointer<StsBackend> backend = m_backend;
    m_cache.get(
            callerCacheKey(copy, request.uid), QDateTime::currentSecsSinceEpoch(),
            [backend, sts](StsBackend::Callback cb) {
                if (backend)
                    backend->fetch(sts, std::move(cb));
            },
            [done](const Cos::Error &e, const TempCredentials &creds, bool hit) {
                IssueResult r;
                r.serverTime = QDateTime::currentSecsSinceEpoch();
                if (e)
                    r.error = upstreamError(e);
                r.credentials = creds;
                r.cacheHit = hit;
                done(r);
            });
}

} // namespace Signer
