namespace Starling.Transport.Tests.Dtls;

/// <summary>An <see cref="IDatagramSender"/> that hands a copy of each datagram to a callback.</summary>
internal sealed class TestDatagramSender(Action<byte[]> onSend) : IDatagramSender
{
    public void Send(ReadOnlySpan<byte> datagram) => onSend(datagram.ToArray());
}
