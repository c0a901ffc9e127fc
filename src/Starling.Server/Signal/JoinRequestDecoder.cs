using System.Buffers.Text;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Rooms.Signal;

namespace Starling.Server.Signal;

/// <summary>Builds <see cref="JoinParameters"/> from a v0 query string or a v1 <c>join_request</c> parameter.</summary>
internal static class JoinRequestDecoder
{
    /// <summary>Largest decompressed JoinRequest (as livekit-server).</summary>
    public const int MaxJoinRequestBytes = 1024 * 1024;

    public static JoinParameters FromV0Query(IQueryCollection query, TokenClaims claims, string token)
    {
        var info = new ClientInfo
        {
            Sdk = SdkFrom(query["sdk"].ToString()),
            Version = query["version"].ToString(),
            Protocol = int.TryParse(query["protocol"], out var p) ? p : 0,
            ClientProtocol = int.TryParse(query["client_protocol"], out var cp) ? cp : 0,
            Os = query["os"].ToString(),
            OsVersion = query["os_version"].ToString(),
            DeviceModel = query["device_model"].ToString(),
            Browser = query["browser"].ToString(),
            BrowserVersion = query["browser_version"].ToString(),
            Network = query["network"].ToString(),
        };
        return new JoinParameters
        {
            Claims = claims,
            Token = token,
            SinglePeerConnection = false,
            ClientInfo = info,
            AutoSubscribe = !query.ContainsKey("auto_subscribe") || Bool(query["auto_subscribe"]),
            AdaptiveStream = Bool(query["adaptive_stream"]),
            Reconnect = Bool(query["reconnect"]),
            ParticipantSid = query["sid"].ToString() is { Length: > 0 } sid ? sid : null,
        };
    }

    /// <summary>Decodes base64url(WrappedJoinRequest) (padded or not, gzip or not).</summary>
    /// <exception cref="SignalException">400 when the parameter is missing or malformed.</exception>
    public static JoinParameters FromV1(string? joinRequestParam, TokenClaims claims, string token)
    {
        if (string.IsNullOrEmpty(joinRequestParam))
        {
            throw new SignalException(400, "missing join_request");
        }

        JoinRequest request;
        try
        {
            var trimmed = joinRequestParam.TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var wrapped = WrappedJoinRequest.Parser.ParseFrom(Base64Url.DecodeFromChars(trimmed));
            var payload = wrapped.JoinRequest.ToByteArray();
            if (wrapped.Compression == WrappedJoinRequest.Types.Compression.Gzip)
            {
                payload = Gunzip(payload);
            }

            request = JoinRequest.Parser.ParseFrom(payload);
        }
        catch (Exception ex) when (ex is FormatException or Google.Protobuf.InvalidProtocolBufferException or InvalidDataException)
        {
            throw new SignalException(400, "malformed join_request: " + ex.Message);
        }

        return new JoinParameters
        {
            Claims = claims,
            Token = token,
            SinglePeerConnection = true,
            ClientInfo = request.ClientInfo ?? new ClientInfo(),
            AutoSubscribe = request.ConnectionSettings?.AutoSubscribe ?? true,
            AdaptiveStream = request.ConnectionSettings?.AdaptiveStream ?? false,
            Reconnect = request.Reconnect,
            ParticipantSid = request.ParticipantSid is { Length: > 0 } sid ? sid : null,
            PublisherOffer = request.PublisherOffer,
            Metadata = request.Metadata,
            Attributes = request.ParticipantAttributes,
        };
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (output.Length + read > MaxJoinRequestBytes)
            {
                throw new InvalidDataException("join_request larger than 1 MiB");
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static bool Bool(string? value) => value is "1" or "true";

    private static ClientInfo.Types.SDK SdkFrom(string sdk) => sdk switch
    {
        "js" => ClientInfo.Types.SDK.Js,
        "swift" or "ios" => ClientInfo.Types.SDK.Swift,
        "android" => ClientInfo.Types.SDK.Android,
        "flutter" => ClientInfo.Types.SDK.Flutter,
        "go" => ClientInfo.Types.SDK.Go,
        "unity" => ClientInfo.Types.SDK.Unity,
        "reactnative" => ClientInfo.Types.SDK.ReactNative,
        "rust" => ClientInfo.Types.SDK.Rust,
        "python" => ClientInfo.Types.SDK.Python,
        "cpp" => ClientInfo.Types.SDK.Cpp,
        "unityweb" => ClientInfo.Types.SDK.UnityWeb,
        "node" => ClientInfo.Types.SDK.Node,
        _ => ClientInfo.Types.SDK.Unknown,
    };
}
