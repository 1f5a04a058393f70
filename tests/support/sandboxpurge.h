#pragma once

#include <QString>

namespace Cos {
class Client;
}

/**
 * @brief Deletes every object of @p bucket, then the bucket.
 *
 * For cleanupTestCase() of the sandbox tests: a memstore sandbox holds 4 GiB, and tests that
 * leave their objects behind fill it after a few runs (then every PUT hangs). Best effort and
 * blocking (it runs the jobs in a local event loop); returns what went wrong, or an empty string.
 */
QString purgeSandboxBucket(Cos::Client *client, const QString &bucket);
