#include "cos/protocol/endpoint.h"

#include "cos/protocol/regions.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr qsizetype kMaxKeyBytes = 850;
constexpr qsizetype kMaxCosBucketLength = 50; // including "-<appid>"

Error invalid(const QString &message)
{
    return Error(Error::Kind::InvalidInput, message);
}

bool isDigits(const QString &s)
{
    return !s.isEmpty()
            && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

bool isIpAddress(const QString &host)
{
    return !QHostAddress(host).isNull();
}

bool isValidDnsName(const QString &host)
{
    static const QRegularExpression label(u"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"_s);
    if (host.isEmpty() || host.size() > 253)
        return false;
    const QStringList labels = host.split(u'.');
    return std::all_of(labels.begin(), labels.end(),
                       [](const QString &l) { return label.match(l).hasMatch(); });
}

bool isValidHost(const QString &host)
{
    return isIpAddress(host) || isValidDnsName(host);
}

// Only checks the custom part (without "-<appid>"): lower-case letters, digits and '-', no '-'
// at either end; the total length is checked by the caller.
Error checkCosBucketPart(const QString &bucket, const QString &name)
{
    static const QRegularExpression re(u"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"_s);
    if (name.isEmpty())
        return invalid(u"Bucket name \"%1\" has an empty name part"_s.arg(bucket));
    if (!re.match(name).hasMatch())
        return invalid(
                u"Bucket name \"%1\" is invalid: COS bucket names use only lower-case "
                "letters a-z, digits 0-9 and '-', and do not start or end with '-'"_s.arg(bucket));
    return {};
}

// The SDKs' template syntax: {Bucket} (full name), {BucketName} (without -APPID), {AppId},
// {Region}, in any letter case. Returns false when an unknown placeholder remains.
bool expandTemplate(const QString &tpl, const QString &fullBucket, const QString &region,
                    const QString &appId, QString *out)
{
    const qsizetype dash = fullBucket.lastIndexOf(u'-');
    const QString shortName = dash > 0 ? fullBucket.left(dash) : fullBucket;
    QString r = tpl;
    r.replace("{BucketName}"_L1, shortName, Qt::CaseInsensitive);
    r.replace("{Bucket}"_L1, fullBucket, Qt::CaseInsensitive);
    r.replace("{AppId}"_L1, appId, Qt::CaseInsensitive);
    r.replace("{Region}"_L1, region, Qt::CaseInsensitive);
    *out = r.toLower();
    return !r.contains(u'{') && !r.contains(u'}');
}

Error checkTemplate(const QString &what, const QString &tpl, const QString &region,
                    const QString &appId)
{
    if (tpl.contains("://"_L1) || tpl.contains(u'/'))
        return invalid(
                u"%1 \"%2\" must be a host name (template) without scheme or path"_s.arg(what, tpl));
    QString sample;
    if (!expandTemplate(tpl, u"examplebucket-"_s + (appId.isEmpty() ? u"1250000000"_s : appId),
                        region.isEmpty() ? u"ap-guangzhou"_s : region,
                        appId.isEmpty() ? u"1250000000"_s : appId, &sample))
        return invalid(u"%1 \"%2\" has an unknown placeholder: use {Bucket}, {BucketName}, "
                       "{AppId} or {Region}"_s.arg(what, tpl));
    if (!isValidHost(sample))
        return invalid(u"%1 \"%2\" is not a valid host name"_s.arg(what, tpl));
    return {};
}

Error checkS3Bucket(const QString &bucket)
{
    static const QRegularExpression re(u"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"_s);
    if (!re.match(bucket).hasMatch())
        return invalid(u"Bucket name \"%1\" is invalid: S3 bucket names have 3 to 63 "
                       "characters a-z, 0-9, '.' and '-', and start and end with a letter or "
                       "digit"_s.arg(bucket));
    if (bucket.contains(".."_L1) || bucket.contains(".-"_L1) || bucket.contains("-."_L1))
        return invalid(
                u"Bucket name \"%1\" is invalid: '.' must not be next to '.' or '-'"_s.arg(bucket));
    if (isIpAddress(bucket))
        return invalid(u"Bucket name \"%1\" is invalid: it looks like an IP address"_s.arg(bucket));
    return {};
}

} // namespace

