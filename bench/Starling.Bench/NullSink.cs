using Starling.Sfu.Routing;

namespace Starling.Bench;

internal sealed class NullSink : IRtpSink
{
    public long Bytes { get; private set; }

    public void Send(Span<byte> buffer, int length) => Bytes += length;
}
