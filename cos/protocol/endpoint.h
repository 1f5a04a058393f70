#pragma once

#include "cos/core/error.h"

#include <QString>

QT_BEGIN_NAMESPACE
class QUrl;
QT_END_NAMESPACE

namespace Cos {

/** @brief The protocol a server speaks: Tencent COS XML (q-sign) or AWS S3 (SigV4). */
enum class Dialect {
    Cos, ///< COS XML API: x-cos-* headers, q-sign-algorithm=sha1 signatures
    S3, ///< S3 API: x-amz-* headers, AWS4-HMAC-SHA256 signatures (RGW, MinIO, COS's S3 mode)
};

/**
 * @brief Where requests go: dialect, scheme, host form, region and addressing style, and how to
 * reach the hosts (connect-to address, backup domain).
 *
 * COS hosts:
 *   - list all buckets:            service.cos.myqcloud.com, or serviceDomain
 *   - list the buckets of a region: cos.<region>.myqcloud.com, or serviceDomain
 *   - bucket and object requests:  <bucket>-<appid>.cos.<region>.myqcloud.com (the default
 *     domain); <bucket>-<appid>.cos.accelerate.myqcloud.com with accelerate;
 *     <bucket>-<appid>.cos-internal.<region>.tencentcos.cn with internal; or the domain
 *     template, e.g. "{Bucket}.file.myqcloud.com" or a custom domain bound to one bucket
 *     (the path is then just the key).
 *
 * S3 hosts: host[:port] of the endpoint URL; path style puts the bucket in the path
 * (/<bucket>/<key>), virtual-host style in the host (<bucket>.<host>).
 *
 * connectHost (both dialects) sends every request to that address instead of the host's DNS
 * answer, like curl's --connect-to or the SDKs' Ip option: the Host header, the signature and
 * the TLS name stay those of the real host. The backup domain (COS only, on by default, the
 * SDKs' AutoSwitchHost) retries a request whose default-domain host gave no answer on the same
 * host under tencentcos.cn.
 *
 * A bucket name that already ends in "-<appId>" does not get the suffix twice; with an empty
 * appId the bucket name is used as given.
 */
struct Endpoint
{
    Dialect dialect = Dialect::Cos;
    QString scheme = QStringLiteral("https"); ///< "https" or "http"
    QString region; ///< COS: e.g. ap-guangzhou; S3: the SigV4 scope region, e.g. us-east-1
    QString appId; ///< COS APPID (digits); appended to bucket names that lack it
    bool accelerate = false; ///< COS: use the global acceleration domain
    bool internal = false; ///< COS: the private-network domain of the region
    /**
     * COS: the bucket host as a template (the SDKs' Domain). Placeholders: {Bucket} (the full
     * name with -APPID), {BucketName} (without it), {AppId}, {Region}; no placeholder is a
     * custom domain bound to one bucket. Empty: the default domain.
     */
    QString domain;
    /** COS: the host of list buckets (the SDKs' ServiceDomain); {Region} and {AppId} allowed. */
    QString serviceDomain;
    QString host; ///< S3: the endpoint host name or IP address (no brackets, no port)
    int port = -1; ///< explicit port, -1 for the scheme's default
    bool pathStyle = false; ///< S3: bucket in the path instead of the host name
    QString connectHost; ///< connect to this host or IP instead (Host and signature unchanged)
    int connectPort = -1; ///< port for connectHost, -1 for the request's own port
    bool backupDomain = true; ///< COS: retry the default domain's hosts on tencentcos.cn

    /** @brief A COS endpoint (https) for @p region and @p appId. */
    static Endpoint cos(const QString &region, const QString &appId);

    /**
     * @brief An S3 endpoint from a URL such as http://127.0.0.1:7480.
     *
     * The URL must have a scheme and a host and nothing else (no path, query or user info);
     * anything else is reported by @p error (and left for validate() to report too).
     */
    static Endpoint s3(const QUrl &url, const QString &region, bool pathStyle,
                       Error *error = nullptr);

    /** @brief Checks the configuration; an Error of kind InvalidInput says what is wrong. */
    [[nodiscard]] Error validate() const;

    /** @brief Checks a bucket name against the dialect's rules (COS: [a-z0-9-], 1..50). */
    [[nodiscard]] Error validateBucket(const QString &bucket) const;

    /** @brief The bucket name as the server knows it: with "-<appId>" added when missing. */
    [[nodiscard]] QString fullBucketName(const QString &bucket) const;

    /** @brief COS: the host of bucket and object requests for @p fullBucket (with -APPID). */
    [[nodiscard]] QString bucketHost(const QString &fullBucket) const;
    /** @brief COS: the host of list buckets, for all buckets (@p region empty) or one region;
     * empty when the service domain gives no valid host (a {Region} without a region). */
    [[nodiscard]] QString serviceHost(const QString &region = {}) const;
    /**
     * @brief COS: the backup host of @p host: a bucket host of the default domain
     * (<bucket>.cos.<region>.myqcloud.com) under tencentcos.cn; empty for any other host
     * (accelerate, internal, custom domains) or when backupDomain is off.
     */
    [[nodiscard]] QString backupHost(const QString &host) const;

    /** @brief The port that goes into URLs and the Host header: -1 when it is the default. */
    [[nodiscard]] int effectivePort() const;

    /** @brief True when @p region is a well-formed region id such as ap-beijing-1 (the rule of
     * isValidRegionId(): a DNS label of [a-z0-9-] starting with a letter). */
    [[nodiscard]] static bool isValidCosRegion(const QString &region);

    /**
     * @brief Checks an object key: 1..850 UTF-8 bytes, valid UTF-16, no control characters.
     *
     * With @p inPath (the key goes into the URL path) also: no leading '/' and no "." or ".."
     * path segment, because HTTP stacks rewrite those and the path sent would differ from the
     * path signed. Keys that travel in an XML body (delete multiple) skip those two checks.
     */
    [[nodiscard]] static Error validateKey(const QString &key, bool inPath = true);
};

/**
 * @brief The endpoint options as text, the way cosctl flags, COS_* variables and the app's
 * settings give them; they correspond to the official SDKs' Protocol, Domain, ServiceDomain,
 * UseAccelerate, Ip and AutoSwitchHost.
 */
struct EndpointOptions
{
    QString protocol; ///< COS: "http" or "https" ("https:" as the SDKs write it); empty: as is
    QString domain; ///< COS: domain template; a leading http:// or https:// sets the scheme
    QString serviceDomain; ///< COS: host of list buckets
    bool accelerate = false; ///< COS: global acceleration domain
    bool internal = false; ///< COS: private-network domain of the region
    QString connectTo; ///< both dialects: HOST, HOST:PORT, [IPv6] or [IPv6]:PORT
    bool backupDomain = true; ///< COS: retry the default domain's hosts on tencentcos.cn

    /** @brief True when a COS-only option (all but connectTo) differs from its default. */
    [[nodiscard]] bool hasCosOptions() const;

    /**
     * @brief Sets these options on @p endpoint. A malformed protocol or connect-to address is
     * an error here; what the fields mean together is checked by Endpoint::validate(). COS
     * options on an S3 endpoint are an error.
     */
    [[nodiscard]] Error applyTo(Endpoint *endpoint) const;
};

} // namespace Cos