Endpoint Endpoint::cos(const QString &region, const QString &appId)
{
    Endpoint e;
    e.dialect = Dialect::Cos;
    e.region = region;
    e.appId = appId;
    return e;
}

Endpoint Endpoint::s3(const QUrl &url, const QString &region, bool pathStyle, Error *error)
{
    Endpoint e;
    e.dialect = Dialect::S3;
    e.scheme = url.scheme().toLower();
    e.host = url.host(QUrl::FullyEncoded);
    e.port = url.port(-1);
    e.region = region;
    e.pathStyle = pathStyle;
    if (e.port == (e.scheme == "https"_L1 ? 443 : 80))
        e.port = -1;
    Error err;
    if (!url.isValid() || url.host().isEmpty())
        err = invalid(
                u"S3 endpoint \"%1\" is not a URL with a host, e.g. http://127.0.0.1:7480"_s.arg(
                        url.toString(QUrl::RemoveUserInfo)));
    else if (!url.userInfo().isEmpty())
        err = invalid(u"S3 endpoint URL must not contain user info; pass the keys as "
                      "credentials"_s);
    else if ((!url.path().isEmpty() && url.path() != "/"_L1) || url.hasQuery() || url.hasFragment())
        err = invalid(u"S3 endpoint \"%1\" must not have a path, query or fragment"_s.arg(
                url.toString(QUrl::RemoveUserInfo)));
    else
        err = e.validate();
    if (error)
        *error = err;
    return e;
}

int Endpoint::effectivePort() const
{
    if (port == (scheme == "https"_L1 ? 443 : 80))
        return -1;
    return port;
}

bool Endpoint::isValidCosRegion(const QString &region)
{
    // The same rule as the region catalog, so every region it offers is accepted here.
    return isValidRegionId(region);
}

Error Endpoint::validate() const
{
    if (scheme != "https"_L1 && scheme != "http"_L1)
        return invalid(u"Unsupported scheme \"%1\": use https or http"_s.arg(scheme));
    if (port != -1 && (port < 1 || port > 65535))
        return invalid(u"Port %1 is out of range 1..65535"_s.arg(port));
    if (!appId.isEmpty() && (!isDigits(appId) || appId.size() > 20))
        return invalid(u"APPID \"%1\" is invalid: it is a number such as 1250000000"_s.arg(appId));
    if (!connectHost.isEmpty() && !isValidHost(connectHost))
        return invalid(u"Connect-to host \"%1\" is not a valid host name or IP address"_s.arg(
                connectHost));
    if (connectPort != -1 && (connectPort < 1 || connectPort > 65535))
        return invalid(u"Connect-to port %1 is out of range 1..65535"_s.arg(connectPort));
    if (connectHost.isEmpty() && connectPort != -1)
        return invalid(u"A connect-to port needs a connect-to host"_s);

    if (dialect == Dialect::Cos) {
        if (!isValidCosRegion(region))
            return invalid(u"COS region \"%1\" is invalid: expected an id such as ap-guangzhou "
                           "or ap-beijing-1"_s.arg(region));
        if (!host.isEmpty())
            return invalid(u"The COS dialect does not use an endpoint host; set a custom "
                           "domain instead"_s);
        if (pathStyle)
            return invalid(u"Path-style addressing is an S3 option; COS uses bucket host names"_s);
        if (int(accelerate) + int(internal) + int(!domain.isEmpty()) > 1)
            return invalid(u"Choose one of the acceleration domain, the private-network domain "
                           "and a domain template"_s);
        if (!domain.isEmpty()) {
            if (Error e = checkTemplate(u"Domain"_s, domain, region, appId))
                return e;
        }
        if (!serviceDomain.isEmpty()) {
            if (Error e = checkTemplate(u"Service domain"_s, serviceDomain, region, appId))
                return e;
            if (serviceDomain.contains("{Bucket"_L1, Qt::CaseInsensitive))
                return invalid(u"Service domain \"%1\" cannot use a bucket placeholder"_s.arg(
                        serviceDomain));
        }
        return {};
    }

    if (!isValidRegionId(region))
        return invalid(
                u"S3 region \"%1\" is invalid: expected an id such as us-east-1"_s.arg(region));
    if (host.isEmpty())
        return invalid(u"The S3 endpoint has no host"_s);
    if (!isValidHost(host))
        return invalid(
                u"S3 endpoint host \"%1\" is not a valid host name or IP address"_s.arg(host));
    if (accelerate || internal || !domain.isEmpty() || !serviceDomain.isEmpty())
        return invalid(u"Acceleration, private-network, domain templates and service domains are "
                       "COS dialect options"_s);
    if (!pathStyle && isIpAddress(host))
        return invalid(u"Virtual-host style needs a DNS host name, not the IP address \"%1\"; "
                       "use path style"_s.arg(host));
    return {};
}

