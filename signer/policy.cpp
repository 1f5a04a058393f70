#include "policy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {

struct OpInfo
{
    Operation op;
    const char *cam; // without name/cos:
    const char *iam; // s3:...
    bool bucketLevel; // IAM checks it against the bucket, not the object ARN
};

// ListMultipartUploads is a bucket-level call in IAM; it goes into the prefix-conditioned
// bucket statement so that it can never list other callers' uploads.
constexpr OpInfo kOps[] = {
        {Operation::PutObject, "PutObject", "s3:PutObject", false},
        {Operation::PostObject, "PostObject", "s3:PutObject", false},
        {Operation::InitiateMultipartUpload, "InitiateMultipartUpload", "s3:PutObject", false},
        {Operation::ListMultipartUploads, "ListMultipartUploads", "s3:ListBucketMultipartUploads",
         true},
        {Operation::ListParts, "ListParts", "s3:ListMultipartUploadParts", false},
        {Operation::UploadPart, "UploadPart", "s3:PutObject", false},
        {Operation::CompleteMultipartUpload, "CompleteMultipartUpload", "s3:PutObject", false},
        {Operation::AbortMultipartUpload, "AbortMultipartUpload", "s3:AbortMultipartUpload", false},
        {Operation::GetObject, "GetObject", "s3:GetObject", false},
        {Operation::HeadObject, "HeadObject", "s3:GetObject", false},
        {Operation::GetBucket, "GetBucket", "s3:ListBucket", true},
        {Operation::DeleteObject, "DeleteObject", "s3:DeleteObject", false},
        {Operation::PutObjectAcl, "PutObjectACL", "s3:PutObjectAcl", false},
};

const OpInfo &info(Operation op)
{
    return kOps[static_cast<int>(op)];
}

// Object-creating requests that carry an ACL header (CAM lists cos:x-cos-acl for these).
bool setsAcl(PolicyDialect dialect, Operation op)
{
    if (dialect == PolicyDialect::Iam)
        return QLatin1StringView(info(op).iam) == "s3:PutObject"_L1;
    return op == Operation::PutObject || op == Operation::PostObject
            || op == Operation::InitiateMultipartUpload;
}

// Only a private ACL: ACL headers other than private (or default, which inherits the
// bucket's) are refused. The IAM form also holds on Ceph RGW, which puts s3:x-amz-acl into
// every request's context (empty without the header) and whose Null is true when a key is
// absent: "" is allowed next to "private", and IfExists covers AWS, where the key is absent.
QJsonObject privateAclCondition(PolicyDialect dialect)
{
    if (dialect == PolicyDialect::Cam)
        return QJsonObject {
                {u"string_equal_if_exist"_s,
                 QJsonObject {{u"cos:x-cos-acl"_s, QJsonArray {u"private"_s, u"default"_s}}}}};
    QJsonObject absent;
    for (const char *grant :
         {"s3:x-amz-grant-full-control", "s3:x-amz-grant-read", "s3:x-amz-grant-read-acp",
          "s3:x-amz-grant-write", "s3:x-amz-grant-write-acp"})
        absent.insert(QLatin1StringView(grant), u"true"_s);
    return QJsonObject {
            {u"StringEqualsIfExists"_s,
             QJsonObject {{u"s3:x-amz-acl"_s, QJsonArray {QString(u""_s), u"private"_s}}}},
            {u"Null"_s, absent},
    };
}

Operations setOperations(const QString &name)
{
    if (name == "upload"_L1)
        return {Operation::PutObject,
                Operation::PostObject,
                Operation::InitiateMultipartUpload,
                Operation::ListMultipartUploads,
                Operation::ListParts,
                Operation::UploadPart,
                Operation::CompleteMultipartUpload,
                Operation::AbortMultipartUpload};
    if (name == "download"_L1)
        return {Operation::GetObject, Operation::HeadObject};
    if (name == "list"_L1)
        return {Operation::GetBucket};
    if (name == "delete"_L1)
        return {Operation::DeleteObject};
    return {};
}

QString bucketWithAppId(const QString &bucket, const QString &appId)
{
    const QString suffix = u'-' + appId;
    return bucket.endsWith(suffix) ? bucket : bucket + suffix;
}

} // namespace

QStringList actionSetNames()
{
    return {u"upload"_s, u"download"_s, u"list"_s, u"delete"_s};
}

QString operationName(Operation op)
{
    return QString::fromLatin1(info(op).cam);
}

bool parseActions(const QStringList &names, Operations *out, QString *error)
{
    Operations ops;
    for (const QString &raw : names) {
        const QString name = raw.trimmed();
        const Operations set = setOperations(name);
        if (!set.isEmpty()) {
            ops += set;
            continue;
        }
        bool found = false;
        for (const OpInfo &i : kOps) {
            const QString cam = QString::fromLatin1(i.cam);
            if (name == cam || name == "name/cos:"_L1 + cam) {
                ops.append(i.op);
                found = true;
            }
        }
        if (!found && name.startsWith("s3:"_L1)) {
            // An S3 name stands for every COS operation it covers.
            for (const OpInfo &i : kOps) {
                if (name == QLatin1StringView(i.iam)) {
                    ops.append(i.op);
                    found = true;
                }
            }
        }
        if (!found) {
            if (error)
                *error = u"unknown action '%1' (use %2, or a COS action name such as "
                         "name/cos:PutObject)"_s.arg(name.left(64), actionSetNames().join(u", "_s));
            return false;
        }
    }
    *out = normalized(ops);
    return true;
}

