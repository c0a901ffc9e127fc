using Starling.Sfu.Routing;
using Starling.Transport.Srtp;

namespace Starling.Bench;

/// <summary>A subscriber transport without the socket: protects each packet in place with its own SRTP context.</summary>
internal sealed class SrtpSink(SrtpContext context) : IRtpSink
{
    public long Bytes { get; private set; }

    public void Send(Span<byte> buffer, int length)
    {
        if (context.ProtectRtp(buffer, length, out var protectedLength) != SrtpStatus.Ok)
        {
            throw new InvalidOperationException("protect failed");
        }

        Bytes += protectedLength;
    }
}
