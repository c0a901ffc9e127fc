using Starling.Proto;
using Starling.Rooms.Media;

namespace Starling.Rooms.Tests.Media;

public class LayerSelectionTests
{
    private static TrackInfo ThreeLayers() => new()
    {
        Type = TrackType.Video,
        Simulcast = true,
        Layers =
        {
            // deliberately not in order: the index comes from the size
            new VideoLayer { Quality = VideoQuality.High, Width = 1280, Height = 720 },
            new VideoLayer { Quality = VideoQuality.Low, Width = 320, Height = 180 },
            new VideoLayer { Quality = VideoQuality.Medium, Width = 640, Height = 360 },
        },
    };

    private static TrackInfo TwoLayers() => new()
    {
        Type = TrackType.Video,
        Simulcast = true,
        Layers =
        {
            new VideoLayer { Quality = VideoQuality.Low, Width = 320, Height = 180 },
            new VideoLayer { Quality = VideoQuality.Medium, Width = 640, Height = 360 },
        },
    };

    [Theory]
    [InlineData(VideoQuality.Low, 0)]
    [InlineData(VideoQuality.Medium, 1)]
    [InlineData(VideoQuality.High, 2)]
    public void Quality_picks_the_layer_of_that_quality(VideoQuality quality, int expected)
    {
        Assert.Equal(expected, LayerSelection.DesiredLayer(ThreeLayers(), new TrackSettings(false, quality, 0, 0)));
    }

    [Fact]
    public void No_settings_means_the_best_layer()
    {
        Assert.Equal(2, LayerSelection.DesiredLayer(ThreeLayers(), null));
        Assert.Equal(1, LayerSelection.DesiredLayer(TwoLayers(), null));
        Assert.Equal(2, LayerSelection.DesiredLayer(new TrackInfo { Type = TrackType.Video }, null));
    }

    [Fact]
    public void High_on_a_two_layer_track_is_its_top_layer()
    {
        Assert.Equal(1, LayerSelection.DesiredLayer(TwoLayers(), new TrackSettings(false, VideoQuality.High, 0, 0)));
    }

    [Theory]
    [InlineData(100u, 100u, 0)]
    [InlineData(320u, 180u, 0)]
    [InlineData(321u, 180u, 1)]
    [InlineData(640u, 360u, 1)]
    [InlineData(180u, 320u, 0)] // portrait rendering of the same video
    [InlineData(800u, 450u, 2)]
    [InlineData(4000u, 3000u, 2)] // larger than anything: the top layer
    public void Rendered_size_picks_the_smallest_covering_layer(uint width, uint height, int expected)
    {
        Assert.Equal(expected, LayerSelection.DesiredLayer(ThreeLayers(), new TrackSettings(false, VideoQuality.High, width, height)));
    }

    [Fact]
    public void Size_wins_over_quality()
    {
        Assert.Equal(0, LayerSelection.DesiredLayer(ThreeLayers(), new TrackSettings(false, VideoQuality.High, 160, 90)));
    }

    [Theory]
    [InlineData(2, new[] { true, true, true }, 2)]
    [InlineData(2, new[] { true, true, false }, 1)] // top layer not sent (bandwidth): next best
    [InlineData(2, new[] { true, false, false }, 0)]
    [InlineData(0, new[] { false, true, true }, 1)] // the wanted layer is not sent: the lowest above it
    [InlineData(1, new[] { false, false, false }, 1)] // nothing arrives yet: wait for the wanted one
    [InlineData(0, new[] { true, true, true }, 0)]
    [InlineData(1, new[] { true, false, true }, 0)]
    public void Select_follows_the_layers_being_sent(int desired, bool[] active, int expected)
    {
        Assert.Equal(expected, LayerSelection.Select(desired, active));
    }

    [Fact]
    public void Settings_come_from_the_request()
    {
        var request = new UpdateTrackSettings { Disabled = true, Quality = VideoQuality.Medium, Width = 10, Height = 20 };
        Assert.Equal(new TrackSettings(true, VideoQuality.Medium, 10, 20), TrackSettings.From(request));
    }
}
