#pragma once

#include <QString>

namespace Signer {

/** @brief The name and version the signer reports in logs and in /healthz. */
QString productVersion();

} // namespace Signer
