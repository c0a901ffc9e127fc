using Starling.Testing;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>Two associations joined by a <see cref="VirtualLink"/>, with everything they deliver recorded.</summary>
internal sealed class SctpPair : IDisposable
{
    public SctpPair(int seed = 1, SctpAssociationOptions? optionsA = null, SctpAssociationOptions? optionsB = null)
    {
        Time = new ManualTimeProvider();
        Link = new VirtualLink(Time, seed);
        A = new SctpAssociation(Link.AtoB, optionsA ?? FastOptions(), Time, new Random(seed * 7919));
        B = new SctpAssociation(Link.BtoA, optionsB ?? FastOptions(), Time, new Random((seed * 104729) + 1));
        Link.A = A;
        Link.B = B;
        A.MessageReceived += m => ReceivedByA.Add(m);
        B.MessageReceived += m => ReceivedByB.Add(m);
        A.Closed += (r, d) => ClosedA = (r, d);
        B.Closed += (r, d) => ClosedB = (r, d);
    }

    public ManualTimeProvider Time { get; }

    public VirtualLink Link { get; }

    public SctpAssociation A { get; }

    public SctpAssociation B { get; }

    public List<SctpMessage> ReceivedByA { get; } = [];

    public List<SctpMessage> ReceivedByB { get; } = [];

    public (SctpCloseReason Reason, string Detail)? ClosedA { get; private set; }

    public (SctpCloseReason Reason, string Detail)? ClosedB { get; private set; }

    public bool BothEstablished => A.State == SctpAssociationState.Established && B.State == SctpAssociationState.Established;

    /// <summary>WebRTC-style: both sides send INIT.</summary>
    public void ConnectBoth(TimeSpan? max = null)
    {
        A.Connect();
        B.Connect();
        Assert.True(Link.RunUntil(() => BothEstablished, max ?? TimeSpan.FromSeconds(10)), $"not established: A={A.State} B={B.State}");
    }

    public static SctpAssociationOptions FastOptions(Action<SctpAssociationOptionsBuilder>? configure = null)
    {
        var b = new SctpAssociationOptionsBuilder();
        configure?.Invoke(b);
        return b.Build();
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