QString Endpoint::bucketHost(const QString &fullBucket) const
{
    if (!domain.isEmpty()) {
        QString host;
        expandTemplate(domain, fullBucket, region, appId, &host);
        return host;
    }
    if (accelerate)
        return fullBucket + ".cos.accelerate.myqcloud.com"_L1;
    if (internal)
        return fullBucket + ".cos-internal."_L1 + region + ".tencentcos.cn"_L1;
    return fullBucket + ".cos."_L1 + region + ".myqcloud.com"_L1;
}

QString Endpoint::serviceHost(const QString &listRegion) const
{
    if (!serviceDomain.isEmpty()) {
        QString host;
        expandTemplate(serviceDomain, QString(), listRegion, appId, &host);
        return isValidHost(host) ? host : QString();
    }
    if (listRegion.isEmpty())
        return u"service.cos.myqcloud.com"_s;
    return "cos."_L1 + listRegion + ".myqcloud.com"_L1;
}

QString Endpoint::backupHost(const QString &host) const
{
    static const QRegularExpression defaultDomain(u"^(.+)\\.cos\\.([a-z0-9-]+)\\.myqcloud\\.com$"_s);
    if (dialect != Dialect::Cos || !backupDomain)
        return {};
    const QRegularExpressionMatch m = defaultDomain.match(host);
    if (!m.hasMatch() || m.captured(2) == "accelerate"_L1)
        return {};
    return m.captured(1) + ".cos."_L1 + m.captured(2) + ".tencentcos.cn"_L1;
}

QString Endpoint::fullBucketName(const QString &bucket) const
{
    if (appId.isEmpty() || bucket.endsWith(u'-' + appId))
        return bucket;
    return bucket + u'-' + appId;
}

Error Endpoint::validateBucket(const QString &bucket) const
{
    if (bucket.isEmpty())
        return invalid(u"Bucket name is empty"_s);
    const QString full = fullBucketName(bucket);
    if (dialect == Dialect::S3)
        return checkS3Bucket(full);

    const qsizetype dash = full.lastIndexOf(u'-');
    if (dash <= 0 || !isDigits(full.mid(dash + 1)))
        return invalid(u"Bucket name \"%1\" has no -APPID suffix and no APPID is configured "
                       "(expected e.g. examplebucket-1250000000)"_s.arg(bucket));
    if (full.size() > kMaxCosBucketLength)
        return invalid(u"Bucket name \"%1\" is too long: at most %2 characters including "
                       "-APPID"_s.arg(full)
                               .arg(kMaxCosBucketLength));
    return checkCosBucketPart(bucket, full.left(dash));
}

