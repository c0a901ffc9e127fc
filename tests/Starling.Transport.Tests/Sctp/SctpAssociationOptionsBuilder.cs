using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>Test defaults: WebRTC-like timers (RTO.Min 200 ms) so loss scenarios finish in little virtual time.</summary>
internal sealed class SctpAssociationOptionsBuilder
{
    public TimeSpan RtoMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RtoInitial { get; set; } = TimeSpan.FromMilliseconds(500);

    public int ReceiveBufferSize { get; set; } = 1024 * 1024;

    public long MaxSendBufferSize { get; set; } = 16L * 1024 * 1024;

    public TimeSpan? HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRetransmissions { get; set; } = 10;

    public SctpAssociationOptions Build() => new()
    {
        RtoMin = RtoMin,
        RtoInitial = RtoInitial,
        ReceiveBufferSize = ReceiveBufferSize,
        MaxSendBufferSize = MaxSendBufferSize,
        HeartbeatInterval = HeartbeatInterval,
        MaxRetransmissions = MaxRetransmissions,
    };
}
