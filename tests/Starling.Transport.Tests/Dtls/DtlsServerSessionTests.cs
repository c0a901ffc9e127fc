using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Crypto.Tls;
using Starling.Testing;
using Starling.Transport.Dtls;
using Starling.Transport.Srtp;
using SrtpProtectionProfile = Starling.Transport.Srtp.SrtpProtectionProfile;

namespace Starling.Transport.Tests.Dtls;

public sealed class DtlsServerSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Handshake_BouncyCastleClient_BothSidesDeriveIdenticalSrtpKeys()
    {
        using var link = new DtlsTestLink();

        var client = link.StartAsync();
        var result = await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.Equal(DtlsSessionState.Connected, link.Server.State);
        Assert.Equal(SrtpProtectionProfile.AeadAes128Gcm, result.SrtpProfile);
        Assert.Equal(0x0007, link.Client.SelectedSrtpProfile);
        Assert.Equal(0xC02B, result.CipherSuite);
        Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", result.CipherSuiteName);
        Assert.True(result.ExtendedMasterSecret);
        Assert.Equal(DtlsTestLink.ClientCertificate.DerEncoded.ToArray(), result.RemoteCertificate.ToArray());
        var srtp = result.Srtp!;
        byte[] serverView =
        [
            .. srtp.ClientWriteKey.Span, .. srtp.ServerWriteKey.Span, .. srtp.ClientWriteSalt.Span, .. srtp.ServerWriteSalt.Span,
        ];
        Assert.Equal(link.Client.ExportedKeyingMaterial, serverView);
        Assert.Same(result, link.Server.HandshakeResult);
    }

    [Fact]
    public async Task Handshake_NegotiatedKeys_ProtectMediaBetweenPeers()
    {
        using var link = new DtlsTestLink(srtpProfiles: [0x0001]);
        var client = link.StartAsync();
        var result = await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);
        var clientView = SrtpKeyingMaterial.FromExporterOutput(SrtpProtectionProfile.AesCm128HmacSha1_80, link.Client.ExportedKeyingMaterial);

        using var serverOut = result.Srtp!.CreateServerWriteContext();
        using var clientIn = clientView.CreateServerWriteContext();
        var buffer = new byte[200];
        buffer[0] = 0x80;
        buffer[11] = 9;
        Assert.Equal(SrtpStatus.Ok, serverOut.ProtectRtp(buffer, 100, out var length));

        Assert.Equal(SrtpStatus.Ok, clientIn.UnprotectRtp(buffer, length, out _));
    }

    [Theory]
    [InlineData(new[] { 0x0001, 0x0007 }, 0x0001)]
    [InlineData(new[] { 0x0007, 0x0001 }, 0x0007)]
    [InlineData(new[] { 0x0002, 0x0001 }, 0x0001)]
    public async Task Handshake_SrtpProfiles_FollowsClientPreference(int[] offered, int expected)
    {
        using var link = new DtlsTestLink(srtpProfiles: offered);

        var client = link.StartAsync();
        var result = await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.Equal(expected, (int)result.SrtpProfile);
        Assert.Equal(expected, link.Client.SelectedSrtpProfile);
    }

    [Fact]
    public async Task Handshake_ClientPrefersProfileServerDisabled_SelectsCommonProfile()
    {
        var options = new DtlsOptions { SrtpProfiles = [SrtpProtectionProfile.AeadAes128Gcm] };
        using var link = new DtlsTestLink(srtpProfiles: [0x0001, 0x0007], options: options);

        var client = link.StartAsync();
        var result = await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.Equal(SrtpProtectionProfile.AeadAes128Gcm, result.SrtpProfile);
    }

    [Fact]
    public async Task Handshake_RequireExtendedMasterSecret_AcceptsOfferingClient()
    {
        using var link = new DtlsTestLink(options: new DtlsOptions { RequireExtendedMasterSecret = true });

        var client = link.StartAsync();
        var result = await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.True(result.ExtendedMasterSecret);
    }

    [Fact]
    public async Task Handshake_NoCommonSrtpProfile_FailsWithReason()
    {
        using var link = new DtlsTestLink(srtpProfiles: [0x0002]);

        var client = link.StartAsync();
        var failure = await link.ServerFailure.WaitAsync(Timeout);

        Assert.Equal(DtlsFailureReason.NoCommonSrtpProfile, failure.Reason);
        Assert.Contains("0x0002", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TlsFatalAlert>(() => client.WaitAsync(Timeout));
        Assert.Contains(link.Client.AlertsReceived, alert => alert == (AlertLevel.fatal, AlertDescription.handshake_failure));
        await link.Server.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ApplicationData_BothDirections_Delivered()
    {
        using var link = await ConnectAsync(new DtlsTestLink());
        var fromClient = Encoding.UTF8.GetBytes("hello from the client");

        link.ClientDtls.Send(fromClient, 0, fromClient.Length);
        await Eventually.True(() => !link.ServerReceived.IsEmpty, Timeout, "server receives application data");
        var toClient = link.ClientReceiveAsync(Timeout);
        Assert.True(link.Server.SendApplicationData("hello from the server"u8));

        Assert.True(link.ServerReceived.TryDequeue(out var received));
        Assert.Equal(fromClient, received);
        Assert.Equal("hello from the server"u8.ToArray(), await toClient.WaitAsync(Timeout));
        Assert.True(link.Server.MaxApplicationDataSize > 1000);
    }

    [Fact]
    public async Task SendApplicationData_AsDatagramSender_DeliversLargestRecord()
    {
        using var link = await ConnectAsync(new DtlsTestLink());
        var payload = Enumerable.Range(0, link.Server.MaxApplicationDataSize).Select(i => (byte)i).ToArray();
        var toClient = link.ClientReceiveAsync(Timeout);

        ((IDatagramSender)link.Server).Send(payload);

        Assert.Equal(payload, await toClient.WaitAsync(Timeout));
        Assert.False(link.Server.SendApplicationData(new byte[link.Server.MaxApplicationDataSize + 1]));
    }

    [Fact]
    public async Task Handshake_WrongFingerprint_FailsWithReason()
    {
        var other = DtlsCertificate.Generate();
        using var link = new DtlsTestLink(expectedClientFingerprint: other.Fingerprint);

        var client = link.StartAsync();
        var failure = await link.ServerFailure.WaitAsync(Timeout);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failure.Reason);
        Assert.Contains(other.Fingerprint.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains(DtlsTestLink.ClientCertificate.Fingerprint.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Equal(DtlsSessionState.Failed, link.Server.State);
        Assert.Same(failure, link.Server.Failure);
        await Assert.ThrowsAsync<TlsFatalAlert>(() => client.WaitAsync(Timeout));
        Assert.Contains(link.Client.AlertsReceived, alert => alert == (AlertLevel.fatal, AlertDescription.bad_certificate));
        await link.Server.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Handshake_ClientWithoutCertificate_FailsWithReason()
    {
        using var link = new DtlsTestLink(clientSendsCertificate: false);

        var client = link.StartAsync();
        var failure = await link.ServerFailure.WaitAsync(Timeout);

        Assert.Equal(DtlsFailureReason.MissingClientCertificate, failure.Reason);
        await Assert.ThrowsAsync<TlsFatalAlert>(() => client.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Handshake_FirstServerFlightLost_CompletesByRetransmission()
    {
        using var link = new DtlsTestLink();
        var seen = new HashSet<(int Sequence, int Offset)>();
        var dropped = 0;
        link.DropServerToClient = datagram =>
        {
            if (datagram[0] == 22 && Epoch(datagram) == 0 && seen.Add((HandshakeSequence(datagram), FragmentOffset(datagram))))
            {
                dropped++;
                return true;
            }

            return false;
        };

        var client = link.StartAsync();
        await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.True(dropped >= 5, $"expected the whole first flight (5 messages) dropped, dropped {dropped}");
        await AssertApplicationDataFlowsAsync(link);
    }

    [Fact]
    public async Task Handshake_ServerFinalFlightLost_ServerRetransmitsAfterConnecting()
    {
        using var link = new DtlsTestLink();
        var droppedChangeCipherSpec = 0;
        var droppedFinished = 0;
        link.DropServerToClient = datagram =>
        {
            if (datagram[0] == 20)
            {
                return Interlocked.Increment(ref droppedChangeCipherSpec) == 1;
            }

            return datagram[0] == 22 && Epoch(datagram) == 1 && Interlocked.Increment(ref droppedFinished) == 1;
        };

        var client = link.StartAsync();
        await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);

        Assert.True(droppedFinished >= 2, "the server's Finished was sent again after the first copy was lost");
        await AssertApplicationDataFlowsAsync(link);
    }

    [Fact]
    public async Task HandleDatagram_Garbage_DoesNotCrashAndSessionWorks()
    {
        // A queue deep enough for the whole spray: this test is about parsing, not about overload.
        using var link = new DtlsTestLink(options: new DtlsOptions { MaxQueuedRecords = 100_000 });
        var random = new Random(4242);
        void Spray(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var datagram = new byte[random.Next(0, 300)];
                random.NextBytes(datagram);
                if (datagram.Length >= 13 && random.Next(2) == 0)
                {
                    // A plausible record header in an epoch nobody uses, with a random body.
                    datagram[0] = (byte)random.Next(20, 25);
                    datagram[1] = 0xFE;
                    datagram[2] = 0xFD;
                    BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(3), 0x0777);
                    BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(11), (ushort)(datagram.Length - 13));
                }

                link.Server.HandleDatagram(datagram);
            }
        }

        Spray(500);
        var client = link.StartAsync();
        Spray(500);
        await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);
        Spray(2000);

        await AssertApplicationDataFlowsAsync(link);
        Assert.Equal(DtlsSessionState.Connected, link.Server.State);
        Assert.Equal(0, link.Server.DroppedRecords);
    }

    [Fact]
    public async Task HandleDatagram_QueueFull_DropsAndCountsRecords()
    {
        // Deep enough for a whole client flight (5 records), so the handshake itself needs no retransmission.
        using var link = new DtlsTestLink(options: new DtlsOptions { MaxQueuedRecords = 8 });
        var record = Convert.FromHexString("17fefd077700000000000100020102");

        for (var i = 0; i < 20; i++)
        {
            link.Server.HandleDatagram(record);
        }

        Assert.Equal(12, link.Server.DroppedRecords);
        await ConnectAsync(link);
        await AssertApplicationDataFlowsAsync(link);
    }

    [Fact]
    public async Task Close_Connected_SendsCloseNotifyAndStopsThread()
    {
        using var link = await ConnectAsync(new DtlsTestLink());
        var pending = link.ClientReceiveAsync(TimeSpan.FromSeconds(2));

        link.Server.Close();
        link.Server.Close();

        await link.Server.Completion.WaitAsync(Timeout);
        // The BouncyCastle client answers close_notify by closing its transport, which ends its pending receive.
        await Assert.ThrowsAsync<IOException>(() => pending.WaitAsync(Timeout));
        Assert.Contains(link.Client.AlertsReceived, alert => alert == (AlertLevel.warning, AlertDescription.close_notify));
        Assert.Equal(DtlsSessionState.Closed, link.Server.State);
        Assert.Equal(1, link.ServerClosedCount);
        Assert.False(link.Server.SendApplicationData("late"u8));
    }

    [Fact]
    public async Task Close_ByPeer_RaisesClosed()
    {
        using var link = await ConnectAsync(new DtlsTestLink());

        link.ClientDtls.Close();

        await link.Server.Completion.WaitAsync(Timeout);
        Assert.Equal(DtlsSessionState.Closed, link.Server.State);
        Assert.Equal(1, link.ServerClosedCount);
        Assert.False(link.ServerFailure.IsCompleted);
    }

    [Fact]
    public async Task Close_DuringHandshake_UnblocksThreadWithoutFailure()
    {
        using var link = new DtlsTestLink();
        link.Server.Start();

        link.Server.Close();

        await link.Server.Completion.WaitAsync(Timeout);
        Assert.Equal(DtlsSessionState.Closed, link.Server.State);
        Assert.False(link.ServerFailure.IsCompleted);
    }

    [Fact]
    public async Task Handshake_NoClient_TimesOutOnInjectedClock()
    {
        var time = new ManualTimeProvider();
        using var link = new DtlsTestLink(timeProvider: time, options: new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) });
        link.Server.Start();

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(DtlsSessionState.Handshaking, link.Server.State);
        time.Advance(TimeSpan.FromSeconds(1));

        var failure = await link.ServerFailure.WaitAsync(Timeout);
        Assert.Equal(DtlsFailureReason.HandshakeTimeout, failure.Reason);
        await link.Server.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public void SendApplicationData_BeforeHandshake_ReturnsFalse()
    {
        using var link = new DtlsTestLink();

        Assert.False(link.Server.SendApplicationData("early"u8));
        Assert.Equal(0, link.Server.MaxApplicationDataSize);
        Assert.Equal(DtlsSessionState.New, link.Server.State);
    }

    [Fact]
    public void Start_Twice_Throws()
    {
        using var link = new DtlsTestLink();
        link.Server.Start();

        Assert.Throws<InvalidOperationException>(link.Server.Start);
    }

    private static async Task<DtlsTestLink> ConnectAsync(DtlsTestLink link)
    {
        var client = link.StartAsync();
        await link.ServerHandshake.WaitAsync(Timeout);
        await client.WaitAsync(Timeout);
        return link;
    }

    private static async Task AssertApplicationDataFlowsAsync(DtlsTestLink link)
    {
        var ping = "ping"u8.ToArray();
        link.ClientDtls.Send(ping, 0, ping.Length);
        await Eventually.True(() => link.ServerReceived.Any(d => d.AsSpan().SequenceEqual(ping)), Timeout, $"server receives ping (state {link.Server.State}, failure {link.Server.Failure})");
        var pong = link.ClientReceiveAsync(Timeout);
        Assert.True(link.Server.SendApplicationData("pong"u8));
        Assert.Equal("pong"u8.ToArray(), await pong.WaitAsync(Timeout));
    }

    private static int Epoch(byte[] record) => BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(3));

    private static int HandshakeSequence(byte[] record) => BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(13 + 4));

    private static int FragmentOffset(byte[] record) => (record[13 + 6] << 16) | (record[13 + 7] << 8) | record[13 + 8];
}
