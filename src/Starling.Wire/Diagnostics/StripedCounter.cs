namespace Starling.Wire.Diagnostics;

/// <summary>
/// A process-wide monotonically increasing counter cheap enough for the packet path: increments go to one of several
/// cache-line-padded slots chosen by thread, so threads on different cores do not fight over one line; reads add the
/// slots up. Never allocates after construction.
/// </summary>
internal sealed class StripedCounter
{
    private const int Slots = 16; // power of two
    private const int Stride = 8; // longs per 64-byte cache line
    private readonly long[] _values = new long[Slots * Stride];

    public StripedCounter(string name, string help)
    {
        Name = name;
        Help = help;
    }

    /// <summary>Prometheus metric name, e.g. <c>starling_rtp_malformed_total</c>.</summary>
    public string Name { get; }

    public string Help { get; }

    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < Slots; i++)
            {
                sum += Volatile.Read(ref _values[i * Stride]);
            }

            return sum;
        }
    }

    public void Increment() => Add(1);

    public void Add(long amount) => Interlocked.Add(ref _values[(Environment.CurrentManagedThreadId & (Slots - 1)) * Stride], amount);
}
