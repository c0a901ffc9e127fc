using Starling.Proto;
using Starling.Protocol.Auth;

namespace Starling.Cli.Tests.Commands;

public sealed class SendDataCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Text_SendsReliableWithTopicDestinationsAndNonce()
    {
        var result = (await _cli.RunAsync("send-data", "--room", "r", "--data", "héllo", "--topic", "chat",
            "--destination-identity", "a", "--destination-identity", "b")).AssertSuccess();

        var sent = SendDataRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal("héllo", sent.Data.ToStringUtf8());
        Assert.Equal(DataPacket.Types.Kind.Reliable, sent.Kind);
        Assert.Equal("chat", sent.Topic);
        Assert.Equal(["a", "b"], sent.DestinationIdentities);
        Assert.Equal(16, sent.Nonce.Length);
        Assert.Equal(new VideoGrant { RoomAdmin = true, Room = "r" }, _cli.LastClaims().Video);
        Assert.Equal("sent 6 bytes (reliable) to room r", result.Line);
    }

    [Fact]
    public async Task File_SendsBytesLossy()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [0, 1, 2, 255]);

            (await _cli.RunAsync("send-data", "--room", "r", "--file", path, "--lossy")).AssertSuccess();

            var sent = SendDataRequest.Parser.ParseFrom(_cli.Http.Last.Body);
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, sent.Data.ToByteArray());
            Assert.Equal(DataPacket.Types.Kind.Lossy, sent.Kind);
            Assert.False(sent.HasTopic);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("exactly one of --data and --file", "--room", "r")]
    [InlineData("exactly one of --data and --file", "--room", "r", "--data", "x", "--file", "f")]
    [InlineData("exclusive", "--room", "r", "--data", "x", "--reliable", "--lossy")]
    [InlineData("cannot read", "--room", "r", "--file", "/nonexistent/file")]
    public async Task BadInput_ExitsOne(string message, params string[] args)
    {
        (await _cli.RunAsync(["send-data", .. args])).AssertError(message);
        Assert.Empty(_cli.Http.Requests);
    }
}