Error Endpoint::validateKey(const QString &key, bool inPath)
{
    if (key.isEmpty())
        return invalid(u"Object key is empty"_s);
    if (!QStringView(key).isValidUtf16())
        return invalid(u"Object key is not valid Unicode"_s);
    const qsizetype bytes = key.toUtf8().size();
    if (bytes > kMaxKeyBytes)
        return invalid(u"Object key is too long: %1 bytes in UTF-8, at most %2"_s.arg(bytes).arg(
                kMaxKeyBytes));
    for (const QChar c : key) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return invalid(
                    u"Object key contains a control character (U+%1)"_s.arg(uint(c.unicode()), 4,
                                                                            16, QChar(u'0')));
    }
    if (!inPath)
        return {};
    if (key.startsWith(u'/'))
        return invalid(u"Object key \"%1\" must not start with '/'"_s.arg(key));
    const QStringList segments = key.split(u'/');
    for (const QString &s : segments) {
        if (s == "."_L1 || s == ".."_L1)
            return invalid(u"Object key \"%1\" has a \".\" or \"..\" path segment, which HTTP "
                           "clients rewrite before sending"_s.arg(key));
    }
    return {};
}

bool EndpointOptions::hasCosOptions() const
{
    return !protocol.isEmpty() || !domain.isEmpty() || !serviceDomain.isEmpty() || accelerate
            || internal || !backupDomain;
}

Error EndpointOptions::applyTo(Endpoint *endpoint) const
{
    if (endpoint->dialect != Dialect::Cos && hasCosOptions())
        return invalid(u"Protocol, domain, service domain, acceleration, private network and "
                       "backup domain are COS dialect options (an S3 endpoint is a URL)"_s);
    if (!protocol.trimmed().isEmpty()) {
        QString p = protocol.trimmed().toLower();
        if (p.endsWith(u':'))
            p.chop(1);
        if (p != "http"_L1 && p != "https"_L1)
            return invalid(u"Protocol \"%1\" is neither http nor https"_s.arg(protocol));
        endpoint->scheme = p;
    }
    QString host = domain.trimmed();
    for (const QLatin1StringView scheme : {"http://"_L1, "https://"_L1}) {
        if (host.startsWith(scheme, Qt::CaseInsensitive)) {
            endpoint->scheme = scheme.chopped(3);
            host = host.mid(scheme.size());
        }
    }
    if (host.endsWith(u'/'))
        host.chop(1);
    endpoint->domain = host;
    endpoint->serviceDomain = serviceDomain.trimmed();
    endpoint->accelerate = accelerate;
    endpoint->internal = internal;
    endpoint->backupDomain = backupDomain;

    const QString value = connectTo.trimmed();
    endpoint->connectHost.clear();
    endpoint->connectPort = -1;
    if (value.isEmpty())
        return {};
    const Error bad = invalid(
            u"Connect-to \"%1\" is not HOST[:PORT] (e.g. 127.0.0.1:8080 or [::1]:8080)"_s.arg(
                    value));
    QString h = value;
    QString port;
    if (h.startsWith(u'[')) {
        const qsizetype close = h.indexOf(u']');
        if (close < 0)
            return bad;
        const QString rest = h.mid(close + 1);
        if (!rest.isEmpty() && (!rest.startsWith(u':') || rest.size() == 1))
            return bad;
        port = rest.mid(1);
        h = h.mid(1, close - 1);
    } else if (h.count(u':') == 1) {
        port = h.section(u':', 1);
        h = h.section(u':', 0, 0);
        if (port.isEmpty())
            return bad;
    }
    if (h.isEmpty())
        return bad;
    int portNumber = -1;
    if (!port.isEmpty()) {
        bool ok = false;
        portNumber = port.toInt(&ok);
        if (!ok || !isDigits(port))
            return bad;
    }
    endpoint->connectHost = h;
    endpoint->connectPort = portNumber;
    return {};
}

} // namespace Cos
