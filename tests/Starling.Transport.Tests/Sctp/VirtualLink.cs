using Starling.Testing;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>
/// A deterministic two-ended datagram link on a <see cref="ManualTimeProvider"/>: fixed delay plus optional jitter
/// (reordering), seeded loss and duplication, and per-direction drop filters. Packets are delivered by
/// <see cref="Run"/>/<see cref="RunUntil"/>, which step virtual time in 1 ms increments.
/// </summary>
internal sealed class VirtualLink
{
    private readonly ManualTimeProvider _time;
    private readonly Random _random;
    private readonly PriorityQueue<InFlight, (long Due, long Seq)> _queue = new();
    private long _seq;

    public VirtualLink(ManualTimeProvider time, int seed = 1)
    {
        _time = time;
        _random = new Random(seed);
        AtoB = new End(this, toB: true);
        BtoA = new End(this, toB: false);
    }

    /// <summary>The sender for A (delivers to B).</summary>
    public End AtoB { get; }

    /// <summary>The sender for B (delivers to A).</summary>
    public End BtoA { get; }

    public SctpAssociation? A { get; set; }

    public SctpAssociation? B { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan Jitter { get; set; }

    public double LossRate { get; set; }

    public double DuplicateRate { get; set; }

    /// <summary>Return true to drop a packet (toB, bytes).</summary>
    public Func<bool, byte[], bool>? Drop { get; set; }

    /// <summary>Every packet sent, before loss (toB, bytes).</summary>
    public List<(bool ToB, byte[] Packet)> Captured { get; } = [];

    public bool Capture { get; set; }

    public int Delivered { get; private set; }

    public void Run(TimeSpan duration) => RunUntil(() => false, duration);

    public bool RunUntil(Func<bool> condition, TimeSpan max)
    {
        var end = _time.GetUtcNow() + max;
        while (true)
        {
            DeliverDue();
            if (condition())
            {
                return true;
            }

            if (_time.GetUtcNow() >= end)
            {
                return false;
            }

            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    private void DeliverDue()
    {
        var now = _time.GetUtcNow().UtcTicks;
        while (_queue.TryPeek(out var p, out var key) && key.Due <= now)
        {
            _queue.Dequeue();
            Delivered++;
            (p.ToB ? B : A)?.HandlePacket(p.Packet);
        }
    }

    private void Enqueue(bool toB, ReadOnlySpan<byte> datagram)
    {
        var packet = datagram.ToArray();
        if (Capture)
        {
            Captured.Add((toB, packet));
        }

        if (Drop?.Invoke(toB, packet) == true || (LossRate > 0 && _random.NextDouble() < LossRate))
        {
            return;
        }

        Schedule(toB, packet);
        if (DuplicateRate > 0 && _random.NextDouble() < DuplicateRate)
        {
            Schedule(toB, packet);
        }
    }

    private void Schedule(bool toB, byte[] packet)
    {
        var delay = Delay;
        if (Jitter > TimeSpan.Zero)
        {
            delay += TimeSpan.FromTicks((long)(_random.NextDouble() * Jitter.Ticks));
        }

        _queue.Enqueue(new InFlight(toB, packet), ((_time.GetUtcNow() + delay).UtcTicks, _seq++));
    }

    internal sealed class End(VirtualLink link, bool toB) : IDatagramSender
    {
        public int Sent { get; private set; }

        public void Send(ReadOnlySpan<byte> datagram)
        {
            Sent++;
            link.Enqueue(toB, datagram);
        }
    }

    private sealed record InFlight(bool ToB, byte[] Packet);
}
