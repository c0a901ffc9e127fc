using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class SrtpContextTests
{
    // libsrtp test/srtp_driver.c: master key and salt of RFC 3711 Appendix B.3, SSRC 0xcafebabe.
    private static readonly byte[] CmMasterKey = Hex.Bytes("e1f97a0d3e018be0d64fa32c06de4139");
    private static readonly byte[] CmMasterSalt = Hex.Bytes("0ec675ad498afeebb6960b3aabe6");
    private static readonly byte[] CmRtpPlain = Hex.Bytes("800f1234decafbadcafebabeabababababababababababababababab");
    private static readonly byte[] CmRtpProtected = Hex.Bytes(
        "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb");
    private static readonly byte[] CmRtcpPlain = Hex.Bytes("81c8000bcafebabe abababababababababababababababab");
    private static readonly byte[] CmRtcpProtected = Hex.Bytes(
        "81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798");

    // RFC 7714 §16 / §17: AEAD_AES_128_GCM with session key and salt given directly.
    private static readonly byte[] GcmKey = Hex.Bytes("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] GcmSalt = Hex.Bytes("517569642070726f2071756f");
    private static readonly byte[] GcmRtpPlain = Hex.Bytes(
        "8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e697320646976697361 20696e207061727465732074726573");
    private static readonly byte[] GcmRtpProtected = Hex.Bytes(
        "8040f17b8041f8d35501a0b2 f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
        + "899d7f27beb16a9152cf765ee4390cce");
    private static readonly byte[] GcmRtcpPlain = Hex.Bytes(
        "81c8000d4d617273 4e5450314e5450325254502000 00042a0000e9304c756e61 deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    private static readonly byte[] GcmRtcpProtected = Hex.Bytes(
        "81c8000d4d617273 63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
        + "c84aa45896cf4d2fc5abf87245d9eade 800005d4");

    /// <summary>IANA code points of the two profiles (xUnit theories need public parameter types).</summary>
    public static TheoryData<int> Profiles => [0x0001, 0x0007];

    [Fact]
    public void ProtectRtp_Rfc3711AppendixB2SessionKeys_EncryptsWithKeystream()
    {
        using var context = new SrtpContext(
            SrtpProtectionProfile.AesCm128HmacSha1_80,
            new SrtpSessionKeys(
                Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C"), new byte[20], Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
                new byte[16], new byte[20], new byte[14]));
        var buffer = new byte[12 + 48 + 10];
        buffer[0] = 0x80;

        Assert.Equal(SrtpStatus.Ok, context.ProtectRtp(buffer, 60, out var length));

        Assert.Equal(70, length);
        Assert.Equal(
            Hex.Bytes("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            buffer[12..60]);
    }

    [Fact]
    public void ProtectRtp_LibsrtpAesCmVector_MatchesReference()
    {
        using var sender = SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt);
        var buffer = SrtpTestPackets.WithRoom(CmRtpPlain);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, CmRtpPlain.Length, out var length));

        Assert.Equal(CmRtpProtected, buffer[..length]);
    }

    [Fact]
    public void UnprotectRtp_LibsrtpAesCmVector_RestoresPlaintext()
    {
        using var receiver = SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt);
        var buffer = (byte[])CmRtpProtected.Clone();

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, buffer.Length, out var length));

        Assert.Equal(CmRtpPlain, buffer[..length]);
    }

    [Fact]
    public void ProtectRtcp_LibsrtpAesCmVector_MatchesReference()
    {
        using var sender = SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt);
        sender.SetNextSrtcpIndex(0xcafebabe, 1);
        var buffer = SrtpTestPackets.WithRoom(CmRtcpPlain);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, CmRtcpPlain.Length, out var length));

        Assert.Equal(CmRtcpProtected, buffer[..length]);
    }

    [Fact]
    public void UnprotectRtcp_LibsrtpAesCmVector_RestoresPlaintext()
    {
        using var receiver = SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt);
        var buffer = (byte[])CmRtcpProtected.Clone();

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer, buffer.Length, out var length));

        Assert.Equal(CmRtcpPlain, buffer[..length]);
    }

    [Fact]
    public void ProtectRtp_Rfc7714Section16Vector_MatchesReference()
    {
        using var sender = CreateGcmVectorContext();
        var buffer = SrtpTestPackets.WithRoom(GcmRtpPlain);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, GcmRtpPlain.Length, out var length));

        Assert.Equal(GcmRtpProtected, buffer[..length]);
    }

    [Fact]
    public void UnprotectRtp_Rfc7714Section16Vector_RestoresPlaintext()
    {
        using var receiver = CreateGcmVectorContext();
        var buffer = (byte[])GcmRtpProtected.Clone();

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, buffer.Length, out var length));

        Assert.Equal(GcmRtpPlain, buffer[..length]);
    }

    [Fact]
    public void ProtectRtcp_Rfc7714Section17Vector_MatchesReference()
    {
        using var sender = CreateGcmVectorContext();
        sender.SetNextSrtcpIndex(0x4d617273, 0x5d4);
        var buffer = SrtpTestPackets.WithRoom(GcmRtcpPlain);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, GcmRtcpPlain.Length, out var length));

        Assert.Equal(GcmRtcpProtected, buffer[..length]);
    }

    [Fact]
    public void UnprotectRtcp_Rfc7714Section17Vector_RestoresPlaintext()
    {
        using var receiver = CreateGcmVectorContext();
        var buffer = (byte[])GcmRtcpProtected.Clone();

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer, buffer.Length, out var length));

        Assert.Equal(GcmRtcpPlain, buffer[..length]);
    }

    [Fact]
    public void UnprotectRtp_TruncatedVector_NeverOk()
    {
        foreach (var vector in new[] { CmRtpProtected, GcmRtpProtected })
        {
            for (var length = 0; length < vector.Length; length++)
            {
                using var receiver = vector == CmRtpProtected
                    ? SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt)
                    : CreateGcmVectorContext();
                var buffer = vector[..length];

                Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, length, out _));
            }
        }
    }

    [Fact]
    public void UnprotectRtcp_TruncatedVector_NeverOk()
    {
        foreach (var vector in new[] { CmRtcpProtected, GcmRtcpProtected })
        {
            for (var length = 0; length < vector.Length; length++)
            {
                using var receiver = vector == CmRtcpProtected
                    ? SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, CmMasterKey, CmMasterSalt)
                    : CreateGcmVectorContext();
                var buffer = vector[..length];

                Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer, length, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void RoundTrip_CsrcsAndHeaderExtension_HeaderStaysClearAndPayloadRestored(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var plain = SrtpTestPackets.Rtp(1000, 0x11223344, 200, csrcCount: 3, extensionWords: 2);
            var headerLength = 12 + 12 + 12;
            var buffer = SrtpTestPackets.WithRoom(plain);

            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, plain.Length, out var protectedLength));
            Assert.Equal(plain.Length + sender.RtpOverhead, protectedLength);
            Assert.Equal(plain[..headerLength], buffer[..headerLength]);
            Assert.NotEqual(plain[headerLength..], buffer[headerLength..plain.Length]);

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, protectedLength, out var plainLength));
            Assert.Equal(plain, buffer[..plainLength]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void RoundTrip_SequenceWrap_IncrementsRolloverCounter(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 0xABCD0001;
            for (var i = 0; i < 20; i++)
            {
                var sequence = (ushort)(65530 + i);
                AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(sequence, ssrc, 50));
            }

            Assert.True(sender.TryGetRolloverCounter(ssrc, out var senderRoc));
            Assert.True(receiver.TryGetRolloverCounter(ssrc, out var receiverRoc));
            Assert.Equal(1u, senderRoc);
            Assert.Equal(1u, receiverRoc);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_ReorderedAcrossWrap_UsesPreviousRolloverCounter(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 7;
            var late = Protect(sender, SrtpTestPackets.Rtp(65535, ssrc, 40));
            var early = Protect(sender, SrtpTestPackets.Rtp(65534, ssrc, 40));
            AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(65533, ssrc, 40));
            AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(0, ssrc, 40));
            AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(1, ssrc, 40));

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(late.Buffer, late.Length, out _));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(early.Buffer, early.Length, out _));
            Assert.True(receiver.TryGetRolloverCounter(ssrc, out var roc));
            Assert.Equal(1u, roc);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_SamePacketTwice_SecondIsReplayed(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var packet = Protect(sender, SrtpTestPackets.Rtp(5, 1, 30));
            var copy = (byte[])packet.Buffer.Clone();

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.Buffer, packet.Length, out _));
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(copy, packet.Length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_OlderThanWindow_IsTooOld(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(100, 1, 30));
            var old = Protect(sender, SrtpTestPackets.Rtp(101, 1, 30));
            AssertRoundTrip(sender, receiver, SrtpTestPackets.Rtp(300, 1, 30));

            Assert.Equal(SrtpStatus.TooOld, receiver.UnprotectRtp(old.Buffer, old.Length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_TamperedTagPayloadOrHeader_FailsAuthentication(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var packet = Protect(sender, SrtpTestPackets.Rtp(9, 3, 64, extensionWords: 1));
            foreach (var position in new[] { packet.Length - 1, 30, 1, 17 })
            {
                var tampered = (byte[])packet.Buffer.Clone();
                tampered[position] ^= 0x01;

                Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtp(tampered, packet.Length, out _));
            }

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.Buffer, packet.Length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void RoundTrip_Rtcp_IndexIncrementsAndReplayRejected(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var plain = SrtpTestPackets.Rtcp(0x55667788, 40);
            var first = SrtpTestPackets.WithRoom(plain);
            var second = SrtpTestPackets.WithRoom(plain);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(first, plain.Length, out var firstLength));
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(second, plain.Length, out var secondLength));
            Assert.Equal(plain.Length + sender.RtcpOverhead, firstLength);
            Assert.NotEqual(first[..firstLength], second[..secondLength]);
            var replay = (byte[])second.Clone();

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(second, secondLength, out var plainLength));
            Assert.Equal(plain, second[..plainLength]);
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(first, firstLength, out plainLength));
            Assert.Equal(plain, first[..plainLength]);
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp(replay, secondLength, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtcp_TamperedPacket_FailsAuthentication(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var plain = SrtpTestPackets.Rtcp(1, 16);
            var buffer = SrtpTestPackets.WithRoom(plain);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, plain.Length, out var length));
            buffer[10] ^= 0x80;

            Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(buffer, length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protect_NoRoomForTag_ReturnsBufferTooSmall(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            var rtp = SrtpTestPackets.Rtp(1, 1, 10);
            var rtcp = SrtpTestPackets.Rtcp(1);

            Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtp(rtp, rtp.Length, out _));
            Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtcp(rtcp, rtcp.Length, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("8000")]
    [InlineData("4000000100000002000000030000000000000000000000000000")]
    [InlineData("90000001000000020000000300010005000000000000000000000000")]
    [InlineData("8f000001000000020000000300000000000000000000000000000000")]
    public void ProtectAndUnprotectRtp_MalformedHeader_ReturnsMalformed(string hex)
    {
        var (sender, receiver) = CreatePair(SrtpProtectionProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            var packet = Hex.Bytes(hex);
            var buffer = SrtpTestPackets.WithRoom(packet);

            Assert.Equal(SrtpStatus.Malformed, sender.ProtectRtp(buffer, packet.Length, out _));
            Assert.Equal(SrtpStatus.Malformed, receiver.UnprotectRtp(buffer, packet.Length, out _));
            Assert.Equal(SrtpStatus.Malformed, receiver.UnprotectRtp(buffer, buffer.Length + 1, out _));
            Assert.Equal(SrtpStatus.Malformed, receiver.UnprotectRtp(buffer, -1, out _));
        }
    }

    [Fact]
    public void ProtectRtp_MoreSsrcsThanMaxStreams_ReturnsTooManyStreams()
    {
        using var sender = SrtpContext.Create(
            SrtpProtectionProfile.AeadAes128Gcm, new byte[16], new byte[12], new SrtpOptions { MaxStreams = 2 });

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(SrtpTestPackets.WithRoom(SrtpTestPackets.Rtp(1, 1, 10)), 22, out _));
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(SrtpTestPackets.WithRoom(SrtpTestPackets.Rtp(1, 2, 10)), 22, out _));
        Assert.Equal(SrtpStatus.TooManyStreams, sender.ProtectRtp(SrtpTestPackets.WithRoom(SrtpTestPackets.Rtp(1, 3, 10)), 22, out _));
    }

    [Fact]
    public void UnprotectRtcp_GcmWithoutEncryptionFlag_IsUnsupported()
    {
        using var receiver = CreateGcmVectorContext();
        var buffer = (byte[])GcmRtcpProtected.Clone();
        buffer[^4] &= 0x7F;

        Assert.Equal(SrtpStatus.Unsupported, receiver.UnprotectRtcp(buffer, buffer.Length, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ProtectAndUnprotect_BurstAfterFirstPacket_AllocatesNothing(int profileCode)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var (sender, receiver) = CreatePair(profile);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 0x1234;
            var rtp = SrtpTestPackets.Rtp(0, ssrc, 1100, csrcCount: 1, extensionWords: 2);
            var rtcp = SrtpTestPackets.Rtcp(ssrc, 60);
            var buffer = new byte[1500];

            // Warm-up: first packets create per-SSRC state, JIT settles.
            var sequence = RunBurst(sender, receiver, rtp, rtcp, buffer, 65000, 200);

            var before = GC.GetAllocatedBytesForCurrentThread();
            RunBurst(sender, receiver, rtp, rtcp, buffer, sequence, 1000);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
        }
    }

    private static ushort RunBurst(SrtpContext sender, SrtpContext receiver, byte[] rtp, byte[] rtcp, byte[] buffer, ushort sequence, int count)
    {
        for (var i = 0; i < count; i++, sequence++)
        {
            rtp.CopyTo(buffer, 0);
            buffer[2] = (byte)(sequence >> 8);
            buffer[3] = (byte)sequence;
            if (sender.ProtectRtp(buffer, rtp.Length, out var length) != SrtpStatus.Ok
                || receiver.UnprotectRtp(buffer, length, out _) != SrtpStatus.Ok)
            {
                throw new InvalidOperationException("RTP round trip failed");
            }

            rtcp.CopyTo(buffer, 0);
            if (sender.ProtectRtcp(buffer, rtcp.Length, out length) != SrtpStatus.Ok
                || receiver.UnprotectRtcp(buffer, length, out _) != SrtpStatus.Ok)
            {
                throw new InvalidOperationException("RTCP round trip failed");
            }
        }

        return sequence;
    }

    private static SrtpContext CreateGcmVectorContext() =>
        new(SrtpProtectionProfile.AeadAes128Gcm, new SrtpSessionKeys(GcmKey, [], GcmSalt, GcmKey, [], GcmSalt));

    private static (SrtpContext Sender, SrtpContext Receiver) CreatePair(SrtpProtectionProfile profile)
    {
        var key = Enumerable.Range(1, profile.KeyLength()).Select(i => (byte)(i * 11)).ToArray();
        var salt = Enumerable.Range(1, profile.SaltLength()).Select(i => (byte)(i * 5)).ToArray();
        return (SrtpContext.Create(profile, key, salt), SrtpContext.Create(profile, key, salt));
    }

    private static (byte[] Buffer, int Length) Protect(SrtpContext sender, byte[] plain)
    {
        var buffer = SrtpTestPackets.WithRoom(plain);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, plain.Length, out var length));
        return (buffer, length);
    }

    private static void AssertRoundTrip(SrtpContext sender, SrtpContext receiver, byte[] plain)
    {
        var (buffer, length) = Protect(sender, plain);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, length, out var plainLength));
        Assert.Equal(plain, buffer[..plainLength]);
    }
}
