// libFuzzer entry point: every XML parser gets every input, and the invariants below must hold.
// A violated invariant calls abort(), which libFuzzer reports as a crash with the input saved.
#include "cos/protocol/regions.h"
#include "cos/protocol/httpdate.h"
#include "cos/protocol/xmlparsers.h"

#include <QXmlStreamReader>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

// Parsers report only these kinds, with a bounded message.
void checkError(const Error &e)
{
    if (e.kind() != Error::Kind::None && e.kind() != Error::Kind::Parse
        && e.kind() != Error::Kind::Service)
        abort();
    if (e.message().size() > 1000 || e.toString().size() > 2000)
        abort();
}

void checkWellFormed(const QByteArray &xml)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd())
        r.readNext();
    if (r.hasError())
        abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView xml(reinterpret_cast<const char *>(data), qsizetype(size));

    ListBucketsResult buckets;
    const Error bucketsError = parseListBuckets(xml, &buckets);
    checkError(bucketsError);
    if (!bucketsError) {
        QStringList locations;
        for (const BucketInfo &b : buckets.buckets)
            locations.append(b.location);
        RegionCatalog catalog;
        const int before = int(catalog.regions().size());
        const int added = catalog.merge(locations);
        if (int(catalog.regions().size()) != before + added || catalog.merge(locations) != 0)
            abort();
    }

    ListObjectsResult objects;
    const Error objectsError = parseListObjects(xml, &objects);
    checkError(objectsError);
    if (objects.objects.size() + objects.commonPrefixes.size() > MaxXmlItems)
        abort();

    InitiateMultipartResult init;
    const Error initError = parseInitiateMultipart(xml, &init);
    checkError(initError);
    if (!initError && init.uploadId.isEmpty())
        abort();

    ListPartsResult parts;
    const Error partsError = parseListParts(xml, &parts);
    checkError(partsError);
    if (!partsError)
        checkWellFormed(buildCompleteMultipartBody(parts.parts));

    ListMultipartUploadsResult uploads;
    checkError(parseListMultipartUploads(xml, &uploads));

    CompleteMultipartResult complete;
    checkError(parseCompleteMultipart(xml, &complete));

    AssumeRoleResult role;
    const Error roleError = parseAssumeRoleResponse(xml, &role);
    checkError(roleError);
    if (!roleError && (role.sessionToken.isEmpty() || !role.expiration.isValid()))
        abort();
    // Error text never carries a credential the parser has seen.
    if (roleError && role.secretAccessKey.size() >= 8
        && roleError.toString().contains(role.secretAccessKey))
        abort();
    if (roleError && role.sessionToken.size() >= 8
        && roleError.toString().contains(role.sessionToken))
        abort();

    QDateTime serverTime;
    const Error service = parseErrorResponse(int(size % 600), xml, u"req"_s, &serverTime);
    checkError(service);
    if (service.kind() != Error::Kind::Service || service.httpStatus() != int(size % 600))
        abort();
    // The server's signing inputs are text of the body, never more than it.
    const ServerSigningInputs signing = parseServerSigningInputs(xml);
    if (signing.stringToSign.size() > xml.size() || signing.canonicalRequest.size() > xml.size())
        abort();

    const QString text = QString::fromUtf8(xml.first(std::min<qsizetype>(xml.size(), 64)));
    const QDateTime t = parseTimestamp(text);
    if (t.isValid() && t.timeSpec() != Qt::UTC)
        abort();
    (void)isValidRegionId(text);
    return 0;
}
