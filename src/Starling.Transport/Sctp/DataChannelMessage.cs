using System.Text;

namespace Starling.Transport.Sctp;

/// <summary>A received data channel message: binary (PPID 53/57) or UTF-8 text (PPID 51/56).</summary>
internal readonly record struct DataChannelMessage(byte[] Data, bool IsBinary)
{
    public string Text => Encoding.UTF8.GetString(Data);
}
