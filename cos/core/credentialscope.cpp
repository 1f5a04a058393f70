#include "cos/core/credentialscope.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr int MaxPrefixLength = 1024;

bool isBucketName(const QString &s)
{
    if (s.isEmpty() || s.size() > 255)
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                || (u >= u'0' && u <= u'9') || u == u'-' || u == u'.' || u == u'_';
        if (!ok)
            return false;
    }
    return true;
}

bool isRegionId(const QString &s)
{
    if (s.size() > 64)
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-'))
            return false;
    }
    return true;
}

bool isPrefix(const QString &s)
{
    if (s.size() > MaxPrefixLength)
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        char32_t ucs4 = s.at(i).unicode();
        if (s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            ucs4 = QChar::surrogateToUcs4(s.at(i), s.at(i + 1));
            ++i;
        } else if (s.at(i).isSurrogate()) {
            return false; // unpaired
        }
        const QChar::Category category = QChar::category(ucs4);
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            return false;
    }
    return true;
}

bool isActionName(const QString &s)
{
    if (s.isEmpty() || s.size() > 64)
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                || (u >= u'0' && u <= u'9') || u == u':' || u == u'/' || u == u'-' || u == u'_'
                || u == u'*';
        if (!ok)
            return false;
    }
    return true;
}

QString readGrant(const QJsonValue &value, CredentialScope::Grant *out)
{
    if (!value.isObject())
        return u"is not an object"_s;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != "bucket"_L1 && it.key() != "region"_L1 && it.key() != "prefix"_L1
            && it.key() != "actions"_L1)
            return u"has an unknown field (only bucket, region, prefix, actions)"_s;
    }
    if (!o.value("bucket"_L1).isString() || !isBucketName(o.value("bucket"_L1).toString()))
        return u"has no valid \"bucket\" (1 to 255 letters, digits, '-', '.', '_')"_s;
    out->bucket = o.value("bucket"_L1).toString();
    const QJsonValue region = o.value("region"_L1);
    if (!region.isUndefined() && !region.isNull()) {
        if (!region.isString() || !isRegionId(region.toString()))
            return u"has a \"region\" that is not a region id"_s;
        out->region = region.toString();
    }
    const QJsonValue prefix = o.value("prefix"_L1);
    if (!prefix.isUndefined() && !prefix.isNull()) {
        if (!prefix.isString() || !isPrefix(prefix.toString()))
            return u"has a \"prefix\" that is not a string of at most %1 printable characters"_s.arg(
                    MaxPrefixLength);
        out->prefix = prefix.toString();
    }
    const QJsonValue actions = o.value("actions"_L1);
    if (!actions.isArray() || actions.toArray().isEmpty()
        || actions.toArray().size() > CredentialScope::MaxActions)
        return u"has no \"actions\" array of 1 to %1 names"_s.arg(CredentialScope::MaxActions);
    for (const QJsonValue &a : actions.toArray()) {
        if (!a.isString() || !isActionName(a.toString()))
            return u"has an action that is not a name (letters, digits, ':', '/', '-', '_')"_s;
        out->actions.append(a.toString());
    }
    return {};
}

} // namespace

QStringList CredentialScope::buckets() const
{
    QStringList out;
    for (const Grant &g : grants) {
        if (!out.contains(g.bucket))
            out.append(g.bucket);
    }
    return out;
}

const CredentialScope::Grant *CredentialScope::grantFor(const QString &bucket) const
{
    for (const Grant &g : grants) {
        if (g.bucket == bucket)
            return &g;
    }
    return nullptr;
}

QString CredentialScope::describe() const
{
    QStringList parts;
    for (const Grant &g : grants)
        parts.append(u"%1/%2* [%3]"_s.arg(g.bucket, g.prefix, g.actions.join(u',')));
    return parts.join(u"; "_s);
}

QJsonArray CredentialScope::toJson() const
{
    QJsonArray out;
    for (const Grant &g : grants) {
        QJsonObject o {{u"bucket"_s, g.bucket},
                       {u"prefix"_s, g.prefix},
                       {u"actions"_s, QJsonArray::fromStringList(g.actions)}};
        if (!g.region.isEmpty())
            o.insert(u"region"_s, g.region);
        out.append(o);
    }
    return out;
}

QString CredentialScope::fromJson(const QJsonValue &value, CredentialScope *out)
{
    *out = {};
    if (!value.isArray())
        return u"\"scope\" is not an array of grants"_s;
    const QJsonArray array = value.toArray();
    if (array.size() > MaxGrants)
        return u"\"scope\" has more than %1 grants"_s.arg(MaxGrants);
    CredentialScope scope;
    for (qsizetype i = 0; i < array.size(); ++i) {
        Grant g;
        const QString problem = readGrant(array.at(i), &g);
        if (!problem.isEmpty())
            return u"\"scope\" grant %1 %2"_s.arg(i + 1).arg(problem);
        scope.grants.append(g);
    }
    *out = scope;
    return {};
}

} // namespace Cos
