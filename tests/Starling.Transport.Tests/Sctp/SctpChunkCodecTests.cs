using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>Hand-built byte vectors for every chunk format (RFC 9260 §3, RFC 3758 §3.2, RFC 6525 §3–4).</summary>
public sealed class SctpChunkCodecTests
{
    [Fact]
    public void CommonHeader_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.1: ports 5000 (0x1388), tag 0x01020304, checksum stored little-endian.
        var bytes = Convert.FromHexString("13881388010203044433221100");
        Assert.True(SctpCommonHeader.TryRead(bytes, out var h, out var consumed));
        Assert.Equal(12, consumed);
        Assert.Equal(new SctpCommonHeader(5000, 5000, 0x01020304, 0x11223344), h);
        var written = new byte[12];
        Assert.True(h.TryWrite(written, out _));
        Assert.Equal(bytes[..12], written);
        Assert.False(SctpCommonHeader.TryRead(bytes.AsSpan(0, 11), out _, out _));
    }

    [Fact]
    public void Data_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.1: B|E, TSN 0x01020304, stream 5, SSN 6, PPID 51, "abc" (length 19, padded to 20).
        var bytes = Convert.FromHexString("00030013010203040005000600000033616263" + "00");
        Assert.True(DataChunk.TryRead(bytes, out var d, out var consumed));
        Assert.Equal(20, consumed);
        Assert.True(d.IsBeginning && d.IsEnd && !d.IsUnordered && !d.IsImmediate);
        Assert.Equal(0x01020304u, d.Tsn);
        Assert.Equal(5, d.StreamId);
        Assert.Equal(6, d.StreamSequenceNumber);
        Assert.Equal(51u, d.PayloadProtocolIdentifier);
        Assert.Equal("abc"u8.ToArray(), d.UserData.ToArray());
        AssertWrites(bytes, d => (new DataChunk(0x03, 0x01020304, 5, 6, 51, "abc"u8).TryWrite(d, out var n), n));
    }

    [Fact]
    public void Init_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.2 with Supported Extensions (0x8008: FORWARD TSN 0xC0, RE-CONFIG 0x82) and
        // Forward-TSN-Supported (0xC000, RFC 3758 §3.1).
        var bytes = Convert.FromHexString("01000020AABBCCDD00100000FFFFFFFF11223344" + "80080006C0820000" + "C0000004");
        Assert.True(InitChunk.TryRead(bytes, out var init, out var consumed));
        Assert.Equal(32, consumed);
        Assert.False(init.IsAck);
        Assert.Equal(0xAABBCCDDu, init.InitiateTag);
        Assert.Equal(0x00100000u, init.AdvertisedReceiverWindowCredit);
        Assert.Equal(65535, init.OutboundStreams);
        Assert.Equal(65535, init.InboundStreams);
        Assert.Equal(0x11223344u, init.InitialTsn);
        Assert.Equal(12, init.Parameters.Length);
        AssertWrites(bytes, d => (new InitChunk(false, 0xAABBCCDD, 0x00100000, 65535, 65535, 0x11223344, bytes.AsSpan(20)).TryWrite(d, out var n), n));
    }

    [Fact]
    public void Init_LastParameterPadding_NotCountedInChunkLength()
    {
        // RFC 9260 §3.2: the Chunk Length excludes the last parameter's padding (here the 0x8008 of length 6).
        var parameters = Convert.FromHexString("80080006C0820000");
        var written = new byte[28];
        Assert.True(new InitChunk(true, 1, 2, 3, 4, 5, parameters).TryWrite(written, out var n));
        Assert.Equal(28, n);
        Assert.Equal(Convert.FromHexString("0200001A"), written[..4]);
        Assert.True(InitChunk.TryRead(written, out var back, out _));
        Assert.True(back.IsAck);
        Assert.True(SctpParameter.TryRead(back.Parameters, out var p, out _));
        Assert.Equal(0x8008, p.Type);
    }

    [Fact]
    public void Sack_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.4: cum 100, a_rwnd 65535, gaps [+2..+3] and [+5..+5], duplicate TSN 99.
        var bytes = Convert.FromHexString("0300001C000000640000FFFF00020001" + "0002000300050005" + "00000063");
        Assert.True(SackChunk.TryRead(bytes, out var sack, out _));
        Assert.Equal(100u, sack.CumulativeTsnAck);
        Assert.Equal(65535u, sack.AdvertisedReceiverWindowCredit);
        Assert.Equal(2, sack.GapAckBlockCount);
        Assert.Equal(new GapAckBlock(2, 3), sack.GetGapAckBlock(0));
        Assert.Equal(new GapAckBlock(5, 5), sack.GetGapAckBlock(1));
        Assert.Equal(1, sack.DuplicateTsnCount);
        Assert.Equal(99u, sack.GetDuplicateTsn(0));
        AssertWrites(bytes, d => (new SackChunk(100, 65535, [new(2, 3), new(5, 5)], [99]).TryWrite(d, out var n), n));
    }

    [Fact]
    public void Heartbeat_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.5: Heartbeat Info parameter (type 1) with 5 bytes; chunk length 13, padded to 16.
        var bytes = Convert.FromHexString("0400000D00010009DEADBEEF01000000");
        Assert.True(HeartbeatChunk.TryRead(bytes, out var hb, out var consumed));
        Assert.Equal(16, consumed);
        Assert.False(hb.IsAck);
        Assert.Equal(Convert.FromHexString("DEADBEEF01"), hb.Information.ToArray());
        AssertWrites(bytes, d => (new HeartbeatChunk(false, Convert.FromHexString("DEADBEEF01")).TryWrite(d, out var n), n));
        bytes[0] = 5;
        Assert.True(HeartbeatChunk.TryRead(bytes, out var ack, out _));
        Assert.True(ack.IsAck);
    }

    [Fact]
    public void Abort_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.7 with T bit and a User-Initiated Abort cause (§3.3.10.12) "bye".
        var bytes = Convert.FromHexString("0601000B000C000762796500");
        Assert.True(AbortChunk.TryRead(bytes, out var abort, out _));
        Assert.True(abort.TagReflected);
        Assert.True(SctpErrorCause.TryRead(abort.ErrorCauses, out var cause, out _));
        Assert.Equal(SctpErrorCauseCode.UserInitiatedAbort, cause.Code);
        Assert.Equal("bye"u8.ToArray(), cause.Information.ToArray());
        AssertWrites(bytes, d => (new AbortChunk(true, Convert.FromHexString("000C000762796500")).TryWrite(d, out var n), n));
    }

    [Fact]
    public void Error_Vector_ReadsAndWrites()
    {
        // RFC 9260 §3.3.10.1: Invalid Stream Identifier, stream 7 + reserved.
        var bytes = Convert.FromHexString("0900000C0001000800070000");
        Assert.True(ErrorChunk.TryRead(bytes, out var error, out _));
        Assert.True(SctpErrorCause.TryRead(error.ErrorCauses, out var cause, out _));
        Assert.Equal(SctpErrorCauseCode.InvalidStreamIdentifier, cause.Code);
        AssertWrites(bytes, d => (new ErrorChunk(bytes.AsSpan(4)).TryWrite(d, out var n), n));
    }

    [Fact]
    public void Shutdown_Vector_ReadsAndWrites()
    {
        var bytes = Convert.FromHexString("0700000801020304"); // RFC 9260 §3.3.8
        Assert.True(ShutdownChunk.TryRead(bytes, out var s, out _));
        Assert.Equal(0x01020304u, s.CumulativeTsnAck);
        AssertWrites(bytes, d => (new ShutdownChunk(0x01020304).TryWrite(d, out var n), n));
    }

    [Theory]
    [InlineData("08000004", 8, 0)] // SHUTDOWN ACK, RFC 9260 §3.3.9
    [InlineData("0B000004", 11, 0)] // COOKIE ACK, §3.3.12
    [InlineData("0E010004", 14, 1)] // SHUTDOWN COMPLETE with T bit, §3.3.13
    public void EmptyChunks_Vectors_Read(string hex, byte typeCode, byte flags)
    {
        var type = (SctpChunkType)typeCode;
        var bytes = Convert.FromHexString(hex);
        Assert.True(SctpChunk.TryRead(bytes, out var c, out var consumed));
        Assert.Equal(4, consumed);
        Assert.Equal(type, c.ChunkType);
        Assert.Equal(flags, c.Flags);
        Assert.True(c.Value.IsEmpty);
        AssertWrites(bytes, d => (new SctpChunk((byte)type, flags, []).TryWrite(d, out var n), n));
    }

    [Fact]
    public void CookieEcho_Vector_ReadsAndWrites()
    {
        var bytes = Convert.FromHexString("0A000009010203040500" + "0000"); // RFC 9260 §3.3.11
        Assert.True(CookieEchoChunk.TryRead(bytes, out var c, out _));
        Assert.Equal(Convert.FromHexString("0102030405"), c.Cookie.ToArray());
        AssertWrites(bytes, d => (new CookieEchoChunk(Convert.FromHexString("0102030405")).TryWrite(d, out var n), n));
    }

    [Fact]
    public void ForwardTsn_Vector_ReadsAndWrites()
    {
        // RFC 3758 §3.2: new cumulative TSN 200, (stream 1, SSN 7), (stream 3, SSN 0).
        var bytes = Convert.FromHexString("C0000010000000C8" + "0001000700030000");
        Assert.True(ForwardTsnChunk.TryRead(bytes, out var f, out _));
        Assert.Equal(200u, f.NewCumulativeTsn);
        Assert.Equal(2, f.StreamCount);
        Assert.Equal(new ForwardTsnStream(1, 7), f.GetStream(0));
        Assert.Equal(new ForwardTsnStream(3, 0), f.GetStream(1));
        AssertWrites(bytes, d => (new ForwardTsnChunk(200, [new(1, 7), new(3, 0)]).TryWrite(d, out var n), n));
    }

    [Fact]
    public void ReConfig_OutgoingResetRequest_Vector_ReadsAndWrites()
    {
        // RFC 6525 §4.1: request 16, response 15, last TSN 100, streams 1 and 3, in a RE-CONFIG chunk (§3.1).
        var parameter = Convert.FromHexString("000D001400000010" + "0000000F00000064" + "00010003");
        var chunk = Convert.FromHexString("82000018").Concat(parameter).ToArray();
        Assert.True(ReConfigChunk.TryRead(chunk, out var rc, out _));
        Assert.True(OutgoingSsnResetRequestParameter.TryRead(rc.Parameters, out var req, out _));
        Assert.Equal(16u, req.RequestSequenceNumber);
        Assert.Equal(15u, req.ResponseSequenceNumber);
        Assert.Equal(100u, req.SenderLastAssignedTsn);
        Assert.Equal(2, req.StreamCount);
        Assert.Equal(1, req.GetStream(0));
        Assert.Equal(3, req.GetStream(1));
        AssertWrites(parameter, d => (new OutgoingSsnResetRequestParameter(16, 15, 100, [1, 3]).TryWrite(d, out var n), n));
        AssertWrites(chunk, d => (new ReConfigChunk(parameter).TryWrite(d, out var n), n));
    }

    [Fact]
    public void ReConfig_IncomingResetRequestAndResponse_Vectors()
    {
        // RFC 6525 §4.2: request 5, stream 2 (length 10, padded); §4.4: response 16, Success - Performed.
        var incoming = Convert.FromHexString("000E000A000000050002" + "0000");
        Assert.True(IncomingSsnResetRequestParameter.TryRead(incoming, out var inc, out var consumed));
        Assert.Equal(12, consumed);
        Assert.Equal(5u, inc.RequestSequenceNumber);
        Assert.Equal(2, inc.GetStream(0));
        AssertWrites(incoming, d => (new IncomingSsnResetRequestParameter(5, [2]).TryWrite(d, out var n), n));

        var response = Convert.FromHexString("0010000C0000001000000001");
        Assert.True(ReconfigurationResponseParameter.TryRead(response, out var resp, out _));
        Assert.Equal(new ReconfigurationResponseParameter(16, ReconfigurationResult.SuccessPerformed), resp);
        AssertWrites(response, d => (resp.TryWrite(d, out var n), n));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "chunk length below 4", "00000003" },
        { "chunk length beyond buffer", "000300200000" },
        { "DATA shorter than its header", "0003000F0102030400050006000000" },
        { "SACK gap count disagrees with length", "030000100000000100000001" + "00050000" },
        { "INIT parameter overruns chunk", "01000018AABBCCDD00100000FFFFFFFF11223344" + "80080009" },
        { "INIT shorter than fixed part", "01000010AABBCCDD00100000FFFFFFFF" },
        { "FORWARD TSN odd length", "C000000A000000010001" + "0000" },
        { "FORWARD TSN without cumulative TSN", "C0000004" },
        { "SHUTDOWN wrong length", "0700000C0102030400000000" },
        { "HEARTBEAT without info parameter", "04000004" },
        { "HEARTBEAT with wrong parameter type", "0400000800020004" },
        { "RE-CONFIG empty", "82000004" },
        { "RE-CONFIG three parameters", "8200002C" + "0010000C0000000100000001" + "0010000C0000000200000001" + "0010000C0000000300000001" },
        { "ERROR cause overruns", "0900000C0001000C00070000" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryRead_MalformedChunk_ReturnsFalse(string name, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var ok = bytes.Length >= 1 && (SctpChunkType)bytes[0] switch
        {
            SctpChunkType.Data => DataChunk.TryRead(bytes, out _, out _),
            SctpChunkType.Init => InitChunk.TryRead(bytes, out _, out _),
            SctpChunkType.Sack => SackChunk.TryRead(bytes, out _, out _),
            SctpChunkType.Heartbeat => HeartbeatChunk.TryRead(bytes, out _, out _),
            SctpChunkType.Shutdown => ShutdownChunk.TryRead(bytes, out _, out _),
            SctpChunkType.Error => ErrorChunk.TryRead(bytes, out _, out _),
            SctpChunkType.ForwardTsn => ForwardTsnChunk.TryRead(bytes, out _, out _),
            SctpChunkType.ReConfig => ReConfigChunk.TryRead(bytes, out _, out _),
            _ => SctpChunk.TryRead(bytes, out _, out _),
        };
        Assert.False(ok, name);
    }

    [Theory]
    [InlineData("000D000F0000000100000002000000")] // outgoing reset request shorter than 16
    [InlineData("000D0013000000010000000200000003000100")] // odd stream list
    public void OutgoingResetRequest_Malformed_ReturnsFalse(string hex) =>
        Assert.False(OutgoingSsnResetRequestParameter.TryRead(Convert.FromHexString(hex), out _, out _));

    [Fact]
    public void ReconfigurationResponse_WrongLength_ReturnsFalse() =>
        Assert.False(ReconfigurationResponseParameter.TryRead(Convert.FromHexString("0010000800000010"), out _, out _));

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalse()
    {
        Span<byte> small = stackalloc byte[10];
        Assert.False(new DataChunk(3, 1, 1, 1, 51, "abc"u8).TryWrite(small, out _));
        Assert.False(new SackChunk(1, 1, [new(1, 1)], []).TryWrite(small, out _));
        Assert.False(new ForwardTsnChunk(1, [new(1, 1)]).TryWrite(small, out _));
        Assert.False(new ShutdownChunk(1).TryWrite(small[..7], out _));
        Assert.False(new ReconfigurationResponseParameter(1, ReconfigurationResult.Denied).TryWrite(small, out _));
    }

    private delegate (bool Ok, int Written) Writer(Span<byte> destination);

    private static void AssertWrites(byte[] expected, Writer write)
    {
        var buffer = new byte[expected.Length + 8];
        Array.Fill(buffer, (byte)0xEE);
        var (ok, written) = write(buffer);
        Assert.True(ok);
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, buffer[..written]);
    }
}
