using Starling.Sfu.Routing;

namespace Starling.Sfu.Tests.Routing;

internal sealed class RecordingFeedback : IPublisherFeedback
{
    public List<(uint Ssrc, int Layer)> KeyframeRequests { get; } = [];

    public void RequestKeyframe(uint ssrc, int layer) => KeyframeRequests.Add((ssrc, layer));
}
