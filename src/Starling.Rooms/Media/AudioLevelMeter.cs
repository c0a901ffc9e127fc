namespace Starling.Rooms.Media;

/// <summary>
/// Loudness of one audio track from RFC 6464 audio levels (0 = 0 dBov, 127 = silence), lock-free for the packet
/// path: each packet adds its linear amplitude to the current window; <see cref="TakeWindow"/> (the room's speaker
/// timer) reads and resets it. A track is speaking when its average level in the window is above
/// <see cref="ActiveThresholdDbov"/> (LiveKit's default threshold is similar, -35 dBov).
/// </summary>
internal sealed class AudioLevelMeter
{
    /// <summary>Levels quieter than this (in -dBov) count as silence.</summary>
    public const int ActiveThresholdDbov = 40;

    private static readonly float[] Linear = CreateTable();

    private long _sumMicro;
    private int _count;
    private int _loudCount;

    public void Add(byte levelDbov)
    {
        var level = Math.Min((int)levelDbov, 127);
        Interlocked.Add(ref _sumMicro, (long)(Linear[level] * 1_000_000));
        Interlocked.Increment(ref _count);
        if (level <= ActiveThresholdDbov)
        {
            Interlocked.Increment(ref _loudCount);
        }
    }

    /// <summary>The window's average level (0..1) and whether most of it was above the threshold; resets.</summary>
    public (float Level, bool Active) TakeWindow()
    {
        var count = Interlocked.Exchange(ref _count, 0);
        var sum = Interlocked.Exchange(ref _sumMicro, 0);
        var loud = Interlocked.Exchange(ref _loudCount, 0);
        if (count == 0)
        {
            return (0, false);
        }

        return ((float)(sum / 1_000_000.0 / count), loud * 2 > count);
    }

    private static float[] CreateTable()
    {
        var table = new float[128];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = i == 127 ? 0 : (float)Math.Pow(10, -i / 20.0);
        }

        return table;
    }
}
