using Starling.Sfu.Routing;

namespace Starling.Sfu.Tests.Routing;

/// <summary>Keeps a copy of every packet sent (allocates; functional tests only).</summary>
internal sealed class RecordingSink : IRtpSink
{
    public List<byte[]> Packets { get; } = [];

    public int MinTrailerSeen { get; private set; } = int.MaxValue;

    public List<byte[]> Rtcp { get; } = [];

    public void SendRtcp(ReadOnlySpan<byte> packet) => Rtcp.Add(packet.ToArray());

    public void Send(Span<byte> buffer, int length)
    {
        MinTrailerSeen = Math.Min(MinTrailerSeen, buffer.Length - length);
        Packets.Add(buffer[..length].ToArray());
        buffer[..length].Fill(0xEE); // a sink may scribble on the buffer (in-place SRTP); the router must not care
    }
}
