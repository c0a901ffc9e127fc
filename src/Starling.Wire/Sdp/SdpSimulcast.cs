using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=simulcast:&lt;send|recv&gt; &lt;streams&gt; [&lt;recv|send&gt; &lt;streams&gt;]</c> (RFC 8853 §5.1): streams are
/// separated by <c>;</c>, alternatives of one stream by <c>,</c>, e.g. <c>send q;h;f</c> or <c>recv 1,~4;2</c>.
/// </summary>
internal sealed record SdpSimulcast(
    IReadOnlyList<IReadOnlyList<SdpSimulcastRid>> Send,
    IReadOnlyList<IReadOnlyList<SdpSimulcastRid>> Receive) : ISdpAttributeValue<SdpSimulcast>
{
    public static string AttributeName => "simulcast";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSimulcast? result)
    {
        result = null;
        var parts = SdpText.SplitSpaces(value);
        if (parts.Length is not (2 or 4))
        {
            return false;
        }

        IReadOnlyList<IReadOnlyList<SdpSimulcastRid>>? send = null;
        IReadOnlyList<IReadOnlyList<SdpSimulcastRid>>? receive = null;
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!TryParseStreams(parts[i + 1], out var streams))
            {
                return false;
            }

            switch (parts[i])
            {
                case "send" when send is null:
                    send = streams;
                    break;
                case "recv" when receive is null:
                    receive = streams;
                    break;
                default:
                    return false;
            }
        }

        result = new SdpSimulcast(send ?? [], receive ?? []);
        return true;
    }

    /// <summary>The first alternative of every send stream, in order: the rids a publisher sends (q, h, f for LiveKit).</summary>
    public IReadOnlyList<string> SendRids => Send.Select(stream => stream[0].Id).ToArray();

    public string ToValue()
    {
        var parts = new List<string>(2);
        if (Send.Count > 0)
        {
            parts.Add("send " + Format(Send));
        }

        if (Receive.Count > 0)
        {
            parts.Add("recv " + Format(Receive));
        }

        return string.Join(' ', parts);
    }

    private static string Format(IReadOnlyList<IReadOnlyList<SdpSimulcastRid>> streams) =>
        string.Join(';', streams.Select(alternatives => string.Join(',', alternatives)));

    private static bool TryParseStreams(string text, [NotNullWhen(true)] out IReadOnlyList<IReadOnlyList<SdpSimulcastRid>>? streams)
    {
        streams = null;
        var list = new List<IReadOnlyList<SdpSimulcastRid>>();
        foreach (var stream in text.Split(';'))
        {
            var alternatives = new List<SdpSimulcastRid>();
            foreach (var alternative in stream.Split(','))
            {
                var paused = alternative.StartsWith('~');
                var id = paused ? alternative[1..] : alternative;
                if (!SdpRid.IsRidId(id))
                {
                    return false;
                }

                alternatives.Add(new SdpSimulcastRid(id, paused));
            }

            list.Add(alternatives);
        }

        streams = list;
        return true;
    }
}
