#include "presentation.h"

#include <QHash>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

QString Presentation::formatSize(qint64 bytes)
{
    if (bytes < 0)
        return {};
    if (bytes < 1024)
        return tr("%n B", nullptr, int(bytes));
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return u"%1 %2"_s.arg(QLocale().toString(value, 'f', value < 10 ? 1 : 0),
                          QLatin1StringView(units[unit]));
}

QString Presentation::formatDate(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
}

QString Presentation::formatSpeed(double bytesPerSecond)
{
    if (bytesPerSecond < 0)
        return {};
    return tr("%1/s").arg(formatSize(qint64(bytesPerSecond)));
}

QString Presentation::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

namespace {
QString extensionOf(const QString &key)
{
    const QString name = key.section(u'/', -1);
    const qsizetype dot = name.lastIndexOf(u'.');
    return dot > 0 ? name.mid(dot + 1).toLower() : QString();
}
} // namespace

QString Presentation::typeName(const QString &key, bool isFolder)
{
    if (isFolder)
        return tr("Folder");
    const QString ext = extensionOf(key);
    static const QHash<QString, const char *> names = {
            {u"png"_s, QT_TR_NOOP("PNG image")},    {u"jpg"_s, QT_TR_NOOP("JPEG image")},
            {u"jpeg"_s, QT_TR_NOOP("JPEG image")},  {u"gif"_s, QT_TR_NOOP("GIF image")},
            {u"webp"_s, QT_TR_NOOP("WebP image")},  {u"svg"_s, QT_TR_NOOP("SVG image")},
            {u"txt"_s, QT_TR_NOOP("Text")},         {u"md"_s, QT_TR_NOOP("Markdown")},
            {u"json"_s, QT_TR_NOOP("JSON")},        {u"xml"_s, QT_TR_NOOP("XML")},
            {u"csv"_s, QT_TR_NOOP("CSV")},          {u"html"_s, QT_TR_NOOP("HTML")},
            {u"pdf"_s, QT_TR_NOOP("PDF document")}, {u"zip"_s, QT_TR_NOOP("ZIP archive")},
            {u"gz"_s, QT_TR_NOOP("Gzip archive")},  {u"tar"_s, QT_TR_NOOP("Tar archive")},
            {u"mp4"_s, QT_TR_NOOP("MP4 video")},    {u"mov"_s, QT_TR_NOOP("QuickTime video")},
            {u"mp3"_s, QT_TR_NOOP("MP3 audio")},    {u"wav"_s, QT_TR_NOOP("WAV audio")},
            {u"bin"_s, QT_TR_NOOP("Binary")},       {u"log"_s, QT_TR_NOOP("Log")},
    };
    const auto it = names.constFind(ext);
    if (it != names.constEnd())
        return tr(it.value());
    return ext.isEmpty() ? tr("File") : tr("%1 file").arg(ext.toUpper());
}

QString Presentation::iconName(const QString &key, bool isFolder)
{
    if (isFolder)
        return u"folder"_s;
    const QString ext = extensionOf(key);
    static const QHash<QString, QString> icons = {
            {u"png"_s, u"image"_s},   {u"jpg"_s, u"image"_s},   {u"jpeg"_s, u"image"_s},
            {u"gif"_s, u"image"_s},   {u"webp"_s, u"image"_s},  {u"svg"_s, u"image"_s},
            {u"txt"_s, u"text"_s},    {u"md"_s, u"text"_s},     {u"json"_s, u"code"_s},
            {u"xml"_s, u"code"_s},    {u"html"_s, u"code"_s},   {u"csv"_s, u"text"_s},
            {u"log"_s, u"text"_s},    {u"zip"_s, u"archive"_s}, {u"gz"_s, u"archive"_s},
            {u"tar"_s, u"archive"_s}, {u"mp4"_s, u"video"_s},   {u"mov"_s, u"video"_s},
            {u"mp3"_s, u"audio"_s},   {u"wav"_s, u"audio"_s},
    };
    return icons.value(ext, u"file"_s);
}

QString Presentation::permissionFor(Operation operation)
{
    switch (operation) {
    case Operation::TestConnection:
    case Operation::ListBuckets:
        return u"cos:GetService (s3:ListAllMyBuckets)"_s;
    case Operation::ListObjects:
        return u"cos:GetBucket (s3:ListBucket)"_s;
    case Operation::CreateBucket:
        return u"cos:PutBucket (s3:CreateBucket)"_s;
    case Operation::Upload:
        return u"cos:PutObject, cos:InitiateMultipartUpload, cos:UploadPart, "
               "cos:CompleteMultipartUpload (s3:PutObject)"_s;
    case Operation::Download:
        return u"cos:GetObject (s3:GetObject)"_s;
    case Operation::Delete:
        return u"cos:DeleteObject (s3:DeleteObject)"_s;
    case Operation::DeleteBucket:
        return u"cos:DeleteBucket (s3:DeleteBucket)"_s;
    case Operation::Copy:
        return u"cos:GetObject, cos:PutObject (s3:GetObject, s3:PutObject)"_s;
    case Operation::Presign:
        return u"cos:GetObject (s3:GetObject)"_s;
    case Operation::Credentials:
        return {};
    }
    return {};
}

