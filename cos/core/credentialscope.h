#pragma once

#include <QList>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QJsonArray;
class QJsonValue;
QT_END_NAMESPACE

namespace Cos {

/**
 * @brief What temporary keys allow, as the signer that issued them says: the "scope" field of
 * cos-signer's /sts and /sign answers (the official SDKs ignore it), or the grant of the
 * embedded signer.
 *
 * JSON: [{"bucket":"b","region":"r","prefix":"users/alice/","actions":["upload","list"]}, ...].
 * An empty prefix is the whole bucket; actions are cos-signer's action sets ("upload",
 * "download", "list", "delete") or single COS action names.
 */
struct CredentialScope
{
    struct Grant
    {
        QString bucket;
        QString region; ///< empty when the signer does not say (S3 endpoints)
        QString prefix;
        QStringList actions;

        bool operator==(const Grant &o) const
        {
            return bucket == o.bucket && region == o.region && prefix == o.prefix
                    && actions == o.actions;
        }
    };

    /** @brief At most this many grants, and at most MaxActions per grant, are accepted. */
    static constexpr int MaxGrants = 64;
    static constexpr int MaxActions = 32;

    QList<Grant> grants;

    [[nodiscard]] bool isEmpty() const { return grants.isEmpty(); }
    /** @brief The granted buckets, each once, in order. */
    [[nodiscard]] QStringList buckets() const;
    /** @brief The first grant on @p bucket, or null when the scope does not name it. */
    [[nodiscard]] const Grant *grantFor(const QString &bucket) const;
    /** @brief "bucket/prefix* [actions]; ..." for messages and logs. */
    [[nodiscard]] QString describe() const;

    [[nodiscard]] QJsonArray toJson() const;
    /**
     * @brief Reads @p value (the "scope" field) into @p out. Returns an empty string on success,
     * else what is wrong (which grant, which field), never a value: wrong types, too many
     * grants or actions, bucket names with characters a bucket cannot have, regions that are
     * not region ids, prefixes with control characters or longer than 1024 characters.
     */
    static QString fromJson(const QJsonValue &value, CredentialScope *out);

    bool operator==(const CredentialScope &o) const { return grants == o.grants; }
    bool operator!=(const CredentialScope &o) const { return !(*this == o); }
};

} // namespace Cos
