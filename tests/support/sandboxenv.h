#pragma once

#include <QString>

#include <optional>

/**
 * @brief The local S3 + STS server that scripts/sandbox.sh started, read from the environment.
 *
 * Tests call COS_REQUIRE_SANDBOX(env): without the variables the test is skipped, unless
 * COS_SANDBOX_REQUIRED=1 (scripts/test.sh sets it), where a missing sandbox is a failure.
 */
struct SandboxEnv
{
    QString endpoint; ///< e.g. http://127.0.0.1:7480
    QString region;
    QString secretId;
    QString secretKey;
    QString stsEndpoint;
    QString roleArn;
    bool pathStyle = true;

    static std::optional<SandboxEnv> fromEnvironment();
    static bool isRequired();
    static const char *missingMessage();
};

#define COS_REQUIRE_SANDBOX(var) \
    const std::optional<SandboxEnv> var##Opt = SandboxEnv::fromEnvironment(); \
    if (!var##Opt) { \
        if (SandboxEnv::isRequired()) \
            QFAIL(SandboxEnv::missingMessage()); \
        QSKIP(SandboxEnv::missingMessage()); \
    } \
    const SandboxEnv &var = *var##Opt
