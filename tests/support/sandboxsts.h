#pragma once

#include "cos/core/credentials.h"
#include "sandboxenv.h"

#include <QString>

#include <optional>

/**
 * @brief Temporary keys from the sandbox's STS (AssumeRole with the inline session @p policy,
 * valid @p seconds), signed with SigV4 (service sts); nullopt and @p error on failure.
 */
std::optional<Cos::Credentials> sandboxAssumeRole(const SandboxEnv &env, const QString &policy,
                                                  int seconds, QString *error);
