#include "signerinfo.h"

using namespace Qt::StringLiterals;

namespace Signer {

QString productVersion()
{
    return u"cos-signer/"_s + QStringLiteral(COS_PROJECT_VERSION);
}

} // namespace Signer