namespace {
// Errors of the URL credential provider name it ("Cannot reach the signing URL http://...",
// "The signing URL ... answered HTTP 401", "The signing service reported an error ...").
bool fromSigner(const Cos::Error &error)
{
    static const QRegularExpression signer(u"\\bsigning (URL|service|response)\\b"_s);
    return signer.match(error.message()).hasMatch();
}

bool rejectsCredentials(const QString &code)
{
    return code == "InvalidAccessKeyId"_L1 || code == "SignatureDoesNotMatch"_L1
            || code == "InvalidToken"_L1 || code == "ExpiredToken"_L1
            || code == "TokenRefreshRequired"_L1 || code == "InvalidSecretId"_L1;
}
} // namespace

Presentation::Cause Presentation::causeOf(const Cos::Error &error)
{
    using Kind = Cos::Error::Kind;
    switch (error.kind()) {
    case Kind::None:
    case Kind::Canceled:
        return Cause::None;
    case Kind::Network:
    case Kind::Timeout:
        return fromSigner(error) ? Cause::SignerUnreachable : Cause::EndpointUnreachable;
    case Kind::Credentials:
        return fromSigner(error) ? Cause::SignerRefused : Cause::CredentialsRejected;
    case Kind::Service:
        if (rejectsCredentials(error.code()) || error.isCredentialExpiry())
            return Cause::CredentialsRejected;
        if (error.httpStatus() == 403 || error.code() == "AccessDenied"_L1)
            return Cause::AccessDenied;
        if (error.httpStatus() == 404)
            return Cause::NotFound;
        return Cause::Other;
    default:
        return Cause::Other;
    }
}

QString Presentation::causeName(Cause cause)
{
    switch (cause) {
    case Cause::None:
        return {};
    case Cause::SignerUnreachable:
        return u"signer-unreachable"_s;
    case Cause::SignerRefused:
        return u"signer-refused"_s;
    case Cause::CredentialsRejected:
        return u"credentials-rejected"_s;
    case Cause::AccessDenied:
        return u"access-denied"_s;
    case Cause::EndpointUnreachable:
        return u"endpoint-unreachable"_s;
    case Cause::NotFound:
        return u"not-found"_s;
    case Cause::Other:
        return u"other"_s;
    }
    return {};
}

QString Presentation::causeTitle(Cause cause, const Cos::Error &error)
{
    switch (cause) {
    case Cause::None:
        return {};
    case Cause::SignerUnreachable:
        return tr("Signing service unreachable");
    case Cause::SignerRefused:
        return error.httpStatus() == 401 || error.httpStatus() == 403
                ? tr("Signing service refused the app")
                : tr("Signing service gave no keys");
    case Cause::CredentialsRejected:
        return tr("Credentials expired or rejected");
    case Cause::AccessDenied:
        return tr("Access denied");
    case Cause::EndpointUnreachable:
        return tr("Endpoint unreachable");
    case Cause::NotFound:
        return tr("Not found");
    case Cause::Other:
        return tr("Request failed");
    }
    return {};
}

bool Presentation::blocksEverything(Cause cause)
{
    return cause == Cause::SignerUnreachable || cause == Cause::SignerRefused
            || cause == Cause::CredentialsRejected || cause == Cause::EndpointUnreachable;
}

namespace {
QString &grantedScopeText()
{
    static QString scope;
    return scope;
}
} // namespace

void Presentation::setGrantedScope(const QString &scope)
{
    grantedScopeText() = scope;
}

QString Presentation::grantedScope()
{
    return grantedScopeText();
}

