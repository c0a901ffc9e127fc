using Starling.Wire.Sdp;

namespace Starling.Wire.Tests.Sdp;

public sealed class SdpFuzzTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 42 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryParse_MutatedOffers_NeverThrowsAndRewritesStably(int seed)
    {
        var random = new Random(seed);
        string[] offers = [SdpSamples.ChromeOffer, SdpSamples.LibwebrtcRecvOnlyOffer];
        const string alphabet = "=: /;,~*\r\n0123456789abcxyzAV-";
        for (var i = 0; i < 600; i++)
        {
            var lines = offers[random.Next(offers.Length)].Split("\r\n").ToList();
            switch (random.Next(4))
            {
                case 0:
                    lines.RemoveAt(random.Next(lines.Count));
                    break;
                case 1:
                    var a = random.Next(lines.Count);
                    var b = random.Next(lines.Count);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    break;
                case 2:
                    var index = random.Next(lines.Count);
                    lines[index] = lines[index][..random.Next(lines[index].Length + 1)];
                    break;
                default:
                    var target = random.Next(lines.Count);
                    var chars = lines[target].ToCharArray();
                    if (chars.Length > 0)
                    {
                        chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                    }

                    lines[target] = new string(chars);
                    break;
            }

            var text = string.Join("\r\n", lines);
            if (SdpSessionDescription.TryParse(text, out var sdp, out _))
            {
                var written = sdp.ToString();
                Assert.True(SdpSessionDescription.TryParse(written, out var again, out var error), error);
                Assert.Equal(written, again.ToString());
                foreach (var media in again.MediaDescriptions)
                {
                    _ = (media.RtpMaps, media.Fmtps, media.RtcpFeedback, media.Extmaps, media.Ssrcs, media.SsrcGroups);
                    _ = (media.Rids, media.Simulcast, media.SctpPort, media.MaxMessageSize, media.Msids, media.Direction);
                    _ = (media.Attributes.Candidates, media.Attributes.Fingerprint, media.Attributes.Setup, media.PayloadTypes);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryParse_RandomText_NeverThrows(int seed)
    {
        var random = new Random(seed);
        const string alphabet = "vosctmab=: 0123456789\r\n/";
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(200)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = (random.Next(2) == 0 ? "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" : string.Empty) + new string(chars);
            SdpSessionDescription.TryParse(text, out _, out _);
        }
    }
}
