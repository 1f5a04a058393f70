// Runs the fake Tencent STS standalone (for the Node SDK check): prints "PORT <n>" and serves
// until killed. Keys come from FAKE_STS_SECRET_ID / FAKE_STS_SECRET_KEY.
#include "faketencentsts.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    FakeTencentSts sts(qEnvironmentVariable("FAKE_STS_SECRET_ID"),
                       qEnvironmentVariable("FAKE_STS_SECRET_KEY"));
    if (!sts.start())
        return 1;
    std::printf("PORT %u\n", unsigned(sts.port()));
    std::fflush(stdout);
    return app.exec();
}