Operations normalized(Operations ops)
{
    std::sort(ops.begin(), ops.end());
    ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
    return ops;
}

QString validatePrefix(const QString &prefix)
{
    if (prefix.toUtf8().size() > 512)
        return u"prefix is longer than 512 bytes"_s;
    if (prefix.startsWith(u'/'))
        return u"prefix must be relative (no leading '/')"_s;
    for (qsizetype i = 0; i < prefix.size(); ++i) {
        const QChar c = prefix.at(i);
        if (c.isHighSurrogate() && i + 1 < prefix.size() && prefix.at(i + 1).isLowSurrogate()) {
            const char32_t ucs4 = QChar::surrogateToUcs4(c, prefix.at(i + 1));
            if (QChar::category(ucs4) == QChar::Other_Format || !QChar::isPrint(ucs4))
                return u"prefix contains an invisible or non-printable character"_s;
            ++i;
            continue;
        }
        if (c.isSurrogate())
            return u"prefix contains an unpaired UTF-16 surrogate (not valid Unicode)"_s;
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f))
            return u"prefix contains a control character"_s;
        // Bidi overrides and zero-width characters make a key look like another one.
        if (c.category() == QChar::Other_Format)
            return u"prefix contains an invisible formatting character (bidi control or "
                   "zero-width)"_s;
        if (c.unicode() == 0xfffe || c.unicode() == 0xffff)
            return u"prefix contains a Unicode noncharacter"_s;
        if (c == u'*' || c == u'?')
            return u"prefix contains a wildcard ('*' or '?')"_s;
        if (c == u'\\')
            return u"prefix contains a backslash"_s;
    }
    if (prefix.contains("${"_L1))
        return u"prefix contains '${' (policy variables are not allowed)"_s;
    const QStringList segments = prefix.split(u'/');
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &s = segments.at(i);
        if (s == ".."_L1 || s == "."_L1)
            return u"prefix contains a '.' or '..' segment"_s;
        // The last segment may be empty ("users/alice/"); an inner one means "//".
        if (s.isEmpty() && i != segments.size() - 1)
            return u"prefix contains an empty segment ('//')"_s;
    }
    return {};
}

QString validateUid(const QString &uid)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.@=,+-]{1,64}$"_s);
    if (!re.match(uid).hasMatch() || uid == "."_L1 || uid == ".."_L1)
        return u"caller identity must be 1-64 characters of A-Z a-z 0-9 _ . @ = , + -"_s;
    return {};
}

bool expandPrefixTemplate(const QString &templ, const QString &uid, QString *out, QString *error)
{
    QString result = templ;
    if (result.contains("${uid}"_L1)) {
        const QString uidError = validateUid(uid);
        if (!uidError.isEmpty()) {
            *error = uidError;
            return false;
        }
        result.replace("${uid}"_L1, uid);
    }
    const QString reason = validatePrefix(result);
    if (!reason.isEmpty()) {
        *error = reason;
        return false;
    }
    *out = result;
    return true;
}

