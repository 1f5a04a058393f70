#pragma once

#include <QStringList>

struct CliContext;

/**
 * @brief Runs `put`, `get` (a file, or a folder with -r) or `sync`: @p args is the command line from the command name on, e.g.
 * {"put", "FILE", "BUCKET/KEY", "--part-size", "8M"} (args[0] plays the program-name role
 * for QCommandLineParser). Returns an ExitCode (clicontext.h).
 *
 * Implemented by the transfer engine (cli/transfercommands.cpp).
 */
int runTransferCommand(const CliContext &context, const QStringList &args);
