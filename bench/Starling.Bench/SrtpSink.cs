using Starling.Sfu.Routing;
using Starling.Transport.Srtp;

namespace Starling.Bench;

/// <summary>
/// A subscriber transport without the socket: stamps what a subscriber negotiating transport-cc, abs-send-time and mid
/// gets (when a <paramref name="stamper"/> is given), then protects each packet in place with its own SRTP context.
/// </summary>
internal sealed class SrtpSink(SrtpContext context, SendStamper? stamper = null) : IRtpSink
{
    public long Bytes { get; private set; }

    public void Send(Span<byte> buffer, int length)
    {
        stamper?.Stamp(buffer, ref length);
        if (context.ProtectRtp(buffer, length, out var protectedLength) != SrtpStatus.Ok)
        {
            throw new InvalidOperationException("protect failed");
        }

        Bytes += protectedLength;
    }
}
