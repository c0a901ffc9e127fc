using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Starling.Testing;
using Starling.Transport.Dtls;
using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Dtls;

/// <summary>
/// <c>openssl s_client -dtls1_2 -use_srtp</c> against our server over UDP on 127.0.0.1: an independent DTLS
/// implementation (OpenSSL, a sibling of the BoringSSL in Chromium) agrees on the handshake and the exported keys.
/// </summary>
public sealed class OpenSslInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [OpenSslFact]
    public Task Handshake_OpenSslClientAesCm_ExportsSameKeysAndExchangesData() =>
        RunAsync("SRTP_AES128_CM_SHA1_80", SrtpProtectionProfile.AesCm128HmacSha1_80);

    [OpenSslFact]
    public Task Handshake_OpenSslClientAeadGcm_ExportsSameKeysAndExchangesData() =>
        RunAsync("SRTP_AEAD_AES_128_GCM", SrtpProtectionProfile.AeadAes128Gcm);

    private static async Task RunAsync(string opensslProfile, SrtpProtectionProfile expectedProfile)
    {
        var directory = Directory.CreateTempSubdirectory("starling-dtls-");
        try
        {
            var client = DtlsTestLink.ClientCertificate;
            var certificatePath = Path.Combine(directory.FullName, "client.pem");
            var keyPath = Path.Combine(directory.FullName, "client.key");
            await File.WriteAllTextAsync(certificatePath, client.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, client.ExportPrivateKeyPem());

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            EndPoint? remote = null;
            using var session = new DtlsServerSession(
                DtlsTestLink.ServerCertificate,
                client.Fingerprint,
                new TestDatagramSender(datagram =>
                {
                    if (Volatile.Read(ref remote) is { } target)
                    {
                        socket.SendTo(datagram, target);
                    }
                }));
            var handshake = new TaskCompletionSource<DtlsHandshakeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var received = new StringBuilder();
            var closed = 0;
            session.HandshakeCompleted += result => handshake.TrySetResult(result);
            session.Failed += failure => handshake.TrySetException(new InvalidOperationException(failure.ToString()));
            session.ApplicationDataReceived += data =>
            {
                lock (received)
                {
                    received.Append(Encoding.ASCII.GetString(data));
                }
            };
            session.Closed += () => Interlocked.Increment(ref closed);
            session.Start();

            using var stop = new CancellationTokenSource();
            var pump = Task.Run(async () =>
            {
                var buffer = new byte[2048];
                while (!stop.IsCancellationRequested)
                {
                    var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    Volatile.Write(ref remote, result.RemoteEndPoint);
                    session.HandleDatagram(buffer.AsSpan(0, result.ReceivedBytes));
                }
            });

            using var openssl = Process.Start(new ProcessStartInfo(OpenSslFactAttribute.OpenSslPath!)
            {
                ArgumentList =
                {
                    "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-use_srtp", opensslProfile,
                    "-cert", certificatePath, "-key", keyPath,
                    "-keymatexport", SrtpKeyingMaterial.ExporterLabel,
                    "-keymatexportlen", SrtpKeyingMaterial.GetExportLength(expectedProfile).ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = new StringBuilder();
            openssl.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            openssl.ErrorDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            openssl.BeginOutputReadLine();
            openssl.BeginErrorReadLine();
            string Output()
            {
                lock (output)
                {
                    return output.ToString();
                }
            }

            try
            {
                var result = await handshake.Task.WaitAsync(Timeout);
                await Eventually.True(() => Output().Contains("Keying material: ", StringComparison.Ordinal), Timeout, "s_client prints the exported keys");

                Assert.Equal(expectedProfile, result.SrtpProfile);
                Assert.True(result.ExtendedMasterSecret);
                var srtp = result.Srtp!;
                var expected = Convert.ToHexString(
                    [.. srtp.ClientWriteKey.Span, .. srtp.ServerWriteKey.Span, .. srtp.ClientWriteSalt.Span, .. srtp.ServerWriteSalt.Span]);
                var line = Output().Split('\n').First(l => l.Contains("Keying material: ", StringComparison.Ordinal));
                Assert.Equal(expected, line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim(), ignoreCase: true);
                Assert.Contains($"SRTP Extension negotiated, profile={opensslProfile}", Output(), StringComparison.Ordinal);

                await openssl.StandardInput.WriteLineAsync("hello from openssl");
                await openssl.StandardInput.FlushAsync();
                await Eventually.True(
                    () =>
                    {
                        lock (received)
                        {
                            return received.ToString().Contains("hello from openssl", StringComparison.Ordinal);
                        }
                    },
                    Timeout,
                    "the server receives application data from s_client");
                Assert.True(session.SendApplicationData("hello from starling\n"u8));
                await Eventually.True(() => Output().Contains("hello from starling", StringComparison.Ordinal), Timeout, "s_client prints our data");

                openssl.StandardInput.Close();
                await Eventually.True(() => Volatile.Read(ref closed) == 1, Timeout, "s_client's close_notify closes the session");
                await session.Completion.WaitAsync(Timeout);
            }
            finally
            {
                if (!openssl.HasExited)
                {
                    openssl.Kill();
                }

                await stop.CancelAsync();
                await pump.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