QString Presentation::errorText(const Cos::Error &error, Operation operation, const QString &subject)
{
    using Kind = Cos::Error::Kind;
    if (!error)
        return {};
    const QString code = error.code();
    const QString detail = error.message().isEmpty() ? error.toString() : error.message();
    QString reqId;
    if (!error.requestId().isEmpty())
        reqId = u" "_s + tr("(request id %1)").arg(error.requestId());

    switch (error.kind()) {
    case Kind::None:
        return {};
    case Kind::Canceled:
        return tr("Canceled.");
    case Kind::InvalidInput:
        return detail;
    case Kind::Network:
        if (fromSigner(error))
            return tr("%1. Start the signing service, or check the signing URL in Settings and "
                      "your network connection.")
                    .arg(detail);
        return tr("Cannot reach the server: %1. Check the endpoint in Settings and your network "
                  "connection.")
                .arg(detail);
    case Kind::Timeout:
        if (fromSigner(error))
            return tr("%1. Check that the signing service runs and the signing URL in Settings.")
                    .arg(detail);
        return tr("The server did not answer in time (%1). Try again; if it keeps happening, "
                  "check the network or the endpoint.")
                .arg(detail);
    case Kind::Credentials:
        if (error.httpStatus() == 401 || error.httpStatus() == 403)
            return tr("%1. The signing service does not accept this app: enter the bearer "
                      "token again in Settings (or ask for a new one).")
                    .arg(detail);
        return tr("No usable credentials: %1. Check the signing URL (and bearer token) or the "
                  "keys in Settings.")
                .arg(detail);
    case Kind::Parse:
        return tr("The server sent an answer the app does not understand (%1). Is the endpoint "
                  "really a COS or S3 server, and is the dialect right?")
                .arg(detail);
    case Kind::Integrity:
        return tr("The data did not arrive intact (%1). Retry the transfer.").arg(detail);
    case Kind::Io:
        return tr("Local file error: %1").arg(detail);
    case Kind::Service:
        break;
    }

    const int status = error.httpStatus();
    if (code == "InvalidAccessKeyId"_L1 || code == "SignatureDoesNotMatch"_L1
        || code == "InvalidToken"_L1 || code == "ExpiredToken"_L1
        || code == "TokenRefreshRequired"_L1) {
        return tr("The server rejected the credentials (%1): the keys are unknown, expired or "
                  "for another endpoint. Check them in Settings.%2")
                .arg(code, reqId);
    }
    if (code == "RequestTimeTooSkewed"_L1)
        return tr("This device's clock is too far from the server's. Correct the system time."
                  "%1")
                .arg(reqId);
    if (code == "PathStyleDomainForbidden"_L1)
        return tr("The server does not accept path-style requests: turn off \"Path-style "
                  "addressing\" in Settings.%1")
                .arg(reqId);
    if (status == 403 || code == "AccessDenied"_L1) {
        const QString perm = permissionFor(operation);
        if (operation == Operation::ListBuckets || operation == Operation::TestConnection)
            return tr("Access denied: the credential may not list buckets; it lacks %1. Open "
                      "a bucket by name (the default bucket in Settings), or grant that "
                      "permission.%2")
                    .arg(perm, reqId);
        if (!grantedScope().isEmpty())
            return tr("Access denied%1 (HTTP 403): the embedded signer's keys allow only %2. "
                      "Work inside that folder, or change the grant in Settings.%3")
                    .arg(subject.isEmpty() ? QString() : u" ("_s + subject + u')', grantedScope(),
                         reqId);
        return tr("Access denied%1: the credential likely lacks %2%3. Grant it in the policy "
                  "of the signer (or the CAM user), or check that the keys are right.%4")
                .arg(subject.isEmpty() ? QString() : u" ("_s + subject + u')', perm,
                     subject.isEmpty() ? QString() : tr(" on this bucket or prefix"), reqId);
    }
    if (code == "NoSuchBucket"_L1 || (status == 404 && operation == Operation::ListObjects))
        return tr("The bucket %1 does not exist in this region or endpoint. Check its name "
                  "(with the -APPID suffix on COS) and region.%2")
                .arg(subject, reqId);
    if (code == "NoSuchKey"_L1 || status == 404)
        return tr("%1 does not exist (any more). Refresh the list.%2").arg(subject, reqId);
    if (code == "BucketAlreadyExists"_L1)
        return tr("The name %1 is taken by another account; bucket names are global. Choose "
                  "another name.%2")
                .arg(subject, reqId);
    if (code == "BucketAlreadyOwnedByYou"_L1)
        return tr("You already own the bucket %1.%2").arg(subject, reqId);
    if (code == "TooManyBuckets"_L1)
        return tr("The account has reached its bucket limit (%1). Delete unused buckets first.")
                .arg(code);
    if (code == "InvalidBucketName"_L1)
        return tr("The server refused the bucket name %1: %2").arg(subject, detail);
    if (status >= 500)
        return tr("The server had a problem (HTTP %1 %2). Try again later.%3")
                .arg(status)
                .arg(code, reqId);
    return tr("The server refused the request: %1").arg(error.toString());
}
