namespace Starling.Rooms.Media;

/// <summary>
/// Shares one subscriber's bandwidth estimate among the video tracks it receives (audio is paid for first and never
/// cut): every track first gets its lowest layer, in order, while the budget lasts — a track whose lowest layer does
/// not fit is paused; then tracks are raised one layer at a time, round-robin, up to the layer the subscriber asked
/// for, while the budget lasts. Pure and allocation-free; <see cref="SessionMedia"/> runs it on every allocation tick.
/// </summary>
internal static class StreamAllocator
{
    /// <summary>Assumed cost of a layer whose bitrate has not been measured yet (bits per second).</summary>
    public const long UnmeasuredLayerBitrate = 100_000;

    /// <summary>
    /// Allocates <paramref name="budget"/> bits per second. For track <c>i</c>, <paramref name="targets"/>[i] is the
    /// best layer it may get (-1 = not wanted) and <c>costs[i * layers + layer]</c> the bitrate of that layer, 0 when the
    /// publisher is not sending it (never chosen). Writes the layer chosen per track (-1 = paused for lack of bandwidth,
    /// or not wanted) to <paramref name="allocation"/> and returns the budget left (negative never).
    /// </summary>
    public static long Allocate(long budget, ReadOnlySpan<int> targets, ReadOnlySpan<long> costs, int layers, Span<int> allocation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        if (costs.Length < targets.Length * layers || allocation.Length < targets.Length)
        {
            throw new ArgumentException("costs and allocation must cover every track");
        }

        budget = Math.Max(0, budget);
        for (var i = 0; i < targets.Length; i++)
        {
            allocation[i] = -1;
            if (targets[i] < 0)
            {
                continue;
            }

            var lowest = NextLayer(costs.Slice(i * layers, layers), -1, targets[i]);
            if (lowest >= 0 && costs[(i * layers) + lowest] <= budget)
            {
                allocation[i] = lowest;
                budget -= costs[(i * layers) + lowest];
            }
        }

        bool raised;
        do
        {
            raised = false;
            for (var i = 0; i < targets.Length; i++)
            {
                if (allocation[i] < 0)
                {
                    continue;
                }

                var track = costs.Slice(i * layers, layers);
                var next = NextLayer(track, allocation[i], targets[i]);
                if (next < 0)
                {
                    continue;
                }

                var extra = track[next] - track[allocation[i]];
                if (extra <= budget)
                {
                    budget -= extra;
                    allocation[i] = next;
                    raised = true;
                }
            }
        }
        while (raised);

        return budget;
    }

    /// <summary>
    /// The cheapest single step that would improve the allocation (a paused track's lowest layer, or one layer up),
    /// bits per second; 0 when every track has its target.
    /// </summary>
    public static long CheapestStep(ReadOnlySpan<int> targets, ReadOnlySpan<long> costs, int layers, ReadOnlySpan<int> allocation)
    {
        long cheapest = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (targets[i] < 0)
            {
                continue;
            }

            var track = costs.Slice(i * layers, layers);
            var next = NextLayer(track, allocation[i], targets[i]);
            if (next < 0)
            {
                continue;
            }

            var step = track[next] - (allocation[i] >= 0 ? track[allocation[i]] : 0);
            if (cheapest == 0 || step < cheapest)
            {
                cheapest = Math.Max(1, step);
            }
        }

        return cheapest;
    }

    // the next layer above `current` up to `target` that is being sent (cost > 0); -1 if none
    private static int NextLayer(ReadOnlySpan<long> track, int current, int target)
    {
        for (var layer = current + 1; layer <= target && layer < track.Length; layer++)
        {
            if (track[layer] > 0)
            {
                return layer;
            }
        }

        return -1;
    }
}
