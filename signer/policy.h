#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Signer {

/** @brief Which policy language the back end speaks. */
enum class PolicyDialect {
    Cam, ///< Tencent CAM: qcs::cos:..., name/cos:...
    Iam, ///< AWS IAM: arn:aws:s3:::..., s3:...
};

/**
 * @brief One COS operation a temporary key may perform.
 *
 * The signer grants operations, not raw action strings, so that a caller cannot smuggle an
 * action the configuration does not know into a policy.
 */
enum class Operation {
    PutObject,
    PostObject,
    InitiateMultipartUpload,
    ListMultipartUploads,
    ListParts,
    UploadPart,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    GetObject,
    HeadObject,
    GetBucket,
    DeleteObject,
    /// Changing an object's ACL, and setting one other than private when uploading. Never
    /// part of an action set: a grant opts in by naming it (PutObjectACL, s3:PutObjectAcl).
    PutObjectAcl,
};

using Operations = QList<Operation>;

/** @brief The named action sets: "upload", "download", "list", "delete". */
QStringList actionSetNames();

/**
 * @brief Expands action names into operations.
 *
 * Accepts the set names above, COS names ("PutObject", "name/cos:PutObject") and the matching
 * S3 names for the object operations ("s3:PutObject", "s3:GetObject", "s3:DeleteObject",
 * "s3:ListBucket", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts").
 * @return false (with @p error set) on the first unknown name.
 */
bool parseActions(const QStringList &names, Operations *out, QString *error);

/** @brief The CAM name of an operation without the "name/cos:" prefix. */
QString operationName(Operation op);

/** @brief One grant of the policy: some operations on one bucket under one key prefix. */
struct Scope
{
    Operations operations; ///< sorted, unique
    QString bucket; ///< as configured; for CAM "name-appid" or "name" (the APPID is appended)
    QString region;
    QString prefix; ///< validated; empty means the whole bucket

    bool operator==(const Scope &o) const
    {
        return operations == o.operations && bucket == o.bucket && region == o.region
                && prefix == o.prefix;
    }
};

/**
 * @brief Checks a key prefix: no "..", ".", or empty segment, no leading '/', no backslash,
 * no wildcard (* ?), no control (C0, DEL, C1) or format character (bidi controls, zero-width
 * characters), no unpaired surrogate, at most 512 UTF-8 bytes.
 * @return an empty string when valid, else the reason.
 */
QString validatePrefix(const QString &prefix);

/** @brief Checks a caller identity before it fills ${uid}: [A-Za-z0-9_.@=,+-]{1,64}, not "."/"..". */
QString validateUid(const QString &uid);

/**
 * @brief Replaces ${uid} in a prefix template and validates the result.
 * @return false with @p error set when the uid or the result is invalid or a "${" is left.
 */
bool expandPrefixTemplate(const QString &templ, const QString &uid, QString *out, QString *error);

/** @brief Normalises operations: sorted and unique. */
Operations normalized(Operations ops);

/**
 * @brief Builds the least-privilege policy document for the scopes, compact JSON with a
 * stable key order (so that it can be a cache key).
 *
 * CAM: {"version":"2.0","statement":[...]} without a principal; objects under
 * qcs::cos:<region>:uid/<appid>:<bucket>-<appid>/<prefix>*; GetBucket on the bucket with a
 * string_like cos:prefix condition. IAM: {"Version":"2012-10-17","Statement":[...]} with
 * arn:aws:s3:::<bucket>/<prefix>* and s3:ListBucket on arn:aws:s3:::<bucket> with an
 * s3:prefix StringLike condition. @p appId is required for CAM.
 *
 * Uploads cannot publish unless the scope names PutObjectAcl: the object-creating actions get
 * their own statement that only allows a private ACL (IAM: s3:x-amz-acl private or absent and
 * no s3:x-amz-grant-* header; CAM: cos:x-cos-acl private or default, or absent), and
 * PutObjectAcl is denied explicitly.
 * @return an empty array with @p error set when a scope cannot be expressed.
 */
QByteArray buildPolicy(PolicyDialect dialect, const QList<Scope> &scopes, const QString &appId,
                       QString *error);

/** @brief For CAM with an APPID: "name" becomes "name-appid"; otherwise unchanged. */
QString normalizeBucket(PolicyDialect dialect, const QString &bucket, const QString &appId);

/**
 * @brief @p ops as names: the action sets they contain completely ("upload", "download", "list",
 * "delete"), then the CAM names of the other operations.
 */
QStringList actionNames(const Operations &ops);

/** @brief A one-line description for logs: "bucket/prefix* [upload,list]". */
QString describeScopes(const QList<Scope> &scopes);

} // namespace Signer
