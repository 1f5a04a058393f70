// libFuzzer entry point for HttpResponseParser. The input is the response, fed in pieces whose
// sizes (and the options: HEAD request, peer close at the end, body window) come from the
// input's last bytes. The invariants feedResponse() checks (tests/support/httpparserdriver.h)
// must hold, and the same bytes fed whole must give the same result; a violation calls
// abort(), which libFuzzer reports as a crash with the input saved.
#include "tests/support/httpparserdriver.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Cos;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider in(data, size);
    // Options and piece sizes come from the end of the input, the response from its start.
    const bool head = in.ConsumeBool();
    const bool close = in.ConsumeBool();
    const int windowChoice = in.ConsumeIntegralInRange<int>(0, 7);
    const qint64 window = windowChoice == 0 ? HttpResponseParser::Unlimited : windowChoice * 3 - 2;
    QList<QByteArray> pieces;
    QByteArray whole;
    while (in.remaining_bytes() > 0) {
        const size_t n = in.ConsumeIntegralInRange<size_t>(1, 512);
        const std::string piece = in.ConsumeBytesAsString(n);
        pieces.append(QByteArray(piece.data(), qsizetype(piece.size())));
        whole += pieces.last();
    }

    // Invariants hold (see feedResponse()), and the pieces make no difference.
    const ParserRun split = feedResponse(pieces, head, close, window);
    const ParserRun once = feedResponse({whole}, head, close, HttpResponseParser::Unlimited);
    if (!split.problem.isEmpty() || !(split == once))
        abort();
    return 0;
}
