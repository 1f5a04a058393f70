#pragma once

#include <QStringList>

struct CliContext;

// Each takes the command line from the command name on (args[0] = "ls", ...) and returns an
// ExitCode (clicontext.h).

/** @brief `ls [BUCKET[/PREFIX]] [-r]`: buckets, or objects and common prefixes. */
int runList(const CliContext &context, const QStringList &args);
/** @brief `mb BUCKET [--acl ACL]`. */
int runMakeBucket(const CliContext &context, const QStringList &args);
/** @brief `rm BUCKET/KEY...`. */
int runRemove(const CliContext &context, const QStringList &args);
/** @brief `cp SRC_BUCKET/KEY DST_BUCKET/KEY` (server-side copy); with @p move, `mv` (copy, then
 * delete the source). */
int runCopy(const CliContext &context, const QStringList &args, bool move);
/** @brief `presign BUCKET/KEY [--expires S] [--method GET|PUT]`. */
int runPresign(const CliContext &context, const QStringList &args);
/** @brief `credentials`: source, masked key id, expiry; never the secret. */
int runCredentials(const CliContext &context, const QStringList &args);
