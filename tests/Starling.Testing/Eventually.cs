namespace Starling.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; the only way end-to-end tests wait.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan timeout, string reason)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds:0.#} s: {reason}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string reason)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds:0.#} s: {reason}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
