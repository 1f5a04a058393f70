#pragma once

#include "cos/net/job.h"

#include <QSignalSpy>

/** @brief Starts @p job and waits up to @p timeoutMs for finished(); true when it finished. */
inline bool runJob(Cos::Job *job, int timeoutMs = 30000)
{
    QSignalSpy spy(job, &Cos::Job::finished);
    job->start();
    return spy.size() == 1 || spy.wait(timeoutMs);
}