QByteArray buildPolicy(PolicyDialect dialect, const QList<Scope> &scopes, const QString &appId,
                       QString *error)
{
    if (scopes.isEmpty()) {
        *error = u"no scope to grant"_s;
        return {};
    }
    QJsonArray statements;
    for (const Scope &scope : scopes) {
        if (scope.bucket.isEmpty() || scope.region.isEmpty() || scope.operations.isEmpty()) {
            *error = u"a scope needs a bucket, a region and at least one action"_s;
            return {};
        }
        const QString reason = validatePrefix(scope.prefix);
        if (!reason.isEmpty()) {
            *error = reason;
            return {};
        }
        QStringList objectActions;
        QStringList bucketActions;
        QStringList aclActions; // object-creating actions, limited to a private ACL
        const bool mayPublish = scope.operations.contains(Operation::PutObjectAcl);
        for (Operation op : scope.operations) {
            const OpInfo &i = info(op);
            QString name;
            bool bucketLevel = false;
            if (dialect == PolicyDialect::Cam) {
                name = "name/cos:"_L1 + QLatin1StringView(i.cam);
                // Only listing needs the bucket resource in CAM; multipart listing is
                // granted on the prefix as the official upload policy does.
                bucketLevel = op == Operation::GetBucket;
            } else {
                name = QString::fromLatin1(i.iam);
                bucketLevel = i.bucketLevel;
            }
            QStringList &list = bucketLevel               ? bucketActions
                    : !mayPublish && setsAcl(dialect, op) ? aclActions
                                                          : objectActions;
            if (!list.contains(name))
                list.append(name);
        }
        QString objectResource;
        QString bucketResource;
        if (dialect == PolicyDialect::Cam) {
            if (appId.isEmpty()) {
                *error = u"a Tencent CAM policy needs the APPID (--appid)"_s;
                return {};
            }
            const QString base = u"qcs::cos:%1:uid/%2:%3/"_s.arg(scope.region, appId,
                                                                 bucketWithAppId(scope.bucket,
                                                                                 appId));
            objectResource = base + scope.prefix + u'*';
            bucketResource = base + u'*';
        } else {
            objectResource = "arn:aws:s3:::"_L1 + scope.bucket + u'/' + scope.prefix + u'*';
            bucketResource = "arn:aws:s3:::"_L1 + scope.bucket;
        }
        const bool cam = dialect == PolicyDialect::Cam;
        if (!aclActions.isEmpty()) {
            statements.append(
                    QJsonObject {{cam ? u"effect"_s : u"Effect"_s, cam ? u"allow"_s : u"Allow"_s},
                                 {cam ? u"action"_s : u"Action"_s,
                                  QJsonArray::fromStringList(aclActions)},
                                 {cam ? u"resource"_s : u"Resource"_s, QJsonArray {objectResource}},
                                 {cam ? u"condition"_s : u"Condition"_s,
                                  privateAclCondition(dialect)}});
            statements.append(
                    QJsonObject {{cam ? u"effect"_s : u"Effect"_s, cam ? u"deny"_s : u"Deny"_s},
                                 {cam ? u"action"_s : u"Action"_s,
                                  QJsonArray {cam ? u"name/cos:PutObjectACL"_s
                                                  : u"s3:PutObjectAcl"_s}},
                                 {cam ? u"resource"_s : u"Resource"_s,
                                  QJsonArray {objectResource}}});
        }
        if (!objectActions.isEmpty()) {
            QJsonObject st;
            if (dialect == PolicyDialect::Cam) {
                st.insert(u"effect"_s, u"allow"_s);
                st.insert(u"action"_s, QJsonArray::fromStringList(objectActions));
                st.insert(u"resource"_s, QJsonArray {objectResource});
            } else {
                st.insert(u"Effect"_s, u"Allow"_s);
                st.insert(u"Action"_s, QJsonArray::fromStringList(objectActions));
                st.insert(u"Resource"_s, QJsonArray {objectResource});
            }
            statements.append(st);
        }
        if (!bucketActions.isEmpty()) {
            QJsonObject st;
            const QString like = scope.prefix + u'*';
            if (dialect == PolicyDialect::Cam) {
                st.insert(u"effect"_s, u"allow"_s);
                st.insert(u"action"_s, QJsonArray::fromStringList(bucketActions));
                st.insert(u"resource"_s, QJsonArray {bucketResource});
                if (!scope.prefix.isEmpty())
                    st.insert(u"condition"_s,
                              QJsonObject {
                                      {u"string_like"_s, QJsonObject {{u"cos:prefix"_s, like}}}});
            } else {
                st.insert(u"Effect"_s, u"Allow"_s);
                st.insert(u"Action"_s, QJsonArray::fromStringList(bucketActions));
                st.insert(u"Resource"_s, QJsonArray {bucketResource});
                if (!scope.prefix.isEmpty())
                    st.insert(u"Condition"_s,
                              QJsonObject {{u"StringLike"_s,
                                            QJsonObject {{u"s3:prefix"_s, QJsonArray {like}}}}});
            }
            statements.append(st);
        }
    }
    QJsonObject doc;
    if (dialect == PolicyDialect::Cam) {
        doc.insert(u"version"_s, u"2.0"_s);
        doc.insert(u"statement"_s, statements);
    } else {
        doc.insert(u"Version"_s, u"2012-10-17"_s);
        doc.insert(u"Statement"_s, statements);
    }
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

QString normalizeBucket(PolicyDialect dialect, const QString &bucket, const QString &appId)
{
    if (dialect != PolicyDialect::Cam || appId.isEmpty() || bucket.isEmpty())
        return bucket;
    return bucketWithAppId(bucket, appId);
}

QStringList actionNames(const Operations &operations)
{
    QStringList names;
    Operations covered;
    for (const QString &set : actionSetNames()) {
        const Operations members = setOperations(set);
        if (std::all_of(members.begin(), members.end(),
                        [&](Operation op) { return operations.contains(op); })) {
            names.append(set);
            covered += members;
        }
    }
    for (Operation op : operations) {
        if (!covered.contains(op))
            names.append(operationName(op));
    }
    return names;
}

QString describeScopes(const QList<Scope> &scopes)
{
    QStringList parts;
    for (const Scope &s : scopes)
        parts.append(u"%1/%2* [%3]"_s.arg(s.bucket, s.prefix, actionNames(s.operations).join(u',')));
    return parts.join(u"; "_s);
}

} // namespace Signer
