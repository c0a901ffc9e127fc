using Starling.Wire.Codecs;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;
using Starling.Wire.Tests.Rtcp;
using Starling.Wire.Tests.Rtp;

namespace Starling.Wire.Tests;

/// <summary>The per-packet work of the forwarding path must not allocate (ARCHITECTURE.md, house rules).</summary>
public sealed class MediaPathAllocationTests
{
    private static readonly byte[] IdMap = [0, 5, 0, 14];

    [Fact]
    public void ReadRewriteAndFeedback_Burst_AllocatesNothing()
    {
        var packet = RtpVectors.OneByte;
        var scratch = new byte[1500];
        var nack = RtcpVectors.Nack;
        var twcc = RtcpVectors.TransportCcMixed;
        var compound = new byte[nack.Length + twcc.Length];
        nack.CopyTo(compound, 0);
        twcc.CopyTo(compound, nack.Length);
        var arrivals = new TransportCcArrival[50];
        for (var i = 0; i < arrivals.Length; i++)
        {
            arrivals[i] = new TransportCcArrival((ushort)(i * 2), 1_000_000 + (i * 3_000));
        }

        var vp8 = new byte[] { 0x90, 0xE0, 0x80, 0x01, 0x05, 0x40, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A };

        var checksum = Burst(packet, scratch, compound, arrivals, vp8); // warm up (JIT, statics)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            checksum += Burst(packet, scratch, compound, arrivals, vp8);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static long Burst(byte[] original, byte[] scratch, byte[] compound, TransportCcArrival[] arrivals, byte[] vp8)
    {
        long checksum = 0;

        // RTP in: read with extensions, then rewrite for a subscriber in a copy.
        var packet = scratch.AsSpan(0, original.Length);
        original.CopyTo(packet);
        Assert.True(RtpPacket.TryRead(packet, out var view, out _));
        checksum += view.SequenceNumber + view.Payload.Length;
        foreach (var extension in view.GetExtensions())
        {
            checksum += extension.Id;
        }

        if (view.TryGetExtension(2, out var value))
        {
            checksum += value[0];
        }

        RtpRewriter.SetSequenceNumber(packet, 1000);
        RtpRewriter.SetTimestamp(packet, 90_000);
        RtpRewriter.SetSsrc(packet, 0xABCDEF01);
        RtpRewriter.SetPayloadType(packet, 96);
        Assert.True(RtpRewriter.TrySetExtensionId(packet, 3, 4));
        Assert.True(RtpRewriter.TryMapExtensionIds(packet, IdMap));
        Assert.True(RtpRewriter.TryGetExtension(packet, 5, out var writable));
        writable[0] = 0x42;

        // RTX wrap into a second buffer.
        Assert.True(RtpPacket.TryRead(packet, out view, out _));
        Assert.True(RtpRtx.TryWrap(view, scratch.AsSpan(200), 97, 1, 2, out var rtxLength));
        checksum += rtxLength;

        // Codec inspection and VP8 picture id rewrite.
        checksum += Vp8PayloadDescriptor.IsKeyFrame(vp8) ? 1 : 0;
        Vp8PayloadDescriptor.TrySetPictureId(vp8, 7);
        checksum += H264Payload.IsKeyFrame(vp8) ? 1 : 0;

        // RTCP in: NACK + transport-cc in one compound packet.
        foreach (var rtcp in new RtcpCompoundReader(compound))
        {
            if (RtcpNack.TryRead(rtcp.Span, out var nack, out _))
            {
                foreach (var lost in nack.GetLostSequenceNumbers())
                {
                    checksum += lost;
                }
            }
            else if (RtcpTransportCc.TryRead(rtcp.Span, out var feedback, out _))
            {
                foreach (var result in feedback.GetPackets())
                {
                    checksum += result.ArrivalMicroseconds;
                }
            }
        }

        // RTCP out: a NACK and a transport-cc feedback.
        Span<ushort> lostList = [10, 11, 13, 40];
        Assert.True(RtcpNack.TryWrite(scratch.AsSpan(400), 1, 2, lostList, out var nackLength));
        Assert.True(RtcpTransportCc.TryWrite(scratch.AsSpan(500), 1, 2, 0, arrivals, out var twccLength, out _));
        return checksum + nackLength + twccLength;
    }
}
