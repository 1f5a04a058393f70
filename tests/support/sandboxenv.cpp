#include "sandboxenv.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

std::optional<SandboxEnv> SandboxEnv::fromEnvironment()
{
    SandboxEnv env;
    env.endpoint = qEnvironmentVariable("COS_ENDPOINT");
    env.region = qEnvironmentVariable("COS_REGION", u"us-east-1"_s);
    env.secretId = qEnvironmentVariable("COS_SECRET_ID");
    env.secretKey = qEnvironmentVariable("COS_SECRET_KEY");
    env.stsEndpoint = qEnvironmentVariable("COS_STS_ENDPOINT", env.endpoint);
    env.roleArn = qEnvironmentVariable("COS_ROLE_ARN");
    env.pathStyle = qEnvironmentVariable("COS_PATH_STYLE", u"1"_s) != "0"_L1;
    if (env.endpoint.isEmpty() || env.secretId.isEmpty() || env.secretKey.isEmpty())
        return std::nullopt;
    return env;
}

bool SandboxEnv::isRequired()
{
    return qEnvironmentVariable("COS_SANDBOX_REQUIRED") == "1"_L1;
}

const char *SandboxEnv::missingMessage()
{
    return "no sandbox: run scripts/test.sh, or eval \"$(scripts/sandbox.sh start)\" first";
}
