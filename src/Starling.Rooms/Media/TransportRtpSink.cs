using System.Buffers.Binary;
using Starling.Sfu.Congestion;
using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtp;

namespace Starling.Rooms.Media;

/// <summary>
/// A down-track's way out: the subscriber's transport. When the subscriber negotiated transport-wide congestion
/// control for the section (<paramref name="transportCcId"/> is its <c>a=extmap</c> id), every packet is stamped with
/// the next transport-wide sequence number of <paramref name="estimator"/> (overwriting the element the down-track
/// mapped from the publisher, or inserting one) so the subscriber's transport-cc feedback can be matched to our sends.
/// </summary>
internal sealed class TransportRtpSink(IRtcTransport transport, SendSideBandwidthEstimator? estimator = null, byte transportCcId = 0, TimeProvider? time = null) : IRtpSink
{
    public void Send(Span<byte> buffer, int length)
    {
        if (estimator is not null && transportCcId != 0)
        {
            var sequence = estimator.Register(length, (time ?? TimeProvider.System).GetTimestamp());
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, sequence);
            RtpRewriter.TrySetOrInsertExtension(buffer[..(length + RtpRewriter.MaxInsertGrowth)], ref length, transportCcId, value);
        }

        transport.SendRtp(buffer, length);
    }

    public void SendRtcp(ReadOnlySpan<byte> packet) => transport.SendRtcp(packet);
}
